"""Progress of an export on standard error.

On a terminal: one bar, redrawn in place, ended by a newline. With ``--accessible``
or when standard error is not a terminal: a plain line at most every ``interval``
seconds, so a screen reader or a log is not flooded. ``quiet``: nothing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from reader.safe import for_terminal

BAR_WIDTH = 30
LINE_INTERVAL = 5.0
"""Seconds between plain progress lines."""


def choose_mode(stream: TextIO, *, accessible: bool, quiet: bool) -> str:
    """``"quiet"``, ``"lines"`` or ``"bar"``."""
    if quiet:
        return "quiet"
    if accessible or not _isatty(stream):
        return "lines"
    return "bar"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Call with ``(done, total)`` sentences as they render; ``end()`` when finished."""

    def __init__(
        self,
        label: str,
        mode: str = "lines",
        stream: TextIO | None = None,
        interval: float = LINE_INTERVAL,
        clock=time.monotonic,
    ) -> None:
        self.label = label
        self.mode = mode
        self.stream = stream or sys.stderr
        self.interval = interval
        self._clock = clock
        self._last_time: float | None = None
        self._last_percent = -1
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if self.mode == "quiet" or total <= 0:
            return
        percent = done * 100 // total
        if self.mode == "bar":
            if percent != self._last_percent:
                filled = BAR_WIDTH * done // total
                bar = "#" * filled + "-" * (BAR_WIDTH - filled)
                self._write(f"\r{self.label} [{bar}] {percent:3d}% ({done}/{total})")
                self._drawn = True
        else:
            now = self._clock()
            if self._last_time is None:
                self._write(f"{self.label}: {total} sentences.\n")
                self._last_time = now
            elif now - self._last_time >= self.interval and done < total:
                self._write(f"{self.label}: {percent}% ({done} of {total} sentences).\n")
                self._last_time = now
        self._last_percent = percent

    def end(self) -> None:
        """Finish the bar's line, so the next message starts on its own line."""
        if self._drawn:
            self._write("\n")
            self._drawn = False

    def _write(self, text: str) -> None:
        self.stream.write(for_terminal(text))  # labels hold headlines and file names
        self.stream.flush()
