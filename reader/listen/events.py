"""The events file and the signals that end a listening session.

``EventLog`` writes one JSON object per event (key, play, pause, ...) for other programs
to follow; ``signals_stop_session`` turns SIGINT, SIGTERM and SIGHUP into ``Interrupted``
so the session saves the place and restores the terminal before it exits.
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from reader.errors import ExportError

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
    """One JSON object per line, flushed at once so other programs can follow it."""

    def __init__(self, path: str | Path | None) -> None:
        self._file: IO[str] | None = None
        self._lock = threading.Lock()
        if path is not None:
            try:
                self._file = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed in close)
            except OSError as e:
                raise ExportError(
                    f"cannot write the events file {path} ({e.strerror}).",
                    "Give a path in a folder you can write to.",
                ) from None

    def __call__(self, event: dict) -> None:
        if self._file is None:
            return
        with self._lock:
            self._file.write(json.dumps(event, ensure_ascii=False) + "\n")
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
