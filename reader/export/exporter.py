"""Export one article: render, encode as it arrives, then chapters, tags and a timing file.

``export_article`` is the library call behind ``reader export``. Everything it writes
goes through ``safefile.output_set``: temporary files in the target folder, renamed
only when all of them are complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import ExportError
from reader.export.encoders import Sink, format_for, open_sink
from reader.export.safefile import check_not_source, output_set
from reader.export.tags import tags_for
from reader.export.timeline import Rendering, Timeline
from reader.export.timing import TIMING_FORMATS, render_timing
from reader.model import Article, Sentence

if TYPE_CHECKING:
    from reader.pipeline import Prepared

#: Called as ``progress(done, total)`` after each rendered sentence.
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportOptions:
    """How to export; picklable so batch workers can receive it."""

    format: str | None = None
    """One of ``encoders.FORMATS``; ``None`` takes it from the output file's extension."""
    timing: str | None = None
    """One of ``timing.TIMING_FORMATS``: also write a timing file next to the audio."""
    voice: str | None = None
    """A voice profile's name or a path to its ``.toml`` file; ``None`` for the default."""
    engine: str | None = None
    """Override the profile's engine (e.g. ``silent``)."""
    rate: int | None = None
    """Override the profile's rate, in words per minute."""
    force: bool = False
    """Replace existing files."""
    jobs: int | None = None
    """Rendering processes; ``None`` for one per core."""
    lexicons: tuple[str, ...] = ()
    """Pronunciation lexicon files applied after the profile's and the user's."""
    whole_page: bool = False
    """Export all of a web page's visible text, not just the article found in it."""
    language: str | None = None
    """Read every block in this language (``--lang``), whatever the page says."""

    def profile(self):
        """The voice profile these options describe."""
        from reader.speech.profiles import profile_for

        return profile_for(self.voice, self.engine, self.rate, self.lexicons)


@dataclass(frozen=True)
class ExportResult:
    """What was written."""

    path: Path
    format: str
    duration: float
    """Seconds of audio."""
    timeline: Timeline
    """Sentence cues and chapters, as in the file (shifted by the format's decoder delay)."""
    timing_path: Path | None = None
    warning: str | None = None
    """Why the text may not be the article (``reader.parse.confidence.doubt``), or None."""


def timing_path_for(path: Path, timing: str) -> Path:
    """``story.mp3`` -> ``story.srt`` (``story.json`` for JSON)."""
    return path.with_suffix(f".{timing}")


def export_article(
    article: Article,
    path: str | os.PathLike,
    options: ExportOptions = ExportOptions(),
    *,
    source: str | None = None,
    progress: ProgressFn | None = None,
    sentences: list[Sentence] | None = None,
) -> ExportResult:
    """Write ``article`` as audio to ``path``; ``source`` names where it came from (tags).

    Raises ``ExportError`` (bad format, existing file, unwritable folder, full disk),
    ``EngineError`` or ``VoiceError``; on any failure or Ctrl-C no file is left behind.
    """
    from reader.segment import segment_article

    path = Path(path)
    fmt = format_for(path, options.format)
    if options.timing and options.timing not in TIMING_FORMATS:
        raise ExportError(
            f"unknown timing format {options.timing!r}.",
            f"Use one of: {', '.join(TIMING_FORMATS)}.",
        )
    profile = options.profile()
    if sentences is None:
        sentences = segment_article(article)
    if not sentences:
        raise ExportError("the article has no sentences to speak.")
    tags = tags_for(article, source)
    with output_set(options.force) as outs:
        tmp = outs.add(path)
        timing_path = timing_path_for(path, options.timing) if options.timing else None
        if timing_path == path:
            raise ExportError(
                f"the timing file would replace the audio file {path}.",
                "Give the audio file its format's extension.",
            )
        for target in (path, timing_path):
            if target is not None:
                check_not_source(target, source)
        tmp_timing = outs.add(timing_path) if timing_path else None
        rendering = Rendering(article, sentences, profile, jobs=options.jobs)
        sink: Sink | None = None
        try:
            for pcm in rendering:
                if sink is None:  # the rate is known once the first sentence is rendered
                    assert rendering.sample_rate is not None
                    sink = open_sink(fmt, tmp, rendering.sample_rate, tags)
                sink.write(pcm)
                if progress:
                    progress(rendering.done, len(sentences))
            assert sink is not None  # there was at least one sentence
            timeline = rendering.timeline.shifted(sink.delay)
            sink.close(timeline)
        except BaseException:
            if sink is not None:
                sink.abort()
            raise
        if tmp_timing is not None and options.timing:
            tmp_timing.write_text(
                render_timing(options.timing, timeline, article), encoding="utf-8"
            )
    from reader.parse.confidence import doubt

    return ExportResult(path, fmt, timeline.duration, timeline, timing_path, doubt(article))


def export_source(
    source: str | Prepared,
    path: str | os.PathLike,
    options: ExportOptions = ExportOptions(),
    *,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Read and parse ``source`` (path, ``-`` or URL; or an article
    ``reader.pipeline.prepare`` already made), then ``export_article``."""
    from reader.pipeline import Prepared, prepare

    prepared = (
        source
        if isinstance(source, Prepared)
        else prepare(source, whole_page=options.whole_page, language=options.language)
    )
    return export_article(
        prepared.article,
        path,
        options,
        source=prepared.source.name,
        progress=progress,
        sentences=prepared.sentences,
    )
