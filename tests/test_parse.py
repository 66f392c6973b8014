"""reader.parse on HTML: one small page per rule, and what the article must (not) hold."""

from __future__ import annotations

import pytest

import reader
from reader.errors import ParseError
from tests.support import BODY, page


def test_headline_is_the_article_h1_not_the_logo():
    html = page(
        "<header><h1 class='logo'><a href='/'>Harbour Gazette</a></h1></header>"
        f"<article><h1>Council votes to rebuild harbour wall</h1>{BODY}</article>",
        "<title>Council votes to rebuild harbour wall | Harbour Gazette</title>"
        "<meta property='og:site_name' content='Harbour Gazette'>",
    )
    a = reader.parse(html)
    assert a.headline == "Council votes to rebuild harbour wall"
    assert a.site == "Harbour Gazette"
    assert a.blocks[0].kind == "headline" and a.blocks[0].text == a.headline


@pytest.mark.parametrize(
    "head, expected",
    [
        ("<title>Wall to be rebuilt - Harbour Gazette</title>"
         "<meta property='og:site_name' content='Harbour Gazette'>", "Wall to be rebuilt"),
        ("<title>Harbour Gazette | Wall to be rebuilt</title>"
         "<meta property='og:site_name' content='Harbour Gazette'>", "Wall to be rebuilt"),
        ("<title>Old title</title><meta property='og:title' content='Wall to be rebuilt'>",
         "Wall to be rebuilt"),
        ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
         "\"headline\": \"Wall to be rebuilt\"}</script><title>Gazette</title>",
         "Wall to be rebuilt"),
    ],
    ids=["title-suffix", "title-prefix", "og-title", "json-ld"],
)
def test_headline_without_h1_comes_from_declared_titles(head, expected):
    assert reader.parse(page(f"<main>{BODY}</main>", head)).headline == expected


def test_metadata_from_json_ld_and_meta():
    head = (
        "<script type='application/ld+json'>{\"@context\": \"https://schema.org\", \"@graph\": ["
        "{\"@type\": \"WebSite\", \"name\": \"Harbour Gazette\"},"
        "{\"@type\": \"NewsArticle\", \"headline\": \"Wall to be rebuilt\","
        " \"author\": [{\"@type\": \"Person\", \"name\": \"Ann Lee\"}],"
        " \"datePublished\": \"2024-03-01T08:00:00Z\"}]}</script>"
    )
    a = reader.parse(page(f"<article><h1>Wall to be rebuilt</h1>{BODY}</article>", head, "en-GB"))
    assert (a.byline, a.published, a.language, a.site) == (
        "Ann Lee", "2024-03-01T08:00:00Z", "en-GB", "Harbour Gazette")
    d = a.to_dict()
    assert set(d) >= {"headline", "summary", "byline", "published", "language", "captions",
                      "paragraphs"}


def test_broken_json_ld_is_ignored():
    head = "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", </script>"
    assert reader.parse(page(f"<article><h1>Wall</h1>{BODY}</article>", head)).headline == "Wall"


def test_caption_once_without_credit():
    caption = "Waves break over the harbour wall during the February storm."
    html = page(
        f"<article><h1>Wall</h1><figure><img src='a.jpg' alt='{caption}'>"
        f"<figcaption>{caption} <span class='credit'>Photo: J. Smith/Agency</span>"
        f"</figcaption></figure>{BODY}</article>"
    )
    a = reader.parse(html)
    assert a.captions == [caption]
    assert [b.kind for b in a.blocks[:3]] == ["headline", "caption", "paragraph"]
    assert all("J. Smith" not in b.text for b in a.blocks)


def test_alt_text_alone_is_not_a_caption():
    # A page shows its captions; alt text, even a full sentence, is not one of them.
    long_alt = "Fishing boats moored at the northern quay at dawn"
    html = page(
        f"<article><h1>Wall</h1><figure><img src='a.jpg' alt='{long_alt}'></figure>"
        f"<figure><img src='b.jpg' alt='photo'></figure>{BODY}</article>"
    )
    a = reader.parse(html)
    assert a.captions == []
    assert all("Fishing boats" not in b.text for b in a.blocks)


