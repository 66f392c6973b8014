"""HTML -> Article.

BeautifulSoup (with lxml as its parser) reads the page. Before that, the parts that are
never read (scripts, styles, inline SVG, comments, navigation, footers) are cut out of
the text with a linear scan: on a typical news page they are two thirds of the bytes,
and building bs4 objects for them is most of the cost of parsing. JSON-LD is read from the scripts
first, since it names the headline, the author and the date.

A script ends where a browser ends it (the HTML standard's script data states): at the
first ``</script>``, except inside ``<!-- ... -->`` after a ``<script`` there, where old
pages write markup with ``document.write('<script ...></script>')``. When the page still
gives no article, it is read a second time more leniently (an element left open no
longer swallows the rest of the page, and Python's own HTML parser builds the tree)
before reader gives up.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any

from bs4 import BeautifulSoup
from bs4.builder._lxml import LXMLTreeBuilder

from reader.errors import ParseError
from reader.model import BODY_KINDS, Article
from reader.parse.assemble import assemble, key
from reader.parse.candidates import choose
from reader.parse.meta import headline, jsonld_blocks, read_meta, similarity
from reader.parse.mojibake import repair_mojibake
from reader.parse.rules import rules
from reader.parse.walk import BLOCK_TAGS, CUT_ATTRIBUTE, walk

_RAW = ("script", "style", "svg", "noscript", "template", "iframe", "textarea", "math")
#: Furniture elements cut before parsing too: they are never read (the walk would mark
#: them furniture anyway), and on a typical page they hold a third of all tags.
_NESTED = ("nav", "footer", "aside", "select", "button")
_UNREAD = re.compile(rf"<({'|'.join(_RAW)})\b|<!--|<({'|'.join(_NESTED)})\b", re.I)
_CLOSERS = {name: re.compile(rf"</{name}\s*>", re.I) for name in _RAW}
_TOKENS = {name: re.compile(rf"<(/?){name}\b[^>]{{0,4000}}>?", re.I) for name in _NESTED}
_COMMENT_END = re.compile("-->")
#: What ends each of the script data states of the HTML standard (plain, escaped after
#: "<!--", double escaped after "<!-- <script"): a tag name ends at space, "/" or ">".
_SCRIPT_STATES = {
    "data": re.compile(r"<!--|</script[\s/>]", re.I),
    "escaped": re.compile(r"-->|</script[\s/>]|<script[\s/>]", re.I),
    "double": re.compile(r"-->|</script[\s/>]", re.I),
}
_MARKED = ("nav", "footer", "aside")
#: Most elements a page may hold once the unread parts are cut (the largest article
#: pages measured hold some tens of thousands).
MAX_ELEMENTS = 150_000
#: Bare inline tags past which they are dropped before the tree is built (``_bounded``).
MANY_BARE_INLINE = 20_000
_BARE_INLINE = re.compile(
    r"</?(?:b|i|u|s|em|strong|span|font|big|small|tt|mark|abbr|cite|code|kbd|var|q)\s*>", re.I
)
_START_TAG = re.compile(r"<[a-zA-Z]")
_TAG = re.compile(r"<[^>]{0,4000}>")
_DATETIME = re.compile(r"datetime\s*=\s*[\"']([^\"'<>]{1,100})")


class _Builder(LXMLTreeBuilder):
    """bs4's own lxml tree builder, building the same tree with less work per element.

    For every element bs4 copies its attributes three times and looks each name up for
    a namespace, a third of the time spent building a page's tree. lxml's HTML parser
    gives no namespaces, so an element and its attributes go straight to the tree; an
    element with a namespace (never seen from an HTML parser) takes bs4's own way."""

    def start(self, tag: Any, attrib: Any, nsmap: Any = {}) -> None:  # noqa: B006 (bs4's)
        if nsmap or len(self.nsmaps) > 1 or tag[:1] == "{" or "{" in "".join(attrib):
            return super().start(tag, attrib, nsmap)
        assert self.soup is not None
        self.soup.handle_starttag(
            tag, None, None, attrib, namespaces=self.active_namespace_prefixes[-1]
        )

    def end(self, tag: Any) -> None:
        if len(self.nsmaps) > 1 or tag[:1] == "{":
            return super().end(tag)
        assert self.soup is not None
        self.soup.endData()
        self.soup.handle_endtag(tag, None)


