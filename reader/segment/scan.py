"""Scanning text for the sentence splitter: white space and words around an offset,
breaks that no punctuation marks (blank lines, bullets, numbered items, heading lines),
and the brackets and quotation marks a period can sit inside. Every function looks at a
bounded neighbourhood, or makes one pass over a paragraph, so splitting stays linear.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate

LOOK = 80  # characters a rule may look back or ahead of a candidate
QUOTES = "\"'”’“‘»«`"
OPENERS = "\"'“‘«‹([{`¿¡"
CLOSERS = "\"'”’»›)]}`"
TERM = ".!?…‼⁇⁈⁉"
BLANK_LINE = re.compile(r"\n(?:[^\S\n]*\n)+")
_HAS_BULLET = re.compile(r"[•⁃▪◦●‣]")
_COLON_MARKER = re.compile(r":\s+(?:\d{1,2}|[a-zA-Z])(?:\.\)|\)|\.)\s")
_BULLET = re.compile(r"(?<!\S)[•⁃▪◦●‣](?=\s|\d)")
_MARKER = re.compile(r"(?<![^\s•⁃▪◦●‣:])(\d{1,2}|[a-zA-Z])(\.\)|\)|\.)(?=\s)")
_LINE_ITEM = re.compile(r"(?:[•⁃▪◦●‣*-]|\d{1,2}[.)]|[a-zA-Z]\))\s")
_TOKEN = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")


def forced_breaks(text: str, lo: int, hi: int, continues: frozenset[str]) -> Iterator[int]:
    """Starts of sentences that no punctuation marks: bullets, numbered items,
    and lines after a heading-like line."""
    if _HAS_BULLET.search(text, lo, hi):
        for m in _BULLET.finditer(text, lo, hi):
            if m.start() > lo:
                yield m.start()
    if _MARKER.match(text, lo) or _BULLET.match(text, lo) or _COLON_MARKER.search(text, lo, hi):
        yield from _list_items(text, lo, hi)
    if text.find("\n", lo, hi) >= 0:
        yield from _line_breaks(text, lo, hi, continues)


def _list_items(text: str, lo: int, hi: int) -> Iterator[int]:
    chain: list[re.Match[str]] = []
    for m in _MARKER.finditer(text, lo, hi):
        if chain and m.group(2) == chain[-1].group(2) and _follows(chain[-1].group(1), m.group(1)):
            chain.append(m)
            continue
        if len(chain) > 1:
            yield from (_item_start(text, c.start(), lo) for c in chain[1:])
        before = text[max(lo, m.start() - 3) : m.start()].strip(" •⁃▪◦●‣")
        chain = [m] if m.start() <= lo + 2 or before.endswith(":") or not before else []
    if len(chain) > 1:
        yield from (_item_start(text, c.start(), lo) for c in chain[1:])


def _line_breaks(text: str, lo: int, hi: int, continues: frozenset[str]) -> Iterator[int]:
    lines = text[lo:hi].split("\n")
    longest = max(len(line.strip()) for line in lines)
    pos = lo
    for prev, nxt in zip(lines, lines[1:], strict=False):
        pos += len(prev) + 1
        p, n = prev.strip(), nxt.lstrip()
        if not p or not n:
            continue
        start = pos + len(nxt) - len(n)
        if _LINE_ITEM.match(n):
            yield start
            continue
        if p[-1] in TERM + CLOSERS + ",;:-–—(/&" or not (
            n[0].isupper() or n[0].isdigit() or n[0] in OPENERS
        ):
            continue
        last = p.rsplit(None, 1)[-1]
        if last.lower() in continues:
            continue  # "the", "and", "of": the line was wrapped mid-sentence
        if len(p) < 0.7 * longest or len(lines) == 2 and len(p) <= len(n):
            yield start


def _item_start(text: str, i: int, lo: int) -> int:
    """A list item starts at its bullet when it has one: "• 10. The second item"."""
    j = i
    while j > lo and text[j - 1] in " •⁃▪◦●‣":
        j -= 1
    return j if text[j:i].strip() else i


def _follows(a: str, b: str) -> bool:
    if a.isdigit() and b.isdigit():
        return int(b) == int(a) + 1
    return len(a) == len(b) == 1 and a.isalpha() and ord(b) == ord(a) + 1


def skip_space(text: str, i: int, hi: int) -> int:
    if i < hi and text[i].isspace():
        m = _SPACE.match(text, i, hi)
        return m.end() if m else i
    return i


def back_space(text: str, i: int, lo: int) -> int:
    while i > lo and text[i - 1].isspace():
        i -= 1
    return i


def word_start(text: str, i: int, lo: int) -> int:
    piece = text[max(lo, i - LOOK) : i]
    if not piece or piece[-1].isspace():
        return i
    return i - len(piece.rsplit(None, 1)[-1])


def token(text: str, k: int, hi: int) -> str:
    m = _TOKEN.match(text, k, min(hi, k + LOOK))
    return m.group() if m else ""


def prev_token(text: str, ws: int, lo: int) -> str:
    e = back_space(text, ws, lo)
    return text[word_start(text, e, lo) : e]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Inside:
    """Spans inside balanced brackets and quotation marks of one paragraph, where a
    period does not end the sentence: '"How many? I don't know."'. It also knows where
    the lone quote marks are (``''`` or ``'`` between spaces, as in tokenised text)."""

    PAIRS = {"(": ")", "[": "]", "{": "}", "（": "）", "“": "”", "«": "»"}
    LIMIT = 600  # a longer "quotation" is more likely an unbalanced mark
    DEPTH = 8  # how far down the bracket stack a closing bracket looks for its partner

    def __init__(
        self, text: str, lo: int, hi: int, pairs: dict[str, str] | None = None
    ) -> None:
        """``pairs``: a language's quotation marks (opening to closing) besides the
        brackets; ``None``: the English ones (“” «»)."""
        if pairs:
            known = {**_BRACKETS, **pairs}
            marks, closing = _marks(tuple(sorted(known.items())))
        else:
            known, marks, closing = self.PAIRS, _MARKS, _CLOSING_BRACKETS
        spans: list[tuple[int, int]] = []
        stack: list[tuple[str, int]] = []
        straight = -1
        self.lone: dict[str, list[int]] = {}
        for m in marks.finditer(text, lo, hi):
            c, i = m.group(), m.start()
            if c in known and not (stack and known[stack[-1][0]] == c):
                stack.append((c, i))
            elif c in closing:
                for j in range(len(stack) - 1, max(-1, len(stack) - 1 - self.DEPTH), -1):
                    if known[stack[j][0]] == c:
                        spans.append((stack[j][1], i))
                        del stack[j:]
                        break
            elif c != '"':  # a lone quote token: which way it faces is decided later
                self.lone.setdefault(c, []).append(i)
            elif straight < 0:
                straight = i
            else:
                spans.append((straight, i))
                straight = -1
        spans = sorted(s for s in spans if s[1] - s[0] <= self.LIMIT)
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))

    def __call__(self, p: int, k: int) -> bool:
        """Is a candidate at ``p``, the next word starting at ``k``, inside a span?"""
        i = bisect_right(self.starts, p - 1) - 1
        return i >= 0 and self.reach[i] > k

    def closes(self, mark: str, k: int) -> bool:
        """Does the lone quote mark at ``k`` close a quotation (else it opens one)?"""
        seen = self.lone.get(mark, [])
        before = bisect_left(seen, k)
        if before % 2:
            return True
        # None before and none after: it closes a quotation begun before this text.
        return before == 0 and len(seen) == 1


_MARKS = re.compile(r"[()\[\]{}（）“”«»\"]|(?<!\S)(?:''|'|``)(?!\S)")
_CLOSING_BRACKETS = frozenset(")]}）”»")
_BRACKETS = {"(": ")", "[": "]", "{": "}", "（": "）"}


@lru_cache(maxsize=32)
def _marks(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], frozenset[str]]:
    """The pattern of a language's brackets and quotation marks, and its closing marks."""
    chars = "".join(dict.fromkeys(a + b for a, b in pairs))
    pattern = re.compile(rf"[{re.escape(chars)}\"]|(?<!\S)(?:''|'|``)(?!\S)")
    return pattern, frozenset(b for _, b in pairs)
