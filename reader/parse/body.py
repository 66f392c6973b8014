"""Find the article's body among the chunks of a page.

Each chunk gets a value: its length when it reads like running text (long, few links,
not furniture), minus its length when it is furniture or mostly links, and nothing
when it is short. The body is the block element whose chunks add up to the largest
total: it holds the most article text and the least of everything else. Elements that
declare themselves the article body (``<article>``, ``itemprop="articleBody"``) get a
small bonus, so they win ties against a wrapper that adds only noise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reader.model import BODY_KINDS, Block
from reader.parse.confidence import poster_line
from reader.parse.rules import Rules
from reader.parse.walk import Chunk, Walk

#: A chunk shorter than this is neither evidence for nor against its container.
SHORT = 30
#: Above this share of link text a chunk is navigation, not prose.
LINKY = 0.5
#: A block longer than this that repeats the rest of the body (see ``_drop_copies``).
COPY_MIN = 1000
#: The share of its four-word runs that makes such a block a copy.
COPY_SHARE = 0.8
#: How many of the longest blocks are checked for being copies.
COPY_CHECKS = 3
#: The share of the page's running text before a heading of what follows an article
#: (``_under_headings``): "Related stories" near the top is an inset box or a menu.
END_SHARE = 0.5
#: Readers' comments without a heading (``_dated_threads``): at least this many poster
#: lines, each followed within ``POSTER_REACH`` chunks by prose, at most ``THREAD_GAP``
#: chunks apart.
THREAD_MIN = 3
POSTER_REACH = 2
THREAD_GAP = 8
_WORD = re.compile(r"\w+")
_LINK_TARGET = re.compile(r"\]\([^)\s]{1,2000}\)")


@dataclass(slots=True)
class Body:
    """The chunks chosen for the article, in document order, as (kind, text) pairs."""

    items: list[tuple[str, str]]
    """Body blocks and captions (kind ``caption``) in reading order."""
    summary: str | None
    """The text of a standfirst-marked element before the body, if any."""
    h1: list[str]
    """The texts of h1 elements (headline candidates), nearest to the body first: the
    last h1 before the body, then those inside it, then the rest."""
    headings: list[str]
    """The texts of other headings before the body (headline candidates for pages whose
    h1 is the site's name)."""
    byline: str | None
    lead: list[str]
    """Texts between the headline and the body (a deck, a pull quote): candidates for
    the summary."""
    h1_marked: list[str]
    """h1 texts inside furniture: headlines only when the declared titles agree."""
    top: str | None = None
    """The heading just before the body or at its very top: where a page without an h1
    puts its headline."""
    span: tuple[int, int] = (0, 0)
    """The chosen chunk range (start, end) of the walk."""
    furniture: list[bool] | None = None
    """Which chunks of the walk are furniture (``furniture_flags``)."""
    tables: dict[str, Block] = field(default_factory=dict)
    """The table block of each ``table`` item, by the item's text."""


def furniture_flags(w: Walk, rules: Rules | None = None) -> list[bool]:
    """Which chunks are furniture. A furniture mark that holds most of the page's prose
    (``<div class="has-sidebar">`` around everything) is a wrapper, not furniture. With
    ``rules``, readers' comments under a heading that says so are furniture too."""
    weights = [prose(c) for c in w.chunks]
    total = sum(weights)
    held: dict[int, int] = {}
    for c, p in zip(w.chunks, weights, strict=True):
        if p:
            for m in c.marks:
                held[m] = held.get(m, 0) + p
    wrappers = {m for m, n in held.items() if n > 0.5 * total and n >= 500}
    flags = [any(m not in wrappers for m in c.marks) for c in w.chunks]
    if rules is not None:
        cut = list(flags)
        for start, end in (_under_headings(w, rules.is_comment_heading, weights)
                           + _dated_threads(w, weights)
                           + _under_headings(w, rules.is_end_heading, weights, END_SHARE)):
            cut[start:end] = [True] * (end - start)
        # A page that is all comments (its title says "Comments") is read as it is, and
        # the confidence check says what it looks like.
        if any(p and not f for p, f in zip(weights, cut, strict=True)):
            flags = cut
    return flags


def _under_headings(w: Walk, is_heading: Callable[[str], bool], weights: list[int],
                    share: float = 0.0) -> list[tuple[int, int]]:
    """Chunk ranges from each subheading that ``is_heading`` accepts to the end of the
    smallest element that holds it and more, once ``share`` of the page's running text
    has come before it. Readers' comments under "109 Comments" or "Leave a Reply"
    (``Rules.is_comment_heading``; the page's own title, an h1, heads a page of comments,
    not a thread below an article); what follows an article under "You may also like" or
    "About the author" (``Rules.is_end_heading``, past ``END_SHARE``)."""
    heads = [i for i, c in enumerate(w.chunks) if c.kind == "subheading" and is_heading(c.text)]
    if not heads:
        return []
    least = share * sum(weights)
    return [(i, _element_end(w, i, i)) for i in heads if sum(weights[:i + 1]) >= least]


def _element_end(w: Walk, first: int, last: int) -> int:
    """Where the smallest element that holds chunks ``first`` to ``last`` and more ends."""
    around = [(e - s, e) for s, e, _ in w.spans if s <= first and last < e and e - s > 1]
    return min(around)[1] if around else last + 1


def _dated_threads(w: Walk, weights: list[int]) -> list[tuple[int, int]]:
    """Chunk ranges of readers' comments under no heading: a run of ``THREAD_MIN`` or
    more poster lines (``confidence.poster_line``: a name, a date and a time), each
    followed by prose, from the first to the end of the smallest element that holds
    them all. Only after more of the page's prose than the run holds: a live blog's
    stamped entries run from the start of its text."""
    # Only lines with prose just after them are looked at: most short lines sit among
    # others (menus, labels), and prose is rarer than chunks.
    near = sorted({j - k for j, v in enumerate(weights) if v
                   for k in range(1, POSTER_REACH + 1) if j >= k})
    stamped = [i for i in near if poster_line(w.chunks[i].text)]
    runs: list[list[int]] = []
    for i in stamped:
        if runs and i - runs[-1][-1] <= THREAD_GAP:
            runs[-1].append(i)
        else:
            runs.append([i])
    threads = []
    for run in runs:
        first, last = run[0], run[-1]
        end = _element_end(w, first, last)
        if len(run) >= THREAD_MIN and sum(weights[:first]) >= sum(weights[first:end]):
            threads.append((first, end))
    return threads


def prose(c: Chunk) -> int:
    """A chunk's weight as running text: its length less twice its links; 0 when it is
    short, mostly links or not body text. A table weighs what its cells would as
    blocks of their own."""
    if c.kind not in BODY_KINDS:
        return 0
    if c.cells:
        return sum(_prose(n, links) for n, links in c.cells)
    return _prose(len(c.text), c.links)


def _prose(n: int, links: int) -> int:
    if n < SHORT or links > LINKY * n:
        return 0
    return n - 2 * links


def select(w: Walk, rules: Rules) -> Body:
    """Choose the body span (the block element whose chunks score highest) and read the
    article's parts out of it."""
    furniture = furniture_flags(w, rules)
    values = scores(w, furniture)
    prefix = [0]
    for v in values:
        prefix.append(prefix[-1] + v)
    best, start, end = 0.0, 0, len(w.chunks)
    for s, e, bonus in w.spans:
        score: float = prefix[e] - prefix[s]
        if bonus:
            score *= 1.1 if bonus == 1 else 1.5
        if score > best or (score == best and e - s < end - start):
            best, start, end = score, s, e
    return read_span(w, rules, furniture, start, end)


def scores(w: Walk, furniture: list[bool]) -> list[int]:
    """Each chunk's value as evidence for the container around it."""
    values = []
    for c, f in zip(w.chunks, furniture, strict=True):
        n = len(c.text)
        if c.kind == "cut":
            values.append(-c.links)  # furniture removed before parsing: its text length
        elif c.kind == "subheading" and c.links > LINKY * n:
            values.append(-3 * n)  # a linked heading: the title of a teaser for another page
        elif f:
            values.append(-sum(k for k, _ in c.cells) if c.cells else -n)
        elif c.cells:  # a table: each cell as the block it was before (see prose)
            values.append(sum(-k if links > LINKY * k else _prose(k, links)
                              for k, links in c.cells))
        elif c.kind in BODY_KINDS and c.links > LINKY * n:
            values.append(-n)
        else:
            values.append(prose(c))
    return values


def read_span(w: Walk, rules: Rules, furniture: list[bool], start: int, end: int) -> Body:
    """The article's parts with chunks ``start:end`` of the walk as its body."""
    chunks = w.chunks
    h1_at = [i for i, c in enumerate(chunks) if c.kind == "h1" and not furniture[i]]
    head = max((i for i in h1_at if i < start), default=start)
    near = [i for i in h1_at if i == head or start <= i < end]
    h1 = [chunks[i].text for i in near + [i for i in h1_at if i not in near]]
    # A furniture-marked h1 ("screen reader only", in a banner) can still be the headline.
    h1_marked = [c.text for i, c in enumerate(chunks) if c.kind == "h1" and furniture[i]]
    # A lead image's caption may sit just above the headline.
    items = [("caption", c.text) for i, c in reversed(list(_back(chunks, head, 3)))
             if c.kind == "caption" and not furniture[i] and chunks[head].kind == "h1"]
    lead: list[str] = []
    tables: dict[str, Block] = {}
    summary = None
    first_h1_seen = False
    # Set when furniture was skipped right after the last heading read: a heading that
    # titled only furniture ("Topics" over a box of teasers) is dropped when the next
    # heading comes.
    titled_furniture = False
    for i in range(head, end):
        c = chunks[i]
        if furniture[i]:
            titled_furniture = titled_furniture or bool(items and items[-1][0] == "subheading")
            continue
        if (c.summary and summary is None and not items and i <= start + 2
                and not _runs_on(chunks, i, end)):
            summary = c.text
            continue
        if c.kind in ("caption", "alt"):
            items.append(("caption" if c.kind == "caption" else "alt", c.text))
            continue
        kind = c.kind
        if kind == "h1":
            if i >= start and first_h1_seen:
                kind = "subheading"  # a second h1 inside the body heads a section
            first_h1_seen = True
        if kind not in BODY_KINDS:
            continue
        if i < start:
            lead.append(c.text)
            continue
        n = len(c.text)
        if c.links > LINKY * n or " ".join(c.text.lower().split()) in rules.furniture_lines:
            continue
        if rules.is_call_to_action(c.text):
            continue
        if c.table is not None:
            tables[c.text] = c.table
        if kind == "subheading" and titled_furniture and items[-1][0] == "subheading":
            items.pop()
        titled_furniture = False
        items.append((kind, c.text))
    if summary and not any(k in BODY_KINDS for k, _ in items):
        items.insert(0, ("paragraph", summary))  # a "summary" that is all the text there is
        summary = None
    # Other headline candidates: headings before the body, and short lines of text at its
    # top (an old page's <font size=5> title), for pages whose h1 is missing or the site's.
    # The body's own first heading counts too: a headline set as h2 inside <article>.
    headings = [c.text for c in chunks[:start] if c.kind == "subheading"][-5:] + [
        c.text for i, c in enumerate(chunks[max(0, start - 10) : start + 3], max(0, start - 10))
        if len(c.text) <= 150 and not c.links
        and (c.kind == "paragraph" or (c.kind == "subheading" and i >= start))
    ]
    top = next((c.text for c in chunks[start : start + 1] if c.kind == "subheading"), None)
    if top is None:
        top = next((c.text for i, c in _back(chunks, start, 10)
                    if c.kind == "subheading" and not furniture[i]), None)
    if top is not None and (len(top) > 200 or chunks[start].links > LINKY * len(top)):
        top = None
    return Body(_trim(_drop_copies(items)), summary, h1, headings, None, lead, h1_marked, top,
                (start, end), furniture, tables)


def _runs_on(chunks: list[Chunk], i: int, end: int) -> bool:
    """The summary-marked paragraph at ``i`` is followed by another one: the element
    holds the opening paragraphs of the text (a body field whose class says it "has a
    summary"), where a standfirst is a single line or two."""
    return (chunks[i].kind == "paragraph" and i + 1 < end and chunks[i + 1].summary
            and chunks[i + 1].kind == "paragraph")


def _back(chunks: list[Chunk], start: int, n: int):
    """The ``n`` chunks before ``start``, nearest first, with their indices."""
    return ((i, chunks[i]) for i in range(start - 1, max(-1, start - 1 - n), -1))


def _drop_copies(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Leave out a long block that is a copy of the rest of the body (the article again
    as Markdown for copying, a print version): a block of more than ``COPY_MIN``
    characters most of whose word runs the other blocks already hold."""
    sizes = sorted(len(t) for k, t in items if k in BODY_KINDS)
    if not sizes or sizes[-1] <= max(COPY_MIN, 4 * sizes[len(sizes) // 2]):
        return items  # no block far longer than the others: the common case, and cheap
    long = [i for i, (k, t) in enumerate(items) if k in BODY_KINDS and len(t) > COPY_MIN]
    # The longest few only, so that a page of a thousand long blocks stays linear.
    long = sorted(long, key=lambda i: -len(items[i][1]))[:COPY_CHECKS]
    limit = len(items[long[0]][1]) / 2
    runs = [_runs(t) if k in BODY_KINDS and len(t) < limit else set() for k, t in items]
    drop = set()
    for i in long:
        # Only blocks far shorter count: a copy repeats many of them, while versions of
        # one text (the terms for each country) are as long as each other.
        n = len(items[i][1])
        others = set().union(*(r for j, r in enumerate(runs) if len(items[j][1]) < n / 2))
        runs[i] = _runs(items[i][1])
        if runs[i] and len(runs[i] & others) > COPY_SHARE * len(runs[i]):
            drop.add(i)
    return [item for i, item in enumerate(items) if i not in drop]


def _runs(text: str) -> set[tuple[str, ...]]:
    """The four-word runs of a text, leaving out the addresses of Markdown links."""
    words = _WORD.findall(_LINK_TARGET.sub(" ", text.lower()))
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _trim(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop headings left dangling at the end of the body (a "Related" title whose
    list was furniture)."""
    while items and items[-1][0] == "subheading":
        items.pop()
    return items