FURNITURE = {
    "Skip to main content": "<a class='skip-link' href='#main'>Skip to main content</a>",
    "Breaking News": "<div class='ticker'><h2>Breaking News</h2><p>Storm warning for the "
                     "coast tonight, residents told to stay indoors.</p></div>",
    "Home": "<nav><ul><li><a href='/'>Home</a></li><li><a href='/sport'>Sport</a></li></ul></nav>",
    "Share on Facebook": "<div class='share-bar'><a href='#'>Share on Facebook</a></div>",
    "Print this": "<div class='print-tools'><a href='#'>Print this</a></div>",
    "A+": "<div class='font-size'><button>A-</button><button>A+</button></div>",
    "Advertisement": "<div class='ad-slot'>Advertisement</div>",
    "Sign up to our newsletter": "<div class='newsletter-signup'><p>Sign up to our newsletter "
                                 "for the week's best stories, delivered every Friday.</p></div>",
    "We use cookies": "<div id='cookie-consent'><p>We use cookies to improve your experience "
                      "on our site and to show you relevant advertising.</p></div>",
    "Read more": "<p><a href='/other'>Read more: Harbour fees to rise next year</a></p>",
    "Ferry timetable changes": "<aside class='related'><h3>Related</h3><ul>"
                               "<li><a href='/a'>Ferry timetable changes</a></li></ul></aside>",
    "Great article": "<section id='comments'><h3>Comments</h3><p>Great article, I have lived "
                     "here for forty years and never seen a storm like it.</p></section>",
    "All rights reserved": "<footer><p>© 2024 Harbour Gazette. All rights reserved.</p></footer>",
}


def test_furniture_is_never_read():
    parts = list(FURNITURE.values())
    html = page(
        parts[0] + parts[1] + parts[2]
        + "<main id='main'><article><h1>Wall</h1>" + parts[3] + parts[4] + parts[5]
        + BODY[: BODY.index("</p>") + 4] + parts[6] + parts[9] + BODY[BODY.index("</p>") + 4:]
        + parts[7] + "</article>" + parts[10] + parts[11] + "</main>" + parts[8] + parts[12]
    )
    a = reader.parse(html)
    assert len(a.paragraphs) == 3
    read = " ".join(b.text for b in a.blocks)
    for text in FURNITURE:
        assert text not in read, text


def test_block_kinds():
    html = page(
        "<article><h1>Wall</h1>" + BODY
        + "<h2>What happens next</h2><ul><li>Surveys in January.</li><li>Work from March.</li>"
        "</ul><blockquote><p>We have waited ten years for this.</p></blockquote>"
        "<p>The county will publish the contract in the spring, officials said on Tuesday.</p>"
        "</article>"
    )
    kinds = [(b.kind, b.text) for b in reader.parse(html).blocks]
    assert ("subheading", "What happens next") in kinds
    assert ("list_item", "Surveys in January.") in kinds
    assert ("quote", "We have waited ten years for this.") in kinds
    order = [k for k, _ in kinds]
    assert order.index("subheading") < order.index("list_item") < order.index("quote")


def test_standfirst_is_the_summary_and_read_once():
    deck = "The town's sea defences will be rebuilt over two years at a cost of £12m."
    html = page(f"<article><h1>Wall</h1><p class='standfirst'>{deck}</p>{BODY}</article>")
    a = reader.parse(html)
    assert a.summary == deck
    assert [b.kind for b in a.blocks[:3]] == ["headline", "summary", "paragraph"]
    assert deck not in a.paragraphs


