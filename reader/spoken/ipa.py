"""IPA transcriptions (PLS lexicons) as espeak-ng phoneme mnemonics, for ``[[...]]`` input.

The table is data: ``reader/data/ipa-espeak.toml``. A symbol it lacks raises
``LexiconError`` naming the entry, so a transcription is never said half right.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from importlib.resources import files

from reader.errors import LexiconError

_VOWELS = set("aeiouAEIOUVY03@W")


@functools.cache
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    text = files("reader").joinpath("data", "ipa-espeak.toml").read_text(encoding="utf-8")
    symbols = tomllib.loads(text)["symbols"]
    keys = sorted(symbols, key=len, reverse=True)
    return symbols, re.compile("|".join(re.escape(k) for k in keys))


def ipa_to_espeak(ipa: str, where: str) -> str:
    """``ipa`` (e.g. ``iːˈkoʊwɑːs``) as espeak-ng mnemonics (``i:'koUwA:s``)."""
    symbols, pattern = _table()
    text = unicodedata.normalize("NFC", ipa.strip().strip("/[]"))
    out: list[str] = []
    stress = ""  # IPA marks stress before a syllable, espeak-ng before its vowel
    pos = 0
    while pos < len(text):
        m = pattern.match(text, pos)
        if m is None:
            raise LexiconError(
                f"{where}: the IPA symbol {text[pos]!r} (U+{ord(text[pos]):04X}) has no "
                "espeak-ng phoneme in reader's table."
            )
        said = symbols[m.group()]
        pos = m.end()
        if said in ("'", ","):
            stress = said
            continue
        if stress and said[:1] in _VOWELS:
            out.append(stress)
            stress = ""
        out.append(said)
    return "".join(out) + stress
