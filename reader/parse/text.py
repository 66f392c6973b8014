"""Plain text copied out of a page -> Article, from the lines alone.

What a copy of a web page looks like: furniture lines (skip links, "Breaking News",
share buttons, font-size buttons), the headline on a short line of its own, an image's
caption twice in a row (once as alt text, once as caption), a standfirst, then the body
in paragraphs separated by blank lines, sometimes hard-wrapped.
"""

from __future__ import annotations

import re

from reader.model import Article
from reader.parse.assemble import assemble, byline_name, key
from reader.parse.rules import rules

_BULLET = re.compile(r"^(?:[-*•▪‣◦]|\d{1,3}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?:;…\"'”’)\]]$")
_SEPARATORS = re.compile(r"\s*[|·•/]\s*|\s+")


def parse_text(text: str, url: str | None = None) -> Article:
    """Parse plain text; raises ``ParseError`` when no paragraph is left."""
    r = rules()
    units = _units(text)
    # Furniture lines go first, so that the headline is the first line that is read.
    units = [(u, brk) for u, brk in units if not _is_furniture(u, r.furniture_lines)]
    items: list[tuple[str, str]] = []
    headline = byline = None
    i = 0
    if units and _is_title(units[0][0]):
        headline = units[0][0]
        i = 1
    if i < len(units) and byline_name(units[i][0]):
        byline = byline_name(units[i][0])
        i += 1
    body: list[tuple[str, str]] = []
    while i < len(units):
        line, _ = units[i]
        if i + 1 < len(units) and key(units[i + 1][0]) == key(line):
            # The same line twice in a row: an image's alt text and its caption.
            items.append(("caption", line))
            i += 2
            while i < len(units) and key(units[i][0]) == key(line):
                i += 1
            continue
        kind = "paragraph"
        bullet = _BULLET.match(line)
        if bullet and len(line) > bullet.end():
            kind, line = "list_item", line[bullet.end():]
        elif _is_subheading(units, i) and body:
            kind = "subheading"
        entry = (kind, line)
        items.append(entry)
        body.append(entry)
        i += 1
    summary = _summary(body)
    return assemble(items, headline=headline, summary=summary, byline=byline, url=url)


def _units(text: str) -> list[tuple[str, bool]]:
    """Lines joined into paragraphs where the text was hard-wrapped; each unit with
    whether a blank line came before it."""
    units: list[tuple[str, bool]] = []
    blank = True
    current: list[str] = []
    start_blank = True

    def close() -> None:
        if current:
            units.append((" ".join(current), start_blank))
            current.clear()

    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            close()
            blank = True
            continue
        # A line continues the previous one when that one stopped mid-sentence and was
        # long: hard-wrapped prose. Anything else is a line of its own.
        wrapped = bool(current) and len(current[-1]) >= 50
        if wrapped and not blank and not _SENTENCE_END.search(current[-1]):
            current.append(line)
        else:
            close()
            current.append(line)
            start_blank = blank
        blank = False
    close()
    return units


def _is_furniture(line: str, furniture: frozenset[str]) -> bool:
    lowered = line.lower()
    if lowered in furniture or lowered.startswith(("©", "(c) ", "copyright ")):
        return True
    parts = [p for p in _SEPARATORS.split(lowered) if p]
    # "Share | Tweet | Print", "XS SM MD LG": every part of a short line is furniture.
    return len(line) <= 60 and bool(parts) and all(p in furniture for p in parts)


def _is_title(line: str) -> bool:
    return len(line) <= 200 and len(line.split()) <= 30 and not line.endswith((".", ",", ";"))


def _is_subheading(units: list[tuple[str, bool]], i: int) -> bool:
    line = units[i][0]
    nxt = units[i + 1][0] if i + 1 < len(units) else ""
    return (
        len(line) <= 100
        and not _SENTENCE_END.search(line)
        and len(nxt) > len(line)
        and line[:1].isupper()
    )


def _summary(body: list[tuple[str, str]]) -> str | None:
    """The first paragraph is the standfirst when the body repeats it word for word."""
    if len(body) < 2 or body[0][0] != "paragraph":
        return None
    first = key(body[0][1])
    rest = " ".join(key(t) for _, t in body[1:])
    return body[0][1] if first and first in rest else None
