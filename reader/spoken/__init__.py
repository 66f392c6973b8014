"""The words actually said for a sentence: numbers, money, dates, units, abbreviations,
symbols and links as a person reads them, and pronunciation lexicons.

    sentence text -> Speaker -> Spoken(text, spans, skipped) -> the engine

A ``Speaker`` applies, in one left-to-right pass over the sentence: the lexicons (the
language's shipped one, then a profile's, the user's and ``--lexicon`` files, a later
file's entry winning where two match the same text), then the language's rules
(``reader.spoken.rules`` over ``reader/data/spoken-LANG.toml``) on the text no lexicon
entry took. What espeak-ng already reads right is left as written. ``Spoken.spans``
maps each piece of the spoken text back to the sentence's characters, so timing files,
DAISY text, find and the event log keep pointing at the original text.

``reader.speech.render.speech_text`` is the one caller on the speaking paths (player, export,
DAISY); ``spoken_text`` is the library's way to see what will be said.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING

from reader.spoken.lexicon import Lexicon, load_lexicons
from reader.spoken.table import DEFAULT_LANGUAGE, language_of, languages, table_for

if TYPE_CHECKING:
    from reader.model import Article, Sentence
    from reader.spoken.rules import Rules
    from reader.spoken.settings import SpokenSettings

__all__ = ["Speaker", "Spoken", "languages", "speaker", "spoken_text", "sentence_words"]


@dataclass(frozen=True)
class Spoken:
    """What is said for one text, and where each piece of it came from."""

    text: str
    """The words to say."""
    spans: tuple[tuple[int, int, int, int], ...]
    """``(said_start, said_end, text_start, text_end)`` for every piece, in order and
    covering both strings: unchanged pieces have equal lengths, rewritten ones not."""
    skipped: int = 0
    """Citation and footnote marks left out."""

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The characters of the original text that said ``text[start:end]`` came from."""
        a = b = None
        for ss, se, ts, te in self.spans:
            if a is None and start < se:
                a = ts + (start - ss if se - ss == te - ts else 0)
            if end <= se:
                b = ts + (end - ss if se - ss == te - ts else te - ts)
                break
        last = self.spans[-1][3] if self.spans else 0
        return (last if a is None else a), (last if b is None else b)


_JOINED = ("[[", "]]")


def assemble(text: str, edits: list[tuple[int, int, str]], skipped: int = 0) -> Spoken:
    """Apply sorted, non-overlapping ``(start, end, words)`` edits to ``text``."""
    if not edits:
        return Spoken(text, ((0, len(text), 0, len(text)),) if text else (), skipped)
    out: list[str] = []
    spans = []
    n = pos = 0
    for a, b, words in edits:
        if a > pos:
            out.append(text[pos:a])
            spans.append((n, n + a - pos, pos, a))
            n += a - pos
        # A symbol said as a word needs spaces (Disney+ -> Disney plus); a word part
        # replaced by a word part does not (watercolours -> watercolors).
        if words and a < b and not text[a].isalnum() and words[0].isalnum():
            if out and out[-1] and out[-1][-1].isalnum():
                words = " " + words
        if words and a < b and not text[b - 1].isalnum() and words[-1].isalnum():
            if b < len(text) and text[b].isalnum():
                words += " "
        # A mark left out between two brackets must not join them into "[[" or "]]",
        # which espeak-ng takes for phoneme input: a space stands where the mark was.
        if not words and a < b and out and out[-1] and (out[-1][-1] + text[b : b + 1]) in _JOINED:
            words = " "
        out.append(words)
        spans.append((n, n + len(words), a, b))
        n += len(words)
        pos = b
    if pos < len(text):
        out.append(text[pos:])
        spans.append((n, n + len(text) - pos, pos, len(text)))
    return Spoken("".join(out), tuple(spans), skipped)


class Speaker:
    """Turns text into the words said, for one language and one set of lexicons."""

    def __init__(self, rules: Rules | None, lexicon: Lexicon) -> None:
        self.rules = rules
        self.lexicon = lexicon

    def __call__(self, text: str) -> Spoken:
        edits = self.lexicon.edits(text)[0] if self.lexicon else []
        if self.rules is None:
            return assemble(text, edits)
        more, cites = self.rules.edits(text, [(a, b) for a, b, _ in edits])
        return assemble(text, sorted(edits + more) if more else edits, cites)

    def skipped_words(self, n: int) -> str:
        """How a paragraph's ``n`` skipped marks are announced ("2 citations skipped")."""
        table = self.rules.t if self.rules is not None else table_for(DEFAULT_LANGUAGE)
        one, many = table["skipped"]
        return (one if n == 1 else many).format(n=n)


@functools.cache
def _rules(language: str) -> Rules:
    from reader.spoken.rules import Rules

    return Rules(table_for(language))


@functools.cache
def _shipped_lexicon(language: str) -> Lexicon:
    path = files("reader").joinpath("data", f"lexicon-{language}.toml")
    return load_lexicons([str(path)]) if path.is_file() else Lexicon()


@functools.lru_cache(maxsize=32)
def speaker(language: str | None = None, lexicons: tuple[str, ...] = ()) -> Speaker:
    """The ``Speaker`` for a BCP 47 ``language`` (``None``: English) and lexicon files
    (applied in order). A language without a table gets the lexicons alone."""
    code = language_of(language)
    base = _shipped_lexicon(code) if code else Lexicon()
    return Speaker(_rules(code) if code else None, base.then(load_lexicons(lexicons)))


def spoken_text(text: str, language: str | None = None, lexicons: tuple[str, ...] = ()) -> str:
    """What reader says for ``text`` (one sentence or a running text), e.g.
    ``spoken_text("$5.2bn")`` is ``"5.2 billion dollars"`` (digits are left for the
    engine where it reads them right)."""
    return speaker(language, tuple(lexicons))(text).text


def sentence_words(article: Article, sentence: Sentence, settings: SpokenSettings) -> str:
    """What is said for ``sentence`` of ``article`` with a profile's ``settings``: its
    spoken text (a table's row with its column headers, ``reader.structure.row_words``),
    and at the end of a paragraph with skipped citations (when the profile asks) how
    many there were."""
    from reader.structure import row_words

    say = speaker(article.language_of(sentence.block), settings.lexicons)
    block = article.blocks[sentence.block]
    said = say(row_words(block, sentence) if block.kind == "table" else sentence.text).text
    if settings.announce_skipped:
        text = block.text
        if not text[sentence.end :].strip():
            n = say(text).skipped
            if n:
                said = f"{said} {say.skipped_words(n)}."
    return said
