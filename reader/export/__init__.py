"""Audio files with chapters and sentence timing, one at a time or in batches.

    Rendering (timeline.py)  speech + pauses as a PCM stream, then a Timeline of
                             sentence cues and block chapters, in sample counts
    encoders.py, m4b.py      sinks that encode as audio arrives: WAV, MP3, FLAC, OGG, M4B
    tags.py                  ID3 (CHAP + CTOC) and Vorbis comments
    timing.py                SRT, WebVTT, LRC and JSON timing files
    safefile.py              temporary files renamed only when everything is complete
    exporter.py              ``export_article``: the pieces above, for one article
    batch.py                 many sources into a folder on several processes

``reader.daisy`` reuses ``Rendering`` (one render, one timeline) and ``output_set``;
see ``reader.export.timeline``.
"""

from __future__ import annotations

from reader.export.encoders import FORMATS
from reader.export.exporter import (
    ExportOptions,
    ExportResult,
    export_article,
    export_source,
)
from reader.export.timeline import Chapter, Cue, Rendering, Timeline
from reader.export.timing import TIMING_FORMATS

__all__ = [
    "FORMATS",
    "TIMING_FORMATS",
    "Chapter",
    "Cue",
    "ExportOptions",
    "ExportResult",
    "Rendering",
    "Timeline",
    "export_article",
    "export_source",
]
