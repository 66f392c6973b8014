"""The player's state machine in-process: the silent engine and the null output (real
time, silent), commands called directly, outcomes read from its events."""

from __future__ import annotations

import time

import pytest

import reader
import reader.speech.render as render
from reader.listen.audio import Output
from reader.listen.player import Player
from reader.listen.speech import RenderedSpeech
from reader.segment import segment_article
from reader.speech.engines.silent import SilentEngine
from reader.speech.profiles import load_profile

pytestmark = [pytest.mark.audio, pytest.mark.slow]

TEXT = """Short news

First paragraph one. First paragraph two.

Second paragraph has a needle here. And more.

Third paragraph. The end."""


@pytest.fixture
def setup():
    article = reader.parse(TEXT)
    sentences = segment_article(article)
    profile = load_profile(None).with_engine("silent").with_rate(450)
    speech = RenderedSpeech(article, sentences, profile)
    output = Output("null")
    events: list[dict] = []
    lines: list[str] = []
    player = Player(article, sentences, speech, output, log=events.append, echo=lines.append)
    yield player, events, lines
    output.close()
    speech.close()


def until(player: Player, events: list[dict], name: str, since: int | None = None, **match):
    """The first event ``name`` matching ``match`` logged after ``since`` (default: now)."""
    start = len(events) if since is None else since
    end = time.monotonic() + 20
    while time.monotonic() < end:
        player._drain()
        for e in events[start:]:
            if e["event"] == name and all(e.get(k) == v for k, v in match.items()):
                return e
        time.sleep(0.002)
    raise AssertionError(f"no {name} {match}: {events[start:]}")


def texts(events, name="say"):
    return [e["text"] for e in events if e["event"] == name]


def test_reads_on_to_the_end_and_stops(setup):
    player, events, lines = setup
    player.play()
    until(player, events, "end")
    assert [e["sentence"] for e in events if e["event"] == "play"] == list(
        range(len(player.sentences))
    )
    until(player, events, "say", since=0, text="End of article")
    while player.done is None:
        player._drain()
        time.sleep(0.005)
    assert player.done == "end" and "End of article." in lines


def test_previous_restarts_after_two_seconds(setup):
    player, events, lines = setup
    player.speech.set_rate(80)  # "First paragraph two." now lasts 2.25 s
    player.cur = 2
    player.play(offset=2.1)  # as if 2.1 s of the sentence had been heard
    until(player, events, "play", since=0)  # play() does not wait for the rendering
    player.cmd_previous()
    assert events[-1]["event"] == "play" and events[-1]["sentence"] == 2
    assert lines[-1] == "Start of the sentence."
    since = len(events)
    player.cmd_previous()  # now at its start: the sentence before
    assert until(player, events, "play", since=since)["sentence"] == 1


def test_edges_are_spoken_not_silent(setup):
    player, events, lines = setup
    player.play()
    player.cmd_previous_paragraph()
    assert texts(events)[-1] == "Headline is the first block"  # named, not "paragraph"
    player.cur = len(player.sentences) - 1
    player.cmd_next()
    assert texts(events)[-1] == "Last sentence"
    player.cmd_next_paragraph()
    assert texts(events)[-1] == "Paragraph 3 of 3 is the last block"
    player.cmd_back_to_bookmark()
    assert texts(events)[-1].startswith("No bookmark")
    player.cmd_caption()
    assert texts(events)[-1] == "No image captions"
    for _ in range(12):  # 450 to 900 in steps of 50, and once more
        player.cmd_faster()
    assert player.speech.rate == 900 and texts(events)[-1] == "Rate 900, the fastest"


def test_confirmations_keep_the_place_and_pause_stays_paused(setup):
    player, events, lines = setup
    player.cur = 1
    player.play(offset=0.3)
    until(player, events, "play", since=0)
    player.cmd_where()
    assert texts(events)[-1].startswith("Paragraph 1 of 3, sentence 1 of 2")
    until(player, events, "play", sentence=1)  # back to the sentence after the phrase
    assert [e for e in events if e["event"] == "play"][-1]["offset"] >= 0.3
    player.cmd_pause()
    assert player.mode == "paused"
    player.cmd_slower()  # confirmed, still paused
    assert texts(events)[-1] == "Rate 400"
    time.sleep(0.8)
    player._drain()
    assert player.mode == "paused" and events[-1]["event"] != "play"
    player.cmd_pause()
    assert events[-1]["event"] == "play" and events[-1]["sentence"] == 1


def test_find_wraps_and_not_found_goes_on(setup):
    player, events, lines = setup
    player.cur = 5
    player.play()
    player.cmd_find()
    for key in "NEEDLE":
        player.key(key)
    player.key("enter")
    found = [e for e in events if e["event"] == "find"][-1]
    assert found["found"] and player.sentences[found["target"]].text.startswith("Second")
    player.cmd_find()
    for key in ["z", "q", "backspace", "z", "enter"]:
        player.key(key)
    assert [e for e in events if e["event"] == "find"][-1]["query"] == "zz"
    assert texts(events)[-1] == "Searching for zz. Not found"  # the query read back first
    player.cmd_find()
    player.key("enter")  # empty: the last search again
    assert [e for e in events if e["event"] == "find"][-1]["query"] == "zz"
    player.cmd_find()
    player.key("x")
    player.key("escape")  # cancels: one line, one phrase, back to the sentence
    assert lines[-1] == "Find cancelled." and lines[-2] != "Find cancelled."
    assert player.mode == "playing" and texts(events)[-1] == "Find cancelled"


class _SlowEngine(SilentEngine):
    """The silent engine, but a sentence of more than two words takes ``DELAY`` s: the
    thing under test is the player while an engine renders slowly (the neural voice on
    a busy machine), so this stands in for that engine. Short feedback phrases stay
    quick, as the phrase cache makes them in real use."""

    DELAY = 2.5

    def synthesize(self, text, settings):
        if len(text.split()) > 2:
            time.sleep(self.DELAY)
        return super().synthesize(text, settings)


def test_keys_are_handled_at_once_while_a_sentence_renders_and_preparing_is_said_once(
    monkeypatch,
):
    monkeypatch.setattr(render, "get_engine", lambda name: _SlowEngine())
    article = reader.parse(TEXT)
    sentences = segment_article(article)
    profile = load_profile(None).with_engine("silent").with_rate(450)
    speech = RenderedSpeech(article, sentences, profile)
    output = Output("null")
    events: list[dict] = []
    player = Player(article, sentences, speech, output, log=events.append, echo=lambda s: None)
    try:
        started = time.monotonic()
        player.cur = 1
        player.play()
        for command in (player.cmd_where, player.cmd_next, player.cmd_previous):
            t = time.monotonic()
            command()
            assert time.monotonic() - t < 0.2, command  # never waits for the rendering
        waiting = time.monotonic()
        said = until(player, events, "preparing", since=0)
        assert said["time"] - (waiting - started + events[0]["time"]) >= -0.1
        assert said["sentence"] == player.cur
        played = until(player, events, "play", since=0)
        assert played["sentence"] == said["sentence"]
        assert time.monotonic() - waiting >= _SlowEngine.DELAY - 0.5
        assert [e["event"] for e in events].count("preparing") == 1
        assert "Preparing" in texts(events)
        t = time.monotonic()
        player.cmd_quit()
        assert time.monotonic() - t < 0.2 and player.done == "quit"
    finally:
        output.close()
        speech.close()
