"""One pass over a BeautifulSoup tree that cuts it into text chunks.

A chunk is the inline text of one block-level element (a paragraph, a heading, a list
item...), with what the walk learned about it on the way down: its kind, how much of it
is link text, and which furniture-marked ancestors (nav, ``class="share-bar"``...) it sits
in. The walk is iterative, so a document nested 100,000 levels deep costs no recursion,
and it records each block element's span of chunks so that ``body.py`` can score every
possible container with prefix sums instead of walking the tree again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bs4 import NavigableString
from bs4.element import PreformattedString, Tag

from reader.errors import ParseError
from reader.model import Block
from reader.parse import captions
from reader.parse.rules import Rules
from reader.parse.tables import data_table

#: Set by html.py on the empty stand-in of a furniture element it cut out; its value is
#: the element's length of text.
CUT_ATTRIBUTE = "data-reader-cut"

BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav ul ol li dl dt dd h1 h2 h3 h4 h5 h6 "
    "blockquote pre table thead tbody tfoot tr td th caption figure figcaption address hr "
    "center form fieldset details summary body html hgroup".split()
)
SUBHEADINGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
#: Deepest element nesting read. Real pages stay under a hundred levels; a document
#: nested deeper is refused rather than walked.
MAX_DEPTH = 1000
_T = TypeVar("_T")
_CLASSIFIED: dict[str, str | None] = {}
_IMAGE_NAMED: dict[str, bool] = {}
#: Most class names each of those remembers (``_remembered``).
REMEMBER_MAX = 100_000
#: Blocks whose lines belong together: a single <br> inside one does not split it.
_LINE_BLOCKS = frozenset("p li h1 h2 h3 h4 h5 h6 blockquote figcaption pre address dd dt".split())
_SLUG = re.compile(r"[A-Za-z0-9]+")
_PANEL_ROLES = frozenset(("region", "tabpanel"))
#: Put into a caption's text where one of its inline elements starts or ends, so that a
#: credit set in its own element (``<cite>``, ``<small>``) can be told from the caption
#: even when no space or full stop separates them. Reads as empty text.
_EDGE: tuple[str, bool, tuple[int, ...]] = ("", False, ())


@dataclass(slots=True)
class Chunk:
    """The inline text of one block-level element, in document order. Mutable, unlike
    the public model: the walk corrects a chunk's kind once it has seen the chunk's
    whole figure or caption."""

    kind: str
    """paragraph, subheading, list_item, quote, table, caption, h1, figure (text inside
    a figure that is not its caption, such as a credit) or cut (a furniture element
    removed before parsing; ``links`` holds its length of text)."""
    text: str
    links: int
    """Characters of the text that sit inside links."""
    marks: tuple[int, ...]
    """Ids of the furniture-marked elements this chunk sits in (see ``Walk.marks``)."""
    summary: bool
    """Inside an element whose class marks a standfirst or deck."""
    tag: str
    """The block element that owns the text."""
    table: Block | None = None
    """For a ``table`` chunk, the table block (its text is ``text``)."""
    cells: tuple[tuple[int, int], ...] = ()
    """For a ``table`` chunk, each non-empty cell's (length, link characters): the body
    weighs a table's cells as it weighs other short blocks."""


@dataclass(slots=True)
class Walk:
    """What one pass over the tree found."""

    chunks: list[Chunk]
    spans: list[tuple[int, int, int]]
    """(start, end, bonus) chunk ranges of block elements that hold chunks; bonus is 2
    for elements that declare themselves the article body (itemprop or class), 1 for
    <article>, else 0."""
    marks: list[str]
    """Why each furniture mark was set (a tag, role or class), indexed by mark id."""


