"""reader: an accessibility-first text-to-speech article reader.

The library, in the order data flows through it::

    load(source) -> parse(text, url) -> Article -> segment(article) -> [Sentence]
"""

from __future__ import annotations

from reader.errors import (
    AudioError,
    DaisyError,
    EngineError,
    ExportError,
    FetchError,
    ParseError,
    ReaderError,
    SourceError,
    VoiceError,
)
from reader.model import Article, Audio, Block, Sentence
from reader.parse import parse
from reader.segment import segment_article, split_sentences
from reader.sources import Source, load

__all__ = [
    "Article",
    "Audio",
    "AudioError",
    "Block",
    "DaisyError",
    "EngineError",
    "ExportError",
    "FetchError",
    "ParseError",
    "ReaderError",
    "Sentence",
    "Source",
    "SourceError",
    "VoiceError",
    "load",
    "parse",
    "parse_source",
    "segment_article",
    "split_sentences",
]


def parse_source(source: str) -> Article:
    """Load ``source`` (path, ``-`` or URL) and parse it into an ``Article``."""
    loaded = load(source)
    return parse(loaded.text, url=loaded.url, media_type=loaded.media_type)
