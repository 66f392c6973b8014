"""reader.parse on pages whose class and id names say nothing (a site reader has never
seen): the text and the declared structure must carry the furniture rules alone."""

from __future__ import annotations

import pytest

import reader
from reader.parse.rules import rules
from tests.support import BODY, page

COMMENT = ("<div class='k7'><p class='k8'>{name} on March 3, 2024 at 9:1{n} am said:</p>"
           "<p class='k9'>I have lived beside this harbour for forty years and I have never "
           "seen the sea come over the wall the way it did in January; comment {n} of the "
           "thread, and a long one, because readers write at length when it is their town.</p>"
           "<p class='k10'><a href='#r{n}'>Reply</a></p></div>")


def _thread(heading: str, n: int = 6) -> str:
    comments = "".join(COMMENT.format(name=f"Reader {i}", n=i) for i in range(n))
    return f"<div class='x2'><h3 class='x3'>{heading}</h3>{comments}</div>"


@pytest.mark.parametrize("heading", ["6 Comments", "Top Rated Comments", "Leave a Reply",
                                     "6 thoughts on “Wall”", "Comments (6)"])
def test_comments_under_a_comments_heading_are_not_read(heading):
    html = page("<div class='a1'><h1 class='a2'>Wall</h1><div class='a3'>" + BODY
                + "</div>" + _thread(heading) + "</div>")
    a = reader.parse(html)
    assert len(a.paragraphs) == 3
    assert not any("forty years" in p or "said:" in p for p in a.paragraphs)


def test_without_the_heading_the_thread_outweighs_the_article():
    # The case the rule is for: with a heading that says nothing, the longer thread wins.
    html = page("<div class='a1'><h1 class='a2'>Wall</h1><div class='a3'>" + BODY
                + "</div>" + _thread("What readers say") + "</div>")
    assert any("forty years" in p for p in reader.parse(html).paragraphs)


@pytest.mark.parametrize("text, thread", [
    ("109 Comments", True), ("Comments", True), ("Readers' comments", True),
    ("12 responses to “Wall”", True), ("Leave a comment", True), ("Kommentare", True),
    ("Responses to the crisis", False), ("Comment policy", False),
    ("How readers commented on the wall", False),
])
def test_comment_headings(text, thread):
    assert rules().is_comment_heading(text) is thread


def test_a_section_titled_like_a_response_stays():
    html = page("<article><h1>Wall</h1>" + BODY + "<h2>Responses to the crisis</h2>"
                "<p>The county sent engineers within a day and the army brought sandbags, "
                "while neighbours opened their homes to families from the lower streets.</p>"
                "</article>")
    a = reader.parse(html)
    assert "Responses to the crisis" in [b.text for b in a.blocks]
    assert any("sandbags" in p for p in a.paragraphs)


def test_a_page_that_is_only_a_thread_is_still_read():
    # Nothing but comments under the heading: the page is the thread, not furniture.
    a = reader.parse(page("<h1>Wall</h1>" + _thread("6 Comments")))
    assert any("forty years" in p for p in a.paragraphs)


STAMPED = ("<div class='k7'><p class='k8'><b>{name}</b> Thu, 08/0{n}/2024 - 0{n}:05</p>"
           "<p class='k9'>We lost the garden wall in the same storm, comment {n} says, and "
           "the county never answered our letters.</p></div>")
LONGER = BODY + "".join(
    f"<p>Paragraph {i} of the report: the engineers found that the old stones had shifted "
    "by a hand's width since the survey of 1990, and that the mortar had washed out.</p>"
    for i in range(4))


def test_stamped_comments_under_no_heading_after_the_article_are_not_read():
    # Each comment opens with its poster's name, a date and a time: a thread on any site.
    thread = "".join(STAMPED.format(name=f"Reader {i}", n=i + 1) for i in range(4))
    html = page(f"<div class='a1'><h1 class='a2'>Wall</h1><div class='a3'>{LONGER}</div>"
                f"<div class='x2'><h3 class='x3'>What readers say</h3>{thread}</div></div>")
    a = reader.parse(html)
    assert len(a.paragraphs) == 7
    assert not any("garden wall" in p or "08/0" in p for p in a.paragraphs)


def test_a_live_blog_stamped_from_its_start_is_read_whole():
    entries = "".join(
        f"<p>March 3, 2024 at 9:{10 + i} am</p><p>Update {i}: the water has reached the "
        "second row of houses, and the fire service is pumping out cellars on the quay.</p>"
        for i in range(6))
    a = reader.parse(page(f"<div class='a1'><h1>Storm: live</h1><div class='a3'>{entries}"
                          "</div></div>"))
    assert sum("Update" in p for p in a.paragraphs) == 6


TEASERS = "".join(
    f"<div class='t{i}'><p class='t'>Teaser {i}: how another town rebuilt its sea wall after "
    "the storms of last winter, and what it cost the residents who live behind it.</p></div>"
    for i in range(4))


@pytest.mark.parametrize("heading", ["You may also like", "More from Coastal News",
                                     "About the author", "Was this article helpful?",
                                     "Lesen Sie auch"])
def test_what_follows_the_article_under_a_heading_that_says_so_is_not_read(heading):
    html = page(f"<div class='a1'><h1 class='a2'>Wall</h1><div class='a3'>{LONGER}</div>"
                f"<div class='x2'><h3 class='x3'>{heading}</h3>{TEASERS}</div></div>")
    a = reader.parse(html)
    assert len(a.paragraphs) == 7
    assert not any("Teaser" in p for p in a.paragraphs)


def test_an_inset_box_of_related_stories_early_in_the_article_does_not_end_it():
    box = f"<div class='x2'><h3 class='x3'>Related stories</h3>{TEASERS[:300]}</div>"
    html = page(f"<div class='a1'><h1 class='a2'>Wall</h1><div class='a3'>{BODY}{box}"
                f"{LONGER[len(BODY):]}</div></div>")
    a = reader.parse(html)
    assert sum("Paragraph" in p for p in a.paragraphs) == 4


@pytest.mark.parametrize("text, end", [
    ("You might also like", True), ("Related articles:", True), ("More from Science", True),
    ("Was this page helpful?", True), ("À lire aussi", True), ("Related", False),
    ("References", True), ("Reviews of the new harbour plan", False),
    ("More from the harbour master on what the wall will cost", False),
])
def test_end_headings(text, end):
    assert rules().is_end_heading(text) is end


def test_a_form_after_the_article_is_not_read():
    form = ("<form class='f1'><p class='f2'>Get the morning briefing: the day's news from the "
            "coast, in your inbox before breakfast, every day of the week.</p><p class='f3'>"
            "Your data will be processed in accordance with our privacy policy, and you may "
            "opt out of these emails at any time.</p></form>")
    html = page(f"<div class='a1'><h1 class='a2'>Wall</h1><div class='a3'>{BODY}{form}</div>"
                "</div>")
    a = reader.parse(html)
    assert len(a.paragraphs) == 3 and not any("inbox" in p for p in a.paragraphs)


def test_a_page_wrapped_in_one_form_is_read():
    # ASP.NET Web Forms pages hold the whole page in one <form>: a wrapper, not furniture.
    html = page(f"<form id='aspnetForm'><div class='a1'><h1 class='a2'>Wall</h1>{LONGER}</div>"
                "</form>")
    assert len(reader.parse(html).paragraphs) == 7
