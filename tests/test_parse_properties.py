"""Invariants of reader.parse on arbitrary input (hypothesis).

1. parse raises nothing but ReaderError subclasses, whatever the text.
2. No text is invented: every paragraph parse returns occurs in the source's text.
   "Occurs" is defined with all whitespace removed (parse normalises runs of whitespace
   to one space, and joins inline elements without adding any), against the text a
   browser would show: for HTML, BeautifulSoup's string content of the same markup
   (entities decoded, tags and comments gone), with twice-encoded UTF-8 read as meant
   (mojibake.repair_mojibake); for plain text, the text itself read the same way.
"""

from __future__ import annotations

import html as htmllib

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reader
from reader.errors import ReaderError
from reader.parse.mojibake import repair_mojibake
from reader.safe import clean_text

TAGS = ["p", "div", "span", "a", "b", "em", "h1", "h2", "h3", "ul", "ol", "li", "blockquote",
        "figure", "figcaption", "article", "section", "main", "nav", "footer", "table", "tr",
        "td", "pre", "aside", "header", "br", "img"]
WORDS = st.sampled_from(["The", "harbour", "wall", "will", "be", "rebuilt", "café", "naïve",
                         "Ünïcödé", "日本語", "—", "&", "<", ">", "\"", "'", "storm.", "said,",
                         "Share", "Home", "Read more", "\u00a0", "\t", "\n", "2024"])
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def squeeze(text: str) -> str:
    return "".join(text.split())


sentences = st.lists(WORDS, min_size=0, max_size=30).map(" ".join)
leaf = st.one_of(sentences, st.text(max_size=40)).map(htmllib.escape)


def element(children):
    def render(args):
        tag, attrs, kids = args
        if tag in ("br", "img"):
            return f"<{tag}{attrs}>"
        return f"<{tag}{attrs}>{''.join(kids)}</{tag}>"

    attrs = st.sampled_from(["", " class='share'", " class='content'", " id='main'",
                             " hidden", " role='navigation'", " class='caption'",
                             " alt='A photo of the harbour wall at dawn'"])
    return st.tuples(st.sampled_from(TAGS), attrs, st.lists(children, max_size=4)).map(render)


documents = st.recursive(leaf, element, max_leaves=40).map(
    lambda body: f"<html><head><title>t</title></head><body>{body}</body></html>"
)


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text_raises_only_reader_errors(text):
    try:
        reader.parse(text)
    except ReaderError:
        pass


@SETTINGS
@given(documents)
def test_arbitrary_html_raises_only_reader_errors_and_invents_nothing(doc):
    try:
        article = reader.parse(doc, media_type="text/html")
    except ReaderError:
        return
    # Characters that are never text (controls) are dropped on the way in (reader.safe).
    shown = squeeze(BeautifulSoup(repair_mojibake(clean_text(doc)), "lxml").get_text())
    for paragraph in article.paragraphs:
        assert paragraph == " ".join(paragraph.split()) and paragraph
        # In the page's order; furniture inside a paragraph (a share link) may be left
        # out, so the paragraph is a subsequence of the page's text, not a substring.
        rest = iter(shown)
        assert all(c in rest for c in squeeze(paragraph)), paragraph


@SETTINGS
@given(st.lists(st.one_of(sentences, st.just(""), st.sampled_from(["XS", "Share", "- item"])),
                max_size=30).map("\n".join))
def test_plain_text_invents_nothing(text):
    try:
        article = reader.parse(text, media_type="text/plain")
    except ReaderError:
        return
    for paragraph in article.paragraphs:
        assert squeeze(paragraph) in squeeze(repair_mojibake(text)), paragraph


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_through_sources_raise_only_reader_errors(data):
    from reader.sources import decode

    try:
        reader.parse(decode(data))
    except ReaderError:
        pass
