"""Faster speech from the same audio: time-stretching that keeps the pitch.

Piper's own speed setting (``length_scale``) stops sounding like speech well before
expert rates, so the neural voice goes faster by stretching audio rendered at a rate it
speaks well. The stretching is Rubber Band's, through Spotify's ``pedalboard`` wheel
(kept up to date, self-contained, no system library); it is part of the ``neural`` extra
with Piper. This is the only module importing ``pedalboard``.

Chosen by the words an offline recogniser (pocketsphinx, its frame rate scaled with the
speed) still found in 8 seed sentences of Piper's voice sped up from its own pace: 2.5x
over, pedalboard lost 43% (its quick engine 55%), pytsmod's WSOLA 62%; 3.3x over, 63%, 81%
and 85%. audiotsm (last release 2017) and librosa (numba, heavy) were not tried;
pyrubberband needs Rubber Band's command-line tool and a process per sentence.
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


def speed_up(audio: Audio, factor: float, *, quick: bool = False) -> Audio:
    """``audio`` played ``factor`` times as fast at the same pitch (``factor`` 2: half as
    long). ``factor`` 1 returns it as it is. ``quick``: Rubber Band's faster engine, in
    about a third of the time but less clear (for a change that must be heard at once).
    Raises ``EngineError`` without pedalboard."""
    if abs(factor - 1.0) < 1e-3 or not len(audio.samples):
        return audio
    why = problem()
    if why:
        raise EngineError(why)
    import pedalboard

    x = (audio.samples.astype(np.float32) / 32768.0)[np.newaxis, :]
    y = pedalboard.time_stretch(
        x, float(audio.sample_rate), stretch_factor=float(factor), high_quality=not quick
    )
    samples = np.clip(np.round(y[0] * 32768.0), -32768, 32767).astype(np.int16)
    return Audio(audio.sample_rate, samples)