_BLOCK_NAMES = "|".join(sorted(BLOCK_TAGS, key=len, reverse=True))
#: Blank text just before a block element's start tag, or between two block elements'
#: end tags: the walk ends a chunk of text there, so the blank is never read, yet would
#: be a node of the tree; nearly half of the text nodes of a typical page.
_BLANK_BEFORE_BLOCK = re.compile(rf">[ \t\r\n\f]+(?=<(?:{_BLOCK_NAMES})[\s/>])", re.I)
_BLANK_BETWEEN_ENDS = re.compile(
    rf"(</(?:{_BLOCK_NAMES})\s*>)[ \t\r\n\f]+(?=</(?:{_BLOCK_NAMES})\s*>)", re.I
)


def _unblanked(html: str) -> str:
    return _BLANK_BETWEEN_ENDS.sub(r"\1", _BLANK_BEFORE_BLOCK.sub(">", html))


def tree(html: str, lenient: bool = False) -> BeautifulSoup:
    """The bs4 tree of ``html`` (built by lxml; by Python's own HTML parser when
    ``lenient``), multi-valued attributes (``class``) kept as the page wrote them."""
    if lenient:
        return BeautifulSoup(html, "html.parser", multi_valued_attributes=None)
    try:
        return BeautifulSoup(html, builder=_Builder(multi_valued_attributes=None))
    except (AttributeError, TypeError):  # a bs4 whose builder's insides differ: its own way
        return BeautifulSoup(html, "lxml", multi_valued_attributes=None)


def strip_unread(html: str, lenient: bool = False, cut: tuple[str, ...] = _NESTED) -> str:
    """Remove scripts, styles, SVG, comments, navigation, footers and the like, in one
    pass over the text. A script or comment left open swallows the rest of the page, as
    in a browser, unless ``lenient``: then only its opening tag is cut. Of the furniture
    elements, those named in ``cut`` are cut; one left open is kept (the walk still
    marks it)."""
    out: list[str] = []
    pos = 0
    ends: dict[str, dict[int, int]] = {}
    while True:
        m = _UNREAD.search(html, pos)
        if m is None:
            out.append(html[pos:])
            break
        out.append(html[pos : m.start()])
        raw, nested = m.group(1), m.group(2)
        if nested and nested.lower() not in cut:
            out.append(html[m.start() : m.end()])
            pos = m.end()
            continue
        if nested:
            name = nested.lower()
            if name not in ends:
                ends[name] = _match_ends(html, name)
            end = ends[name].get(m.start())
            if end is None:
                out.append(html[m.start() : m.end()])
                pos = m.end()
                continue
            if name in _MARKED:
                # An empty stand-in that keeps the element's amount of text, so that the
                # body's scoring still counts it against the containers around it.
                size = len(" ".join(_TAG.sub(" ", html[m.end() : end]).split()))
                out.append(f'<{name} {CUT_ATTRIBUTE}="{size}"></{name}>')
            else:
                out.append(" ")
            pos = end
            continue
        if raw and raw.lower() in ("svg", "math"):
            gt = html.find(">", m.end())
            if gt > 0 and html[gt - 1] == "/":  # <svg .../> is complete in foreign content
                out.append(" ")
                pos = gt + 1
                continue
        if raw and raw.lower() == "script":
            end = script_end(html, m.end())
        else:
            closer = _CLOSERS[raw.lower()] if raw else _COMMENT_END
            found = closer.search(html, m.end())
            end = found.end() if found else None
        if end is None:
            if not lenient:
                break
            gt = html.find(">", m.end())
            end = gt + 1 if gt >= 0 else len(html)
        out.append(" ")
        pos = end
    return _bounded("".join(out))


