"""The renderer: ahead-of-listener rendering with a bounded cache, and ordered export."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import reader.speech.render as render
from reader import parse_source
from reader.errors import EngineError, VoiceError
from reader.model import Article, Block
from reader.segment import segment_article
from reader.speech.engines.base import Engine
from reader.speech.profiles import load_profile
from reader.speech.render import Renderer, render_all, speech_text


@pytest.fixture(scope="module")
def seed(seed_html):
    article = parse_source(str(seed_html))
    return article, segment_article(article)


@pytest.fixture(scope="module")
def silent():
    return load_profile().with_engine("silent")


def test_speech_text_announces_captions_once():
    article = Article(
        (Block("caption", "A soldier. A second sentence."), Block("paragraph", "Body text."))
    )
    sentences = segment_article(article)
    profile = load_profile()
    spoken = [speech_text(article, s, profile) for s in sentences]
    assert spoken == ["Image caption: A soldier.", "A second sentence.", "Body text."]


def test_renderer_serves_every_sentence_like_render_all(seed, silent):
    article, sentences = seed
    expected = [len(a.samples) for a in render_all(article, sentences, silent, jobs=1)]
    assert len(expected) == len(sentences)
    with Renderer(article, sentences, silent) as r:
        got = [len(r.audio(i, timeout=10).samples) for i in reversed(range(len(sentences)))]
    assert got[::-1] == expected
    # The rate is honoured: the silent engine's length is words / rate exactly.
    words = len(speech_text(article, sentences[1], silent).split())
    assert expected[1] == round(words * 60 / silent.rate * 22050)


def test_prefetch_cache_is_bounded_and_cancel_drops_pending(seed, silent):
    article, sentences = seed
    with Renderer(article, sentences, silent, cache_size=3) as r:
        r.prefetch(0, ahead=5)
        r.audio(5, timeout=10)
        ready = [i for i in range(len(sentences)) if r.ready(i)]
        assert len(ready) <= 3 and 5 in ready
        r.cancel()
        r.prefetch(10, ahead=0)
        r.audio(10, timeout=10)
        with pytest.raises(IndexError):
            r.audio(len(sentences))


def test_set_profile_changes_what_is_rendered(seed, silent):
    article, sentences = seed
    with Renderer(article, sentences, silent) as r:
        slow = len(r.audio(3, timeout=10).samples)
        r.set_profile(silent.with_rate(silent.rate * 2))
        fast = len(r.audio(3, timeout=10).samples)
    assert fast == pytest.approx(slow / 2, rel=0.01)


class _StuckEngine(Engine):
    """An engine that never finishes until released: the thing under test is the
    renderer's timeout and cancel, so this fake stands in for a hung synthesiser."""

    name = "silent"
    fork_safe = True

    def __init__(self) -> None:
        self.release = threading.Event()

    def synthesize(self, text, settings):
        self.release.wait(10)
        raise EngineError("released")

    def close(self):
        self.release.set()


def test_audio_times_out_instead_of_hanging(seed, silent, monkeypatch):
    article, sentences = seed
    stuck = _StuckEngine()
    monkeypatch.setattr(render, "get_engine", lambda name: stuck)
    r = Renderer(article, sentences, silent)
    try:
        with pytest.raises(EngineError, match="not ready after 0.2 s"):
            r.audio(0, timeout=0.2)
    finally:
        stuck.release.set()
        r.close()


def test_engine_errors_reach_the_caller(seed, tmp_path):
    article, sentences = seed
    path = tmp_path / "v.toml"
    path.write_text('engine = "silent"\nvoice = "no-such-voice"\n')
    with Renderer(article, sentences, load_profile(str(path))) as r:
        with pytest.raises(VoiceError, match="voice.silent: no voice 'no-such-voice'"):
            r.audio(0, timeout=10)


@pytest.mark.slow
def test_render_all_in_parallel_matches_in_process(seed):
    # Real pyttsx3 on two processes must give the same audio, in the same order
    # (espeak-ng is not bit-exact from run to run, so compare lengths closely).
    article, sentences = seed
    profile = load_profile("brisk")
    few = sentences[:10]
    one = list(render_all(article, few, profile, jobs=1))
    two = list(render_all(article, few, profile, jobs=2))
    assert len(one) == len(two) == 10
    for a, b in zip(one, two, strict=True):
        assert a.sample_rate == b.sample_rate == 22050
        assert np.abs(a.samples).max() > 1000
        assert len(a.samples) == pytest.approx(len(b.samples), rel=0.02)
    lengths = [len(a.samples) for a in one]
    assert lengths != sorted(lengths)  # order is the sentences' order, not by size


@pytest.mark.slow
def test_render_all_in_parallel_reports_engine_errors_whole(seed, tmp_path):
    article, sentences = seed
    path = tmp_path / "v.toml"
    path.write_text('[voice]\npyttsx3 = "xx/no-such-voice"\n')
    with pytest.raises(VoiceError) as e:
        list(render_all(article, sentences, load_profile(str(path)), jobs=2))
    assert "voice.pyttsx3: no voice 'xx/no-such-voice'" in str(e.value)
    assert "see: reader voices" in str(e.value)  # the hint survived the trip


def test_renderer_with_real_speech_announces_captions(seed):
    article, sentences = seed
    profile = load_profile()
    first_caption = next(
        i for i, s in enumerate(sentences) if article.blocks[s.block].kind == "caption"
    )
    caption = sentences[first_caption]
    plain = Article((Block("paragraph", caption.text),))
    with Renderer(article, sentences, profile) as r:
        r.prefetch(0, ahead=1)
        announced = r.audio(first_caption, timeout=30)
        assert r.audio(0, timeout=30).duration > 0.5
    with Renderer(plain, segment_article(plain), profile) as r:
        unannounced = r.audio(0, timeout=30)
    # "Image caption:" adds about four words' worth of speech.
    assert announced.duration - unannounced.duration > 0.6
