"""The per-language tables of ``reader.spoken``: ``reader/data/spoken-LANG.toml``.

A language is known when its table exists; ``table_for("en-GB")`` falls back to the
primary subtag (``en``). Tables are read once per process.
"""

from __future__ import annotations

import functools
import tomllib
from importlib.resources import files
from typing import Any

DEFAULT_LANGUAGE = "en"


def languages() -> list[str]:
    """Language codes with a table, sorted."""
    return sorted(
        p.name[len("spoken-") : -len(".toml")]
        for p in files("reader").joinpath("data").iterdir()
        if p.name.startswith("spoken-") and p.name.endswith(".toml")
    )


def language_of(tag: str | None) -> str | None:
    """The table's code for a BCP 47 tag (``en-US`` -> ``en``); ``None`` gives the
    default language; a language without a table gives ``None``."""
    if not tag:
        return DEFAULT_LANGUAGE
    primary = tag.replace("_", "-").split("-")[0].lower()
    return primary if primary in languages() else None


@functools.cache
def table_for(language: str) -> dict[str, Any]:
    """The table of ``language`` (a code from ``languages()``)."""
    path = files("reader").joinpath("data", f"spoken-{language}.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))
