"""Write output files safely: a hidden temporary file in the target folder, renamed at the end.

A failure or Ctrl-C (``KeyboardInterrupt``, ``SystemExit``) removes every temporary
file, so a reader never finds half a file under the real name; an existing file is
kept unless ``force``. Operating-system errors become one-line ``ExportError``s that
say what to do.
"""

from __future__ import annotations

import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.errors import ExportError

PART_SUFFIX = ".part"


def os_error(e: OSError, path: Path) -> ExportError:
    """A one-line ``ExportError`` for an ``OSError`` met while writing ``path``."""
    if e.errno == errno.ENOSPC or e.errno == errno.EDQUOT:
        return ExportError(
            f"the disk is full while writing {path}.", "Free some space and try again."
        )
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(
            f"cannot write to the folder {path.parent}: permission denied.",
            "Choose a folder you can write to.",
        )
    if e.errno == errno.ENOENT:
        return ExportError(
            f"the folder {path.parent} does not exist.", "Create it first or choose another."
        )
    return ExportError(f"cannot write {path}: {e.strerror or e}.")


def check_target(path: Path, force: bool) -> None:
    """Fail early, before any work, when ``path`` cannot or must not be written."""
    folder = path.parent
    if path.is_dir():
        raise ExportError(
            f"{path} is a folder.", "Give a file name, or use --out-dir for a folder."
        )
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # --force replaces a file, never a link, device or pipe (/dev/null, /dev/stdout):
        # as root, os.replace would swap the device node itself for a regular file.
        raise ExportError(
            f"{path} is not a regular file (it is a link, device or pipe).",
            "Give the name of a file to write.",
        )
    if path.exists() and not force:
        raise ExportError(f"{path} already exists.", "Use --force to replace it.")
    check_folder(folder)


def check_not_source(path: Path, source: str | None) -> None:
    """Fail when writing ``path`` would replace the file the article was read from."""
    if not source or source == "-":
        return
    try:
        same = Path(source).exists() and path.exists() and path.samefile(source)
    except OSError:
        same = False
    if same:
        raise ExportError(
            f"{path} is the file the article is read from; reader will not replace it.",
            "Give the output another name.",
        )


def check_folder(folder: Path) -> None:
    """Fail early when ``folder`` is missing or cannot be written to."""
    if not folder.is_dir():
        raise ExportError(
            f"the folder {folder} does not exist.", "Create it first or choose another."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(
            f"cannot write to the folder {folder}: permission denied.",
            "Choose a folder you can write to.",
        )


def remove_parts(path: Path) -> None:
    """Remove the temporary files reserved for ``path`` by a process that could not
    clean up after itself (a worker killed with SIGKILL)."""
    for part in Path(path).parent.glob(f".{glob.escape(Path(path).name)}.*{PART_SUFFIX}"):
        try:
            part.unlink()
        except OSError:
            pass


class OutputSet:
    """Temporary files for a group of outputs that appear together or not at all."""

    def __init__(self, force: bool = False) -> None:
        self.force = force
        self._pending: list[tuple[Path, Path]] = []

    def add(self, path: Path) -> Path:
        """Reserve ``path``; returns the temporary path to write instead."""
        path = Path(path)
        check_target(path, self.force)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
        except OSError as e:
            raise os_error(e, path) from None
        os.close(fd)
        self._pending.append((Path(tmp), path))
        return Path(tmp)

    def commit(self) -> None:
        """Rename every temporary file to its real name."""
        for _, path in self._pending:
            if path.exists() and not self.force:  # appeared while we worked
                raise ExportError(f"{path} already exists.", "Use --force to replace it.")
        for tmp, path in self._pending:
            try:
                os.chmod(tmp, 0o666 & ~umask())
                os.replace(tmp, path)
            except OSError as e:
                raise os_error(e, path) from None
        self._pending.clear()

    def discard(self) -> None:
        """Remove every temporary file not yet committed."""
        for tmp, _ in self._pending:
            try:
                tmp.unlink()
            except FileNotFoundError:
                pass
        self._pending.clear()


def umask() -> int:
    """The process's file-creation mask (read without changing it for good)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def output_set(force: bool = False) -> Iterator[OutputSet]:
    """``with output_set(force) as outs: tmp = outs.add(path); ...``; commits on success."""
    outs = OutputSet(force)
    try:
        yield outs
        outs.commit()
    except OSError as e:
        # Name the file the user asked for, not our temporary one.
        path = outs._pending[0][1] if outs._pending else Path(e.filename or ".")
        outs.discard()
        raise os_error(e, path) from None
    except BaseException:
        outs.discard()
        raise
