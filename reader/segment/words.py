"""The word lists of the sentence splitter: English from ``reader/data/abbreviations.txt``,
other languages from ``reader/data/segment-languages.toml``; each read once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "abbreviations.txt"
LANGUAGES_FILE = DATA_FILE.with_name("segment-languages.toml")

SECTIONS = tuple(
    "title number month time unit after inner other timezone starter preposition speech"
    " continues state".split()
)


@dataclass(frozen=True)
class Words:
    """Lower-case words without their final period, one set per kind."""

    title: frozenset[str]
    """Before a name: "Mr.", "Gen.", "St."."""
    number: frozenset[str]
    """Before a number: "No. 5", "p. 55"."""
    month: frozenset[str]
    time: frozenset[str]
    """After a number: "a.m", "p.m", "b.c"."""
    unit: frozenset[str]
    """Units after a number: "lb", "in", "ft"."""
    after: frozenset[str]
    """After a name or a phrase: "Jr.", "Inc.", "Ph.D."."""
    inner: frozenset[str]
    """Inside a sentence: "e.g.", "vs."."""
    other: frozenset[str]
    """Multi-period names such as "U.S."; NLTK Punkt's abbreviations join these."""
    timezone: frozenset[str]
    starter: frozenset[str]
    """Function words that begin sentences; NLTK Punkt's sentence starters join these."""
    preposition: frozenset[str]
    """Words that open an introductory phrase: "At 5 a.m. Mr. Smith left."."""
    speech: frozenset[str]
    """Verbs of saying: '"Why?" John asked.' is one sentence."""
    continues: frozenset[str]
    """Words no sentence ends with: a line ending in one was wrapped."""
    state: frozenset[str]
    """U.S. state abbreviations ("Calif."), which count only when capitalised."""
    ordinal: bool = False
    """A number followed by a period is an ordinal ("am 3. Oktober"), not an end,
    unless a sentence starter follows."""
    quotes: tuple[str, ...] = field(default=())
    """Quotation mark pairs of the language (opening then closing: "„“", "«»")."""
    spaced: bool = False
    """Closing marks may follow a space, as in French ("Bonjour ! »")."""
    terms: str = ""
    """Marks that end a sentence before white space besides . ! ? … (Armenian ":")."""


def parse(text: str) -> dict[str, set[str]]:
    """``[section]`` headers, then words separated by white space; ``#`` starts a comment."""
    out: dict[str, set[str]] = {}
    section = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            out.setdefault(section, set())
        elif section is not None:
            out[section].update(w.lower().rstrip(".") for w in line.split())
    return out


@lru_cache(maxsize=1)
def load() -> Words:
    """The English word lists."""
    sections = parse(DATA_FILE.read_text(encoding="utf-8"))
    lists = {name: frozenset(sections.get(name, ())) for name in SECTIONS}
    return Words(**lists)  # type: ignore[arg-type]  # the word-list fields only


@lru_cache(maxsize=1)
def _languages() -> dict[str, dict]:
    with LANGUAGES_FILE.open("rb") as f:
        return tomllib.load(f)


def known_languages() -> frozenset[str]:
    """Languages with word lists of their own (English among them)."""
    return frozenset(_languages()) | {"en"}


@lru_cache(maxsize=64)
def load_language(code: str) -> Words:
    """The word lists of language ``code`` (an ISO 639-1 code); a language without an
    entry gets the defaults (no abbreviations, no ordinals, every quotation pair)."""
    if code == "en":
        return load()
    data = {**_languages().get("default", {}), **_languages().get(code, {})}
    sections = {
        name: frozenset(w.lower().rstrip(".") for w in str(data.get(name, "")).split())
        for name in SECTIONS
    }
    return Words(
        **sections,  # type: ignore[arg-type]  # only the word-list fields
        ordinal=bool(data.get("ordinal", False)),
        quotes=tuple(data.get("quotes", ())),
        spaced=bool(data.get("spaced", False)),
        terms=str(data.get("terms", "")),
    )
