"""Resume positions: where a listener stopped in each article, kept between runs.

One small JSON file per article in ``platformdirs.user_state_dir("reader")/places``
(``$XDG_STATE_HOME/reader`` on Linux), named by a hash of the article's key
(``Source.key``: its URL, or a hash of its content). Writes go to a temporary file and
are renamed into place, so a crash or a signal mid-write never leaves a broken file.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs


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
        return Place(
            sentence=int(data["sentence"]),
            block=int(data["block"]),
            rate=None if data.get("rate") is None else int(data["rate"]),
            bookmark=None if data.get("bookmark") is None else int(data["bookmark"]),
            saved_at=float(data.get("saved_at", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        # A missing or damaged file only means "start at the beginning".
        return None


def save_place(key: str, place: Place) -> Path:
    """Keep ``place`` for ``key``; returns the file written."""
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "key": key,
        "sentence": place.sentence,
        "block": place.block,
        "rate": place.rate,
        "bookmark": place.bookmark,
        "saved_at": place.saved_at or time.time(),
    }
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)
    return path


def forget_place(key: str) -> None:
    """Drop the saved place for ``key`` (the article was heard to the end)."""
    try:
        _path(key).unlink()
    except FileNotFoundError:
        pass
