"""Choosing the article among candidates, and saying how sure the choice is.

Small pages written here, each a general shape of the web: scripts that write markup,
a consent panel, an article split by ads, a list of teasers, placeholder text, broken
markup, and the whole page on request.
"""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from click.testing import CliRunner

from reader import parse
from reader.cli import main
from reader.parse import parse_whole_page
from reader.parse.confidence import LOW, Page, assess, doubt
from reader.parse.html import script_end, strip_unread

SENTENCES = [
    "The council voted on Tuesday to keep the town library open through the winter.",
    "Members argued for three hours about the cost of heating the old building.",
    "In the end the mayor said the reading room mattered more than the bill.",
    "Volunteers have offered to run the evening hours without pay until spring.",
    "A survey last year found that one in four residents borrowed a book each month.",
    "The library was built in 1904 with money raised by the town's mill workers.",
    "Its roof was repaired in 1990, and again after the storm two years ago.",
    "Children's story time on Saturday mornings will go on as before, staff said.",
]


def paragraphs(n: int, offset: int = 0) -> list[str]:
    """``n`` distinct paragraphs of running text."""
    out = []
    for i in range(n):
        k = offset + i
        out.append(f"Paragraph {k + 1}. " + " ".join(SENTENCES[(k + j) % 8] for j in range(3)))
    return out


def ps(texts: list[str]) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><title>Library stays open</title>{head}</head>"
            f"<body>{body}</body></html>")


def test_script_that_writes_markup_and_holds_end_tag_in_a_string():
    # Old pages hide scripts in <!-- -->; there a '<script' makes the '</SCRIPT>' of a
    # document.write string part of the script, as browsers read it (HTML standard,
    # script data double escaped state). The rest of the script writes an iframe whose
    # end tag is split, so cutting at the first </SCRIPT> would open an iframe that
    # swallows the article.
    script = (
        '<SCRIPT LANGUAGE="JavaScript"><!--\n'
        "document.write('<SCRIPT LANGUAGE=\"JavaScript\" SRC=\"/js/ad.js\"></SCRIPT>');\n"
        "if (window.showAd) document.write('<IFRAME SRC=\"/ad.html\" WIDTH=468></IF' + 'RAME>');\n"
        "// --></SCRIPT>"
    )
    text = paragraphs(5)
    html = page(f"<h1>Library stays open</h1>{script}{ps(text)}{script}")
    a = parse(html, media_type="text/html")
    assert a.paragraphs == text
    assert not any("document.write" in p or "IFRAME" in p for p in a.paragraphs)


def test_script_end_follows_the_html_standard():
    plain = "var s = '</script>'; more()</script><p>after"
    assert plain[script_end(plain, 0):].startswith("'; more()")  # ends early, as in browsers
    escaped = "<!-- document.write('<script src=x></script>'); //--></script><p>after"
    assert escaped[script_end(escaped, 0):] == "<p>after"
    assert script_end("<!-- never closed", 0) is None


def test_consent_panel_is_not_read_as_the_article():
    consent = (
        "<div class='panel'><h2>Privacy Overview</h2>"
        + ps([
            "This website uses cookies to improve your experience while you navigate through "
            "the website. Out of these, the cookies that are categorized as necessary are "
            "stored on your browser as they are essential for the working of basic functions.",
            "We also use third-party cookies that help us analyze and understand how you use "
            "this website. These cookies will be stored in your browser only with your consent. "
            "You also have the option to opt-out of these cookies at any time.",
            "Necessary cookies are absolutely essential for the website to function properly. "
            "These cookies ensure basic functionalities and security features of the website, "
            "anonymously. Any cookies that may not be particularly necessary are non-necessary "
            "cookies, used to collect user personal data via analytics, ads, other embedded "
            "contents, and you can change your consent in the privacy settings at any time.",
        ])
        + "</div>"
    )
    text = paragraphs(3)
    html = page(f"<div><h1>Library stays open</h1><div>{ps(text)}</div></div>{consent}")
    a = parse(html, media_type="text/html")
    assert a.paragraphs == text
    assert a.confidence >= LOW


