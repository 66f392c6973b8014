"""reader: an accessibility-first text-to-speech article reader.

The library, in the order data flows through it::

    load(source) -> parse(text, url) -> Article -> segment_article(article) -> [Sentence]
      (all three at once: reader.pipeline.prepare(source) -> Prepared)
      -> spoken_text(sentence) -> load_profile(name) + Renderer / render_all -> Audio
      -> listen(source) (keys and a sound device) | export_source(source, path)

The speaking and exporting names load numpy and the audio libraries, so they are
imported on first use: parsing and segmenting stay quick to start.
"""

from __future__ import annotations

from reader.errors import (
    AudioError,
    DaisyError,
    EngineError,
    ExportError,
    FetchError,
    LexiconError,
    ParseError,
    PreferencesError,
    ReaderError,
    SourceError,
    TerminalError,
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
    "ExportOptions",
    "DaisyError",
    "EngineError",
    "ExportError",
    "FetchError",
    "LexiconError",
    "ParseError",
    "PreferencesError",
    "ReaderError",
    "Renderer",
    "Sentence",
    "Source",
    "SourceError",
    "TerminalError",
    "VoiceError",
    "export_source",
    "listen",
    "load",
    "load_profile",
    "parse",
    "parse_source",
    "render_all",
    "segment_article",
    "split_sentences",
    "spoken_text",
    "validate_daisy",
]

#: Names imported on first use, and the module each comes from.
_LAZY = {
    "ExportOptions": "reader.export",
    "export_source": "reader.export",
    "listen": "reader.listen",
    "load_profile": "reader.speech.profiles",
    "Renderer": "reader.speech.render",
    "render_all": "reader.speech.render",
    "spoken_text": "reader.spoken",
    "validate_daisy": "reader.daisy.validate",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'reader' has no attribute {name!r}")


def parse_source(source: str, whole_page: bool = False) -> Article:
    """Load ``source`` (path, ``-`` or URL) and parse it into an ``Article``; with
    ``whole_page``, all of a web page's visible text."""
    from reader.pipeline import load_article

    return load_article(source, whole_page=whole_page)[1]
