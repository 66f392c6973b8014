"""The optional neural engine (piper): real synthesis when installed, a clear error when not."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import reader.speech.engines.piper as piper_engine
from reader.errors import EngineError
from reader.speech.engines import VoiceSettings, engine_problem, get_engine
from reader.speech.profiles import load_profile

pytestmark = pytest.mark.speech

installed = engine_problem("piper") is None
needs_piper = pytest.mark.skipif(not installed, reason="pip install 'reader[neural]' to test piper")


@pytest.fixture(scope="module")
def piper():
    engine = get_engine("piper")  # loading the model takes most of a second: once
    yield engine
    engine.close()


def test_missing_piper_names_the_install_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        piper_engine.importlib.util, "find_spec", lambda m: None if m == "piper" else real(m)
    )
    assert "pip install 'reader[neural]'" in engine_problem("piper")
    with pytest.raises(EngineError, match=r"piper-tts.*pip install 'reader\[neural\]'"):
        get_engine("piper")
    # The neural profile falls back to pyttsx3 rather than failing.
    assert load_profile("neural").engine == "pyttsx3"


@needs_piper
def test_piper_speaks_and_follows_the_rate(piper):
    text = "The neural voice reads this sentence at two different speeds."
    slow = piper.synthesize(text, VoiceSettings(rate=120))
    fast = piper.synthesize(text, VoiceSettings(rate=300))
    assert slow.sample_rate == 22050 and slow.samples.dtype == np.int16
    assert np.abs(slow.samples).max() > 3000
    assert 1.8 < slow.duration / fast.duration < 3.2
    assert [v.id for v in piper.voices()] == ["en_US-joe-medium"]
    resolved = load_profile("neural").resolve(piper)
    assert resolved.settings_for("body").voice == "en_US-joe-medium"


@needs_piper
def test_piper_and_pyttsx3_share_a_process(piper):
    # piper links its own espeak-ng; the wheel's libespeak-ng for pyttsx3 must not
    # interpose on it (it did with RTLD_GLOBAL, and piper crashed).
    espeak = get_engine("pyttsx3")
    try:
        for engine in (espeak, piper, espeak):
            assert engine.synthesize("Two engines, one process.", VoiceSettings()).duration > 0.5
    finally:
        espeak.close()


def test_pieces_keep_every_word_and_start_small():
    text = (
        "The minister said on Tuesday that the talks would resume next week in the capital, "
        "after months of delay caused by disputes over the border and the release of "
        "prisoners held by both sides."
    )
    parts = piper_engine.pieces(text)
    assert " ".join(p for p, _ in parts) == " ".join(text.split())
    assert len(parts[0][0].split()) <= piper_engine.FIRST_WORDS
    assert all(len(p.split()) <= piper_engine.PIECE_WORDS for p, _ in parts)
    assert [p for p, ends in parts if ends][0].endswith("capital,")  # a clause kept whole
    assert piper_engine.pieces("Short.") == [("Short.", True)]


@needs_piper
@pytest.mark.slow
def test_a_long_sentence_starts_playing_before_it_is_rendered():
    from reader.model import Article, Block
    from reader.segment import segment_article
    from reader.speech.render import Renderer

    text = (
        "The minister said on Tuesday that the talks would resume next week in the capital, "
        "after months of delay caused by disputes over the border and the release of "
        "prisoners held by both sides, according to two officials who spoke on condition "
        "of anonymity because they were not allowed to talk to reporters."
    )
    article = Article((Block("paragraph", text),))
    sentences = segment_article(article, chunk_limit=1000)
    with Renderer(article, sentences, load_profile("neural")) as r:
        r.audio(0, timeout=60)  # the model loaded and warm
        r.set_profile(load_profile("neural").with_rate(170))  # render it afresh
        import time

        start = time.monotonic()
        rendering = r.stream(0)
        while not rendering.has_audio:
            time.sleep(0.005)
        first = time.monotonic() - start
        first_seconds = rendering.duration
        while not rendering.done:
            time.sleep(0.005)
        whole = time.monotonic() - start
    assert rendering.error is None and rendering.duration > 8
    print(f"first audio after {first:.2f} s ({first_seconds:.2f} s of it), whole {whole:.2f} s")
    assert first_seconds < rendering.duration / 4
    assert first < whole / 3


@needs_piper
def test_piper_goes_past_its_own_top_by_time_stretching(piper):
    text = "Expert listeners take the neural voice well past its natural pace."
    native = piper.synthesize(text, VoiceSettings(rate=300))
    stretched = piper.synthesize(text, VoiceSettings(rate=600))
    # Twice the rate is half the time (the same rendering, stretched), and still speech.
    assert stretched.duration == pytest.approx(native.duration / 2, rel=0.03)
    assert np.abs(stretched.samples).max() > 3000
    assert stretched.sample_rate == native.sample_rate
    assert load_profile("neural").with_engine("piper").with_rate(900).rate == 600
