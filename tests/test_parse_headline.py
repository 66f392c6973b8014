"""Headline reconciliation: one small page per general rule, as a table.

Each case gives the page's <head> and the markup before the body; the body is the same
three paragraphs every time, so only the headline rules differ.
"""

from __future__ import annotations

import pytest

import reader
from tests.support import BODY, page

SITE = "<meta property='og:site_name' content='Harbour Gazette'>"
LONG_H1 = (
    "Learn which harbour wall repairs are the best value? Get tips from builders on how "
    "to plan and pay for the repairs. We help you learn all you need to know."
)

LONG_TITLE = ("Council votes to rebuild the harbour wall after two storms breached it twice "
              "during the long and cold winter of last year")

CASES = [
    # (id, head, markup before the body, expected headline)
    ("h1-with-short-section-suffix",
     "<title>Wall to be rebuilt after storms | Harbour Gazette</title>" + SITE,
     "<h1>Wall to be rebuilt after storms | Opinion</h1>", "Wall to be rebuilt after storms"),
    ("h1-in-two-long-parts-is-kept",
     "<title>Harbour Week 2024 | Ann Lee builds a light installation on the wall</title>",
     "<h1>Harbour Week 2024 | Ann Lee builds a light installation on the wall</h1>",
     "Harbour Week 2024 | Ann Lee builds a light installation on the wall"),
    ("h1-with-breadcrumb-of-short-parts",
     "",
     "<h1>How to help babies sleep at night | Patient Education | Bay Children's Hospital</h1>",
     "How to help babies sleep at night"),
    ("h1-whose-apostrophe-became-a-question-mark",
     "<title>The Council’s Plan for the Harbour Wall - Harbour Gazette</title>" + SITE,
     "<h1>The Council? Plan for the Harbour Wall</h1>", "The Council’s Plan for the Harbour Wall"),
    ("h1-in-capitals-takes-the-title's-case",
     "<title>Council votes to rebuild the harbour wall – Harbour Gazette</title>" + SITE,
     "<h1>COUNCIL VOTES TO REBUILD THE HARBOUR WALL</h1>",
     "Council votes to rebuild the harbour wall"),
    ("acronyms-keep-their-capitals", "<title>NASA and ESA to share a moon base | Harbour"
     " Gazette</title>" + SITE, "<h1>NASA AND ESA TO SHARE A MOON BASE</h1>",
     "NASA and ESA to share a moon base"),
    ("capitals-stay-when-the-title-has-them-too", "<title>WALL TO BE REBUILT</title>",
     "<h1>WALL TO BE REBUILT</h1>", "WALL TO BE REBUILT"),
    ("a-real-question-is-kept",
     "<title>Will the wall hold? What the council says | Harbour Gazette</title>" + SITE,
     "<h1>Will the wall hold? What the council says</h1>",
     "Will the wall hold? What the council says"),
    ("a-real-question-before-a-dash-in-the-title-is-kept",
     "<title>Will the wall hold - What the council says | Harbour Gazette</title>" + SITE,
     "<h1>Will the wall hold? What the council says</h1>",
     "Will the wall hold? What the council says"),
    ("paragraph-set-as-h1-is-not-the-headline",
     "<title>The 10 best harbour wall repairs of 2023 (according to builders) | Harbour"
     " Gazette</title>" + SITE,
     f"<h1>{LONG_H1}</h1>", "The 10 best harbour wall repairs of 2023 (according to builders)"),
    ("breadcrumb-title-and-visible-heading",
     "<title>Gazette | World | Europe | Wall to be rebuilt</title>",
     "<h2>Wall to be rebuilt</h2>", "Wall to be rebuilt"),
    ("breadcrumb-title-without-a-visible-heading",
     "<title>Gazette | World | Europe | Wall to be rebuilt</title>", "", "Wall to be rebuilt"),
    ("breadcrumb-with-angle-brackets",
     "<title>Home > News > Europe > Wall to be rebuilt</title>", "", "Wall to be rebuilt"),
    ("fullwidth-bar-before-the-site", "<title>防波堤を再建へ｜港新聞</title>"
     "<meta property='og:site_name' content='港新聞'>", "", "防波堤を再建へ"),
    ("domain-before-the-headline",
     "<title>harbourgazette.com - Wall to be rebuilt</title>", "", "Wall to be rebuilt"),
    ("tagline-in-the-title-is-not-the-headline",
     "<title>Wall rebuild plan - Gazette | Powered by Harbour</title>",
     "<h2>Powered by Harbour</h2><h1>Council sets out a plan to rebuild the wall this year</h1>",
     "Council sets out a plan to rebuild the wall this year"),
    ("site-name-heading-is-not-the-headline",
     "<title>Wall to be rebuilt after storms - Harbour Gazette</title>" + SITE,
     "<h2>Harbour Gazette</h2>", "Wall to be rebuilt after storms"),
    ("truncated-og-title-gives-way-to-the-full-title",
     "<meta property='og:title' content='Council votes to rebuild the harbour wall after…'>"
     "<title>Council votes to rebuild the harbour wall after two storms - Harbour Gazette"
     "</title>" + SITE,
     "", "Council votes to rebuild the harbour wall after two storms"),
    ("kicker-inside-the-h1-is-left-out",
     "<title>Wall to be rebuilt after storms | Harbour Gazette</title>" + SITE,
     "<h1><span class='c-kicker'>Opinion</span> Wall to be rebuilt after storms</h1>",
     "Wall to be rebuilt after storms"),
    ("json-ld-headline-cut-short",
     "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": "
     f"\"{LONG_TITLE[:100].rsplit(' ', 1)[0]}\"}}</script><title>{LONG_TITLE} - Harbour "
     "Gazette</title>" + SITE, "", LONG_TITLE),
    ("og-title-that-is-the-site-name",
     "<meta property='og:title' content='Harbour Gazette'>"
     "<title>Wall to be rebuilt after storms - Harbour Gazette</title>" + SITE,
     "", "Wall to be rebuilt after storms"),
    ("logo-h1-and-kicker-are-not-the-headline",
     "<title>Council votes to rebuild harbour wall | Harbour Gazette</title>" + SITE,
     "<header><h1>Harbour Gazette</h1></header><p class='kicker'>Local news</p>"
     "<h1>Council votes to rebuild harbour wall</h1>",
     "Council votes to rebuild harbour wall"),
    ("h1-that-adds-a-word-to-the-declared-title",
     "<meta property='og:title' content='Best Harbour Walls of 2025'>"
     "<title>Best Harbour Walls of 2025 | Harbour Gazette</title>" + SITE,
     "<h1>The Best Harbour Walls of 2025</h1>", "Best Harbour Walls of 2025"),
    ("h1-with-and-where-the-title-has-an-ampersand",
     "<title>Walls & Piers: A Breakdown for Owners | Harbour Gazette</title>" + SITE,
     "<h1>Walls and Piers: A Breakdown for Owners</h1>", "Walls & Piers: A Breakdown for Owners"),
    ("h1-with-a-number-the-title-lacks-is-kept",
     "<title>Top harbour walls to visit | Harbour Gazette</title>" + SITE,
     "<h1>Top 10 harbour walls to visit</h1>", "Top 10 harbour walls to visit"),
    ("title-cut-by-its-last-word-gives-way-to-the-h1",
     "<meta property='og:title' content='Council sets out its plan to rebuild the'>",
     "<h1>Council sets out its plan to rebuild the wall</h1>",
     "Council sets out its plan to rebuild the wall"),
    ("title-that-differs-by-more-than-a-word-gives-way-to-the-h1",
     "<title>The Best Harbour Walls | Harbour Gazette</title>" + SITE,
     "<h1>The Best Harbour Walls, Tested by Our Editors</h1>",
     "The Best Harbour Walls, Tested by Our Editors"),
]