def test_summary_marked_element_holding_the_opening_paragraphs_is_body_text():
    # A content system's body field "with summary": its class names a summary, but it
    # holds the article's first paragraphs, where a standfirst is a line or two.
    first = "Problems with the harbour wall can flood the lower town in a storm."
    second = "The council's campaign explains what residents can do to prepare."
    html = page(f"<article><h1>Wall</h1><div class='text-with-summary'>"
                f"<p>{first}</p><p>{second}</p></div>{BODY}</article>")
    a = reader.parse(html)
    assert a.summary is None
    assert a.paragraphs[:2] == [first, second]


def test_summary_repeated_by_the_body_is_not_read_twice():
    first = "The council voted on Tuesday to rebuild the harbour wall."
    html = page(
        f"<article><h1>Wall</h1><p class='dek'>{first}</p>"
        f"<p>{first} Storms breached it twice last winter.</p>{BODY}</article>"
    )
    a = reader.parse(html)
    assert a.summary == first
    assert "summary" not in [b.kind for b in a.blocks]


def test_quotation_set_as_a_figure_is_read():
    # The HTML standard's way to attribute a quotation: <figure><blockquote> with the
    # source in <figcaption>. The quotation is the article's text, not an image's.
    said = "We have waited ten years for this wall, and we will not wait another winter."
    html = page(f"<article><h1>Wall</h1>{BODY}<figure><blockquote><p>{said}</p></blockquote>"
                "<figcaption>Ann Lee, harbour master</figcaption></figure></article>")
    a = reader.parse(html)
    assert ("quote", said) in [(b.kind, b.text) for b in a.blocks]
    assert said in a.paragraphs


def test_pull_quote_repeating_the_body_is_dropped():
    quote = "which fishermen say is the town's only protection"
    html = page(f"<article><h1>Wall</h1><blockquote class='pullquote'>{quote}</blockquote>"
                f"{BODY}</article>")
    assert [b.kind for b in reader.parse(html).blocks].count("quote") == 0


def test_double_br_separates_paragraphs_and_divs_hold_text():
    text = ("The harbour wall will be rebuilt, the council decided on Tuesday evening after a "
            "long debate.<br><br>Work begins in March and will take two years to complete, "
            "officials said.")
    a = reader.parse(page(f"<div id='story'><h1>Wall</h1><div>{text}</div></div>"))
    assert len(a.paragraphs) == 2
    assert a.paragraphs[1].startswith("Work begins in March")


def test_text_after_a_stray_closing_html_tag_is_read():
    html = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    html += f"<article>{BODY}</article>"
    assert len(reader.parse(html).paragraphs) == 3


def test_hidden_content_is_not_read():
    html = page(f"<article><h1>Wall</h1>{BODY}<div style='display: none'><p>A hidden "
                "paragraph that a sighted reader never sees on the page at all.</p></div>"
                "<p hidden>Another hidden paragraph that nobody sees on the page.</p></article>")
    assert all("hidden" not in p for p in reader.parse(html).paragraphs)


def test_page_without_article_text_is_a_parse_error():
    with pytest.raises(ParseError, match="no article text"):
        reader.parse(page("<nav><a href='/'>Home</a></nav><footer>© 2024</footer>"))


def test_parse_dispatches_on_content_and_media_type():
    assert reader.parse(page(f"<article>{BODY}</article>")).paragraphs[0].startswith("The council")
    as_text = reader.parse(page(f"<article>{BODY}</article>"), media_type="text/plain")
    assert "<p>" in " ".join(as_text.paragraphs)  # told it is text, reader reads it as text
    with pytest.raises(ParseError):
        reader.parse(b"<p>bytes</p>")  # type: ignore[arg-type]


