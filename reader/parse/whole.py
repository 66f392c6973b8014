"""HTML -> Article of the whole page: every visible text in order.

For the listener who suspects reader chose the wrong text: nothing is judged, only what
no one sees is left out (scripts, styles, hidden elements) and the navigation menus.
The first h1 is the headline; each other block keeps its kind.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from reader.errors import ParseError
from reader.model import Article, Block
from reader.parse.html import strip_unread
from reader.parse.meta import jsonld_blocks, read_meta
from reader.parse.mojibake import repair_mojibake
from reader.parse.rules import rules
from reader.parse.walk import walk

#: Furniture elements cut before parsing: only navigation (and controls, never text).
_CUT = ("nav", "select", "button")
#: Why a walk mark hides its text from the whole page: hidden, or navigation.
_UNSEEN = frozenset(("hidden", "nav", "role=navigation", "role=menu", "role=menubar"))
_KINDS = {"paragraph": "paragraph", "list_item": "list_item", "quote": "quote",
          "subheading": "subheading", "h1": "subheading", "caption": "caption",
          "figure": "caption", "table": "table"}


def parse_whole_page(html: str, url: str | None = None) -> Article:
    """All of the page's visible text as an Article, in document order. Raises
    ``ParseError`` when the page shows no text at all."""
    html = repair_mojibake(html)
    jsonld = jsonld_blocks(html) if "ld+json" in html else []
    r = rules()
    soup = BeautifulSoup(strip_unread(html, cut=_CUT), "lxml", multi_valued_attributes=None)
    w = walk(soup, r)
    unseen = {i for i, why in enumerate(w.marks) if why.lower() in _UNSEEN}
    blocks: list[Block] = []
    headline = None
    for c in w.chunks:
        if c.kind not in _KINDS or unseen.intersection(c.marks):
            continue
        if c.kind == "h1" and headline is None:
            headline = c.text
            blocks.append(Block("headline", c.text))
            continue
        blocks.append(c.table or Block(_KINDS[c.kind], c.text))
    if not any(b.kind != "headline" for b in blocks):
        raise ParseError("the page shows no text.", "Give a page that has text on it.")
    meta = read_meta(soup, jsonld)
    return Article(tuple(blocks), headline=headline, byline=meta.byline,
                   published=meta.published, language=" ".join(meta.declared) or None,
                   url=url, site=meta.site)
