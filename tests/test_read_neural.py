"""``reader read`` with the neural voice (Piper) in a pseudo-terminal: keys are handled
at once while sentences render, and each sentence starts before it is rendered whole.

Skipped where the neural extra is not installed (``pip install 'reader[neural]'``).
"""

from __future__ import annotations

import time

import pytest

from reader.speech.engines import engine_problem
from tests.readpty import Session

pytestmark = [
    pytest.mark.audio,
    pytest.mark.speech,
    pytest.mark.slow,
    pytest.mark.skipif(
        engine_problem("piper") is not None, reason="pip install 'reader[neural]' to test piper"
    ),
]


def test_keys_never_wait_for_the_neural_voice(tmp_path):
    s = Session(tmp_path, "--engine", "piper", "--audio", "null", "--from-start")
    try:
        s.wait("audio_started", clip="sentence")
        late = []
        for _ in range(6):  # faster than the voice can render whole sentences
            pressed = time.time()
            key = s.press("n")
            late.append(key["time"] - pressed)
            time.sleep(0.1)
        pressed = time.time()
        quit_ = s.press("q", "quit")
        assert s.finish() == 0
    finally:
        if s.child.isalive():
            s.child.terminate(force=True)
    late.append(quit_["time"] - pressed)
    print("key handled after (ms):", [round(x * 1000) for x in late])
    assert max(late) < 0.25, late
    # Sentences began to play while their later pieces were still being rendered.
    plays = [e for e in s.events() if e["event"] == "play"]
    assert any(e["duration"] is None for e in plays), plays
