"""A deterministic engine that returns silence as long as speech of the text would be.

For tests and dry runs: ``--engine silent``. Its duration follows the word count and
the rate exactly, so timing code can be checked against arithmetic.
"""

from __future__ import annotations

import numpy as np

from reader.model import Audio
from reader.speech.engines.base import Engine, VoiceInfo, VoiceSettings


class SilentEngine(Engine):
    name = "silent"
    fork_safe = True  # pure Python and numpy: nothing a fork could break

    def synthesize(self, text: str, settings: VoiceSettings) -> Audio:
        words = max(1, len(text.split()))
        seconds = words * 60.0 / max(1, settings.rate)
        rate = self.sample_rate
        return Audio(rate, np.zeros(int(round(seconds * rate)), dtype=np.int16))

    def describe(self) -> str:
        return "Deterministic silence for tests and dry runs, never real speech"

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("silence", "Silence", ("en",))]

    def close(self) -> None:
        pass
