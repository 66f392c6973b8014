"""The real ``reader read`` in a pseudo-terminal: key presses in, the event log checked.

Uses the ``silent`` engine (its clips last exactly words x 60 / rate seconds) and the
``null`` audio output (a real-time silent sink), so a session takes seconds.
"""

from __future__ import annotations

import pytest

import reader
from reader.segment import segment_article
from tests.readpty import SEED, Session

pytestmark = [pytest.mark.audio, pytest.mark.slow]

# A fast rate keeps the spoken confirmations (real-time silence) short.
RATE = 400
FAST = ("--engine", "silent", "--audio", "null", "--rate", str(RATE))


@pytest.fixture(scope="module")
def seed():
    article = reader.parse_source(str(SEED))
    return article, segment_article(article)


def first_of_next_block(sentences, i):
    return next(j for j in range(i, len(sentences)) if sentences[j].block != sentences[i].block)


def test_a_session_on_the_seed_then_resume(tmp_path, seed):
    article, sentences = seed
    s = Session(tmp_path, *FAST)
    assert s.wait("start")["sentences"] == len(sentences)
    assert s.wait("play")["sentence"] == 0  # the headline, at once

    assert s.press("n", "play")["sentence"] == 1
    assert s.press("n", "play")["sentence"] == 2

    prev = s.press("p", "previous")
    target = 1 if prev["into"] < 2.0 else 2  # in the first 2 s: the sentence before
    assert s.wait("play")["sentence"] == target

    para = s.press("]", "say")
    nxt = first_of_next_block(sentences, target)
    assert para["sentence"] == nxt and para["text"].startswith("Paragraph ")
    assert s.wait("play")["sentence"] == nxt  # after "Paragraph n of N"

    again = s.press("r", "play")
    assert (again["sentence"], again["offset"]) == (nxt, 0.0)

    assert s.press("h", "play")["sentence"] == 0
    assert article.blocks[0].kind == "headline"

    if article.captions:
        said = s.press("c", "say")
        assert said["kind"] == "caption" and said["text"].startswith("Image caption")
        assert s.wait("play")["kind"] == "caption"
    else:
        assert s.press("c", "say")["text"] == "No image captions"

    rate = s.press("+", "rate")
    assert rate["rate"] == RATE + 50  # steps of 50 from 300 up
    # Heard at once: the sentence playing goes on at the new rate, from where it was.
    retimed = s.wait("play")
    assert (retimed["sentence"], retimed["rate"]) == (rate["sentence"], RATE + 50)

    where = s.press("w", "where")["text"]
    assert " of " in where and "percent" in where and "left" in where

    paused = s.press(" ", "pause")
    assert s.wait("say")["text"] == "Paused"
    s.press(" ", "resume")
    resumed = s.wait("play")
    assert resumed["offset"] == paused["offset"]  # goes on where it stopped

    # The sentences after it are spoken at the new rate too.
    after = s.press("n", "play")
    words = len(sentences[after["sentence"]].text.split())
    assert after["rate"] == RATE + 50
    assert after["duration"] == pytest.approx(words * 60 / (RATE + 50), abs=0.01)

    s.press("/", "say")
    needle = "safe haven"
    s.child.send(needle + "\r")
    found = s.wait("find")
    hits = [i for i, x in enumerate(sentences) if needle in x.text.lower()]
    assert found["found"] and found["target"] in hits
    assert found["target"] == next((i for i in hits if i > after["sentence"]), hits[0])
    assert s.wait("play")["sentence"] == found["target"]

    s.press("q", "quit")
    assert s.wait("saved")["sentence"] == found["target"]
    assert s.finish() == 0
    assert "Place saved" in s.output

    # Reopening says where it resumes and goes on at the same sentence.
    s2 = Session(tmp_path, *FAST)
    s2.wait("resumed")
    assert s2.wait("say")["text"].startswith("Resuming at ")
    assert s2.wait("play")["sentence"] == found["target"]
    s2.child.expect("Resuming at")
    s2.press("q", "quit")
    assert s2.finish() == 0

    # --from-start ignores the place.
    s3 = Session(tmp_path, *FAST, "--from-start")
    assert s3.wait("play")["sentence"] == 0
    s3.press("q", "quit")
    assert s3.finish() == 0


def test_bookmark_help_escape_and_arrows(tmp_path, seed):
    article, sentences = seed
    s = Session(tmp_path, *FAST)
    s.wait("play")
    assert s.press("\x1b[B", "key")["command"] == "next_paragraph"  # Down
    s.wait("play")
    mark = s.press("b", "bookmark")["sentence"]
    assert s.press("\x1bOF", "key")["key"] == "end"  # End, application mode
    last = s.wait("play")
    body = [b for b, block in enumerate(article.blocks) if block.kind in reader.model.BODY_KINDS]
    assert last["block"] == body[-1]
    assert s.press("\x1b[1~", "key")["key"] == "home"
    assert s.wait("play")["block"] == body[0]
    assert s.press("B", "back_to_bookmark")["target"] == mark
    assert s.wait("play")["sentence"] == mark
    assert s.press("\x1b[D", "key")["command"] == "previous"  # Left
    s.press("?", "say")
    s.child.expect("q: quit")  # ? first says the essential keys, each by its main key
    s.child.send("\x1b")  # a bare Escape quits
    assert s.wait("quit")
    assert s.finish() == 0


def test_read_from_standard_input_takes_keys_from_the_terminal(tmp_path, seed):
    # `reader read - < article.html`: the article on stdin, the keys from /dev/tty.
    article, sentences = seed
    s = Session(tmp_path, *FAST, source="-", stdin=SEED)
    assert s.wait("start")["sentences"] == len(sentences)
    assert s.wait("play")["sentence"] == 0
    assert s.press("n", "play")["sentence"] == 1
    s.press("q", "quit")
    assert s.finish() == 0
