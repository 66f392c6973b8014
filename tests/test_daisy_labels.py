"""DAISY section labels: short enough for a player's line and a braille display, named as
every command names the block (numbered only where a kind repeats)."""

from __future__ import annotations

from reader.daisy.files import LABEL_MAX, block_labels, short_label
from reader.model import Article, Block


def test_short_text_is_kept_whole():
    assert short_label("Paragraph 2: Rain fell.") == "Paragraph 2: Rain fell."


def test_long_text_is_cut_at_a_word_with_an_ellipsis():
    text = "Paragraph 3: " + "The United States shares intelligence with its partners " * 3
    label = short_label(text)
    assert len(label) <= LABEL_MAX
    assert label.endswith("\u2026")
    assert text.startswith(label[:-1])
    assert text[len(label) - 1] == " "  # the cut falls between words


def test_one_very_long_word_is_cut_inside_it():
    label = short_label("x" * 100)
    assert label == "x" * (LABEL_MAX - 1) + "\u2026"


def test_numbers_only_where_a_kind_repeats():
    article = Article((Block("headline", "H"), Block("caption", "A photo."),
                       Block("paragraph", "One."), Block("paragraph", "Two."),
                       Block("quote", "Said so.")), headline="H")
    assert block_labels(article, [1, 2, 3, 4]) == {
        1: "Image caption: A photo.", 2: "Paragraph 1 of 2: One.",
        3: "Paragraph 2 of 2: Two.", 4: "Quote: Said so."}