def test_consent_panel_alone_is_flagged():
    html = page(
        "<div><h2>Privacy Overview</h2>"
        + ps([
            "This website uses cookies to improve your experience while you navigate through "
            "the website. Cookies that are categorized as necessary are stored on your browser.",
            "We also use third-party cookies that help us analyze how you use this website. "
            "These cookies will be stored in your browser only with your consent.",
        ])
        + "</div>"
    )
    a = parse(html, media_type="text/html")
    assert a.confidence < LOW
    assert "looks like a cookie notice" in a.warnings


def test_consent_panel_spread_over_short_blocks_is_flagged():
    # One block speaks of cookies; the others each hold one consent phrase or none.
    blocks = [
        "Manage Consent",
        "To provide the best experiences, we use technologies like cookies to store and "
        "access device information. Not consenting may affect some features.",
        "Functional", "Always active",
        "The technical storage or access is strictly necessary for the legitimate purpose "
        "of enabling the use of a specific service explicitly requested by the user.",
        "Statistics",
        "The technical storage or access is used exclusively for statistical purposes by "
        "a third party, and cannot be used to identify you.",
    ]
    confidence, reasons = assess(blocks, Page(0, 0, sum(map(len, blocks))))
    assert "looks like a cookie notice" in reasons
    # Read from a page, the panel (or the best of its parts) is doubted.
    assert parse(page(f"<div>{ps(blocks)}</div>"), media_type="text/html").confidence < LOW


def test_page_of_only_a_consent_panel_is_warned_as_a_cookie_notice():
    # One section of the panel speaks of neither cookies nor consent; alone it is only
    # "very little text", which weighs less than a cookie notice. Being a part of the
    # panel, it is no likelier the article: the listener hears the panel and its reason.
    html = page(
        "<div class='panel'><h2>We value your privacy</h2>"
        "<p>We use cookies to enhance your browsing experience and to analyse our traffic.</p>"
        "<div><h3>Necessary</h3><p>Necessary cookies are needed for the site to work and "
        "cannot be switched off.</p></div>"
        "<div><h3>Analytics</h3><p>These tools help us count visits and see which pages are "
        "read the most, so that we can improve how the site works for everyone.</p></div>"
        "<button>Accept all</button><button>Reject all</button><button>Customise</button>"
        "</div>"
    )
    a = parse(html, media_type="text/html")
    assert a.confidence < LOW
    assert a.warnings[0] == "looks like a cookie notice"
    assert doubt(a) == ("This page may not have been read correctly: "
                        "looks like a cookie notice.")
    assert any(p.startswith("We use cookies") for p in a.paragraphs)
    assert any(p.startswith("These tools help us") for p in a.paragraphs)


def test_an_article_that_uses_a_consent_word_is_not_a_cookie_notice():
    # "Necessary", "third-party" and "privacy" are ordinary words of an article; a
    # consent notice speaks of cookies or holds several of its phrases together.
    text = [
        "Outsourcing the payroll is often necessary for a small firm without its own staff. "
        "The owners of the bakery on the square found that out when their bookkeeper retired.",
        "A third-party provider now handles the work for them, and a contract sets out what "
        "it may see of the accounts and how long it keeps the records after the year ends.",
        "Privacy was the first question the owners asked, and the answer was in the contract "
        "they signed in the spring, after two weeks of talks with three different firms.",
        "The bakery pays a fixed fee each month, which the owners say is less than the hours "
        "they used to spend on the forms themselves every Sunday evening at the kitchen table.",
    ]
    html = page("<article><h1>Payroll</h1>" + ps(text) + "</article>")
    a = parse(html, media_type="text/html")
    assert "looks like a cookie notice" not in a.warnings
    assert a.confidence >= LOW
    banner = page("<div><p>We use cookies to give you the best experience on our website, "
                  "and to show you offers that suit you.</p></div>")
    assert "looks like a cookie notice" in parse(banner, media_type="text/html").warnings


def test_article_split_by_ads_into_sibling_containers_is_read_whole():
    parts = [paragraphs(2, 2 * i) for i in range(4)]
    promo = ("<div class='ad-slot'>" + ps([
        f"Special offer {i}: save on garden furniture, outdoor lights and barbecues this "
        "weekend only, in every store and online, while stocks last." for i in range(5)
    ]) + "</div>")
    body = promo.join(f"<div class='part'>{ps(p)}</div>" for p in parts)
    html = page(f"<h1>Library stays open</h1><div class='story'>{body}</div>")
    a = parse(html, media_type="text/html")
    assert a.paragraphs == [t for p in parts for t in p]
    assert not any("Special offer" in t for t in a.paragraphs)


