"""A deterministic engine that returns silence as long as speech of the text would be.

For tests and dry runs: ``--engine silent``. Its duration follows the word count and
the rate exactly, so timing code can be checked against arithmetic.
"""

from __future__ import annotations

import numpy as np

from reader.model import Audio
from reader.speech.engines.base import VoiceInfo, VoiceSettings

SAMPLE_RATE = 22050


class SilentEngine:
    name = "silent"

    def synthesize(self, text: str, settings: VoiceSettings) -> Audio:
        words = max(1, len(text.split()))
        seconds = words * 60.0 / max(1, settings.rate)
        return Audio(SAMPLE_RATE, np.zeros(int(round(seconds * SAMPLE_RATE)), dtype=np.int16))

    def describe(self) -> str:
        return "Deterministic silence for tests and dry runs, never real speech"

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("silence", "Silence", ("en",))]

    def close(self) -> None:
        pass