def walk(root: Tag, rules: Rules) -> Walk:
    """Cut the tree under ``root`` into chunks, skipping what is never read."""
    chunks: list[Chunk] = []
    spans: list[tuple[int, int, int]] = []
    marks: list[str] = []
    buf: list = []  # (text, in_link, furniture marks) tuples, or None for a <br>

    def flush(ctx: tuple) -> None:
        if not buf:
            return
        kind, fmarks, _link, summary, tag = ctx
        pieces: list[list] = [[]]
        last_br = False
        # In a paragraph a <br> breaks a line, <br><br> the paragraph; in a container
        # (a <div> or <td> of an old page) each <br> ends a line of its own.
        split_all = tag not in _LINE_BLOCKS
        if None not in buf:  # no <br>: one piece, as it is
            pieces = [buf[:]]
        else:
            for item in buf:
                if item is None:
                    if (last_br or split_all) and pieces[-1]:
                        pieces.append([])
                    last_br = True
                    pieces[-1].append((" ", False, fmarks))
                else:
                    if item[0].strip():
                        last_br = False
                    pieces[-1].append(item)
        buf.clear()
        for piece in pieces:
            # Text of inline furniture (a share link inside a paragraph) is left out,
            # unless the whole chunk is such text.
            keep = [p for p in piece if p is _EDGE or p[2] == fmarks]
            own = fmarks
            if not any(p[0].strip() for p in keep):
                keep, own = piece, next((p[2] for p in piece if p[0].strip()), fmarks)
            if kind == "caption":
                keep = _drop_credit_edges(keep)
            text = " ".join("".join(p[0] for p in keep).split())
            if not text:
                continue
            links = sum(len(p[0].strip()) for p in keep if p[1])
            chunks.append(Chunk(kind, text, min(links, len(text)), own, summary, tag))

    # A frame: [tag, children, next index, ctx, is_block, first chunk, bonus, role], where
    # role is "caption" or "summary" when the element's class made it one.
    root_ctx = ("paragraph", (), False, False, root.name or "body")
    stack: list[list] = [[root, root.contents, 0, root_ctx, True, 0, 0, None]]
    while stack:
        frame = stack[-1]
        children = frame[1]
        if frame[2] >= len(children):
            stack.pop()
            if frame[4]:
                flush(frame[3])
                if frame[7] in ("figure+img", "image box"):
                    _caption_if_uncaptioned(chunks, frame[5], frame[7])
                elif frame[7]:
                    _demote_if_long(chunks, frame[5], frame[7])
                if len(chunks) > frame[5]:
                    spans.append((frame[5], len(chunks), frame[6]))
            elif frame[7] == "edge":
                buf.append(_EDGE)
            continue
        node = children[frame[2]]
        frame[2] += 1
        ctx = frame[3]
        cls = node.__class__
        if cls is NavigableString:
            buf.append((str(node), ctx[2], ctx[1]))
            continue
        if cls is not Tag:
            if isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
                buf.append((str(node), ctx[2], ctx[1]))  # comments, doctype, CDATA are not
            continue
        name = node.name
        if name in rules.skip_tags:
            continue
        if name == "br":
            buf.append(None)
            continue
        attrs = node.attrs
        if name == "img":
            # Alt text is not read as a caption: a page shows its captions, and alt text
            # on its own is a description for those who cannot see the image, often a
            # file name or a repeat of the caption.
            if ctx[0] == "figure":
                for f in reversed(stack):
                    if f[7] in ("figure", "figure+img"):
                        f[7] = "figure+img"
                        break
            continue
        if len(stack) >= MAX_DEPTH:
            raise ParseError(
                f"the page is nested more than {MAX_DEPTH} elements deep; "
                "no real article page is.",
                "Save the article's page again from a browser, or copy its text into a file.",
            )
        if not attrs and name not in BLOCK_TAGS and name != "a":
            # A bare inline element (<b>, <span>): its text joins its block's.
            stack.append([node, node.contents, 0, ctx, False, len(chunks), 0, _edge(frame, buf)])
            continue
        kind, fmarks, in_link, summary, tag = ctx
        bonus = 0
        mark = None
        # Hidden content is furniture, but walked: a page that hides everything until a
        # script reveals it still has its article there (see body.furniture_flags).
        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
            mark = "hidden"
        style = attrs.get("style")
        if style and isinstance(style, str):
            flat = style.replace(" ", "").lower()
            if "display:none" in flat or "visibility:hidden" in flat:
                mark = "hidden"
        # Hidden wins over the element's kind: ``--whole-page`` leaves hidden text out
        # (a sign-up form or a dialog waiting for a script), and reads a visible form.
        hidden = mark == "hidden"
        role = attrs.get("role")
        declared = (f"role={role}" if isinstance(role, str)
                    and role.lower() in rules.furniture_roles
                    else name if name in rules.furniture_tags else None)
        mark = mark or declared
        class_id = attrs.get("class") or ""
        if not isinstance(class_id, str):
            class_id = " ".join(class_id)
        ident = attrs.get("id")
        # An id of many words is a heading's slug ("how-to-share-files"), not a role.
        if isinstance(ident, str) and len(_SLUG.findall(ident)) <= 3:
            class_id = f"{class_id} {ident}"
        category = None
        # <html> and <body> classes describe the theme ("has-sidebar", "caption-two"),
        # not the element.
        if class_id.strip() and name not in ("html", "body"):
            category = _remembered(_CLASSIFIED, class_id, rules.classify)
        if category == "furniture" and name != "main":
            mark = mark or class_id.strip()
        # A collapsed panel of the article (an accordion, a tab) is hidden until opened.
        if hidden and declared is None and (category == "disclosure" or role in _PANEL_ROLES):
            mark = None
        if category == "body" or attrs.get("itemprop") == "articleBody":
            bonus = 2  # the page names this element as the article's body
            mark = None
        elif name == "article":
            bonus = 1
        if mark is not None:
            fmarks = fmarks + (len(marks),)
            marks.append(mark)
        cut = attrs.get(CUT_ATTRIBUTE)
        if isinstance(cut, str) and cut.isdigit():
            # The stand-in of a furniture element removed before parsing (html.py).
            flush(ctx)
            chunks.append(Chunk("cut", "", int(cut), fmarks, False, name))
            continue
        if name == "table":
            found = data_table(node, rules.skip_tags)
            if found is not None:
                # A data table is one chunk, not a chunk per cell (see tables.py).
                flush(ctx)
                table, caption, cells = found
                if caption:
                    chunks.append(Chunk("paragraph", caption, 0, fmarks, summary, "caption"))
                links = min(sum(n for _, n in cells), len(table.text))
                chunks.append(Chunk("table", table.text, links, fmarks, summary, name, table,
                                    cells))
                continue
        if name == "a":
            in_link = True
        is_block = name in BLOCK_TAGS or category in ("caption", "summary")
        if is_block:
            flush(ctx)
            tag = name
            if name == "h1":
                kind = "h1"
            elif name in SUBHEADINGS:
                kind = "subheading"
            elif (name == "figcaption" or category == "caption") and not _is_table(name, class_id):
                kind = "caption"
            elif name == "figure":
                kind = "figure"
            elif name == "blockquote" and kind == "figure":
                kind = "quote"  # a quotation set as a figure, its source the figcaption
            elif kind in ("caption", "figure", "quote", "h1", "subheading"):
                pass  # inner blocks of a caption, a figure or a quote keep its kind
            elif name == "li":
                kind = "list_item"
            elif name == "blockquote":
                kind = "quote"
            elif kind != "list_item":
                kind = "paragraph"
            if category == "summary":
                summary = True
        new_ctx = (kind, fmarks, in_link, summary, tag)
        role = category if category in ("caption", "summary") else None
        if name == "figure" and role is None:
            role = "figure"
        elif role is None and is_block and _is_image_box(node, class_id):
            role = "image box"
        if not is_block:
            role = _edge(frame, buf)
        stack.append([node, node.contents, 0, new_ctx, is_block, len(chunks), bonus, role])
    return Walk(chunks, spans, marks)