@pytest.mark.parametrize("head, before, expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_headline(head, before, expected):
    html = page(f"{before}<main><article>{BODY}</article></main>", head)
    assert reader.parse(html).headline == expected


def test_twice_encoded_utf8_is_read_as_meant():
    html = page(
        "<h1>The Councilâ€™s Plan for the Wall</h1><main><article>"
        "<p>The councilâ\x80\x99s plan, which residents called a rÃ©sumÃ© of old promises, "
        "rebuilds the harbour wall that storms breached twice last winter.</p>"
        f"{BODY}</article></main>",
        "<title>The Councilâ€™s Plan for the Wall</title>",
    )
    a = reader.parse(html)
    assert a.headline == "The Council’s Plan for the Wall"
    assert a.paragraphs[0].startswith("The council’s plan, which residents called a résumé")


def test_latin_text_without_the_sure_sign_is_left_alone():
    # "Ã©" alone could be meant; only a lead byte before a C1 or cp1252 character is sure.
    text = "Ã© naïve Ø° São Paulo résumé ÀÁ"
    html = page(f"<main><article><p>{text}, the harbour master said on Tuesday.</p>{BODY}"
                "</article></main>", "<title>Wall to be rebuilt</title>")
    assert reader.parse(html).paragraphs[0].startswith(text)


def test_headline_set_as_h2_inside_the_article():
    # An older page: no h1, the headline an h2 at the top of the article, worded a little
    # differently from the <title>.
    html = page(
        f"<main><article><h2>Council to rebuild harbour wall</h2>{BODY}</article></main>",
        "<title>Council votes to rebuild the harbour wall after storms - Harbour Gazette</title>"
        + SITE,
    )
    a = reader.parse(html)
    assert a.headline == "Council to rebuild harbour wall"
    assert [b.kind for b in a.blocks[:2]] == ["headline", "paragraph"]


def test_h1_that_partly_agrees_beats_a_subheading_that_agrees_more():
    html = page(
        "<main><article><h1>How robot mowers find their way</h1>"
        "<h2>How robot mower lawn mapping works</h2>"
        f"{BODY}</article></main>",
        "<title>How does robot mower lawn mapping work - Harbour Gazette</title>" + SITE,
    )
    assert reader.parse(html).headline == "How robot mowers find their way"


def test_page_without_title_or_h1_takes_the_heading_at_the_body_top():
    html = page("<nav><h2>Sections</h2></nav><main><article><h2>Council to rebuild harbour "
                f"wall</h2>{BODY}<h2>What happens next</h2><p>{'More text here. ' * 5}</p>"
                "</article></main>")
    assert reader.parse(html).headline == "Council to rebuild harbour wall"


def test_an_h1_of_question_marks_does_not_make_the_title_match_backtrack():
    # Forty lost-character wildcards against a long title part would take 3**40 steps.
    html = page(f"<main><article><h1>{'?' * 40}x</h1>{BODY}</article></main>",
                f"<title>{'a' * 80}y | Harbour Gazette</title>" + SITE)
    assert reader.parse(html).headline == f"{'a' * 80}y"
