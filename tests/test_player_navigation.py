"""ArticleMap: the look-ups behind navigation, on an article with every block kind."""

from __future__ import annotations

import pytest

from reader.listen.navigation import ArticleMap
from reader.model import Article, Block, Sentence

BLOCKS = (
    Block("headline", "Storm hits coast"),
    Block("caption", "Waves at the pier."),
    Block("summary", "A storm hit. Power is out."),
    Block("paragraph", "The storm came at night. It was loud."),
    Block("caption", "A fallen tree."),
    Block("paragraph", "Crews worked all day."),
)


def sentences_of(blocks) -> list[Sentence]:
    out = []
    for b, block in enumerate(blocks):
        pos = 0
        for n, text in enumerate(block.text.replace(". ", ".\n").split("\n")):
            start = block.text.index(text, pos)
            pos = start + len(text)
            out.append(Sentence(b, n, start, pos, text, (text,)))
    return out


@pytest.fixture
def m():
    return ArticleMap(Article(BLOCKS, headline="Storm hits coast"), sentences_of(BLOCKS))


def test_sentence_indexes(m):
    assert [s.text for s in m.sentences][:4] == [
        "Storm hits coast",
        "Waves at the pier.",
        "A storm hit.",
        "Power is out.",
    ]
    assert m.first == {0: 0, 1: 1, 2: 2, 3: 4, 4: 6, 5: 7}


@pytest.mark.parametrize(
    "i, words",
    [
        (0, "Headline"),
        (1, "Image caption 1 of 2"),
        (3, "Summary"),
        (5, "Paragraph 1 of 2"),
        (6, "Image caption 2 of 2"),
        (7, "Paragraph 2 of 2"),
    ],
)
def test_describe(m, i, words):
    assert m.describe(i) == words


def test_position_fields(m):
    assert m.position(5) == {"sentence": 5, "block": 3, "kind": "paragraph",
                             "name": "Paragraph 1 of 2"}
    assert m.position(6)["name"] == "Image caption 2 of 2"


def test_blocks_next_previous_and_edges(m):
    assert m.next_block(2) == 4 and m.next_block(3) == 4
    assert m.previous_block(5) == 2 and m.previous_block(0) is None
    assert m.next_block(7) is None
    assert (m.first_body(), m.first_body(last=True)) == (4, 7)


def test_captions_wrap(m):
    assert m.next_of_kind(0, "caption") == 1
    assert m.next_of_kind(1, "caption") == 6
    assert m.next_of_kind(7, "caption") == 1  # wraps to the first
    assert m.next_of_kind(0, "quote") is None


def test_find_is_caseless_and_wraps(m):
    assert m.find("STORM", after=0) == 2
    assert m.find("storm", after=4) == 0  # wraps past the end to the headline
    assert m.find("nothing like this", after=0) is None


def test_where(m):
    text = m.where(5, rate=60)
    assert text.startswith("Paragraph 1 of 2, sentence 2 of 2, ")
    words = [len(s.text.split()) for s in m.sentences]
    assert f"{round(100 * sum(words[:5]) / sum(words))} percent" in text
    assert f"about {sum(words[5:])} seconds left" in text  # 60 wpm: a word a second
    assert m.where(0, rate=sum(words)).endswith("about 1 minute left")
