"""Many sources into one folder, on several processes.

Sources may be paths, globs, folders (their .html, .htm and .txt files) or text files
listing URLs one per line, or articles already loaded (``reader.sources.Source``: a
feed entry's full text, see ``reader.feeds``). Each source is exported on its own; a
failure is recorded and the rest go on. An output newer than its source is up to date
and skipped (a URL has no date, so its existing output is kept) unless ``force``.

Which file holds which source is kept in the folder (``MANIFEST``), by a hash of the
source so no local path or URL is written there: a rerun gives each source the name it
had, whatever the order of the arguments, calls a file up to date only when it holds
that source, and never replaces a file that reader did not write for it.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from reader.errors import ReaderError
from reader.export.exporter import ExportOptions, ProgressFn, timing_path_for
from reader.sources import Source

#: What a batch exports: a path, ``-`` or a URL, or an article already loaded.
BatchSource = str | Source

#: The file in an output folder that says which export holds which source.
MANIFEST = ".reader-exports.json"
#: File types a folder contributes.
ARTICLE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt")
URL_LIST_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class SourceOutcome:
    """What happened to one source."""

    source: str
    """The source's name (``source_name``)."""
    output: Path | None
    status: str
    """``"written"``, ``"skipped"`` (up to date) or ``"failed"``."""
    message: str = ""
    """Why it failed; empty otherwise."""
    duration: float = 0.0
    """Seconds of audio written."""
    warning: str | None = None
    """Why the text written may not be the article (``ExportResult.warning``)."""
    title: str = ""
    """The article's title, when written."""
    description: str = ""
    """Its summary, else its first paragraph, when written."""
    published: str | None = None
    """When the article says it was published, when written."""


def source_name(source: BatchSource) -> str:
    """How a batch names ``source``: itself, or a loaded article's URL (else its name)."""
    return source if isinstance(source, str) else source.url or source.name


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def _url_list(path: Path) -> list[str] | None:
    """The URLs in ``path`` when it is a text file of URLs (``#`` comments allowed)."""
    if path.suffix.lower() not in (".txt", ".urls", ".list", ""):
        return None
    try:
        if path.stat().st_size > URL_LIST_MAX_BYTES:
            return None
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    urls = [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]
    return urls if urls and all(_is_url(u) and " " not in u for u in urls) else None


def expand_sources(args: list[str]) -> list[str]:
    """Every source named by ``args``, in order, without duplicates."""
    out: list[str] = []
    for arg in args:
        path = Path(arg)
        if _is_url(arg) or arg == "-":
            out.append(arg)
        elif path.is_dir():
            out += sorted(
                str(p)
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
        elif path.is_file():
            out += _url_list(path) or [arg]
        elif glob.has_magic(arg):
            # No match is reported as a failed source, like a missing file.
            out += sorted(glob.glob(arg)) or [arg]
        else:
            out.append(arg)
    return list(dict.fromkeys(out))


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.")
    return slug[:80] or "article"


def source_id(source: BatchSource) -> str:
    """A stable name for ``source`` that does not reveal it: a hash of its URL (without
    credentials) or of its absolute path."""
    from reader.sources import shown_url

    source = source_name(source)
    if _is_url(source):
        ident = shown_url(source)
    elif source == "-":
        ident = "-"
    else:
        ident = str(Path(source).absolute())
    return hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def load_manifest(out_dir: Path) -> dict[str, str]:
    """Output file name -> ``source_id`` for what reader wrote into ``out_dir``."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        outputs = data["outputs"]
        return {str(k): str(v) for k, v in outputs.items() if "/" not in str(k)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_manifest(out_dir: Path, manifest: dict[str, str]) -> None:
    """Write the manifest atomically; a folder that refuses it only loses the names."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{MANIFEST}.", suffix=".part", dir=out_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"version": 1, "outputs": dict(sorted(manifest.items()))}, f, indent=1)
        os.replace(tmp, out_dir / MANIFEST)
    except OSError:
        pass


def output_name(source: BatchSource, fmt: str, taken: set[str]) -> str:
    """A file name for ``source``'s export, unique among ``taken`` (which it joins)."""
    source = source_name(source)
    if _is_url(source):
        parts = urlsplit(source)
        segments = [s for s in parts.path.split("/") if s]
        stem = _slug(Path(segments[-1]).stem if segments else parts.netloc)
    elif source == "-":
        stem = "stdin"
    else:
        stem = _slug(Path(source).stem)
    name, n = f"{stem}.{fmt}", 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}.{fmt}"
    taken.add(name.lower())
    return name


def up_to_date(source: BatchSource, output: Path, options: ExportOptions) -> bool:
    """Whether ``output`` (and its timing file) exist and are newer than ``source``."""
    source = source_name(source)
    outputs = [output] + ([timing_path_for(output, options.timing)] if options.timing else [])
    if not all(p.exists() for p in outputs):
        return False
    if _is_url(source):
        return True
    try:
        mtime = os.stat(source).st_mtime
    except OSError:
        return False
    return all(p.stat().st_mtime >= mtime for p in outputs)


