"""Where to go on in a sentence re-rendered at another rate.

A rate change is heard at once: the sentence playing is rendered again at the new rate
and goes on from the same place in it. The place is carried over in proportion (both
renderings say the same words, only faster or slower), then moved back to the quietest
moment just before it, so that speech resumes between words rather than in one.
"""

from __future__ import annotations

import numpy as np

from reader.model import Audio

#: How far back from the carried-over place to look for a gap between words, seconds.
LOOK_BACK = 0.25
#: Loudness is judged in frames of this many seconds.
FRAME = 0.01


def carry_over(offset: float, old: Audio, new: Audio) -> float:
    """Seconds into ``new`` that correspond to ``offset`` seconds into ``old`` (the same
    words at another rate), at the quietest frame of the ``LOOK_BACK`` before."""
    if old.duration <= 0 or new.duration <= 0 or offset <= 0:
        return 0.0
    at = min(new.duration, offset * new.duration / old.duration)
    rate = new.sample_rate
    n = max(1, int(FRAME * rate))
    end = int(at * rate)
    start = max(0, end - int(LOOK_BACK * rate)) // n * n
    window = np.abs(new.samples[start:end].astype(np.int32))
    frames = len(window) // n
    if frames == 0:
        return at
    loudness = window[: frames * n].reshape(frames, n).mean(axis=1)
    quietest = frames - 1 - int(np.argmin(loudness[::-1]))  # the latest of equals
    return (start + quietest * n) / rate
