"""The seed article's sentences, written out by reading reader/data/mali.*."""

from __future__ import annotations

from itertools import groupby

import pytest

from reader import parse_source, segment_article, split_sentences

# Each block of the article and its sentences, in order, as a reader would hear them.
TABLE = [
    ["International Community Stands With Mali"],
    [
        "Nigerian troops for the African-led international support mission to Mali exit a "
        "military plane at Bamako airport, Mali."
    ],
    [
        "The United States shares the goal of France and others in the international community "
        "of denying terrorists a safe haven in Mali."
    ],
    [
        "French forces have begun to combat al Qaeda-linked insurgents who have captured and "
        "imposed harsh rule over wide areas in northern Mali.",
        "Responding to a request from the Malian government, France began targeted air stikes "
        "and troop deployments to the troubled West African nation on January 11 to help counter "
        "a drive south by armed rebel groups and extremist forces.",
    ],
    [
        "Nor are the French alone in coming to the aid of their former colony.",
        "Defense chiefs from the Economic Community of West African States, or ECOWAS, are "
        "meeting to finalize plans for an African force of as many as 3,300 soldiers from "
        "countries as diverse as Nigeria and Burkina Faso.",
    ],
    [
        "The United States shares the goal of France and others in the international community "
        "of denying terrorists a safe haven in Mali.",
        "We are working with France, the United Nations, and African nations to support their "
        "deployment to Mali, and are prepared to use our African Contingency Operations Training "
        "and Assistance program to get military trainers to those nations to help them prepare "
        "to deploy their troops.",
    ],
    [
        "As a result of the coup d’état, the United States is prohibited by law from providing "
        "assistance to the Malian military until democratic rule there has been restored by way "
        "of free and fair elections.",
        "This political progress is necessary to ensure that the security gains made by the "
        "intervention forces can be sustained.",
    ],
    [
        "As we have maintained humanitarian aid to the Malian people, we continue to call on all "
        "stakeholders to commit to and prepare to hold elections by April 2013.",
        "The threat posed by armed groups is intertwined with the political challenges facing "
        "the country.",
    ],
    [
        "There is no purely security solution to Mali’s many problems.",
        "Democracy must be restored, stakeholders who are willing to renounce terrorism must be "
        "included in talks on political settlement, and an economic program must be established "
        "to address the needs of those in the north who have felt ignored by the nation’s "
        "leaders.",
    ],
    [
        "We are committed to helping confront al Qaeda and terrorists wherever they may be.",
        "To prevent their ability to use Mali as a safe haven, we are committed to helping Mali "
        "and its neighbors successfully meet the challenges of restoring stability and security.",
    ],
]
BY_BLOCK = {" ".join(sentences): sentences for sentences in TABLE}


@pytest.mark.parametrize("sentences", TABLE, ids=lambda s: s[0][:30])
def test_each_block_of_the_table(sentences):
    assert split_sentences(" ".join(sentences)) == sentences


def test_html_article_sentences_match_the_table(seed_html):
    article = parse_source(str(seed_html))
    found = segment_article(article)
    matched = 0
    for b, group in groupby(found, key=lambda s: s.block):
        text = article.blocks[b].text
        got = [s.text for s in group]
        if text in BY_BLOCK:
            assert got == BY_BLOCK[text]
            matched += 1
        assert [s.index for s in found if s.block == b] == list(range(len(got)))
    # Every body paragraph of the seed is in the article (the parser may add or drop the
    # repeated first paragraph, the caption or the headline).
    body = [s for s in TABLE if len(s) == 2]
    assert matched >= len(body)


def test_text_article_holds_the_table_in_order(seed_txt):
    got = split_sentences(seed_txt.read_text(encoding="utf-8"))
    expected = [s for block in TABLE for s in block]
    it = iter(got)
    assert all(any(g == e for g in it) for e in expected), got
