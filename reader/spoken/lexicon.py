"""Pronunciation lexicons: what a word is said as, from TOML files or W3C PLS 1.0 files.

A TOML lexicon is a list of entries::

    [[entry]]
    match = "ECOWAS"            # the text to find
    say = "ee-koh-wahss"        # words to say instead; or
    # phonemes = "i:k'oUw,As"   # espeak-ng phonemes (said as [[...]]); or
    # skip = true               # say nothing
    regex = false               # match is a regular expression (default false)
    whole_word = true           # only where no letter or digit touches it (default true)
    case_sensitive = false      # (default false)

A PLS file (``.pls``) gives ``<lexeme>``s of ``<grapheme>``s with an ``<alias>`` (words)
or a ``<phoneme>`` (IPA, turned into espeak-ng phonemes by ``reader.spoken.ipa``); its
entries are whole-word, case-sensitive literals, as PLS defines them.

Every file is checked when it loads: an unknown key, a broken regular expression, one
that could take exponential time (a repeat inside a repeat, an alternation or a
backreference inside a repeat), or a PLS file that is not XML or declares a DTD or an
entity raises ``LexiconError`` naming the file and the entry. Python's ``re`` cannot be
stopped mid-match, so patterns that could backtrack without bound are refused at load
time instead; what is left runs in time polynomial in the sentence's length.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.errors import LexiconError

_ENTRY_KEYS = {"match", "regex", "say", "phonemes", "skip", "whole_word", "case_sensitive"}
_TOP_KEYS = {"entry", "description", "language"}
MAX_PATTERN = 500
"""Longest pattern a lexicon entry may have, in characters."""


@dataclass(frozen=True)
class Entry:
    """One lexicon entry, compiled."""

    pattern: re.Pattern[str]
    words: str
    """What is said instead ("" to skip); phonemes already wrapped as ``[[...]]``."""
    key: str | None
    """For a literal: its lower-case text, a cheap test before the regex runs."""
    where: str
    """``file: entry N (match)``, for messages."""


@dataclass(frozen=True)
class Lexicon:
    """Entries in priority order: where two match the same text, the earlier wins."""

    entries: tuple[Entry, ...] = ()
    sources: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def then(self, other: Lexicon) -> Lexicon:
        """This lexicon applied first, ``other`` after it: ``other``'s entries win."""
        return Lexicon(other.entries + self.entries, self.sources + other.sources)

    def edits(self, text: str) -> tuple[list[tuple[int, int, str]], int]:
        """Non-overlapping ``(start, end, words)`` edits, sorted; and how many skip."""
        if not self.entries:
            return [], 0
        lowered = text.lower().replace("’", "'")
        taken: list[tuple[int, int, str]] = []
        for entry in self.entries:
            if entry.key is not None and entry.key not in lowered:
                continue
            for m in entry.pattern.finditer(text):
                a, b = m.span()
                if a == b:
                    continue
                if all(b <= x or a >= y for x, y, _ in taken):
                    taken.append((a, b, entry.words))
        taken.sort()
        return taken, sum(1 for *_, w in taken if w == "")


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and check one lexicon file (``.toml`` or ``.pls``)."""
    path = Path(path).expanduser()
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LexiconError(f"lexicon {source}: cannot read it ({e.strerror}).") from None
    if path.suffix.lower() in (".pls", ".xml"):
        return Lexicon(tuple(_pls_entries(data, source)), (source,))
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise LexiconError(f"lexicon {source}: not valid TOML ({e}).") from None
    return Lexicon(tuple(_toml_entries(table, source)), (source,))


def load_lexicons(paths: Any) -> Lexicon:
    """The lexicons of ``paths`` applied in order (a later file's entries win)."""
    lexicon = Lexicon()
    for p in paths:
        lexicon = lexicon.then(load_lexicon(p))
    return lexicon


# -- TOML ----------------------------------------------------------------------------------


def _toml_entries(table: dict[str, Any], source: str) -> list[Entry]:
    for k in table:
        if k not in _TOP_KEYS:
            raise LexiconError(
                f"lexicon {source}: unknown key {k!r} (allowed: {', '.join(sorted(_TOP_KEYS))})."
            )
    items = table.get("entry", [])
    if not isinstance(items, list):
        raise LexiconError(f"lexicon {source}: 'entry' must be a list of [[entry]] tables.")
    out = []
    for n, item in enumerate(items, 1):
        where = f"lexicon {source}: entry {n}"
        if not isinstance(item, dict):
            raise LexiconError(f"{where}: must be a table.")
        if isinstance(item.get("match"), str):
            where += f" ({item['match']!r})"
        for k in item:
            if k not in _ENTRY_KEYS:
                raise LexiconError(
                    f"{where}: unknown key {k!r} (allowed: {', '.join(sorted(_ENTRY_KEYS))})."
                )
        match = item.get("match")
        if not isinstance(match, str) or not match.strip():
            raise LexiconError(f"{where}: 'match' must be non-empty text.")
        flags = {k: item.get(k, d) for k, d in (("regex", False), ("whole_word", True),
                                                ("case_sensitive", False))}  # fmt: skip
        for k, v in flags.items():
            if not isinstance(v, bool):
                raise LexiconError(f"{where}: {k!r} must be true or false.")
        actions = [k for k in ("say", "phonemes", "skip") if k in item]
        if len(actions) != 1:
            raise LexiconError(f"{where}: give exactly one of 'say', 'phonemes' or 'skip'.")
        words = _words(item, actions[0], where)
        out.append(_entry(match, words, where, **flags))
    return out


def _words(item: dict[str, Any], action: str, where: str) -> str:
    value = item[action]
    if action == "skip":
        if value is not True:
            raise LexiconError(f"{where}: 'skip' must be true.")
        return ""
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(f"{where}: {action!r} must be non-empty text.")
    if action == "phonemes":
        return phoneme_words(value, where)
    if "[[" in value or "]]" in value:
        raise LexiconError(f"{where}: 'say' holds [[ or ]]; give phonemes with 'phonemes'.")
    return value.strip()


def phoneme_words(phonemes: str, where: str) -> str:
    """espeak-ng phonemes as the engine's phoneme input, ``[[...]]``."""
    p = phonemes.strip()
    if "[[" in p or "]]" in p or "\n" in p:
        raise LexiconError(f"{where}: phonemes must not hold [[, ]] or a line break.")
    return f"[[{p}]]"


def _entry(
    match: str, words: str, where: str, *, regex: bool, whole_word: bool, case_sensitive: bool
) -> Entry:
    if len(match) > MAX_PATTERN:
        raise LexiconError(f"{where}: the pattern is longer than {MAX_PATTERN} characters.")
    if regex:
        body = match
        _check_regex(body, where)
        key = None
    else:
        body = "".join("['’]" if c in "'’" else re.escape(c) for c in match)
        key = match.lower().replace("’", "'")
    if whole_word:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    try:
        pattern = re.compile(body, 0 if case_sensitive else re.IGNORECASE)
    except re.error as e:
        raise LexiconError(f"{where}: not a valid regular expression ({e}).") from None
    return Entry(pattern, words, key, where)


def _check_regex(pattern: str, where: str) -> None:
    """Refuse patterns that could backtrack exponentially (see the module's docstring)."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern)
    except re.error as e:
        raise LexiconError(f"{where}: not a valid regular expression ({e}).") from None
    repeats = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}

    def walk(items: Any, inside: bool) -> None:
        for op, av in items:
            name = str(op)
            if name in repeats:
                lo, hi, sub = av
                if inside and hi != 0:
                    raise LexiconError(
                        f"{where}: a repeat inside a repeat, e.g. (a+)+, can take "
                        "exponential time; write it without nesting."
                    )
                walk(sub, inside or hi > 1)
            elif name == "BRANCH":
                if inside:
                    raise LexiconError(
                        f"{where}: an alternation inside a repeat, e.g. (a|ab)*, can take "
                        "exponential time; write it without one."
                    )
                for alt in av[1]:
                    walk(alt, inside)
            elif name in ("GROUPREF", "GROUPREF_EXISTS"):
                raise LexiconError(f"{where}: backreferences are not allowed.")
            elif name == "SUBPATTERN":
                walk(av[-1], inside)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1], inside)
            elif name == "ATOMIC_GROUP":
                walk(av, inside)

    walk(tree, False)


# -- PLS -----------------------------------------------------------------------------------

_PLS = "{http://www.w3.org/2005/01/pronunciation-lexicon}"


def _pls_entries(data: bytes, source: str) -> list[Entry]:
    import xml.etree.ElementTree as ET

    from reader.spoken.ipa import ipa_to_espeak

    def refuse(*args: Any) -> Any:
        raise LexiconError(
            f"lexicon {source}: declares a DTD or an entity; reader reads PLS files without "
            "them (they could fetch files or expand without bound)."
        )

    # First a pass with expat that stops at any DTD or entity declaration, then the tree.
    from xml.parsers import expat

    check = expat.ParserCreate()
    check.StartDoctypeDeclHandler = refuse
    check.EntityDeclHandler = refuse
    check.UnparsedEntityDeclHandler = refuse
    check.ExternalEntityRefHandler = refuse
    try:
        check.Parse(data, True)
        root = ET.fromstring(data)
    except (expat.ExpatError, ET.ParseError) as e:
        raise LexiconError(f"lexicon {source}: not well-formed XML ({e}).") from None
    if root.tag not in (f"{_PLS}lexicon", "lexicon"):
        raise LexiconError(f"lexicon {source}: not a PLS lexicon (its root is <{root.tag}>).")
    ns = _PLS if root.tag.startswith("{") else ""
    alphabet = root.get("alphabet", "ipa")
    out = []
    for n, lexeme in enumerate(root.iter(f"{ns}lexeme"), 1):
        graphemes = [
            g.text.strip() for g in lexeme.iter(f"{ns}grapheme") if g.text and g.text.strip()
        ]
        where = f"lexicon {source}: lexeme {n}" + (f" ({graphemes[0]!r})" if graphemes else "")
        if not graphemes:
            raise LexiconError(f"{where}: has no <grapheme>.")
        alias = lexeme.find(f"{ns}alias")
        phoneme = lexeme.find(f"{ns}phoneme")
        if alias is not None and alias.text and alias.text.strip():
            words = alias.text.strip()
        elif phoneme is not None and phoneme.text and phoneme.text.strip():
            kind = phoneme.get("alphabet", alphabet)
            if kind.lower() == "ipa":
                words = phoneme_words(ipa_to_espeak(phoneme.text.strip(), where), where)
            elif kind.lower() in ("x-espeak", "espeak"):
                words = phoneme_words(phoneme.text, where)
            else:
                raise LexiconError(f"{where}: unknown phoneme alphabet {kind!r} (use ipa).")
        else:
            raise LexiconError(f"{where}: has neither an <alias> nor a <phoneme>.")
        for g in graphemes:
            out.append(_entry(g, words, where, regex=False, whole_word=True, case_sensitive=True))
    return out
