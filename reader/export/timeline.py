"""Rendered speech as one stream of PCM plus a timeline of sentences and chapters.

This is the one place where rendering meets exporting. Every exporter (audio files,
timing files, and a DAISY book) consumes the same two things::

    rendering = Rendering(article, sentences, profile, jobs=jobs)
    for pcm in rendering:          # int16 numpy arrays, in order, speech then pause
        sink.write(pcm)            # encode as it arrives: memory stays bounded
    timeline = rendering.timeline  # complete once the iteration has finished

All positions are sample counts at ``timeline.sample_rate``, counted from the first
sample of the stream, so times derived from them match the audio exactly; a format
whose decoder adds a fixed delay (MP3) shifts the timeline with ``Timeline.shifted``.
A DAISY exporter needs nothing else: ``timeline.cues`` are its SMIL ``par`` elements
(text fragment plus ``clipBegin``/``clipEnd``) and ``timeline.chapters`` its navigation
points, each naming the block it starts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from reader.errors import ExportError
from reader.export.chapters import chapter_title
from reader.model import Article, Sentence
from reader.speech.engines.base import Engine
from reader.structure import block_names


@dataclass(frozen=True)
class Cue:
    """One sentence's place in the audio."""

    block: int
    """Index of the sentence's block in ``Article.blocks``."""
    index: int
    """Index of the sentence within its block."""
    text: str
    """The sentence as written (not the spoken form)."""
    start: int
    """First sample of the sentence's speech."""
    end: int
    """One past its last sample of speech; the pause after it is not included."""


@dataclass(frozen=True)
class Chapter:
    """One block a listener can jump to: headline, summary, caption or paragraph."""

    block: int
    """Index of the block in ``Article.blocks``."""
    kind: str
    """The block's kind (``reader.model.BLOCK_KINDS``)."""
    title: str
    """Its role and first words, e.g. ``Paragraph 3: The United States shares…``."""
    start: int
    """The first sample of the block's first sentence."""
    end: int
    """Where the next chapter starts (the end of the stream for the last one)."""


@dataclass(frozen=True)
class Timeline:
    """Where every sentence and chapter lies in a rendered stream."""

    sample_rate: int
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    total: int
    """Length of the stream in samples."""

    @property
    def duration(self) -> float:
        return self.total / self.sample_rate

    def seconds(self, samples: int) -> float:
        return samples / self.sample_rate

    def shifted(self, samples: int) -> Timeline:
        """The same timeline with ``samples`` of extra audio before the first sample."""
        if not samples:
            return self
        return Timeline(
            self.sample_rate,
            tuple(replace(c, start=c.start + samples, end=c.end + samples) for c in self.cues),
            tuple(replace(c, start=c.start + samples, end=c.end + samples) for c in self.chapters),
            self.total + samples,
        )


def build_chapters(article: Article, cues: Sequence[Cue], total: int) -> tuple[Chapter, ...]:
    """One chapter per block that has speech, starting at its first cue."""
    firsts: list[Cue] = []
    for cue in cues:
        if not firsts or firsts[-1].block != cue.block:
            firsts.append(cue)
    names = block_names(article)
    chapters = []
    for n, cue in enumerate(firsts):
        block = article.blocks[cue.block]
        start = cue.start
        end = firsts[n + 1].start if n + 1 < len(firsts) else total
        title = chapter_title(block, names[cue.block])
        chapters.append(Chapter(cue.block, block.kind, title, start, end))
    return tuple(chapters)


class Rendering:
    """Iterate to get the article's PCM in order; then read ``timeline``.

    The speech comes from ``reader.speech.render.render_all`` (``jobs`` processes); the pause
    after each sentence comes from the voice profile. Only one sentence's audio is held
    at a time, so memory does not grow with the article.
    """

    def __init__(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        profile: Any,
        *,
        jobs: int | None = None,
    ) -> None:
        self.article = article
        self.sentences = list(sentences)
        self.profile = profile
        self.jobs = jobs
        self.sample_rate: int | None = None
        self.done = 0
        """Sentences rendered so far (for progress reports)."""
        self._cues: list[Cue] = []
        self._total = 0
        self._finished = False

    def __iter__(self) -> Iterator[np.ndarray]:
        from reader.speech.render import render_all  # the engines are heavy: import when used

        sentences = self.sentences
        audios = render_all(self.article, sentences, self.profile, jobs=self.jobs)
        for i, (sentence, audio) in enumerate(zip(sentences, audios, strict=True)):
            if self.sample_rate is None:
                self.sample_rate = audio.sample_rate
            elif audio.sample_rate != self.sample_rate:
                raise ExportError(
                    f"the speech engine changed its sample rate mid-article "
                    f"({self.sample_rate} Hz, then {audio.sample_rate} Hz)."
                )
            pcm = np.asarray(audio.samples, dtype=np.int16)
            start = self._total
            self._cues.append(
                Cue(sentence.block, sentence.index, sentence.text, start, start + len(pcm))
            )
            last_in_block = i + 1 == len(sentences) or sentences[i + 1].block != sentence.block
            kind = self.article.blocks[sentence.block].kind
            pause = np.zeros(
                int(round(self.profile.pause_after(kind, last_in_block) * self.sample_rate)),
                dtype=np.int16,
            )
            self._total += len(pcm) + len(pause)
            self.done = i + 1
            yield pcm
            if len(pause):
                yield pause
        self._finished = True

    @property
    def timeline(self) -> Timeline:
        """The finished timeline; only valid once iteration has completed."""
        if not self._finished:
            raise RuntimeError("Rendering.timeline read before the rendering finished")
        cues = tuple(self._cues)
        return Timeline(
            self.sample_rate or Engine.sample_rate,  # nothing rendered: the default rate
            cues,
            build_chapters(self.article, cues, self._total),
            self._total,
        )
