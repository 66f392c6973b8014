"""The sequencer alone, on the real null output (a silent sink that plays in real time)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from reader.listen.audio import Output
from reader.listen.sequencer import Sequencer
from reader.model import Audio

pytestmark = pytest.mark.audio

RATE = 22050


def tone(seconds: float) -> Audio:
    t = np.arange(int(seconds * RATE)) / RATE
    return Audio(RATE, (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16))


def collect(seq: Sequencer, until: str, deadline: float = 5.0) -> list:
    got: list = []
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        got += list(seq.news())
        if any(what == until for what, _, _ in got):
            return got
        time.sleep(0.005)
    raise AssertionError(f"no {until} news in {deadline} s: {got}")


@pytest.fixture
def seq():
    output = Output("null")
    try:
        yield Sequencer(output)
    finally:
        output.close()


def test_a_clip_starts_then_ends_in_real_time(seq):
    begun = time.time()
    seq.play(tone(0.2), "sentence")
    news = collect(seq, "ended")
    assert [(w, c) for w, _, c in news] == [("started", "sentence"), ("ended", "sentence")]
    started, ended = news[0][1], news[1][1]
    assert begun <= started <= ended
    assert ended - started == pytest.approx(0.2, abs=0.1)


def test_a_replaced_clip_makes_no_news(seq):
    seq.play(tone(5.0), "sentence")
    collect(seq, "started")
    seq.play(tone(0.1), "phrase")  # replaces the long clip, whose end never comes
    news = collect(seq, "ended")
    assert [c for w, _, c in news if w == "ended"] == ["phrase"]


def test_stop_says_how_far_it_got_and_reports_the_stop(seq):
    seq.play(tone(5.0), "sentence")
    collect(seq, "started")
    time.sleep(0.3)
    assert seq.position > 0.1
    into = seq.stop()
    assert 0.2 <= into < 5.0
    news = collect(seq, "stopped")
    assert ("ended", "sentence") not in [(w, c) for w, _, c in news]
