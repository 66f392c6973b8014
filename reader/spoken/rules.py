"""The rules of one language: where a sentence's text is not said as it is written.

``Rules(table)`` compiles one master pattern from the language's table (see
``reader/data/spoken-en.toml``); ``Rules.edits(text)`` scans the text once, left to right,
and returns non-overlapping ``(start, end, words)`` edits plus the number of citation
marks left out. A cheap combined scan (``trigger``) sends most sentences straight back
with no edits. Each match is handed to a small function that looks at the words around
it and either rewrites it or leaves it to the engine (plain numbers, years, "21st").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

Edit = tuple[int, int, str]

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ROMAN = re.compile(r"(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_TRAILING = ".,;:!?)]}'\"’”"
_TOKEN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'’.$")


def _alt(words: Any) -> str:
    """A regex alternation of ``words``, longest first (so ``km/h`` beats ``km``)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _roman_value(s: str) -> int | None:
    if not s or not _ROMAN.fullmatch(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


class Rules:
    """The compiled rules of one language table."""

    def __init__(self, t: dict[str, Any]) -> None:
        self.t = t
        web = t["web"]
        self.currencies = t["currencies"]
        self.scales = t["scales"]
        self.units = {k: v for k, v in t["units"].items() if isinstance(v, list)}
        self.metre_words = set(t["units"].get("metre_words", []))
        self.score_after = set(t["units"].get("score_after", []))
        self.score_before = set(t["units"].get("score_before", []))
        self.not_nouns = set(t["units"].get("not_nouns", []))
        self.year_followers = set(t["units"].get("year_followers", []))
        self.months = t["months"]
        self.month_abbr = t["month_abbreviations"]
        self.abbr = t["abbreviations"]
        self.abbr_lower = t["abbreviations_lower"]
        self.context = t["context"]
        self.states = t["states"]
        self.parties = t["parties"]
        self.zones = t["time_zones"]
        self.roman = t["roman"]
        self.symbols = {k: v for k, v in t["symbols"].items() if isinstance(v, str)}
        self.silent = set(t["symbols"]["silent_symbols"])
        self.fractions = t["fractions"]
        self.vulgar = t["vulgar_fractions"]
        self.web = web
        # Words that are abbreviations when a full stop follows them.
        self.dotted = (
            set(self.abbr) | set(self.context) | set(self.month_abbr) | set(self.states)
            | {k.split(".")[-1] for k in self.states}
        )  # fmt: skip
        cite_words = _alt(t["citations"]["words"])
        month_words = _alt(
            [m.capitalize() for m in self.months] + [a + "." for a in self.month_abbr]
        )
        months_re = _alt([m.capitalize() for m in self.months] + list(self.month_abbr))
        sym_chars = "".join(re.escape(c) for c in set(self.symbols) | self.silent if len(c) == 1)
        currency = _alt(self.currencies)
        branches = {
            "brackets": r"\[{2,}|\]{2,}",  # espeak-ng phoneme input: a run said as one
            "cite": rf"\[(?:\d+(?:\s?[,–-]\s?\d+)*|[a-rt-z]|(?i:{cite_words})(?:\s?\d+)?|"
            rf"(?i:note|nb|n)\s?\d+)\]|[{_SUPERSCRIPTS}]+",
            "url": r"(?:https?://|www\.)[^\s<>\"\]]+",
            "party": r"\((?=[A-Z]-[A-Z])",
            "domain": rf"\.(?:{_alt(web['tlds'])})(?![\w-])",
            "money": rf"(?:{currency})\s?(?={_NUM})",
            "decade": r"['’]\d0s\b",
            "num": _NUM,
            "roman": r"[IVXLC]+(?=['’]s\b|[^\w'’]|$)",
            "abbr": r"[A-Z][a-z]{0,5}\.",
            "lower": rf"(?<![\w.])(?:{_alt(self.abbr_lower)})",
            "vulgar": f"[{''.join(self.vulgar)}]",
            "sym": f"[{sym_chars}]",
        }
        self.master = re.compile("|".join(f"(?P<{k}>{v})" for k, v in branches.items()))
        # Where a rewrite can begin: one character class, so the scan skips ahead in C.
        # Letter-led matches are found from their full stop (Sen., e.g., www.), colon
        # (https:) or currency sign (US$); Roman numerals by their own scan.
        self.candidates = re.compile(
            rf"[\d\[\]{_SUPERSCRIPTS}{sym_chars}{''.join(self.vulgar)}"
            rf"{''.join(sorted(c for c in set(''.join(self.currencies)) if not c.isalpha()))}(.:]"
        )
        self.romans = re.compile(r" [IVXLC]+(?=['’]s\b|[^\w'’]|$)")
        unit_re = _alt(self.units)
        self.re_tail = re.compile(
            rf"(?P<frac>\s(?P<fn>\d+)/(?P<fd>\d+)(?!\d))|(?P<vul>[{''.join(self.vulgar)}])|"
            rf"(?P<scale>\s?(?:{_alt(k for k in self.scales if len(k) <= 3)})(?![\w])"
            rf"|\s(?:{_alt(k for k in self.scales if len(k) > 3)})(?![\w]))?"
            rf"(?P<sep>\s|-)?(?P<unit>(?:{unit_re}))?(?![\w²³])"
        )
        self.re_num = re.compile(_NUM)
        self.re_scale = re.compile(
            rf"\s?({_alt(k for k in self.scales if len(k) <= 3)})(?![\w])"
            rf"|\s({_alt(k for k in self.scales if len(k) > 3)})(?![\w])"
        )
        self.re_unit = re.compile(rf"(?P<sep>\s|-)?(?P<unit>{unit_re})(?![\w²³])")
        self.re_range = re.compile(rf"\s?[-–]\s?({_NUM})(?![\d/:])")
        self.re_slash = re.compile(r"/(\d+)(?:/(\d+))?(?![\d/])")
        self.re_time = re.compile(
            r"(\d{1,2})(?:[:.](\d{2}))?\s?(a\.m\.|p\.m\.|a\.m|p\.m|am|pm|AM|PM)(?![\w])"
            r"|(\d{1,2}):(\d{2})(?![\d:])"
        )
        self.re_zone = re.compile(rf"\s({_alt(self.zones)})(?![\w])")
        self.re_phone = re.compile(
            r"(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,4}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)"
            r"|\+\d{1,3}(?:[\s-]\d{2,4}){2,4}(?!\d)"
            r"|1-800-\d{3}-\d{4}(?!\d)"
            r"|0\d{2,4}[\s-]\d{3,4}[\s-]\d{3,4}(?!\d)"
        )
        self.re_month_before = re.compile(rf"(?:^|[^\w])(?:{months_re})\.?\s$")
        self.re_month_after = re.compile(rf"\s(?:of\s)?({month_words}|{months_re})(?![\w])")
        self.re_word_before = re.compile(r"([A-Za-z]+)\.?\s+$")
        self.re_words_before = re.compile(r"(?:[A-Za-z]+\W+){1,3}$")
        self.re_next_word = re.compile(r"\s*([A-Za-z]+)")
        self.re_name_after = re.compile(r"\s+(?:[A-Z]|\d)")
        self.re_cap_word_before = re.compile(r"([A-Z][a-z]+|[A-Z])\.?\s+$")
        self.re_party = re.compile(r"\(([A-Z])-([A-Z][\w.]*?)\.?\)")
        self.re_email_local = re.compile(r"[\w.+-]+$")
        self.re_email_domain = re.compile(r"[\w-]+(?:\.[\w-]+)+")
        self.re_host_before = re.compile(r"(?<![\w@.-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*$")
        self.re_host_after = re.compile(r"(?:\.[\w-]+)*(?:/[^\s]*)?")
        self.handlers: dict[str, Callable[[re.Match, str, int], Edit | None]] = {
            "brackets": lambda m, text, floor: (m.start(), m.end(), m.group()[0]),
            "cite": self._cite,
            "url": self._url,
            "party": self._party,
            "domain": self._domain,
            "money": self._money,
            "decade": self._decade,
            "num": self._num,
            "abbr": self._abbr,
            "lower": self._lower,
            "roman": self._roman,
            "vulgar": lambda m, text, floor: (m.start(), m.end(), self.vulgar[m.group()]),
            "sym": self._sym,
        }

    # -- the scan -------------------------------------------------------------------------

    def edits(self, text: str, blocked: Sequence[tuple[int, int]] = ()) -> tuple[list[Edit], int]:
        """Edits for ``text`` outside the ``blocked`` spans (sorted, e.g. lexicon matches),
        and how many citation marks they leave out."""
        spots = [m.start() for m in self.candidates.finditer(text)]
        if " " in text and self.romans.search(text):
            spots = sorted(spots + [m.start() + 1 for m in self.romans.finditer(text)])
        if not spots:
            return [], 0
        out: list[Edit] = []
        skipped = 0
        pos = floor = 0
        blocks = list(blocked)
        bi = 0
        match = self.master.match
        for p in spots:
            if p < pos:
                continue
            while bi < len(blocks) and blocks[bi][1] <= p:
                floor = max(floor, blocks[bi][1])
                bi += 1
            if bi < len(blocks) and blocks[bi][0] <= p:
                continue  # inside a lexicon match
            # The token this character belongs to may begin earlier (Sen., US$5, '80s).
            a = p
            while a > floor and text[a - 1] in _TOKEN:
                a -= 1
            c = text[p]
            if c in ".:(" and not self._worth_a_look(text, a, p, c):
                continue  # most full stops end a sentence; most brackets are prose
            edit = None
            for at in (a, p) if a != p else (p,):
                m = match(text, at)
                if m is None:
                    continue
                kind = m.lastgroup
                assert kind is not None
                edit = self.handlers[kind](m, text, floor)
                if edit is not None:
                    break
                pos = max(pos, m.end())
            if edit is None:
                continue
            start, end, words = edit
            if start < floor or (bi < len(blocks) and end > blocks[bi][0]):
                continue  # would reach into text already taken
            if kind == "cite":
                skipped += 1
            out.append(edit)
            pos = floor = end
        return out, skipped

    def _worth_a_look(self, text: str, a: int, p: int, c: str) -> bool:
        """Whether a full stop, colon or bracket at ``p`` (its token from ``a``) can
        start or end anything the rules rewrite: a cheap test before the full match."""
        nxt = text[p + 1 : p + 2]
        if c == ".":
            token = text[a:p]
            return (
                nxt.isalnum()  # e.g. bbc.co, e.g., www.
                or token.split(".")[-1] in self.dotted
                or token + "." in self.abbr_lower
            )
        if c == ":":
            return text[a:p].lower() in ("http", "https")
        return nxt.isupper() and text[p + 2 : p + 3] == "-"  # (D-Mass.)

    # -- helpers --------------------------------------------------------------------------

    def ordinal(self, n: int) -> str:
        suffix = self.t["teen_suffix"] if 10 <= n % 100 <= 13 else self.t["ordinal_suffix"][n % 10]
        return f"{n}{suffix}"

    def _ordinal_words(self, n: int) -> str:
        """1 -> "first", 21 -> "twenty-first" (to 39, as Roman numerals after names go)."""
        t = self.t
        if n < 20:
            return t["ordinal_words"][n]
        if n % 10 == 0:
            return t["tens_ordinal_words"][n // 10]
        return f"{t['tens_words'][n // 10]}-{t['ordinal_words'][n % 10]}"

    def _final(self, text: str, end: int, words: str) -> str:
        """Keep an abbreviation's full stop when it also ends the sentence."""
        rest = text[end:].strip()
        return words + "." if not rest or all(c in _TRAILING for c in rest) else words

    def _tail(self, text: str, pos: int, value: str) -> tuple[str, int]:
        """Words for what follows a number at ``pos``: a fraction, a scale, a unit."""
        m = self.re_tail.match(text, pos)
        if m is None or m.end() == pos:
            return "", pos
        words = []
        if m.group("frac"):
            n, d = int(m.group("fn")), int(m.group("fd"))
            frac = self._fraction(n, d)
            if frac is None:
                return "", pos
            return f" {self.t['and']} {frac}", m.end()
        if m.group("vul"):
            return f" {self.t['and']} {self.vulgar[m.group('vul')]}", m.end()
        scale = m.group("scale")
        unit = m.group("unit")
        if scale:
            key = scale.strip()
            if key == "m" and not unit:
                # 5m people (million) or a 100m sprint (metres): the next word decides.
                nxt = self.re_next_word.match(text, m.end())
                word = nxt.group(1).lower() if nxt else ""
                if word in self.metre_words or not nxt:
                    m2 = self.re_unit.match(text, pos)
                    if m2 is not None:
                        m, scale, unit = m2, None, "m"
            if scale:
                words.append(self.scales[key])
        if unit:
            if scale and unit in ("m", "k"):
                return "", pos
            # "a 100m sprint", "a 10-km race": a unit between an article and a noun is
            # said in the singular, as an adjective.
            article = re.search(r"(?:^|\s)(?i:a|an|the)\s+\S*$", text[max(0, pos - 24) : pos])
            nxt = self.re_next_word.match(text, m.end())
            adjective = m.group("sep") == "-" or (
                article is not None
                and nxt is not None
                and nxt.group(1).islower()
                and nxt.group(1) not in self.not_nouns
            )
            words.append(self._unit(unit, value if not scale else "2", adjective))
        if not words:
            return "", pos
        return " " + " ".join(words), m.end()

    def _words_before(self, text: str, pos: int) -> list[str]:
        """Up to three words before ``pos``, lower case."""
        m = self.re_words_before.search(text, max(0, pos - 40), pos)
        return re.findall(r"[a-z]+", m.group().lower()) if m else []

    def _unit(self, unit: str, value: str, compound: bool) -> str:
        one, many = self.units[unit]
        return one if compound or value == "1" else many

    def _fraction(self, n: int, d: int) -> str | None:
        names = self.fractions.get(str(d))
        if names is None or not 0 < n < d:
            return None
        return f"a {names[0]}" if n == 1 else f"{n} {names[1]}"

    # -- handlers: each returns (start, end, words) or None to leave the text as it is ---

    def _cite(self, m: re.Match, text: str, floor: int) -> Edit | None:
        s = m.start()
        if m.group().startswith("[") or (s > 0 and not text[s - 1].isspace()):
            return s, m.end(), ""
        return None

    def _url(self, m: re.Match, text: str, floor: int) -> Edit | None:
        url = m.group().rstrip(_TRAILING)
        host = re.sub(r"^(?:https?://)?(?:[^@/]*@)?", "", url)
        host = re.split(r"[/:?#]", host, maxsplit=1)[0]
        if host.lower().startswith("www."):
            host = host[4:]
        site = self._site(host)
        if not site:
            return None
        return m.start(), m.start() + len(url), self.web["link"].format(site=site)

    def _site(self, host: str) -> str:
        labels = [x for x in host.split(".") if x]
        if labels and len(labels[-1]) <= self.web["spell_labels"] and labels[-1].isalpha():
            labels[-1] = " ".join(labels[-1].upper())
        return f" {self.web['dot']} ".join(labels)

    def _domain(self, m: re.Match, text: str, floor: int) -> Edit | None:
        before = self.re_host_before.search(text, floor, m.start())
        if before is None or not any(c.isalpha() for c in before.group()):
            return None
        after = self.re_host_after.match(text, m.end())
        end = after.end() if after else m.end()
        full = text[before.start() : end].rstrip(_TRAILING)
        host = full.split("/", 1)[0]
        return before.start(), before.start() + len(full), self._site(host)

    def _party(self, m: re.Match, text: str, floor: int) -> Edit | None:
        p = self.re_party.match(text, m.start())
        if p is None or p.group(1) not in self.parties:
            return None
        state = p.group(2).rstrip(".")
        name = self.states.get(state, state if len(state) > 2 else None)
        if name is None:
            return None
        return m.start() + 1, p.end() - 1, f"{self.parties[p.group(1)]} of {name}"

    def _money(self, m: re.Match, text: str, floor: int) -> Edit | None:
        s = m.start()
        if s > floor and (text[s - 1].isalnum()):
            return None
        symbol = m.group().strip()
        num = self.re_num.match(text, m.end())
        assert num is not None
        value = num.group()
        names = self.currencies[symbol]
        # A range of amounts: $70,000-$90,000, $125–250 -> "70,000 to 90,000 dollars".
        rng = re.compile(rf"\s?[-–]\s?(?:{re.escape(symbol)})?\s?({_NUM})").match(text, num.end())
        if rng:
            scale_m = self.re_scale.match(text, rng.end())
            end = scale_m.end() if scale_m else rng.end()
            scale = f" {self.scales[scale_m.group(1) or scale_m.group(2)]}" if scale_m else ""
            return s, end, f"{value} {self.t['to']} {rng.group(1)}{scale} {names[1]}"
        tail = self.re_scale.match(text, num.end())
        if tail:
            scale = self.scales[tail.group(1) or tail.group(2)]
            rng = re.compile(rf"\s?[-–]\s?(?:{re.escape(symbol)})?\s?({_NUM})").match(
                text, tail.end()
            )
            again = self.re_scale.match(text, rng.end()) if rng else None
            if rng and again and self.scales[again.group(1) or again.group(2)] == scale:
                said = f"{value} {self.t['to']} {rng.group(1)} {scale} {names[1]}"
                return s, again.end(), said  # $2bn-$3bn
            return s, tail.end(), f"{value} {scale} {names[1]}"
        major, _, minor = value.partition(".")
        one = major.replace(",", "") == "1"
        if minor and len(minor) == 2 and names[2]:
            if int(minor) == 0:
                return s, num.end(), f"{major} {names[0] if one else names[1]}"
            minor_words = f"{int(minor)} {names[2] if int(minor) == 1 else names[3]}"
            if major.replace(",", "") == "0":
                return s, num.end(), minor_words
            unit = names[0] if one else names[1]
            return s, num.end(), f"{major} {unit} {self.t['and']} {minor_words}"
        unit = names[0] if one and not minor else names[1]
        words, end = self._tail(text, num.end(), value)
        if words.startswith(f" {self.t['and']} "):  # $1 1/2 is rare; say the fraction
            return s, end, f"{value}{words} {names[1]}"
        return s, num.end(), f"{value} {unit}"

    def _decade(self, m: re.Match, text: str, floor: int) -> Edit | None:
        return m.start(), m.end(), self.t["decades"][m.group()[1:3]]

    def _num(self, m: re.Match, text: str, floor: int) -> Edit | None:  # noqa: C901
        s, e, value = m.start(), m.end(), m.group()
        prev = text[s - 1] if s > 0 else " "
        prev2 = text[s - 2] if s > 1 else " "
        if prev.isalpha() or prev in "-−_" and (prev2.isupper() or prev2.isdigit()):
            return None  # G7, A380, COVID-19: part of a name
        free = s - 1 >= floor  # the character before may join the edit
        # Phone numbers: (212) 555-1234, +44 20 7946 0958.
        for start in (s - 1, s) if prev in "(+" and free else (s,):
            ph = self.re_phone.match(text, start)
            if ph:
                groups = re.findall(r"\+?\d+", ph.group())
                said = self.t["phone_group_sep"].join(
                    (self.t["plus"] + " " if g[0] == "+" else "") + " ".join(g.lstrip("+"))
                    for g in groups
                )
                return start, ph.end(), said
        sign = ""
        start = s
        if free and prev in "-−+~" and not prev2.isalnum():
            sign = {"-": self.t["minus"], "−": self.t["minus"], "+": self.t["plus"]}.get(
                prev, self.t["about"]
            )
            start = s - 1
        nxt = text[e] if e < len(text) else ""
        # Clock times: 10:30 p.m., 8:54 am PT, 7pm.
        t = self.re_time.match(text, s)
        if t and not sign:
            h, mm, ampm = t.group(1) or t.group(4), t.group(2) or t.group(5), t.group(3)
            if int(h) <= 24 and (mm is None or int(mm) < 60) and (ampm or mm):
                parts = [h]
                if mm == "00":
                    if not ampm:
                        parts.append(self.t["oclock"])
                elif mm is not None and mm.startswith("0"):
                    parts += [self.t["oh"], mm[1]]
                elif mm is not None:
                    parts.append(mm)
                if ampm:
                    parts.append(self.t["am"] if ampm[0] in "aA" else self.t["pm"])
                end = t.end()
                zone = self.re_zone.match(text, end)
                if zone:
                    parts.append(self.zones[zone.group(1)])
                    end = zone.end()
                said = " ".join(parts)
                if said.endswith(".") and text[end : end + 1] == ".":
                    said = said[:-1]  # "11:45 pm." ends the sentence with one stop
                if said == text[s:end]:
                    return None
                return s, end, said
        # Decades: 1990s, 1800s, 2000s, 80s.
        if nxt == "s" and not sign and (e + 1 == len(text) or not text[e + 1].isalnum()):
            if len(value) == 4 and value[2] == "0" and value[3] == "0":
                said = self.t["decades"]["2000"] if value == "2000" else f"{value[:2]} hundreds"
                return s, e + 1, said
            if len(value) == 4 and value[3] == "0":
                return s, e + 1, f"{value[:2]} {self.t['decades'][value[2:]]}"
            if len(value) == 2 and value[1] == "0" and value[0] != "1":
                return s, e + 1, self.t["decades"][value]
        # Fractions and number/number: 1/2 cup, 24/7, 9/11.
        if nxt == "/":
            sl = self.re_slash.match(text, e)
            if sl and "." not in value and "," not in value:
                if sl.group(2) is None:
                    frac = self._fraction(int(value), int(sl.group(1)))
                    if frac is not None:
                        frac = frac if not frac.startswith("a ") else "1 " + frac[2:]
                        words, end = self._tail(text, sl.end(), "2")
                        return start, end, f"{sign + ' ' if sign else ''}{frac}{words}"
                parts = [value, sl.group(1)] + ([sl.group(2)] if sl.group(2) else [])
                return start, sl.end(), " ".join(parts)
        # Ranges and scores: 2010-2015, pages 5-7, won 3-2.
        rng = self.re_range.match(text, e) if nxt in "-– " and not sign else None
        if rng and (len(value) != 4 or len(rng.group(1)) in (2, 4)):
            other = rng.group(1)
            after = self.re_next_word.match(text, rng.end())
            word_a = after.group(1).lower() if after else ""
            going_down = float(other.replace(",", "")) < float(value.replace(",", ""))
            if text[e : rng.start(1)].strip() == "" and nxt == " ":
                rng = None  # "5 6" is not a range
            elif (
                word_a in self.score_after
                or self.score_before & set(self._words_before(text, s))
            ) and all(
                x.isdigit() and len(x) <= 3 for x in (value, other)
            ):
                a, b = (self.t["nil"] if x == "0" else x for x in (value, other))
                return s, rng.end(), f"{a} {b}"
            elif going_down and not (len(value) == 4 and len(other) == 2):
                pass  # a model number (Boeing 787-9): ranges go up, 2019-20 aside
            else:
                words, end = self._tail(text, rng.end(), other)
                a, b = self._year(value), self._year(other) if len(other) == 4 else other
                return s, end, f"{a} {self.t['to']} {b}{words}"
        # Day and month: January 11, Nov. 18, 18 November.
        if value.isdigit() and 1 <= int(value) <= 31 and not sign and not nxt.isalpha():
            if self.re_month_before.search(text, max(0, s - 12), s):
                return s, e, self.ordinal(int(value))
            ma = self.re_month_after.match(text, e)
            if ma:
                word = ma.group(1).rstrip(".")
                month = self.month_abbr.get(word, word)
                return (
                    s,
                    ma.end(),
                    self.t["day_before_month"].format(n=self.ordinal(int(value)), month=month),
                )
        words, end = self._tail(text, e, value)
        if words or sign:
            return start, end, f"{sign + ' ' if sign else ''}{value}{words}"
        if self._year(value) != value:
            nxt_word = self.re_next_word.match(text, e)
            if nxt_word is None or not nxt_word.group(1).islower() or (
                nxt_word.group(1) in self.year_followers
            ):
                return s, e, self._year(value)
        return None

    def _year(self, value: str) -> str:
        """A year before 2000 said in pairs ("19 63"); espeak-ng would say "nineteen
        hundred sixty three". Other numbers as they are."""
        if not (len(value) == 4 and value.isdigit() and "1100" <= value <= "1999"):
            return value
        if value[2:] == "00":
            return value
        tail = f"{self.t['oh']} {value[3]}" if value[2] == "0" else value[2:]
        return f"{value[:2]} {tail}"

    def _abbr(self, m: re.Match, text: str, floor: int) -> Edit | None:
        s, e = m.start(), m.end()
        if s > floor and (text[s - 1].isalpha() or text[s - 1] == "."):
            return None
        word = m.group()[:-1]
        if word in self.context:
            one, other = self.context[word]
            if word in ("No", "Nos"):
                return (s, e, one) if re.match(r"\s?\d", text[e : e + 2]) else None
            name_after = self.re_name_after.match(text, e) is not None
            before = self.re_cap_word_before.search(text, max(0, s - 30), s)
            name_before = before is not None and before.start() > 0  # not the first word
            if name_before and (not name_after or re.search(r"\d\s+\S+\s+$", text[:s])):
                return s, e, self._final(text, e, other)  # Downing St., 10 Downing St. Paul
            if name_after:
                return s, e, one  # St. Louis, Dr. Jones
            return None
        if word in self.month_abbr:
            return s, e, self._final(text, e, self.month_abbr[word])
        if word in self.states:
            if re.search(r"[A-Z][a-z]+,\s$", text[max(0, s - 30) : s]):
                return s, e, self._final(text, e, self.states[word])
        if word in self.abbr:
            return s, e, self._final(text, e, self.abbr[word])
        return None

    def _lower(self, m: re.Match, text: str, floor: int) -> Edit | None:
        s, e, key = m.start(), m.end(), m.group()
        after = text[e : e + 3]
        if key in ("p.", "pp.", "est.") and not re.match(r"\s?\d", after):
            return None
        if key == "v." and not (
            re.match(r"\s[A-Z]", after) and self.re_cap_word_before.search(text, 0, s)
        ):
            return None
        return s, e, self._final(text, e, self.abbr_lower[key])

    def _roman(self, m: re.Match, text: str, floor: int) -> Edit | None:
        s, e, numeral = m.start(), m.end(), m.group()
        if s == 0 or text[s - 1] != " ":
            return None
        value = _roman_value(numeral)
        if value is None:
            return None
        before = self.re_cap_word_before.search(text, max(0, s - 30), s)
        if before is None:
            return None
        prev = before.group(1)
        title = self.re_cap_word_before.search(text, max(0, before.start() - 30), before.start())
        regnal = prev in self.roman["regnal_names"] or (
            title is not None and title.group(1) in self.roman["regnal_titles"]
        )
        cardinal = prev in self.roman["cardinal_before"]
        if cardinal:
            return s, e, str(value)
        if regnal and not set(numeral) & {"L", "C"} and (numeral != "X" or title is not None):
            if numeral == "I" and not re.match(r"$|['’]s\b|[^\w\s]", text[e : e + 3]):
                return None  # "Charles I met": the pronoun
            return s, e, self.t["regnal"].format(n=self._ordinal_words(value))
        if len(numeral) >= 2 and not set(numeral) & {"L", "C"}:
            return s, e, str(value)  # Rocky II, Grand Theft Auto VI: a sequel's number
        return None

    def _sym(self, m: re.Match, text: str, floor: int) -> Edit | None:
        s, e, c = m.start(), m.end(), m.group()
        prev = text[s - 1] if s > 0 else " "
        nxt = text[e] if e < len(text) else " "
        if c in self.silent:
            if c == "*" and prev.isalpha() and nxt.isalpha():
                return None
            return s, e, "," if c in "|•" and prev.isspace() else ""
        if c in "+~" and nxt.isdigit():
            return None  # a sign: the number takes it
        if c == "&" and prev.isalnum() and nxt.isalnum():
            return None  # AT&T, R&D: espeak-ng spells them well
        if c == "#":
            if nxt.isdigit():
                return s, e, self.symbols["#num"]
            return (s, e, self.symbols["#"]) if nxt.isalpha() else None
        if c == "@":
            local = self.re_email_local.search(text, floor, s)
            domain = self.re_email_domain.match(text, e)
            dot = f" {self.web['dot']} "
            if local and domain and local.group():
                host = domain.group().rstrip(_TRAILING)
                said = f"{local.group().replace('.', dot)} {self.web['at']} {self._site(host)}"
                return local.start(), e + len(host), said
            return (s, e, self.symbols["@"]) if prev.isspace() and nxt.isalnum() else None
        if c == "/":
            return (s, e, " ") if prev.isalpha() and nxt.isalpha() else None
        if c in "<>" and not (nxt.isdigit() or nxt == " " and prev == " "):
            return None
        if c == "×" and not (prev.isdigit() or prev == " "):
            return None
        return s, e, self.symbols[c]
