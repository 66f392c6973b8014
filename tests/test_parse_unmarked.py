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
