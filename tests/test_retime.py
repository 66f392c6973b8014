"""Where a sentence re-rendered at another rate goes on (reader.listen.retime)."""

from __future__ import annotations

import numpy as np
import pytest

from reader.listen.retime import LOOK_BACK, carry_over
from reader.model import Audio

RATE = 22050


def words_and_gaps(word: float, gap: float, n: int) -> Audio:
    """``n`` loud 'words' of ``word`` seconds, each followed by ``gap`` seconds of silence."""
    t = np.arange(int(word * RATE))
    loud = (8000 * np.sin(2 * np.pi * 220 * t / RATE)).astype(np.int16)
    quiet = np.zeros(int(gap * RATE), np.int16)
    return Audio(RATE, np.concatenate([np.concatenate([loud, quiet]) for _ in range(n)]))


def test_the_place_is_carried_over_in_proportion_and_back_to_a_gap():
    old = words_and_gaps(0.4, 0.1, 10)  # 5 s
    new = words_and_gaps(0.2, 0.05, 10)  # the same ten words, twice as fast
    at = carry_over(2.3, old, new)  # in the 5th word: 1.15 s into the new rendering
    assert 1.15 - LOOK_BACK <= at <= 1.15
    # It lands in the gap before that word (0.95-1.0 s), not inside a word.
    assert 0.95 <= at <= 1.0 + 0.01
    assert np.abs(new.samples[int(at * RATE) : int(at * RATE) + 100]).max() == 0


def test_edges():
    old = words_and_gaps(0.4, 0.1, 4)
    new = words_and_gaps(0.2, 0.05, 4)
    assert carry_over(0.0, old, new) == 0.0
    assert carry_over(-1.0, old, new) == 0.0
    # Past the end of the speech (in the pause after it): no further than its end.
    assert carry_over(old.duration + 0.3, old, new) <= new.duration
    empty = Audio(RATE, np.zeros(0, np.int16))
    assert carry_over(1.0, old, empty) == 0.0
    assert carry_over(0.01, old, new) == pytest.approx(0.0, abs=0.011)