def test_list_of_teasers_has_low_confidence():
    teasers = "".join(
        # A news headline's length (60-70 characters) over a one-sentence standfirst.
        f"<div class='card'><h3><a href='/story/{i}'>Story number {i} about the town and what its"
        f" council decided</a></h3>"
        f"<p>{SENTENCES[i % 8]}</p></div>"
        for i in range(12)
    )
    a = parse(page(f"<h1>Latest news</h1><div>{teasers}</div>"), media_type="text/html")
    assert a.confidence < LOW
    assert "looks like a list of links" in a.warnings


def test_roundup_of_linked_items_with_their_own_text_is_not_flagged():
    # A review roundup: each linked product heading has its own paragraphs, so little of
    # the text is links although the headings are.
    items = "".join(
        f"<h3><a href='https://shop.example/{i}'>Product {i}</a></h3>"
        f"<p>{SENTENCES[i % 8]} {SENTENCES[(i + 1) % 8]}</p>"
        for i in range(12)
    )
    a = parse(page(f"<h1>The best products</h1><div>{items}</div>"), media_type="text/html")
    assert "looks like a list of links" not in a.warnings


def test_comments_read_as_the_article_have_low_confidence():
    # A comment thread with no links in it: each comment under its date on a line alone.
    comments = "".join(
        f"<div><p>Reader {i}</p><p>November {i + 1}, 2025 at {i + 1}:15 pm</p>"
        f"<p>{SENTENCES[i % 8]}</p></div>"
        for i in range(8)
    )
    a = parse(page(f"<h1>Comments</h1><div>{comments}</div>"), media_type="text/html")
    assert "looks like a list of posts or comments" in a.warnings
    assert a.confidence < LOW


def test_comments_without_dates_have_low_confidence():
    comments = "".join(
        f"<div><p>Reader {i} says:</p><p>{SENTENCES[i % 8]}</p><p>Reply</p></div>"
        for i in range(6)
    )
    a = parse(page(f"<div>{comments}</div>"), media_type="text/html")
    assert "looks like a list of posts or comments" in a.warnings


def test_article_ending_in_a_comment_prompt_is_confident():
    text = paragraphs(8) + ["Leave a comment", "3 Comments"]
    a = parse(page(f"<article><h1>Library stays open</h1>{ps(text)}</article>"),
              media_type="text/html")
    assert "looks like a list of posts or comments" not in a.warnings


def test_note_about_the_author_has_low_confidence():
    note = ps(["About the author", "Jane Doe",
               "Jane Doe is a senior staff writer who covers local government, libraries "
               "and schools. Before that she spent ten years at a regional daily paper."])
    a = parse(page(f"<div>{note}</div>"), media_type="text/html")
    assert "looks like a note about the author" in a.warnings
    assert a.confidence < LOW


def test_article_ending_with_a_note_about_the_author_is_confident():
    note = ["About the author", "Jane Doe is a staff writer who covers the town council."]
    a = parse(page(f"<article><h1>Library stays open</h1>{ps(paragraphs(8) + note)}"
                   "</article>"), media_type="text/html")
    assert "looks like a note about the author" not in a.warnings
    assert a.confidence >= LOW


def test_posts_cut_short_have_low_confidence():
    posts = ps([f"{SENTENCES[i % 8][:-1]} and what the members of the council said..."
                for i in range(8)])
    a = parse(page(f"<h1>Latest</h1><div>{posts}</div>"), media_type="text/html")
    assert "looks like a list of posts or comments" in a.warnings


def test_article_with_dates_in_its_sentences_and_notes_is_confident():
    # A history with dated events and footnotes "consulted on <date>": the dates are
    # parts of sentences, not lines of their own.
    events = [f"On March {i + 1}, 1904, {SENTENCES[i % 8][0].lower()}{SENTENCES[i % 8][1:]}"
              for i in range(8)]
    notes = [f"Town archive, minutes of the council, consulted on October {i + 1}, 2025."
             for i in range(6)]
    a = parse(page(f"<article><h1>History</h1>{ps(events + notes)}</article>"),
              media_type="text/html")
    assert "looks like a list of posts or comments" not in a.warnings
    assert a.confidence >= LOW


