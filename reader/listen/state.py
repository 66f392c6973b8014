"""Resume positions: where a listener stopped in each article, kept between runs.

One small JSON file per article in ``platformdirs.user_state_dir("reader")/places``
(``$XDG_STATE_HOME/reader`` on Linux), named by a hash of the article's key
(``Source.key``: its URL, or a hash of its content). Writes go to a temporary file and
are renamed into place, so a crash or a signal mid-write never leaves a broken file.
The temporary file has an unpredictable name and is created exclusively, so a link
planted in the folder is never written through; folder and files are the user's alone
(a URL is private). A place that cannot be kept is said once on standard error and
never stops the reading.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from reader.safe import for_terminal


@dataclass(frozen=True)
class Place:
    """Where a listener is in an article."""

    sentence: int
    """Index into the article's sentence list (``segment_article``)."""
    block: int
    """Index of that sentence's block in ``Article.blocks``: a check that the article
    still segments the same way."""
    rate: int | None = None
    """The speaking rate the listener had chosen, words per minute."""
    bookmark: int | None = None
    """The sentence index of the listener's bookmark."""
    saved_at: float = 0.0
    """Wall-clock time of the save (seconds since the epoch)."""


def state_dir() -> Path:
    """Where places are kept; ``XDG_STATE_HOME`` moves it on Linux."""
    return Path(platformdirs.user_state_dir("reader")) / "places"


def _path(key: str) -> Path:
    return state_dir() / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".json")


def load_place(key: str) -> Place | None:
    """The saved place for ``key``, or ``None`` if there is none or it is unreadable."""
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
        saved_at = float(data.get("saved_at", 0.0))
        place = Place(
            sentence=_index(data["sentence"]),
            block=_index(data["block"]),
            rate=None if data.get("rate") is None else _index(data["rate"]),
            bookmark=None if data.get("bookmark") is None else _index(data["bookmark"]),
            saved_at=saved_at if math.isfinite(saved_at) else 0.0,
        )
    except (OSError, ValueError, KeyError, TypeError, OverflowError, AttributeError):
        # A missing or damaged file only means "start at the beginning".
        return None
    return place


def _index(value: object) -> int:
    """A whole number from the file, or ValueError (``Infinity``, 1e400, "x", -1)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(value)
    number = int(value)
    if number < 0 or number != value:
        raise ValueError(value)
    return number


_told: set[str] = set()


def save_place(key: str, place: Place) -> Path | None:
    """Keep ``place`` for ``key``; returns the file written, or None when the place
    cannot be kept (said once per reason on standard error)."""
    data = {
        "key": key,
        "sentence": place.sentence,
        "block": place.block,
        "rate": place.rate,
        "bookmark": place.bookmark,
        "saved_at": place.saved_at or time.time(),
    }
    return _write(_path(key), data)


def _write(path: Path, data: dict) -> Path | None:
    """``data`` as JSON in ``path``, all or nothing; None (said once) when it cannot be."""
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.parent.stat().st_mode & 0o077:
            path.parent.chmod(0o700)  # made by an older reader, readable by others
        fd, tmp = tempfile.mkstemp(prefix=".place-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data))
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        reason = e.strerror or type(e).__name__
        if reason not in _told:
            _told.add(reason)
            sys.stderr.write(
                for_terminal(
                    f"Cannot save your place in {path.parent} ({reason}); reading goes on, "
                    "but next time it starts from the beginning."
                )
                + "\n"
            )
        return None
    return path


def forget_place(key: str) -> None:
    """Drop the saved place for ``key`` (the article was heard to the end)."""
    try:
        _path(key).unlink()
    except FileNotFoundError:
        pass


#: Finished articles a queue remembers (the most recent): a daily feed's old entries
#: fall off instead of growing the file for ever.
QUEUE_MEMORY = 1000


@dataclass(frozen=True)
class QueueState:
    """Where a listener is in a queue of articles (``reader.listen.queue``)."""

    finished: tuple[str, ...] = ()
    """The articles heard to the end (their ``Item.ref``), oldest first."""
    current: str | None = None
    """The article being read when the listener stopped."""


def _queue_path(key: str) -> Path:
    return _path("queue\n" + key)


def load_queue(key: str) -> QueueState:
    """The saved state of the queue named ``key``; empty when none or unreadable."""
    try:
        data = json.loads(_queue_path(key).read_text(encoding="utf-8"))
        finished = tuple(str(x) for x in data["finished"])[-QUEUE_MEMORY:]
        current = data.get("current")
        return QueueState(finished, current if isinstance(current, str) else None)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return QueueState()


def save_queue(key: str, state: QueueState) -> Path | None:
    """Keep ``state`` for the queue named ``key`` (as ``save_place`` keeps a place)."""
    data = {"key": key, "finished": list(state.finished[-QUEUE_MEMORY:]),
            "current": state.current, "saved_at": time.time()}
    return _write(_queue_path(key), data)
