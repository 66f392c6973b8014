"""The events file and the signals that end a listening session.

``EventLog`` writes one JSON object per event (key, play, pause, ...) for other programs
to follow; ``signals_stop_session`` turns SIGINT, SIGTERM and SIGHUP into ``Interrupted``
so the session saves the place and restores the terminal before it exits.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from reader.errors import ExportError
from reader.safe import json_text

SIGNALS: dict[int, str] = {
    signal.SIGINT: "SIGINT",
    signal.SIGTERM: "SIGTERM",
    signal.SIGHUP: "SIGHUP",
}


class Interrupted(BaseException):
    """A signal asked the session to stop (raised from the signal handler)."""

    def __init__(self, signum: int) -> None:
        super().__init__(SIGNALS.get(signum, str(signum)))
        self.signum = signum


class EventLog:
    """One JSON object per line, flushed at once so other programs can follow it.

    The file is checked when the log is made but opened (and emptied) only by the first
    event: a session that fails before it starts leaves an older log as it was."""

    def __init__(self, path: str | Path | None) -> None:
        self._file: IO[str] | None = None
        self._path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        if self._path is not None:
            target = self._path if self._path.exists() else self._path.absolute().parent
            if self._path.is_dir() or not os.access(target, os.W_OK):
                raise ExportError(
                    f"cannot write the events file {path}.",
                    "Give a path in a folder you can write to.",
                )

    def __call__(self, event: dict) -> None:
        if self._path is None:
            return
        with self._lock:
            if self._file is None:
                try:
                    self._file = open(self._path, "w", encoding="utf-8")  # noqa: SIM115
                except OSError:
                    self._path = None  # checked at the start; gone since: log no more
                    return
            self._file.write(json_text(event) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@contextmanager
def signals_stop_session() -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        for s in SIGNALS:  # one stop is enough: ignore repeats while the place is saved
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    saved = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, old in saved.items():
            signal.signal(s, old)
