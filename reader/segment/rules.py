"""Where sentences end in running text: NLTK Punkt plus the rules news text needs.

One regular expression finds every candidate end (a run of ``. ! ? …`` with closing
quotes, brackets and citation marks, then white space, the end, or a capital letter);
each candidate is decided in order by rules for abbreviations, initials, numbers,
times, ellipses, quotes and brackets. Periods the rules leave open go to NLTK Punkt
with its English parameters (``reader.segment.punkt``). Lists, bullets, headings on
their own line and blank lines force breaks. Work is linear in the text: each
candidate looks at most ``_LOOK`` characters around it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate

from reader.segment.punkt import tokenizer
from reader.segment.words import Words, load

_TERM = ".!?…‼⁇⁈⁉"
_CLOSERS = "\"'”’»›)]}`"
_OPENERS = "\"'“‘«‹([{`¿¡"
_QUOTES = "\"'”’“‘»«`"
_LOOK = 80  # characters a rule may look back or ahead of a candidate

_CANDIDATE = re.compile(
    r"(?P<cjk>[。！？]+[」』”’）]*)"
    r"|(?P<punct>[.!?…‼⁇⁈⁉](?:[ ]?[.!?…‼⁇⁈⁉])*)"
    r"(?P<close>[\"'”’»›)\]}`]*(?:\[\d{1,3}(?:[-–,]\d{1,3})*\])*)"
    r"(?=(?P<ws>\s)|(?P<cap>[A-Z][a-z])|$)"
)
_BLANK_LINE = re.compile(r"\n(?:[^\S\n]*\n)+")
_NEWLINE = re.compile(r"\n")
_HAS_BULLET = re.compile(r"[•⁃▪◦●‣]")
_COLON_MARKER = re.compile(r":\s+(?:\d{1,2}|[a-zA-Z])(?:\.\)|\)|\.)\s")
_BULLET = re.compile(r"(?<!\S)[•⁃▪◦●‣](?=\s|\d)")
_MARKER = re.compile(r"(?<![^\s•⁃▪◦●‣:])(\d{1,2}|[a-zA-Z])(\.\)|\)|\.)(?=\s)")
_LINE_ITEM = re.compile(r"(?:[•⁃▪◦●‣*-]|\d{1,2}[.)]|[a-zA-Z]\))\s")
_CITATION = re.compile(r"(?:\s*\[\d{1,3}(?:[-–,]\d{1,3})*\])+(?=\s|$)")
_NUMERIC = re.compile(r"^[-+±~]?[$€£¥#]?[\d][\d,.:/%-]*[%]?$")
_ACRONYM = re.compile(r"^(?:[a-z]\.)+[a-z]$")
_ALPHA_START = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"[a-z]{1,2}[A-Z]")
_TOKEN = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")
_INITIAL = re.compile(r"[^\W\d_]\.(?!\w)")
_ROMAN = re.compile(r"^[IVXLC]+\b")


class Splitter:
    """Finds sentence spans in text. Build once (``splitter()``); it holds no state per text."""

    def __init__(self, words: Words | None = None) -> None:
        self.words = words or load()
        self.punkt = tokenizer()
        self.starters = self.words.starter | self.punkt.sent_starters
        self.abbreviations = (
            self.punkt.abbreviations
            | self.words.title
            | self.words.after
            | self.words.inner
            | self.words.other
            | self.words.month
            | self.words.number
        )
        self.collocations = self.punkt.collocations
        w = self.words
        self.special = self.abbreviations | w.unit | w.time | w.timezone | w.state

    # ------------------------------------------------------------------ spans
    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every sentence, in order: ``text[start:end]`` has no outer
        white space, and together the spans cover every non-space character."""
        pos = 0
        for m in _BLANK_LINE.finditer(text):
            yield from self._paragraph(text, pos, m.start())
            pos = m.end()
        yield from self._paragraph(text, pos, len(text))

    def _paragraph(self, text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if lo >= hi:
            return
        forced = sorted(set(self._forced(text, lo, hi)))
        inside = _Inside(text, lo, hi)
        start, f, nf = lo, 0, len(forced)
        for m in _CANDIDATE.finditer(text, lo, hi):
            while f < nf and forced[f] <= m.start():
                if forced[f] > start:
                    yield _trim(text, start, forced[f])
                    start = forced[f]
                f += 1
            if m.start() < start:
                continue
            end = self._decide(text, m, start, lo, hi, inside)
            if end is None or end >= hi:
                continue
            yield start, end  # ends on a mark, never on white space
            start = _skip_space(text, end, hi)
        for p in forced[f:]:
            if p > start:
                yield _trim(text, start, p)
                start = p
        if start < hi:
            yield _trim(text, start, hi)

    # ------------------------------------------------------------- forced breaks
    def _forced(self, text: str, lo: int, hi: int) -> Iterator[int]:
        """Starts of sentences that no punctuation marks: bullets, numbered items,
        and lines after a heading-like line."""
        if _HAS_BULLET.search(text, lo, hi):
            for m in _BULLET.finditer(text, lo, hi):
                if m.start() > lo:
                    yield m.start()
        if _MARKER.match(text, lo) or _BULLET.match(text, lo) or _COLON_MARKER.search(text, lo, hi):
            yield from self._list_items(text, lo, hi)
        if "\n" in text[lo:hi]:
            yield from self._line_breaks(text, lo, hi)

    def _list_items(self, text: str, lo: int, hi: int) -> Iterator[int]:
        chain: list[re.Match[str]] = []
        for m in _MARKER.finditer(text, lo, hi):
            if (
                chain
                and m.group(2) == chain[-1].group(2)
                and _follows(chain[-1].group(1), m.group(1))
            ):
                chain.append(m)
                continue
            if len(chain) > 1:
                yield from (_item_start(text, c.start(), lo) for c in chain[1:])
            before = text[max(lo, m.start() - 3) : m.start()].strip(" •⁃▪◦●‣")
            chain = [m] if m.start() <= lo + 2 or before.endswith(":") or not before else []
        if len(chain) > 1:
            yield from (_item_start(text, c.start(), lo) for c in chain[1:])

    def _line_breaks(self, text: str, lo: int, hi: int) -> Iterator[int]:
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
            if p[-1] in _TERM + _CLOSERS + ",;:-–—(/&" or not (
                n[0].isupper() or n[0].isdigit() or n[0] in _OPENERS
            ):
                continue
            last = p.rsplit(None, 1)[-1]
            if last in self.words.continues:
                continue  # "the", "and", "of": the line was wrapped mid-sentence
            if len(p) < 0.7 * longest or len(lines) == 2 and len(p) <= len(n):
                yield start

    # --------------------------------------------------------------- decisions
    def _decide(
        self, text: str, m: re.Match[str], start: int, lo: int, hi: int, inside: _Inside
    ) -> int | None:
        """Where the sentence ends if candidate ``m`` ends one, else None."""
        if m.group("cjk"):
            return m.end()
        end = m.end()
        punct = m.group("punct")
        if m.group("cap"):
            glued = punct == "." and self._glued(text, m.start(), lo)
            return end if glued and not inside(m.start(), end) else None
        if end >= hi:
            return None
        if "[" in text[end : end + 3]:
            cite = _CITATION.match(text, end, hi)
            if cite:
                end = cite.end()
        k = (
            end + 1
            if text[end] == " " and end + 1 < hi and not text[end + 1].isspace()
            else _skip_space(text, end, hi)
        )
        if k >= hi or inside(m.start(), k):
            return None
        nxt = _token(text, k, hi)
        close = m.group("close")
        closed = bool(close) and any(c in _QUOTES for c in close)
        if nxt.strip(_QUOTES) == "":  # a lone quote mark: whose is it?
            if not closed and inside.closes(nxt, k):
                end = k + len(nxt)
                k = _skip_space(text, end, hi)
                if k >= hi:
                    return None
                nxt = _token(text, k, hi)
            else:
                nxt = _token(text, _skip_space(text, k + len(nxt), hi), hi) or nxt
        core = nxt.lstrip(_OPENERS)
        first = core[:1]
        if not first or not first.isalnum():
            return None
        if "." not in punct and "…" not in punct:  # ? and !
            if first.islower():
                return None
            if closed and self._attribution(text[k : min(hi, k + _LOOK)].lstrip(_OPENERS)):
                return None
            return end
        dots = punct.count(".") + 3 * punct.count("…")
        if dots >= 2:
            if m.start() > lo and text[m.start() - 1] in "[(" and close[:1] in "])":
                return None  # "[...]" marks words left out, not an end
            return self._ellipsis(text, m, punct, end, first, core)
        if first.islower() and not _CAMEL.match(core):  # "iPhone sales rose." starts one
            return None
        return end if self._period_ends(text, m.start(), start, lo, core) else None

    def _ellipsis(
        self, text: str, m: re.Match[str], punct: str, end: int, first: str, core: str
    ) -> int | None:
        if not first.isupper():
            return None
        if punct.startswith(". ") and not text[m.start() - 1].isspace():
            return (
                m.start() + 1
            )  # "compounds. . . . The": the period ends it, ". . ." opens the next
        if core[:1] == "I" and (len(core) == 1 or not core[1].isalpha()):
            return None  # "I thought... I would go."
        return end

    def _period_ends(self, text: str, p: int, start: int, lo: int, core: str) -> bool:
        """Does the period at ``p`` end a sentence, the next word being ``core``
        (which starts with a capital letter or a digit)?"""
        w = self.words
        ws = max(start, _word_start(text, p, lo))
        word = text[ws:p].lstrip(_OPENERS + "•⁃▪◦●‣").rstrip(_CLOSERS)
        if not word:  # a spaced period, "filming . He": judge the word before it
            ws = _word_start(text, _back_space(text, ws, lo), lo)
            word = text[ws : _back_space(text, p, lo)].lstrip(_OPENERS).rstrip(_CLOSERS + ".")
        word = word.rsplit("/", 1)[-1]  # "171/U.S"
        low = word.lower()
        alpha = _ALPHA_START.match(core)
        nxt_low = alpha.group().lower() if alpha else ""
        plain = low not in self.special or low in w.state and word.islower()  # "fell ill."
        if len(word) > 1 and word.isalpha() and plain:
            return (low, nxt_low) not in self.collocations  # an ordinary word: Punkt's default
        initial_next = bool(_INITIAL.match(core))  # "A." is an initial, not the article
        starter = nxt_low in self.starters and not initial_next
        digit = core[0].isdigit()
        prev = _prev_token(text, ws, lo)
        prev_num = (
            bool(_NUMERIC.match(prev)) or prev.lower() in w.unit or prev.lower() in _NUMBER_WORDS
        )
        at_start = ws - start <= 3 and not text[start:ws].strip(" •⁃▪◦●‣*-")
        if at_start and (re.fullmatch(r"\d{1,3}|[a-zA-Z]|[IVX]+", word) or low in w.title):
            return False  # "1. The first item", "a. The first item", "Dr. Watson"
        if _is_time(low, prev, w):
            if at_start:
                return False  # "A.D. 79 saw the eruption."
            return self._time_ends(text, start, ws, core, nxt_low, digit)
        if prev_num and low in w.unit:
            return not digit
        if digit and (low in w.number or low in w.month):
            return False
        if low in w.number and _ROMAN.match(core):
            return False  # "Vol. II"
        if low in w.title or low in w.inner:
            return starter
        if low in w.after:
            return True
        if low in w.other or _ACRONYM.match(low) or low in w.state and word[0].isupper():
            return starter
        if len(word) == 1 and word.isalpha():
            if initial_next:
                return False  # "J. R. R. Tolkien", "U. A. E."
            return self._initial_ends(text, ws, word, prev, lo, core, starter)
        if _NUMERIC.match(word):
            return True
        if low in self.punkt.abbreviations or low.rsplit("-", 1)[-1] in self.punkt.abbreviations:
            return starter or self.punkt.breaks_after(word + ".", core)
        if low in w.month:
            return starter
        return (low, nxt_low) not in self.collocations

    def _time_ends(
        self, text: str, start: int, ws: int, core: str, nxt_low: str, digit: bool
    ) -> bool:
        if core.replace(".", "").lower().rstrip(",;:") in self.words.timezone:
            return False  # "11:58 p.m. PDT on October 1"
        if digit or nxt_low in self.starters:
            return True
        if ws - start > 200:
            return True  # a long sentence so far is no introductory phrase
        fragment = text[start:ws]
        fragment = fragment.rsplit(": ", 1)[-1]
        opener = _ALPHA_START.search(fragment)
        return (
            not opener or opener.group().lower() not in self.words.preposition
        )  # "At 5 a.m. Mr. Smith went ..."

    def _initial_ends(
        self, text: str, ws: int, word: str, prev: str, lo: int, core: str, starter: bool
    ) -> bool:
        if word == "I" and prev[:1].islower():
            return True  # "you and I. Did you see ..."
        if starter:
            return True
        # Walk back over a chain of initials: "J. R. R." or "U. A. E.".
        pos, before = ws, prev
        for _ in range(6):  # "J. R. R. Tolkien"; longer runs are not names
            if not (len(before) == 2 and before[1] == "." and before[0].isalpha()):
                break
            pos = _word_start(text, _back_space(text, pos, lo), lo)
            before = _prev_token(text, pos, lo)
        if not before or before[:1].isupper() or before.endswith((".", ":", "!", "?")):
            return False  # a name: "George W. Bush", "J. R. R. Tolkien"
        # After a lower-case word ("by J. K. Rowling", "like U. A. E. Start"): a word
        # Punkt has seen in lower case is a common word, so a new sentence.
        return self.punkt.seen_lowercase(core)

    def _glued(self, text: str, p: int, lo: int) -> bool:
        """ "world.Today" or "1,000.That": a period with no space before a capital."""
        ws = _word_start(text, p, lo)
        word = text[ws:p]
        if len(word) < 2 or not (word[-1].isdigit() or word[-2:].isalpha() and word[-2:].islower()):
            return False
        e = p + 1
        while e < len(text) and e < p + _LOOK and not text[e].isspace():
            e += 1
        token = text[ws:e]
        if "@" in token or "/" in token or "www." in token.lower() or "." in word:
            return False  # e-mail addresses, URLs, domain names
        return word.lower() not in self.abbreviations

    def _attribution(self, core: str) -> bool:
        """'"Why?" John asked.': a name then a verb of saying continues the sentence."""
        parts = core.split(None, 3)
        for i, part in enumerate(parts[:3]):
            if part.rstrip(".,").lower() in self.words.speech:
                return i > 0 and all(x[:1].isupper() for x in parts[:i])
            if not part[:1].isupper():
                return False
        return False


_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten twelve several few".split()
)


