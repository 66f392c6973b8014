"""HTML and plain text -> Article. The only package that imports bs4."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

from reader.errors import ParseError
from reader.model import Article
from reader.safe import clean_text
from reader.sources import HTML_SNIFF as _HTML


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is first used, then loads it.

    bs4 imports soupsieve (its CSS selectors) when it is imported, and soupsieve
    compiles its patterns then: about 600 million instructions, a third of the time from
    starting ``reader read`` to the first sentence's audio. reader never selects by CSS;
    anything else in the process that does gets the real module on first use."""

    def __getattr__(self, name: str) -> Any:
        real = self.__dict__.get("_real")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_real"] = real
        return getattr(real, name)


def _defer_css_selectors() -> None:
    if "soupsieve" in sys.modules or "bs4" in sys.modules:
        return
    try:
        found = importlib.util.find_spec("soupsieve") is not None
    except (ImportError, ValueError):
        found = False
    if found:
        sys.modules["soupsieve"] = _Deferred("soupsieve")


_defer_css_selectors()


def parse(
    text: str,
    url: str | None = None,
    media_type: str | None = None,
    whole_page: bool = False,
    language: str | None = None,
) -> Article:
    """Parse an article from HTML or plain text; which one is decided from the text
    unless ``media_type`` says. With ``whole_page``, an HTML page gives all of its visible
    text (see ``parse_whole_page``), and plain text all of its lines. ``language`` is what
    the server declared (its ``Content-Language``); the article's and each block's
    language are settled from the page's declarations and the text
    (``reader.language.settle``). Raises ``ParseError`` when there is no text."""
    if not isinstance(text, str):
        raise ParseError("parse() takes text (str); decode bytes with reader.sources.decode first.")
    text = clean_text(text)  # no control character reaches speech, XML or a terminal
    is_html = media_type == "text/html" if media_type else bool(_HTML.search(text[:65536]))
    if is_html and whole_page:
        return parse_whole_page(text, url, language)
    if is_html:
        from reader.parse.html import parse_html

        article = parse_html(text, url)
    else:
        from reader.parse.text import parse_text, parse_whole_text

        article = parse_whole_text(text, url) if whole_page else parse_text(text, url)
    return _settled(article, language)


def _settled(article: Article, server: str | None) -> Article:
    """The languages settled: the page's own declarations (the HTML readers leave them
    in ``article.language``, space-separated, in order) before the server's, which is
    often a site-wide default."""
    from reader.language import settle

    declared = article.language.split(" ") if article.language else []
    return settle(article, declared + ([server] if server else []))


def parse_whole_page(html: str, url: str | None = None, language: str | None = None) -> Article:
    """All of an HTML page's visible text, in order, as an Article: only scripts,
    styles, hidden elements and navigation are left out. ``ParseError`` when the page
    shows no text."""
    from reader.parse.whole import parse_whole_page as whole

    return _settled(whole(html, url), language)
