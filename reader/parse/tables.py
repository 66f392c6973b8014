"""Data tables: which ``<table>`` elements hold data, and their cells.

A data table declares headers (``<th>`` cells or a ``<thead>``), or is a grid whose first
row names each column in words above rows of figures; it has at least two columns, a
row of data, and short cells. It becomes one ``table`` block, so a listener
hears it announced, row by row, each cell after its column's header, or skips it. A
table that lays out a page (one column; a cell that holds a heading, another table or
running text; ``role="presentation"``) is walked like any other element: its cells'
paragraphs are the article's.
"""

from __future__ import annotations

import re

from bs4 import NavigableString
from bs4.element import PreformattedString, Tag

from reader.model import Block, table_block

#: A cell longer than this (in characters) holds running text: the table lays out the page.
MAX_CELL = 500
#: Rows of figures that make a table without declared headers a data table.
MIN_ROWS = 3
#: A cell that is a figure: a number with its currency, percent or unit sign.
_NUMBER = re.compile(r"^[-+±~≈<>]?\s?[$€£¥]?\s?\d[\d.,:/ ]*\s?(?:%|[$€£¥]|[a-zA-Z]{1,3})?$")
#: The most columns a cell may span; larger ``colspan`` values are read as this.
MAX_SPAN = 50
_SECTIONS = ("thead", "tbody", "tfoot")
_CELLS = ("td", "th")
_BLOCKERS = ("table", "h1", "h2", "h3", "h4", "h5", "h6")
_LAYOUT_ROLES = frozenset(("presentation", "none"))


def data_table(
    node: Tag, skip: frozenset[str]
) -> tuple[Block, str | None, tuple[tuple[int, int], ...]] | None:
    """The table ``node`` as a block, with its ``<caption>`` text (or None) and the
    (length, link characters) of each non-empty cell; None when it is not a data table.
    ``skip`` names the tags whose text is never read."""
    role = node.get("role")
    if isinstance(role, str) and role.strip().lower() in _LAYOUT_ROLES:
        return None
    if node.find(_BLOCKERS) is not None:
        return None
    # Each row: its cells ("" under a wide cell's extra columns), the same with a wide
    # cell's text in each of its columns (for headers), which cells are <th>, in <thead>.
    rows: list[tuple[list[str], list[str], list[bool], bool]] = []
    parts: list[tuple[int, int]] = []
    for tr, in_head in _rows(node):
        cells: list[str] = []
        spread: list[str] = []
        heads: list[bool] = []
        for cell in _children(tr, _CELLS):
            text, linked = _text(cell, skip)
            if len(text) > MAX_CELL:
                return None
            if text:
                parts.append((len(text), min(linked, len(text))))
            span = _span(cell.get("colspan"))
            cells += [text] + [""] * (span - 1)
            spread += [text] * span
            heads += [cell.name == "th"] * span
        if any(cells):
            rows.append((cells, spread, heads, in_head))
    cap = next(_children(node, ("caption",)), None)
    caption = (_text(cap, skip)[0] or None) if cap is not None else None
    # The header rows: those of a <thead> at the top, else a first row of <th> cells.
    n_head = next((i for i, r in enumerate(rows) if not r[3]), len(rows))
    if n_head == 0 and rows:
        cells, _, heads, _ = rows[0]
        n_head = int(all(h for c, h in zip(cells, heads, strict=True) if c))
    width = max((len(r[0]) for r in rows), default=0)
    has_th = any(any(r[2]) for r in rows)
    if not (n_head or has_th):
        # No declared header: a grid whose first row names columns of figures.
        found = _plain_header(rows, width)
        if found is None:
            return None
        titles, n_head = found
        # A title row across the whole table is read before it, as a caption is.
        named = [caption] if caption else []
        caption = " ".join(named + [next(c for c in r[0] if c) for r in rows[:titles]]) or None
        rows = rows[titles:]
    data = rows[n_head:]
    if not data or width < 2:
        return None
    header = tuple(_join_headers([r[1] for r in rows[:n_head]], width)) if n_head else ()
    return table_block(header, tuple(tuple(r[0]) for r in data)), caption, tuple(parts)


def _plain_header(rows: list, width: int) -> tuple[int, int] | None:
    """For a table without ``<th>`` or ``<thead>``: (title rows, header rows) when, after
    title rows at the top (one cell across the whole table), each row spans the same
    ``width``, the first names every column in words (a row under it with an empty
    corner cell and no figures names them further) and at least ``MIN_ROWS`` rows below
    hold figures in one column or more; None when nothing says it is a data table."""
    titles = 0
    while titles < len(rows) and len(set(rows[titles][1])) == 1 < width:
        titles += 1
    grid = rows[titles:]
    if width < 2 or len(grid) < MIN_ROWS + 1 or any(len(r[1]) != width for r in grid):
        return None
    if not all(grid[0][1]) or _figures(grid[0][1]):
        return None
    n = 1
    while n < 3 and n < len(grid) and not grid[n][0][0] and not _figures(grid[n][0]):
        n += 1
    below = grid[n:]
    for col in range(width):
        figures = sum(1 for r in below if _NUMBER.match(r[0][col]))
        if figures >= MIN_ROWS and figures * 2 >= len(below):
            return titles, n
    return None


def _figures(cells: list[str]) -> bool:
    return any(_NUMBER.match(c) for c in cells)


def _rows(table: Tag):
    """The table's own rows in order, each with whether it sits in ``<thead>``."""
    for child in _children(table, ("tr", *_SECTIONS)):
        if child.name == "tr":
            yield child, False
        else:
            for tr in _children(child, ("tr",)):
                yield tr, child.name == "thead"


def _children(tag: Tag, names: tuple[str, ...]):
    """The child elements of ``tag`` named one of ``names`` (cheaper than find_all)."""
    return (c for c in tag.children if isinstance(c, Tag) and c.name in names)


def _span(value: object) -> int:
    try:
        return min(MAX_SPAN, max(1, int(str(value).strip())))
    except ValueError:
        return 1


def _join_headers(rows: list[list[str]], width: int) -> list[str]:
    """One header per column from the header rows: a group's name above a column's
    ("Population" over "2020") is said with it ("Population 2020")."""
    out = []
    for col in range(width):
        words: list[str] = []
        for r in rows:
            if col < len(r) and r[col] and r[col] not in words:
                words.append(r[col])
        out.append(" ".join(words))
    return out


def _text(cell: Tag, skip: frozenset[str]) -> tuple[str, int]:
    """A cell's visible text, whitespace-normalised, and how much of it is link text.
    One pass with its own stack: linear however deep the cell's elements nest."""
    parts: list[str] = []
    linked = 0
    stack = [(iter(cell.children), False)]
    while stack:
        children, in_link = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if child.name not in skip and not _hidden(child):
                stack.append((iter(child.children), in_link or child.name == "a"))
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            parts.append(str(child))
            if in_link:
                linked += len(child.strip())
    return " ".join(" ".join(parts).split()), linked


def _hidden(tag: Tag) -> bool:
    if "hidden" in tag.attrs or tag.attrs.get("aria-hidden") == "true":
        return True
    style = tag.attrs.get("style")
    flat = style.replace(" ", "").lower() if isinstance(style, str) else ""
    return "display:none" in flat or "visibility:hidden" in flat