def _banner() -> str:
    """A shipping banner, one offer per country from one template, as a shop prints it
    in every currency (visible or not, with class names that say nothing)."""
    offers = [f"Free standard shipping on orders {amount}. For more information on "
              "shipping rates and timelines, please visit our international page."
              for amount in ("$40+", "$60 CAD+", "$110 AUD+", "40 EUR+", "35 GBP+", "400 SEK+")]
    return f"<div class='x1'>{ps(offers)}</div>"


def test_the_same_lines_again_and_again_are_doubted_and_lose_to_the_text():
    terms = ps(paragraphs(2))  # the page's own short text, less than the banner
    a = parse(page(f"{_banner()}<h1>Promotion terms</h1><div class='x2'>{terms}</div>"),
              media_type="text/html")
    assert a.paragraphs[0].startswith("Paragraph 1.")
    assert not any("shipping" in p for p in a.paragraphs)


def test_a_banner_alone_is_warned_as_the_same_lines():
    a = parse(page(_banner()), media_type="text/html")
    assert "the same lines again and again" in a.warnings
    assert a.confidence < LOW


def test_an_article_that_repeats_a_phrase_is_not_a_template():
    # A refrain in a few paragraphs, in long paragraphs: the text itself.
    refrain = "the library will stay open through the winter"
    texts = [f"{t} As the mayor put it, {refrain}." for t in paragraphs(6)]
    a = parse(page(f"<article><h1>Library stays open</h1>{ps(texts)}</article>"),
              media_type="text/html")
    assert a.confidence == 1.0 and a.warnings == ()


