"""The listener's speech: sentences rendered ahead, and short spoken feedback phrases.

Feedback phrases ("Paused", "Rate 225") are spoken by a second engine in this process,
at the listener's current rate, and cached.
"""

from __future__ import annotations

from collections import OrderedDict

from reader.model import Article, Audio, Sentence
from reader.speech.profiles import VoiceProfile
from reader.speech.render import Renderer, open_engine, sentence_settings, speech_text

#: Seconds to wait for a sentence's speech before giving up (the engine hangs).
RENDER_TIMEOUT = 30.0


class RenderedSpeech:
    """``reader.listen.player.Speech`` over a ``Renderer``, with cached feedback phrases."""

    def __init__(self, article: Article, sentences: list[Sentence], profile: VoiceProfile):
        self.article = article
        self.sentences = sentences
        self.profile = profile
        self.renderer = Renderer(article, sentences, profile)
        self._phrases: OrderedDict[tuple[str, int], Audio] = OrderedDict()
        self._engine, self._resolved = open_engine(profile)

    @property
    def rate(self) -> int:
        return self.profile.rate

    def sentence(self, i: int) -> Audio:
        return self.renderer.audio(i, timeout=RENDER_TIMEOUT)

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
        key = (text, self.rate)
        if key in self._phrases:
            self._phrases.move_to_end(key)
            return self._phrases[key]
        settings = self._resolved.with_rate(self.rate).settings_for("paragraph")
        audio = self._engine.synthesize(text, settings)
        self._phrases[key] = audio
        while len(self._phrases) > 64:
            self._phrases.popitem(last=False)
        return audio

    def close(self) -> None:
        self.renderer.close()
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