def _bounded(html: str) -> str:
    """``html`` with at most ``MAX_ELEMENTS`` elements for the tree to hold. Bare inline
    tags (``<b>``, ``<span>`` with no attributes) change nothing the walk reads but a
    caption's credit edges, so past ``MANY_BARE_INLINE`` of them they are dropped, their
    text kept; a page still past the bound is refused: a tree that size would take
    minutes and gigabytes, and no article page needs one."""
    if html.count("<") <= min(MANY_BARE_INLINE, MAX_ELEMENTS):
        return html  # too few tags to reach either bound (every page of the test sets)
    bare = _BARE_INLINE.finditer(html)
    if sum(1 for _ in itertools.islice(bare, MANY_BARE_INLINE + 1)) > MANY_BARE_INLINE:
        html = _BARE_INLINE.sub("", html)
    tags = _START_TAG.finditer(html)
    if sum(1 for _ in itertools.islice(tags, MAX_ELEMENTS + 1)) > MAX_ELEMENTS:
        raise ParseError(
            f"the page has more than {MAX_ELEMENTS:,} elements; no article page does.",
            "Save just the article's page, or copy its text into a file.",
        )
    return html


def script_end(html: str, pos: int) -> int | None:
    """Where the script whose content starts at ``pos`` ends (after its end tag), as the
    HTML standard's tokenizer finds it; None when it is never closed."""
    state = "data"
    while True:
        m = _SCRIPT_STATES[state].search(html, pos)
        if m is None:
            return None
        token = m.group().lower()
        pos = m.end()
        if token == "<!--":
            state = "escaped"
        elif token == "-->":
            state = "data"
        elif token.startswith("<script"):
            state = "double"
        elif state == "double":  # </script> inside "<!-- <script": still the script's text
            state = "escaped"
        else:
            gt = html.find(">", m.end() - 1)
            return gt + 1 if gt >= 0 else len(html)


def _match_ends(html: str, name: str) -> dict[int, int]:
    """Where each <name> element ends (after its matching </name>), by its start; in
    one pass, so a page of a million unclosed tags still costs linear time."""
    ends: dict[int, int] = {}
    stack: list[int] = []
    for t in _TOKENS[name].finditer(html):
        if not t.group(1):
            stack.append(t.start())
        elif stack:
            ends[stack.pop()] = t.end()
    return ends


def _time_datetime(html: str) -> str | None:
    """The first ``<time datetime="...">`` value, found from the attribute back to its
    tag so the scan stays linear."""
    for m in _DATETIME.finditer(html):
        lt = html.rfind("<", max(0, m.start() - 1000), m.start())
        if lt >= 0 and html[lt : lt + 5].lower() == "<time":
            return m.group(1).strip() or None
    return None


def parse_html(html: str, url: str | None = None) -> Article:
    """Parse an HTML page into an Article; ``ParseError`` when it holds no article.
    The article's ``confidence`` and ``warnings`` say how sure the choice of text is."""
    html = repair_mojibake(html)
    jsonld = jsonld_blocks(html) if "ld+json" in html else []
    published_hint = _time_datetime(html)
    r = rules()
    for lenient in (False, True):
        # The second reading, only for a page that gave no article: see the module's doc.
        soup = tree(_unblanked(strip_unread(html, lenient)), lenient)
        # The whole document, not just <body>: text after a stray </html> is still shown.
        w = walk(soup, r)
        meta = read_meta(soup, jsonld)
        choice = choose(w, r, meta.article_body)
        body = choice.body
        if any(kind in BODY_KINDS for kind, _ in body.items):
            break
    title = headline(meta, body.h1, body.headings, body.h1_marked, body.top)
    summary = body.summary
    if summary and (len(summary.split()) < 6 or (title and similarity(summary, title) >= 0.6)):
        summary = None  # a label ("Blog") or the headline again, not a standfirst
    if summary is None and meta.description:
        # The description is the standfirst when the page shows it between the headline
        # and the body (a deck, the seed's pull quote), or as a block the body repeats.
        # Equal to a paragraph and nowhere else, it is the lede and stays in the body.
        wanted = key(meta.description)
        texts = [key(text) for _, text in body.items]
        if wanted and (
            wanted in (key(t) for t in body.lead)
            or (wanted in texts and sum(wanted in t for t in texts) > 1)
        ):
            summary = meta.description
    article = assemble(
        body.items,
        headline=title,
        summary=summary,
        byline=meta.byline or body.byline,
        published=meta.published or published_hint,
        language=" ".join(meta.declared) or None,
        site=meta.site,
        url=url,
        tables=body.tables,
    )
    return replace(article, confidence=choice.confidence, warnings=choice.reasons)