def test_lorem_ipsum_has_low_confidence():
    lorem = ps([
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud.",
    ] * 1 + [
        "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu "
        "fugiat nulla pariatur. Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    ])
    a = parse(page(f"<h1>Template</h1><div>{lorem}</div>"), media_type="text/html")
    assert a.confidence < LOW
    assert "placeholder text (lorem ipsum)" in a.warnings


def test_ordinary_article_is_confident():
    a = parse(page(f"<article><h1>Library stays open</h1>{ps(paragraphs(6))}</article>"),
              media_type="text/html")
    assert a.confidence == 1.0 and a.warnings == ()


def test_broken_markup_is_read_again_another_way():
    # An unclosed <title> swallows the page in the first reading (lxml keeps it all as
    # the title's text); Python's HTML parser, the fallback, ends it at the markup.
    text = paragraphs(4)
    html = (f"<html><head><title>Library stays open</head><body><h1>Library</h1>{ps(text)}"
            "</body></html>")
    first = BeautifulSoup(strip_unread(html), "lxml")
    assert first.find("p") is None  # the first reading alone finds no paragraph
    a = parse(html, media_type="text/html")
    assert a.paragraphs == text


def test_element_left_open_is_cut_alone_in_the_second_reading():
    text = paragraphs(4)
    html = page(f"<h1>Library stays open</h1><iframe src='/ad.html'>{ps(text)}")
    assert "Paragraph" not in strip_unread(html)
    assert "Paragraph 1" in strip_unread(html, lenient=True)
    assert parse(html, media_type="text/html").paragraphs == text


def test_whole_page_reads_everything_visible_in_order():
    html = page(
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<header><p>The Town Courier</p></header>"
        "<h1>Library stays open</h1>"
        f"<div class='story'>{ps(paragraphs(2))}</div>"
        "<aside><h2>Most read</h2><ul><li>Bridge closed for repairs</li></ul></aside>"
        "<div hidden><p>Hidden survey text</p></div>"
        "<div style='display: none'><p>Also hidden</p></div>"
        "<form hidden><p>Hidden sign-up form</p></form>"
        "<aside style='display:none'><p>Hidden box</p></aside>"
        "<script>document.write('<p>written</p>')</script>"
        "<form><p>Write to the editor</p></form>"
        "<footer><p>Contact the newsroom</p></footer>"
    )
    a = parse_whole_page(html)
    texts = [b.text for b in a.blocks]
    assert texts == ["The Town Courier", "Library stays open", *paragraphs(2), "Most read",
                     "Bridge closed for repairs", "Write to the editor", "Contact the newsroom"]
    assert a.headline == "Library stays open"
    assert parse(html, media_type="text/html", whole_page=True) == a
    article = parse(html, media_type="text/html")
    assert "Contact the newsroom" not in article.paragraphs


def test_outline_json_has_confidence_and_reasons(tmp_path):
    src = tmp_path / "teasers.html"
    teasers = "".join(
        f"<div><h3><a href='/s/{i}'>Story {i} about the town and what its council did"
        f" next</a></h3>"
        f"<p>{SENTENCES[i % 8]}</p></div>"
        for i in range(12)
    )
    src.write_text(page(f"<h1>Latest</h1><div>{teasers}</div>"), encoding="utf-8")
    result = CliRunner().invoke(main, ["outline", str(src), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["confidence"] < LOW
    assert "looks like a list of links" in out["reasons"]
    whole = CliRunner().invoke(main, ["outline", str(src), "--whole-page"])
    assert whole.exit_code == 0, whole.output
    assert "Story 11 about the town" in whole.output


def test_declared_article_body_when_the_markup_has_none():
    text = paragraphs(4)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": "Library stays open", "articleBody": "\n".join(text)})
    html = page(
        "<div><h2>Privacy Overview</h2><p>This website uses cookies to improve your "
        "experience. Cookies categorized as necessary are stored on your browser, and "
        "third-party cookies only with your consent.</p></div>",
        head=f'<script type="application/ld+json">{ld}</script>',
    )
    a = parse(html, media_type="text/html")
    assert a.paragraphs == text
    assert a.confidence >= LOW


def test_markdown_copy_of_the_article_is_not_read_twice():
    text = paragraphs(8)
    copy = "# Library stays open " + " ".join(
        t.replace("council", "[council](https://example.org/council)") for t in text
    )
    html = page(f"<article><h1>Library stays open</h1>{ps(text)}<p>{copy}</p></article>")
    assert parse(html, media_type="text/html").paragraphs == text


def test_declared_article_wins_over_more_text_apart_from_it():
    # More running text outside the <article> outscores it; that text is checked, found
    # apart from what the page declares, and the declared article is read instead.
    letters = "".join(
        f"<p>Letter {i}. Dear editor, I have lived on Mill Street for forty years and I "
        f"still remember when the bus came every ten minutes, not once an hour as now.</p>"
        for i in range(14)
    )
    links = "".join(f"<li><a href='/t/{i}'>Another story from the town, number {i}</a></li>"
                    for i in range(30))
    html = page(f"<div class='letters'>{letters}</div><div><article><h1>Library stays open"
                f"</h1>{ps(paragraphs(4))}</article><ul>{links}</ul></div>")
    a = parse(html, media_type="text/html")
    assert a.paragraphs == paragraphs(4)
    assert a.confidence >= LOW


def test_article_split_by_a_box_of_teasers_is_read_whole():
    # The declared article opens with three paragraphs, then a box of teaser cards for
    # other pages, then two sections of two paragraphs: the opening is the best-scoring
    # element, with 40-50% of the article's text (not so little that it is doubted), but
    # it is only a part.
    intro, facts, history = paragraphs(3), paragraphs(2, 3), paragraphs(2, 5)
    cards = "".join(
        f"<div class='teaser'><h3><a href='/topic/{i}'>Topic {i}</a></h3>"
        f"<p>{SENTENCES[i % 8]}</p><p><a href='/topic/{i}'>Read more about topic {i}.</a></p>"
        "</div>" for i in range(12)
    )
    html = page(f"<article><h1>Library stays open</h1><div>{ps(intro)}</div>"
                f"<section><h2>Topics</h2>{cards}</section>"
                f"<section><h2>Facts</h2>{ps(facts)}</section>"
                f"<section><h2>History</h2>{ps(history)}</section></article>")
    a = parse(html, media_type="text/html")
    assert a.paragraphs == [*intro, "Facts", *facts, "History", *history]
