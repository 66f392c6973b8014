"""The listener's speech: sentences rendered ahead, and short spoken feedback phrases.

Feedback phrases ("Paused", "Rate 225") are spoken by a second engine in this process,
at the listener's current rate, and cached.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict

from reader.errors import EngineError, ReaderError
from reader.listen.retime import carry_over
from reader.model import Article, Audio, Sentence
from reader.speech import stretch
from reader.speech.profiles import VoiceProfile
from reader.speech.render import Renderer, Rendering, open_engine, sentence_settings, speech_text

#: Seconds to wait for a sentence's speech before giving up (the engine hangs).
RENDER_TIMEOUT = 30.0
#: Seconds the key loop may wait for a feedback phrase before playing it as it comes.
PHRASE_WAIT = 0.05
#: A sentence whose rendering again would take longer than this is stretched instead
#: when the rate changes in it, so that the change is heard at once (issue 13: 300 ms).
RERENDER_WITHIN = 0.1


class RenderedSpeech:
    """``reader.listen.player.Speech`` over a ``Renderer``, with cached feedback phrases."""

    def __init__(self, article: Article, sentences: list[Sentence], profile: VoiceProfile):
        self.article = article
        self.sentences = sentences
        self.profile = profile
        self.renderer = Renderer(article, sentences, profile)
        self._phrases: OrderedDict[tuple[str, int], Audio] = OrderedDict()
        self._lock = threading.Lock()
        # The last stretched rest of a sentence: (it, sentence, the clip it came from,
        # where in that clip it starts, in samples, and that clip's rate).
        self._stretched: tuple[Audio, int, Audio, int, int] | None = None
        self._engine, self._resolved = open_engine(profile)

    @property
    def rate(self) -> int:
        return self.profile.rate

    @property
    def max_rate(self) -> int:
        return self.profile.max_rate

    def sentence(self, i: int) -> Audio:
        return self.renderer.audio(i, timeout=RENDER_TIMEOUT)

    def stream(self, i: int) -> Rendering:
        """Sentence ``i``'s audio as it renders (``Renderer.stream``): never waits."""
        return self.renderer.stream(i)

    def at_rate(self, i: int, clip: Audio, offset: float, rate_then: int) -> tuple[Audio, float]:
        """Sentence ``i`` at the current rate, and where in it to go on from ``offset``
        seconds into ``clip`` (its audio at ``rate_then``). Rendered again where that is
        quick (espeak-ng: milliseconds); otherwise (Piper: about a tenth of the sentence's
        length) what is left of ``clip`` is time-stretched, from the gap between words
        before ``offset``, and the sentences after it are rendered at the new rate."""
        kept = self._stretched
        if kept is not None and kept[0] is clip and kept[1] == i:
            # Already a stretched rest: go back to the clip it came from, so that changes
            # in a row stretch once, not stretch the stretched.
            _, _, source, start, source_rate = kept
            offset = start / source.sample_rate + offset * rate_then / source_rate
            clip, rate_then = source, source_rate
        self._stretched = None
        k = self.rate / max(1, rate_then)
        slow = self.renderer.cost * clip.duration / k > RERENDER_WITHIN
        if slow and not self.renderer.ready(i) and stretch.problem() is None:
            start = int(carry_over(offset, clip, clip) * clip.sample_rate)
            rest = Audio(clip.sample_rate, clip.samples[start:])
            out = stretch.speed_up(rest, k, quick=True)
            self._stretched = (out, i, clip, start, rate_then)
            return out, 0.0
        new = self.sentence(i)
        return new, carry_over(offset, clip, new)

    def said(self, i: int) -> str:
        """The words spoken for sentence ``i`` (``reader.speech.render.speech_text``)."""
        return speech_text(self.article, self.sentences[i], self.profile)

    def voice(self, i: int) -> dict:
        """``{"language": tag, "voice": id}`` sentence ``i`` is read in and by."""
        s = self.sentences[i]
        return {
            "language": self.article.language_of(s.block),
            "voice": sentence_settings(self.article, s, self._resolved).voice,
        }

    def phrase_voice(self) -> dict:
        """``{"voice": id}`` of the listener's own words: English, whatever the article."""
        return {"voice": self._resolved.settings_for("paragraph").voice}

    def language_notice(self) -> str | None:
        """What to say once at the start when no installed voice speaks a language of
        the article (it is read by the profile's voice), else ``None``."""
        return unvoiced_notice(self.article, self._resolved)

    def prefetch(self, i: int) -> None:
        if 0 <= i < len(self.sentences):
            self.renderer.prefetch(i)

    def pause_after(self, i: int) -> float:
        s = self.sentences[i]
        last = i + 1 >= len(self.sentences) or self.sentences[i + 1].block != s.block
        return self.profile.pause_after(self.article.blocks[s.block].kind, last)

    def set_rate(self, wpm: int) -> None:
        self.profile = self.profile.with_rate(wpm)
        self.renderer.set_profile(self.profile)

    def phrase(self, text: str) -> Audio:
        return self._phrase(text, self.rate)

    def _phrase(self, text: str, rate: int) -> Audio:
        with self._lock:  # one phrase engine, which warm() may be using
            key = (text, rate)
            if key in self._phrases:
                self._phrases.move_to_end(key)
                return self._phrases[key]
            settings = self._resolved.with_rate(rate).settings_for("paragraph")
            audio = self._engine.synthesize(text, settings)
            self._phrases[key] = audio
            while len(self._phrases) > 64:
                self._phrases.popitem(last=False)
            return audio

    def phrase_soon(self, text: str, wait: float = PHRASE_WAIT) -> Audio | Rendering:
        """The phrase ``text`` if it is ready within ``wait`` seconds (cached, or a quick
        engine); otherwise a ``Rendering`` that fills when the phrase engine is done, so
        that the key loop never waits for a slow engine (``Output.play`` plays either)."""
        key = (text, self.rate)
        with contextlib.suppress(KeyError):
            return self._phrases[key]
        r = Rendering()
        done = threading.Event()

        def speak() -> None:
            try:
                r.add(self._phrase(text, key[1]))
                r.finish()
            except ReaderError as e:
                r.finish(e)
            except Exception as e:  # an engine bug: the phrase is left out, not the session
                r.finish(EngineError(f"speech engine failed ({type(e).__name__}: {e})."))
            done.set()

        threading.Thread(target=speak, name="reader-phrase", daemon=True).start()
        return r.audio() if done.wait(wait) and r.error is None else r

    def warm(self, text: str) -> None:
        """Render the phrase ``text`` in the background, so that saying it later does
        not hold up the key loop while a slow engine renders it."""
        if (text, self.rate) in self._phrases:
            return
        threading.Thread(
            target=self._warm, args=(text, self.rate), name="reader-phrase", daemon=True
        ).start()

    def _warm(self, text: str, rate: int) -> None:
        with contextlib.suppress(Exception):  # said later, any error is raised then
            self._phrase(text, rate)

    def close(self) -> None:
        self.renderer.close()
        with self._lock:
            self._engine.close()


def unvoiced_notice(article: Article, profile: VoiceProfile) -> str | None:
    """"No installed voice speaks Klingon; it is read by the default voice." for the
    article's languages (its own, then its blocks') that ``profile`` has no voice of,
    else ``None``. ``profile`` should be resolved against its engine."""
    from reader.language import name

    tags = [article.language] + [b.language for b in article.blocks]
    missing = list(dict.fromkeys(name(t) for t in tags if t and not profile.speaks(t)))
    if not missing:
        return None
    shown = " or ".join(missing)
    return f"No installed voice speaks {shown}; it is read by the default voice."