def _is_time(low: str, prev: str, w: Words) -> bool:
    if low in w.time:
        return True
    if low == "m" and prev.lower() in ("a.", "p."):
        return True  # "5 a. m."
    return bool(re.fullmatch(r"\d{1,2}(?::\d\d)?[ap]\.m", low))  # "6a.m."


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


def _skip_space(text: str, i: int, hi: int) -> int:
    if i < hi and text[i].isspace():
        m = _SPACE.match(text, i, hi)
        return m.end() if m else i
    return i


def _back_space(text: str, i: int, lo: int) -> int:
    while i > lo and text[i - 1].isspace():
        i -= 1
    return i


def _word_start(text: str, i: int, lo: int) -> int:
    piece = text[max(lo, i - _LOOK) : i]
    if not piece or piece[-1].isspace():
        return i
    return i - len(piece.rsplit(None, 1)[-1])


def _token(text: str, k: int, hi: int) -> str:
    m = _TOKEN.match(text, k, min(hi, k + _LOOK))
    return m.group() if m else ""


def _prev_token(text: str, ws: int, lo: int) -> str:
    e = _back_space(text, ws, lo)
    return text[_word_start(text, e, lo) : e]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _Inside:
    """Spans inside balanced brackets and quotation marks of one paragraph, where a
    period does not end the sentence: '"How many? I don't know."'. It also knows where
    the lone quote marks are (``''`` or ``'`` between spaces, as in tokenised text)."""

    PAIRS = {"(": ")", "[": "]", "{": "}", "（": "）", "“": "”", "«": "»"}
    LIMIT = 600  # a longer "quotation" is more likely an unbalanced mark
    DEPTH = 8  # how far down the bracket stack a closing bracket looks for its partner

    def __init__(self, text: str, lo: int, hi: int) -> None:
        spans: list[tuple[int, int]] = []
        stack: list[tuple[str, int]] = []
        straight = -1
        self.lone: dict[str, list[int]] = {}
        for m in _MARKS.finditer(text, lo, hi):
            c, i = m.group(), m.start()
            if c in self.PAIRS:
                stack.append((c, i))
            elif c in _CLOSING_BRACKETS:
                for j in range(len(stack) - 1, max(-1, len(stack) - 1 - self.DEPTH), -1):
                    if self.PAIRS[stack[j][0]] == c:
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
