"""``reader read FEED``: one queue that plays on, in a pseudo-terminal, served by a local
HTTP server; the event log is checked (article announced, next and previous article,
the list, a broken entry skipped, each article's own resume place)."""

from __future__ import annotations

import signal

import pytest

from reader.speech.engines.base import engine_problem
from tests.feedsite import Site, full_text, headline
from tests.readpty import Session

pytestmark = [pytest.mark.audio, pytest.mark.slow]

FAST = ("--engine", "silent", "--audio", "null", "--rate", "450")


@pytest.fixture
def site():
    with Site(articles=4) as s:
        s.feed("/feed", "Harbour Gazette", [
            s.item(1, hours_ago=1, content=full_text(1)),
            {"title": "A page that is gone", "link": s.base + "/gone", "summary": "Gone."},
            s.item(3, hours_ago=3),
            s.item(4, hours_ago=4),
        ])  # fmt: skip
        yield s


def test_a_feed_plays_on_as_one_queue(tmp_path, site):
    s = Session(tmp_path, *FAST, source=site.base + "/feed")
    queue = s.wait("queue")
    assert queue["articles"] == 4 and queue["titles"][0] == headline(1)
    assert s.wait("article", article=1)["title"] == headline(1)
    assert s.wait("say")["text"] == f"Article 1 of 4: {headline(1)}"
    assert s.wait("play")["sentence"] == 0
    assert "/a/1" not in site.hits  # its whole text came in the feed

    # N: the next article is broken (404): said and skipped, the queue goes on to 3.
    s.press("N", "next_article")
    skipped = s.wait("skipped", article=2)
    assert "404" in skipped["reason"]
    assert s.wait("article", article=3)["title"] == headline(3)
    assert s.wait("play")["sentence"] == 0
    s.press("n", "play")
    place = s.press("n", "play")["sentence"]
    assert place == 2

    # P from 3: the broken entry is skipped going back too, to article 1, whose own
    # place was kept.
    s.press("P", "previous_article")
    s.wait("skipped", article=2)
    s.wait("article", article=1)
    s.wait("resumed")
    assert s.wait("play")["sentence"] == 0

    # l: the list, said one entry after another from this article; Down; Enter jumps.
    s.press("l", "article_list")
    assert s.wait("list_entry")["entry"] == 1
    assert s.wait("list_entry")["entry"] == 2  # on by itself
    assert "cannot be read" in s.events()[s.seen - 1]["text"]
    s.child.send("\x1b[B")  # Down
    assert s.wait("list_entry")["entry"] == 3
    s.child.send("\r")
    assert s.wait("jump")["target"] == 3
    s.wait("article", article=3)
    s.wait("resumed")
    assert s.wait("play")["sentence"] == place  # article 3's own place

    # To the end of article 3: the queue plays on into article 4.
    s.press("G", "play")
    s.wait("finished", article=3)
    s.wait("article", article=4)
    s.press("q", "quit")
    assert s.wait("saved")
    assert s.finish() == 0
    assert "Place saved" in s.output

    # Reopened: the queue goes on at article 4; the list says article 3 was finished.
    s2 = Session(tmp_path, *FAST, source=site.base + "/feed")
    s2.wait("article", article=4)
    s2.wait("play")
    s2.press("l", "article_list")
    entry = s2.wait("list_entry")
    assert entry["entry"] == 4
    s2.child.send("\x1b[A")  # Up
    said = s2.wait("list_entry")
    assert said["entry"] == 3 and said["text"].endswith("finished")
    s2.child.send("\x1b")  # Escape: back to article 4
    s2.wait("list_closed")
    s2.wait("article", article=4)
    s2.press("q", "quit")
    assert s2.finish() == 0


def test_several_sources_and_keys_at_the_ends(tmp_path, site):
    local = tmp_path / "one.html"
    local.write_text(
        "<html><body><article><h1>A local story</h1><p>It is short but it is real text, "
        "read from a file on the disk.</p></article></body></html>", encoding="utf-8")
    # One source is no queue: the queue's keys say so and reading goes on.
    s = Session(tmp_path, *FAST, source=str(local))
    s.wait("play")
    assert s.press("N", "say")["text"] == "Only one article"
    s.press("q", "quit")
    assert s.finish() == 0

    s = Session(tmp_path, *FAST, "--from-start", site.base + "/a/3", source=str(local))
    assert s.wait("queue")["articles"] == 2
    s.wait("article", article=1)
    s.wait("play")
    assert s.press("P", "say")["text"] == "First article"
    s.press("N", "next_article")
    s.wait("article", article=2)
    s.wait("play")
    assert s.press("N", "say")["text"] == "Last article"
    s.press("n", "play")
    # SIGTERM: the place in the article playing and the queue are kept, exit 128 + 15.
    s.child.kill(signal.SIGTERM)
    assert s.wait("interrupted")["signal"] == "SIGTERM"
    s.wait("saved")
    assert s.finish() == 143
    s = Session(tmp_path, *FAST, site.base + "/a/3", source=str(local))
    s.wait("article", article=2)
    s.wait("resumed")
    assert s.wait("play")["sentence"] == 1
    s.press("q", "quit")
    assert s.finish() == 0


def test_quitting_does_not_wait_for_a_page_loading_ahead(tmp_path, site):
    import time

    site.route("/stall", lambda h: time.sleep(30))
    site.feed("/slow", "Gazette", [site.item(1), {"title": "Slow", "link": site.base + "/stall"}])
    s = Session(tmp_path, *FAST, source=site.base + "/slow")
    s.wait("play")
    while "/stall" not in site.hits:  # the next article is being fetched ahead
        time.sleep(0.05)
    start = time.monotonic()
    s.press("q", "quit")
    assert s.finish() == 0
    assert time.monotonic() - start < 5


@pytest.mark.speech
@pytest.mark.skipif(engine_problem("piper") is None, reason="piper is installed here")
def test_a_queue_says_a_missing_engine_once(tmp_path):
    files = []
    for n in (1, 2):
        f = tmp_path / f"note{n}.txt"
        f.write_text(f"Note {n}\n\nOne sentence here. And another one.\n", encoding="utf-8")
        files.append(str(f))
    s = Session(tmp_path, "--voice", "neural", "--audio", "null", "--rate", "450", files[1],
                source=files[0])  # fmt: skip
    assert s.wait("fallback")["text"].startswith("Voice neural: speaking with pyttsx3")
    s.wait("play")
    s.press("N", "article")
    s.wait("play")
    s.press("q", "quit")
    assert s.finish() == 0
    assert sum(e["event"] == "fallback" for e in s.events()) == 1
