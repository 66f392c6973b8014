"""A voice profile's ``[spoken]`` table: its lexicons and whether skips are announced.

    [spoken]
    lexicons = ["names.toml", "places.pls"]   # paths relative to the profile's file
    announce_skipped = true                    # "2 citations skipped", once a paragraph

Kept apart from ``reader.speech.profiles`` so the profile only holds these settings; the lexicon
files are read (and checked) when the profile loads, so a broken one is reported before
anything is spoken.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reader.errors import VoiceError

_KEYS = {"lexicons", "announce_skipped"}
LEXICON_SUFFIXES = (".toml", ".pls")


@dataclass(frozen=True)
class SpokenSettings:
    """How sentences are turned into the words spoken (``reader.spoken``)."""

    lexicons: tuple[str, ...] = ()
    """Lexicon files in the order they apply: the profile's, the user's config folder's,
    then ``--lexicon`` files; where two entries match the same text the later file wins."""
    announce_skipped: bool = False
    """Say how many citation marks were left out, once at the end of each paragraph."""

    def with_lexicons(self, paths: Any) -> SpokenSettings:
        """These settings with ``paths`` applied after the lexicons already set; each
        file is read and checked now (``LexiconError``)."""
        from reader.spoken.lexicon import load_lexicon

        paths = tuple(str(Path(p).expanduser()) for p in paths)
        for p in paths:
            load_lexicon(p)
        return replace(self, lexicons=self.lexicons + paths)


def user_lexicons(folder: Path) -> list[str]:
    """The ``.toml`` and ``.pls`` files in ``folder`` (the user's config), by name."""
    if not folder.is_dir():
        return []
    return sorted(str(p) for p in folder.iterdir() if p.suffix.lower() in LEXICON_SUFFIXES)


def spoken_settings(data: Any, source: str, user_folder: Path | None) -> SpokenSettings:
    """Check a profile's ``[spoken]`` table; errors name ``source`` and the key."""
    if not isinstance(data, dict):
        raise VoiceError(f"{source}: spoken: must be a table.")
    for k in data:
        if k not in _KEYS:
            raise VoiceError(
                f"{source}: spoken.{k}: unknown key (allowed: {', '.join(sorted(_KEYS))})."
            )
    announce = data.get("announce_skipped", False)
    if not isinstance(announce, bool):
        raise VoiceError(f"{source}: spoken.announce_skipped: must be true or false.")
    names = data.get("lexicons", [])
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise VoiceError(f"{source}: spoken.lexicons: must be a list of file paths.")
    here = Path(source).parent if Path(source).is_file() else None
    paths = [
        str(p if p.is_absolute() or here is None else here / p)
        for p in (Path(n).expanduser() for n in names)
    ]
    if user_folder is not None:
        paths += user_lexicons(user_folder)
    return SpokenSettings(announce_skipped=announce).with_lexicons(paths)