def _is_table(name: str, class_id: str) -> bool:
    """A table's caption (``<caption>``, ``class="table-caption"``) titles the table: it is
    read as text, not as an image caption."""
    return name == "caption" or "table" in _SLUG.findall(class_id.lower())


def _edge(parent: list, buf: list) -> str | None:
    """For an inline element opening in ``parent``: ``"edge"`` (and an edge mark in the
    text) when ``parent`` is a caption block, so the element's text can be told apart."""
    if parent[4] and parent[3][0] == "caption":
        buf.append(_EDGE)
        return "edge"
    return None


def _drop_credit_edges(pieces: list) -> list:
    """A caption's text without an inline element at its start or end that holds only a
    photo credit ("<cite>Jane Doe / Agency</cite>"). A label alone ("Photo:" before a
    linked name) is left: the credit it opens is then cut as a whole."""
    parts: list[list] = [[]]
    for p in pieces:
        if p is _EDGE:
            parts.append([])
        else:
            parts[-1].append(p)
    texts = ["".join(p[0] for p in part).strip() for part in parts]
    filled = [i for i, t in enumerate(texts) if t]
    drop = set()
    for order in (filled, filled[::-1]):
        for i in order[:-1]:
            if not captions.is_credit(texts[i]):
                break
            drop.add(i)
    if not drop or len(drop) >= len(filled):
        return pieces
    return [p for i, part in enumerate(parts) if i not in drop for p in part]


