"""reader.parse on plain text: the article's structure from lines alone."""

from __future__ import annotations

import pytest

import reader
from reader.errors import ParseError

P1 = ("The council voted on Tuesday to rebuild the harbour wall, which storms breached twice "
      "last winter.")
P2 = "Work begins in March and should take two years, the harbour master said."
P3 = "Residents welcomed the decision but asked how the cost would be shared."


def parse(text: str):
    return reader.parse(text, media_type="text/plain")


def test_seed_text(seed_txt, seed_expected):
    a = parse(seed_txt.read_text(encoding="utf-8"))
    assert a.headline == seed_expected["headline"]
    assert a.summary == seed_expected["summary"]
    assert a.captions == seed_expected["captions"]
    assert a.paragraphs == seed_expected["paragraphs"]


@pytest.mark.parametrize(
    "lines",
    [
        ["Accessibility links", "Skip to main content", "Breaking News"],
        ["Share", "Tweet", "Print"],
        ["Share | Tweet | Email"],
        ["XS", "SM", "MD", "LG"],
        ["A- A A+"],
        ["Advertisement"],
        ["© 2024 Harbour Gazette. All rights reserved."],
    ],
    ids=["skip-links", "share-lines", "share-bar", "font-sizes", "font-sizes-one-line",
         "advert", "copyright"],
)
def test_furniture_lines_are_dropped(lines):
    text = "\n".join(lines) + f"\n\nHarbour wall to be rebuilt\n\n{P1}\n\n" + "\n".join(lines)
    text += f"\n\n{P2}\n"
    a = parse(text)
    assert a.headline == "Harbour wall to be rebuilt"
    assert a.paragraphs == [P1, P2]


def test_caption_twice_in_a_row_is_read_once():
    caption = "Waves break over the harbour wall during the February storm."
    a = parse(f"Wall to be rebuilt\n\n{caption}\n{caption}\n\n{P1}\n\n{P2}")
    assert a.captions == [caption]
    assert [b.kind for b in a.blocks] == ["headline", "caption", "paragraph", "paragraph"]


@pytest.mark.parametrize(
    "line",
    [
        "Waves break over the harbour wall in February. Credit: Ann Lee",
        "Waves break over the harbour wall in February. (Photo: Getty Images)",
        "Waves break over the harbour wall in February. (Image credit: Ann Lee)",
        "Waves break over the harbour wall in February | Photo: Ann Lee/Reuters",
    ],
)
def test_caption_with_its_credit_on_one_line_is_a_caption_without_the_credit(line):
    a = parse(f"Wall to be rebuilt\n\n{P1}\n\n{line}\n\n{P2}\n\n{P3}")
    assert a.paragraphs == [P1, P2, P3]
    assert [c.rstrip(".") for c in a.captions] == [
        "Waves break over the harbour wall in February"]


def test_paragraph_that_names_a_photographer_in_its_sentence_stays_a_paragraph():
    said = "The photo was taken by Ann Lee for the Harbour Gazette, the council said."
    a = parse(f"Wall to be rebuilt\n\n{P1}\n\n{said}\n\n{P2}")
    assert a.paragraphs == [P1, said, P2]
    assert a.captions == []


def test_standfirst_repeated_by_the_body_is_the_summary_not_a_paragraph():
    deck = "The harbour wall will be rebuilt."
    a = parse(f"Wall to be rebuilt\n\n{deck}\n\n{P1}\n\n{deck} {P2}")
    assert a.summary == deck
    assert a.paragraphs == [P1, f"{deck} {P2}"]
    assert "summary" not in [b.kind for b in a.blocks]


def test_first_paragraph_not_repeated_is_body():
    a = parse(f"Wall to be rebuilt\n\n{P1}\n\n{P2}")
    assert a.summary is None
    assert a.paragraphs == [P1, P2]


def test_hard_wrapped_prose_is_joined():
    wrapped = ("The council voted on Tuesday to rebuild the harbour\n"
               "wall, which storms breached twice last winter.\n\n" + P2)
    assert parse("Wall\n\n" + wrapped).paragraphs == [P1, P2]


def test_byline_list_items_and_subheadings():
    text = (f"Wall to be rebuilt\nBy Ann Lee\n\n{P1}\n\nWhat happens next\n{P2}\n\n"
            "- Surveys in January\n- Work from March\n")
    a = parse(text)
    assert a.byline == "Ann Lee"
    kinds = [(b.kind, b.text) for b in a.blocks]
    assert ("subheading", "What happens next") in kinds
    assert ("list_item", "Surveys in January") in kinds
    assert ("list_item", "Work from March") in kinds


def test_no_headline_when_the_text_starts_with_prose():
    a = parse(f"{P1}\n\n{P2}\n\n{P3}")
    assert a.headline is None
    assert a.paragraphs == [P1, P2, P3]
    assert a.title.startswith("The council voted")


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Share\nTweet\nXS\nSM", "Just a headline"])
def test_no_article_text_is_a_parse_error(text):
    with pytest.raises(ParseError):
        parse(text)