def export_one(
    source: BatchSource,
    output: Path,
    options: ExportOptions,
    *,
    progress: ProgressFn | None = None,
) -> SourceOutcome:
    """Export one source, turning every error into a failed ``SourceOutcome``. A URL is
    fetched with one polite retry, and refused when it is a feed (``reader.feeds``).
    ``progress`` hears each sentence written, and may raise a ``BaseException`` to stop."""
    from reader.export.exporter import export_source
    from reader.feeds import Item, resolve
    from reader.pipeline import prepare

    name = source_name(source)
    try:
        loaded = resolve(Item(source)) if isinstance(source, str) and _is_url(source) else source
        prepared = prepare(loaded, whole_page=options.whole_page)
        result = export_source(prepared, output, options, progress=progress)
    except ReaderError as e:
        return SourceOutcome(name, output, "failed", str(e))
    except Exception as e:  # a bug in one article must not stop the batch
        return SourceOutcome(name, output, "failed", f"internal error ({type(e).__name__}: {e})")
    article = prepared.article
    return SourceOutcome(
        name, output, "written", duration=result.duration, warning=result.warning,
        title=article.title, published=article.published,
        description=article.summary or next(iter(article.paragraphs), ""),
    )


def run_batch(
    sources: list[BatchSource],
    out_dir: Path,
    fmt: str,
    options: ExportOptions,
    *,
    jobs: int | None = None,
    report: Callable[[SourceOutcome], None] | None = None,
    runner: Callable[[list, ExportOptions, Callable[[SourceOutcome], None]], None] | None = None,
) -> list[SourceOutcome]:
    """Export every source into ``out_dir`` as ``fmt``; ``report`` hears each outcome.

    ``jobs`` processes each export one article at a time (default: one per core); with
    one source, its sentences are rendered on ``jobs`` processes instead. ``runner``,
    given, runs the work instead (``runner(work, options, note)``, where ``work`` lists
    (source, output) and ``note`` takes each outcome): ``reader.export.cluster``.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    manifest = load_manifest(out_dir)
    owned = {(sid, Path(name).suffix): name for name, sid in manifest.items()}
    ids = {source_name(source): source_id(source) for source in sources}
    # Names this run must not take: files of other sources, and files reader did not
    # write (someone's own story.mp3); each source keeps the name it had.
    taken = {name.lower() for name, sid in manifest.items()}
    try:
        taken |= {p.name.lower() for p in out_dir.iterdir() if p.name not in manifest}
    except OSError:
        pass
    work: list[tuple[BatchSource, Path]] = []
    outcomes: list[SourceOutcome] = []

    def note(outcome: SourceOutcome) -> None:
        outcomes.append(outcome)
        if outcome.status == "written" and outcome.output is not None:
            manifest[outcome.output.name] = ids[outcome.source]
            save_manifest(out_dir, manifest)
        if report:
            report(outcome)

    for source in sources:
        name = owned.get((ids[source_name(source)], f".{fmt}"))
        while name is None:
            name = output_name(source, fmt, taken)
            timing = timing_path_for(Path(name), options.timing) if options.timing else None
            if timing is not None and timing.name.lower() in taken:
                name = None  # its timing file would replace a file that is not ours
        output = out_dir / name
        if not options.force and up_to_date(source, output, options):
            note(SourceOutcome(source_name(source), output, "skipped"))
        else:
            work.append((source, output))
    # The folder is reader's to manage: a stale output is replaced without --force.
    item_options = replace(options, format=fmt, force=True)
    if runner is not None:
        if work:
            runner(work, replace(item_options, jobs=1), note)
        return outcomes
    if len(work) <= 1 or jobs == 1:
        for source, output in work:
            note(
                export_one(
                    source, output, replace(item_options, jobs=jobs if len(work) == 1 else 1)
                )
            )
        return outcomes
    _run_parallel(work, replace(item_options, jobs=1), min(jobs, len(work)), note)
    return outcomes


def _run_parallel(work, options: ExportOptions, jobs: int, note) -> None:
    """Export ``work`` on ``jobs`` workers. A worker stopped by a signal fails its own
    source; a worker that dies breaks the pool, and the sources it took down with it
    are tried once more on a new pool, so one lost process never aborts a batch."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    from reader.speech import workers

    tries = dict.fromkeys(work, 0)
    while work:
        again: list[tuple[BatchSource, Path]] = []
        pool = workers.process_pool(min(jobs, len(work)))
        finished = False
        try:
            futures = {workers.submit(pool, export_one, s, o, options): (s, o) for s, o in work}
            for future in as_completed(futures):
                source, output = futures[future]
                try:
                    note(future.result())
                except BrokenProcessPool:
                    _remove_parts(output, options)  # its worker died before cleaning up
                    tries[(source, output)] += 1
                    if tries[(source, output)] < 2:
                        again.append((source, output))
                    else:
                        why = "its worker process died twice."
                        note(SourceOutcome(source_name(source), output, "failed", why))
                except KeyboardInterrupt:  # its worker was sent SIGTERM: that source stops
                    note(SourceOutcome(source_name(source), output, "failed",
                                       "stopped by a signal."))
                except Exception as e:
                    why = f"worker failed ({type(e).__name__}: {e})"
                    note(SourceOutcome(source_name(source), output, "failed", why))
            finished = True
        finally:
            workers.close(pool, interrupted=not finished)
            if not finished:  # stopped: no worker is left to finish or clean its files
                for _, output in work:
                    _remove_parts(output, options)
        work = again


def _remove_parts(output: Path, options: ExportOptions) -> None:
    """Remove the temporary files a worker left for ``output`` and its timing file."""
    from reader.export.safefile import remove_parts

    remove_parts(output)
    if options.timing:
        remove_parts(timing_path_for(output, options.timing))
