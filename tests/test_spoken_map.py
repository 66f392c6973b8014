"""The map from spoken text back to the sentence, and the language registry."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.spoken import speaker
from reader.spoken.table import language_of, languages

TABLE = Path(__file__).resolve().parent / "data" / "spoken-en.tsv"
PHRASES = [
    line.split("\t")[1]
    for line in TABLE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_a_rewritten_piece_points_back_at_its_original_characters():
    text = "Sen. Warren paid $5.2bn on Nov. 18.[3]"
    said = speaker("en")(text)
    assert said.text == "Senator Warren paid 5.2 billion dollars on November 18th."
    a = said.text.index("5.2 billion dollars")
    start, end = said.source_span(a, a + len("5.2 billion dollars"))
    assert text[start:end] == "$5.2bn"
    a = said.text.index("Warren")
    assert said.source_span(a, a + 6) == (text.index("Warren"), text.index("Warren") + 6)
    assert said.skipped == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4).map(" ".join))
def test_spans_cover_both_texts_in_order(text):
    said = speaker("en")(text)
    spans = said.spans
    assert spans[0][0] == 0 and spans[0][2] == 0
    assert spans[-1][1] == len(said.text) and spans[-1][3] == len(text)
    for (_, se, _, te), (ss, _, ts, _) in zip(spans, spans[1:], strict=False):
        assert se == ss and te == ts
    for ss, se, ts, te in spans:
        if said.text[ss:se] == text[ts:te]:
            continue
        assert ts < te or se > ss  # a rewrite replaced something or said something


def test_languages_are_found_by_their_table():
    assert "en" in languages()
    assert language_of("en-GB") == language_of("EN_us") == language_of(None) == "en"
    assert language_of("fr") is None  # no table: only lexicons apply
    assert speaker("fr")("Il a payé $5 le 3 mai.").text == "Il a payé $5 le 3 mai."


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789$£€.,:;-–/()[]#@&+%°¹½CFkmbnI XVL'’\"abcSt.Dr.No.JanPMam",
               max_size=40))  # fmt: skip
@example("[¹[")  # a footnote mark left out between brackets once joined them into "[["
@example("]¹²]")
@example("[[[")  # a run of three: the first pair said as one bracket met the third
def test_any_text_is_said_without_error_and_mapped_whole(text):
    said = speaker("en")(text)
    if text:
        assert said.spans[-1][3] == len(text) and said.spans[-1][1] == len(said.text)
    assert "[[" not in said.text
