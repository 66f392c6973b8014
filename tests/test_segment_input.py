"""Speech chunks, and bad input: nothing crashes, nothing is lost, chunks stay bounded.
(Time is linear in the input: bench/segment.py shows it for 1, 2 and 4 MB.)"""

from __future__ import annotations

import pytest

from reader import split_sentences
from reader.model import Article, Block
from reader.segment import (
    DEFAULT_CHUNK_LIMIT,
    MAX_SENTENCE_CHARS,
    chunk,
    segment_article,
    segment_text,
)


def _nonspace(s: str) -> str:
    return "".join(s.split())


def _check(text: str, limit: int = DEFAULT_CHUNK_LIMIT) -> list:
    found = segment_text(text, 0, limit)
    assert _nonspace("".join(s.text for s in found)) == _nonspace(text)
    for s in found:
        assert text[s.start : s.end] == s.text
        assert _nonspace("".join(s.chunks)) == _nonspace(s.text)
        for c in s.chunks:
            assert len(c) <= limit or not any(ch.isspace() for ch in c), c[:80]
    return found


LONG = (
    "The council, which met for six hours on Tuesday in the old town hall, voted to approve "
    "the plan to rebuild the bridge and the two roads that lead to it, although several "
    "members said the cost was too high and that the money should go to schools instead, "
    "while others argued that the bridge was unsafe and that the town could not wait any "
    "longer for repairs that had been promised for more than ten years by three mayors."
)


def test_a_short_sentence_is_one_chunk():
    assert chunk("He left.", 50) == ("He left.",)


def test_long_sentence_cut_at_clause_punctuation_first():
    pieces = chunk(LONG, 120)
    assert len(pieces) > 1 and all(len(p) <= 120 for p in pieces)
    assert " ".join(pieces) == LONG
    # Every cut but the last falls after a comma, or before a conjunction.
    for p, q in zip(pieces, pieces[1:], strict=False):
        assert p.endswith(",") or q.split()[0] in {
            "and",
            "but",
            "or",
            "although",
            "while",
            "that",
            "which",
        }
    assert pieces[0].endswith(",")


def test_conjunctions_when_there_is_no_punctuation():
    text = "He said the plan was good and the money was there but the town did not want it " * 3
    pieces = chunk(text.strip(), 60)
    assert all(len(p) <= 60 for p in pieces)
    assert any(p.split()[0] in {"and", "but"} for p in pieces[1:])


def test_never_inside_a_word_and_a_long_word_stays_whole():
    word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 3
    pieces = chunk(f"They visited {word} on Monday and liked it a lot.", 40)
    assert word in pieces  # the only chunk allowed over the limit: one word
    words = set(f"They visited {word} on Monday and liked it a lot.".split())
    assert all(set(p.split()) <= words for p in pieces)


def test_segment_article_keeps_blocks_and_offsets():
    article = Article(
        blocks=(
            Block("headline", "Storm hits coast"),
            Block("paragraph", "It rained. Then it stopped."),
        )
    )
    found = segment_article(article, chunk_limit=40)
    assert [(s.block, s.index, s.text) for s in found] == [
        (0, 0, "Storm hits coast"),
        (1, 0, "It rained."),
        (1, 1, "Then it stopped."),
    ]
    assert found[2].start == 11 and found[2].end == 27


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \r\n", "\u2003\u00a0"])
def test_empty_and_white_space(text):
    assert split_sentences(text) == []
    assert segment_text(text) == []


@pytest.mark.slow
def test_five_megabytes_without_punctuation():
    text = ("lorem ipsum dolor sit amet consectetur adipiscing elit " * 100_000)[:5_000_000]
    found = _check(text)
    # One sentence as written, read as records of at most MAX_SENTENCE_CHARS.
    assert len(found) >= 5_000_000 // MAX_SENTENCE_CHARS
    assert sum(len(s.chunks) for s in found) >= 5_000_000 // DEFAULT_CHUNK_LIMIT


@pytest.mark.slow
def test_five_megabytes_without_white_space():
    found = _check("x" * 5_000_000)
    # A "word" this long is cut only where a record must end, never into chunks.
    assert [s.chunks for s in found] == [("x" * MAX_SENTENCE_CHARS,)] * (
        5_000_000 // MAX_SENTENCE_CHARS
    )


def test_only_punctuation():
    _check("?!.…;,:'\"()[]{}—-" * 2000)
    _check(". . . ! ? ' \" ( ) " * 2000)
    _check("...")


def test_mixed_scripts():
    text = "Hello world. 他来了。她走了！ Привет, мир. مرحبا بالعالم. नमस्ते दुनिया। 👋🏽 Done."
    found = _check(text)
    texts = [s.text for s in found]
    assert texts[:3] == ["Hello world.", "他来了。", "她走了！"]
    assert "Привет, мир." in texts


def test_control_characters():
    text = "Alarm\x07 rang.\x00 Then \x1b[31mred\x1b[0m text.\x1c\x1d\x1e\x1f Done.\x7f\u200b\ufeff"
    _check(text)
    _check("\x00" * 10_000)


def test_wrong_types_and_limits():
    with pytest.raises(TypeError):
        split_sentences(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        segment_text("Hi.", chunk_limit=5)
