"""HTML and plain text -> Article. The only package that imports bs4."""

from __future__ import annotations

from reader.errors import ParseError
from reader.model import Article
from reader.safe import clean_text
from reader.sources import HTML_SNIFF as _HTML


def parse(
    text: str, url: str | None = None, media_type: str | None = None, whole_page: bool = False
) -> Article:
    """Parse an article from HTML or plain text; which one is decided from the text
    unless ``media_type`` says. With ``whole_page``, an HTML page gives all of its visible
    text (see ``parse_whole_page``), and plain text all of its lines. Raises
    ``ParseError`` when there is no text."""
    if not isinstance(text, str):
        raise ParseError("parse() takes text (str); decode bytes with reader.sources.decode first.")
    text = clean_text(text)  # no control character reaches speech, XML or a terminal
    is_html = media_type == "text/html" if media_type else bool(_HTML.search(text[:65536]))
    if is_html and whole_page:
        return parse_whole_page(text, url)
    if is_html:
        from reader.parse.html import parse_html

        return parse_html(text, url)
    from reader.parse.text import parse_text, parse_whole_text

    return parse_whole_text(text, url) if whole_page else parse_text(text, url)


def parse_whole_page(html: str, url: str | None = None) -> Article:
    """All of an HTML page's visible text, in order, as an Article: only scripts,
    styles, hidden elements and navigation are left out. ``ParseError`` when the page
    shows no text."""
    from reader.parse.whole import parse_whole_page as whole

    return whole(html, url)
