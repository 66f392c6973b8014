"""Faster speech from the same audio: time-stretching that keeps the pitch.

Piper's own speed setting (``length_scale``) stops sounding like speech well before
expert rates, so the neural voice goes faster by stretching audio rendered at a rate it
speaks well. The stretching is Rubber Band's, through Spotify's ``pedalboard`` wheel
(kept up to date, self-contained, no system library); it is part of the ``neural`` extra
with Piper. This is the only module importing ``pedalboard``.
"""

from __future__ import annotations

import importlib.util

import numpy as np

from reader.errors import EngineError
from reader.model import Audio

INSTALL = "Install it with: pip install 'reader[neural]'"


def problem() -> str | None:
    """Why audio cannot be stretched here (with what to install), or ``None``."""
    if importlib.util.find_spec("pedalboard") is None:
        return f"faster neural speech needs pedalboard, which is not installed. {INSTALL}"
    return None


def speed_up(audio: Audio, factor: float) -> Audio:
    """``audio`` played ``factor`` times as fast at the same pitch (``factor`` 2: half as
    long). ``factor`` 1 returns it as it is. Raises ``EngineError`` without pedalboard."""
    if abs(factor - 1.0) < 1e-3 or not len(audio.samples):
        return audio
    why = problem()
    if why:
        raise EngineError(why)
    import pedalboard  # type: ignore[import-untyped]

    x = (audio.samples.astype(np.float32) / 32768.0)[np.newaxis, :]
    # high_quality: Rubber Band's finer engine. At 2x its speech had fewer recognition
    # errors than the faster one (bench/rates.py compares them).
    y = pedalboard.time_stretch(x, float(audio.sample_rate), stretch_factor=float(factor))
    samples = np.clip(np.round(y[0] * 32768.0), -32768, 32767).astype(np.int16)
    return Audio(audio.sample_rate, samples)
