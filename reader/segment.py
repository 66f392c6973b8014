"""Blocks -> sentences and speech chunks (initial version, being replaced by NLTK Punkt)."""

from __future__ import annotations

import re

from reader.model import Article, Sentence

DEFAULT_CHUNK_LIMIT = 250
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences."""
    return [s for s in (p.strip() for p in _BOUNDARY.split(text)) if s]


def segment_article(article: Article, chunk_limit: int = DEFAULT_CHUNK_LIMIT) -> list[Sentence]:
    """Every block's sentences, in reading order, with offsets into their block."""
    out: list[Sentence] = []
    for b, block in enumerate(article.blocks):
        pos = 0
        for i, s in enumerate(split_sentences(block.text)):
            start = block.text.index(s, pos)
            pos = start + len(s)
            out.append(Sentence(b, i, start, pos, s, (s,)))
    return out