def _is_image_box(node: Tag, class_id: str) -> bool:
    """An element named for an image (``class="image top"``) that holds the image itself,
    as a child or inside a child link."""
    if not _remembered(_IMAGE_NAMED, class_id, _image_named):
        return False
    for child in node.children:
        if isinstance(child, Tag) and (
            child.name == "img" or (child.name in ("a", "picture") and child.find("img"))
        ):
            return True
    return False


def _caption_if_uncaptioned(chunks: list[Chunk], start: int, role: str) -> None:
    """An image's figure, or an element named for an image, that has no caption element
    and whose only text is a line or two, is captioned by that text (a ``<p>`` under the
    image)."""
    span = chunks[start:]
    if any(c.kind == "caption" for c in span):
        return
    kind = "figure" if role == "figure+img" else "paragraph"
    text = [c for c in span if c.kind == kind]
    if len(text) != len(span):
        return  # headings, lists or quotes: a container, not a captioned image
    words = sum(len(c.text.split()) for c in text)
    # A caption says something: a score ("9.2") or a name tag under an image does not.
    if 0 < len(text) <= 2 and 3 <= words and sum(len(c.text) for c in text) <= 400:
        for c in text:
            c.kind = "caption"


def _demote_if_long(chunks: list[Chunk], start: int, role: str) -> None:
    """A caption or standfirst is a line or two. An element whose class says "caption"
    or "summary" but that holds more is a container named after something else."""
    span = chunks[start:] if len(chunks) - start <= 3 else None
    if span is not None and sum(len(c.text) for c in span) <= 600:
        return
    for c in chunks[start:]:
        if role == "caption" and c.kind == "caption":
            c.kind = "paragraph"
        elif role == "summary":
            c.summary = False


def _image_named(class_id: str) -> bool:
    return not captions.image_box_tokens().isdisjoint(_SLUG.findall(class_id.lower()))


def _remembered(memory: dict[str, _T], class_id: str, judge: Callable[[str], _T]) -> _T:
    """``judge(class_id)``, remembered in ``memory``: class names repeat across a site's
    pages, and most elements of a page share a few. Bounded by ``REMEMBER_MAX``."""
    try:
        return memory[class_id]
    except KeyError:
        if len(memory) > REMEMBER_MAX:
            memory.clear()
        value = memory[class_id] = judge(class_id)
        return value