def test_old_table_layout_with_br_lines_and_byline():
    nav = "<td>" + "<br>".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(15)) + "</td>"
    paras = [p[3:] for p in BODY.split("</p>") if p]
    story = ("<td><font size='4'><b>Harbour wall to be rebuilt</b></font><br>"
             "<font size='2'>By JOHN DOE, Staff Writer</font><br><br>" + "<br><br>".join(paras)
             + "<br><br><a href='/print'>Print this story</a> | <a href='/mail'>E-mail</a></td>")
    ads = "<td><a href='/ad'>Cheap flights to anywhere in the world today</a></td>"
    html = ("<html><head><title>Harbour wall to be rebuilt - The Gazette</title></head><body>"
            f"<table><tr>{nav}{story}{ads}</tr></table></body></html>")
    a = reader.parse(html)
    assert a.headline == "Harbour wall to be rebuilt"
    assert a.byline == "JOHN DOE, Staff Writer"
    assert a.paragraphs == paras


@pytest.mark.parametrize("deck", ["Blog", "Council votes to rebuild harbour wall | Opinion"],
                         ids=["label", "headline-again"])
def test_summary_marked_text_that_is_no_standfirst(deck):
    html = page(f"<article><h1>Council votes to rebuild harbour wall</h1>"
                f"<p class='summary'>{deck}</p>{BODY}</article>")
    a = reader.parse(html)
    assert a.summary is None
    assert all(deck not in b.text for b in a.blocks[1:])


def test_calls_to_action_in_the_body_are_not_read():
    html = page(f"<article><h1>Wall</h1>{BODY}<p>Sign up for our newsletter to get the week's "
                "best stories.</p><p>Tags: harbour, council</p><p>Share this article</p></article>")
    a = reader.parse(html)
    assert len(a.paragraphs) == 3


def test_second_h1_inside_the_body_is_a_subheading():
    html = page(f"<article><h1>Wall to be rebuilt</h1>{BODY}<h1>What happens next</h1>"
                "<p>Surveys start in January; the contract is signed in the spring.</p></article>")
    a = reader.parse(html)
    assert a.headline == "Wall to be rebuilt"
    assert ("subheading", "What happens next") in [(b.kind, b.text) for b in a.blocks]
    assert [b.kind for b in a.blocks].count("headline") == 1


@pytest.mark.timeout(30)  # a guard against quadratic scans, not a speed measurement
@pytest.mark.parametrize(
    "junk",
    ["<nav" * 100_000, "<time " * 100_000, "ld+json<script " * 50_000, "<script>" * 100_000,
     "<!--" * 100_000, "<svg" * 100_000, "<blockquote>same words here</blockquote>" * 20_000,
     "<script type=application/ld+json>[" * 50_000],
    ids=["nav", "time", "ld-json", "script", "comment", "svg", "quotes", "open-json"],
)
def test_pathological_markup_finishes(junk):
    try:
        reader.parse(page(f"<article>{BODY}</article>") + junk)
    except ParseError:
        pass


@pytest.mark.parametrize(
    "panel",
    [
        "<div id='p1' style='display:none' role='region' aria-labelledby='h1'>{}</div>",
        "<div class='kt-accordion-wrap kt-accodion-icon-style-arrow'>{}</div>",
        "<div class='accordion-panel' style='display: none'>{}</div>",
    ],
    ids=["hidden-region", "accordion-with-icon-class", "hidden-accordion"],
)
def test_collapsed_panels_of_the_article_are_read(panel):
    step = ("Week two: the builders pour the new foundations along the southern quay, "
            "working at low tide so the concrete can set before the water returns.")
    html = page(f"<article><h1>Wall</h1>{BODY}<h2>Step by step</h2>"
                f"{panel.format(f'<p>{step}</p>')}</article>")
    assert step in reader.parse(html).paragraphs


def test_a_hidden_menu_is_still_furniture():
    menu = "<ul style='display:none'>" + "".join(
        f"<li>Section number {i} of the site menu with a long label</li>" for i in range(5)
    ) + "</ul>"
    a = reader.parse(page(f"<article><h1>Wall</h1>{menu}{BODY}</article>"))
    assert not any("site menu" in p for p in a.paragraphs)
