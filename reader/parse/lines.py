"""Lines of pasted text -> how likely each is article body, from their shape alone.

A copy of a web page is a column of lines: menus, share buttons, bylines and footers
around a run of prose. Each line is described by numbers (length, sentence punctuation,
words that label controls, the run of short lines it sits in, its distance from the
densest run of prose, its neighbours' shape) and scored by a small logistic model in two
passes: the second pass also sees the first pass's scores of the lines around it. The
fitted numbers are data (``reader/data/pasted_model.json``, made by
``bench/fit_pasted.py``); evaluating them is a few dot products in pure Python.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parents[1] / "data"
MODEL_FILE = _DATA / "pasted_model.json"
WORDS_FILE = _DATA / "pasted_lines.toml"

_WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]»]*$")
_WRAP_END = re.compile(r"[.!?:;…\"'”’)\]]$")
_INNER_END = re.compile(r"\w[.!?]\s+[\"'“‘(]?[A-Z0-9]")
_SEPARATOR = re.compile(r"[|•·»›/>]")
_URL = re.compile(r"https?://|www\.|[^\s@]{1,64}@[^\s@]{1,253}\.\w+|(?:^|\s)@\w+")
#: A date in figures, a clock time, a time ago: what ``_DATE`` and ``_FULL_DATE`` share.
_NUMERIC_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
_TIMES = r"|\b\d{1,2}:\d{2}\b|\b\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b"
#: Any sign of a date, a year alone included.
_DATE = re.compile(rf"\b(?:{_NUMERIC_DATE}|(?:19|20)\d{{2}})\b{_TIMES}", re.I)
_COUNTER = re.compile(r"^\(?\d[\d,.]*[km]?\)?(?:\s+\w+){0,3}$", re.I)
_COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|reactions|discussion|leave a (?:reply|comment)"
    r"|join the (?:discussion|conversation)|what do you think\??|add a comment)"
    r"(?:\s*\(?\d+\)?)?:?$",
    re.I,
)
_END_MARK = re.compile(
    r"^(?:related|you may also like|you might also like|more from|more stories|read next|read more"
    r"|recommended|about the author|share this|tags|filed under|popular|most read|trending"
    r"|newsletter|sign up|subscribe|latest|more in|see also|further reading|up next)\b",
    re.I,
)
_SAID = re.compile(r"\b(?:said|says|wrote|writes|replied):?$", re.I)
#: The title of a comment section that names the article: "34 responses to “Title”",
#: "5 thoughts on “Title”", "One reply to ...".
_COMMENTS_TITLE = re.compile(
    r"^(?:\d+|one|two|three)\s+(?:comments?|responses?|replies|reply|thoughts?)\s+(?:to|on)\s+\S",
    re.I,
)
#: Any other short line that names comments: "Top Rated Comments", "[ 167 comments ]".
_COMMENTS_NAMED = re.compile(r"^\W*(?:[\d,]+\s+)?(?:\w+\s+){0,2}(?:comments|responses|replies)\W*$",
                             re.I)
#: How many lines after a comment section's title its first commenter's line comes.
COMMENTER_REACH = 3
#: Prose lines that must come before a comment section found by its time stamps alone.
COMMENTS_AFTER_PROSE = 3
BYLINE = re.compile(
    r"^(?:by|written by|words by|posted by|posted on|published on|von|par|por|door|oleh):?\s+\S",
    re.I,
)
SHORT_WORDS = 8
"""A line of fewer words, or without sentence punctuation, is short: a menu entry."""


@dataclass(frozen=True)
class Unit:
    """One line of pasted text (hard-wrapped lines joined)."""

    text: str
    blank_before: bool
    """Whether a blank line came before it (a block of its own, not a line break)."""


def units(text: str) -> list[Unit]:
    """Lines joined into paragraphs where the text was hard-wrapped: a line continues the
    previous one when that one was long and stopped mid-sentence."""
    out: list[Unit] = []
    blank = True
    current: list[str] = []
    start_blank = True

    def close() -> None:
        if current:
            out.append(Unit(" ".join(current), start_blank))
            current.clear()

    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            close()
            blank = True
            continue
        wrapped = bool(current) and len(current[-1]) >= 50
        if wrapped and not blank and not _WRAP_END.search(current[-1]):
            current.append(line)
        else:
            close()
            current.append(line)
            start_blank = blank
        blank = False
    close()
    return out


@dataclass(frozen=True)
class Words:
    """Word lists the features look for (``reader/data/pasted_lines.toml``)."""

    controls: frozenset[str]
    months: frozenset[str]
    legal: frozenset[str]
    credits: tuple[str, ...]


@lru_cache(maxsize=1)
def words() -> Words:
    data = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return Words(
        controls=frozenset(data["controls"]),
        months=frozenset(data["months"]),
        legal=frozenset(data["legal"]),
        credits=tuple(data["credits"]),
    )


def is_credit(line: str) -> bool:
    """A photo credit line: "Photo: Ann Lee/Reuters", "(Getty Images)", "Credit: AP".
    (The caption helper may own a richer test; this one only needs to see a credit that
    follows a caption in pasted text.)"""
    lowered = line.lower().strip("() ")
    return len(line) <= 120 and (
        lowered.startswith(words().credits) or lowered.endswith(("getty images", "/ap", "/reuters"))
    )


#: A date that is more than a year (titles hold years).
_FULL_DATE = re.compile(rf"\b(?:{_NUMERIC_DATE})\b{_TIMES}", re.I)


_DATE_WORDS = frozenset(
    "ago at on am pm gmt utc updated published posted second seconds minute minutes hour "
    "hours day days week weeks month months year years".split()
)


def is_dateline(text: str) -> bool:
    """A line that only dates something: "Tuesday November 19, 2019", "Updated 3 hours
    ago", "12/05/2024 09:30", or a byline ("By Ann Lee"). A year alone is not enough
    (titles hold years), nor a number ("1. Item"), nor a date inside other words ("Date:
    June 11-12 | Paris": an event listed by the article)."""
    toks = _WORD.findall(text.lower())
    if not toks or len(toks) > 12:
        return False
    if BYLINE.match(text) and len(toks) <= 6:
        return True
    months = words().months
    dated = bool(_FULL_DATE.search(text)) or (
        any(t in months for t in toks) and any(t.isdigit() for t in toks)
    )
    return dated and all(t.isdigit() or t in months or t in _DATE_WORDS for t in toks)


def is_prose(text: str) -> bool:
    """A line that reads as a sentence: enough words and sentence punctuation."""
    return len(text.split()) >= SHORT_WORDS and bool(
        SENTENCE_END.search(text) or _INNER_END.search(text)
    )


def comments_start(us: list[Unit]) -> int:
    """Where readers' comments start: at a comment section's title ("Comments", "34
    responses to ...") followed by a commenter's line ("Jane on May 2 said:"), or by a
    comment's time once the article's prose has come; the number of lines when there is
    none."""
    prose = 0
    for i, u in enumerate(us):
        text = u.text.strip()
        if is_prose(text):
            prose += 1
            continue
        if len(text.split()) > 20 or not (
            _COMMENTS.match(text) or _COMMENTS_TITLE.match(text) or _COMMENTS_NAMED.match(text)
        ):
            continue
        after = [a.text for a in us[i + 1 : i + 1 + COMMENTER_REACH]]
        if any(_SAID.search(a) and len(a.split()) <= 16 for a in after):
            return i
        # Or each comment opens with its time ("2 days ago at 07:52 am"), once the article's
        # prose has come: a "12 comments" counter near the top is followed by a dateline.
        if prose >= COMMENTS_AFTER_PROSE and any(
            _DATE.search(a) and len(a.split()) <= 8 for a in after
        ):
            return i
    return len(us)


def main_span(us: list[Unit]) -> tuple[int, int]:
    """The densest run of prose: the span of lines maximising prose words minus a cost
    for every line that is not prose (Kadane's maximum-sum segment)."""
    best, best_span = 0.0, (0, -1)
    run, start = 0.0, 0
    for i, u in enumerate(us):
        n = len(u.text.split())
        value = float(n) if is_prose(u.text) else -3.0 - 0.5 * n
        if run <= 0:
            run, start = value, i
        else:
            run += value
        if run > best:
            best, best_span = run, (start, i)
    return best_span


def _line_features(text: str, w: Words) -> list[float]:
    toks = _WORD.findall(text.lower())
    n = len(toks)
    nw = max(1, len(text.split()))
    caps = sum(1 for t in text.split() if t[:1].isupper())
    digits = sum(c.isdigit() for c in text)
    controls = sum(1 for t in toks if t in w.controls)
    return [
        math.log1p(len(text)),
        math.log1p(n),
        float(bool(SENTENCE_END.search(text))),
        min(3.0, len(_INNER_END.findall(text))) / 3.0,
        min(1.0, text.count(",") / nw),
        caps / nw,
        digits / max(1, len(text)),
        controls / max(1, n),
        float(n > 0 and controls == n),
        float(bool(BYLINE.match(text)) and n <= 12),
        float(bool(_DATE.search(text)) or any(t in w.months for t in toks)) * float(n <= 12),
        float(bool(_COUNTER.match(text))),
        float(any(t in w.legal for t in toks)),
        float(bool(_SEPARATOR.search(text))) * float(n <= 12),
        float(bool(_URL.search(text))),
        float(text.isupper()),
        float(text[:1].islower()),
        float(text.endswith(":")),
        float(is_credit(text)),
        float(bool(_SAID.search(text)) and n <= 16),
    ]


LINE_FEATURES = 20


def features(us: list[Unit]) -> list[list[float]]:
    """One feature vector per unit (the first-pass model's input)."""
    w = words()
    n = len(us)
    own = [_line_features(u.text, w) for u in us]
    short = [not is_prose(u.text) for u in us]
    # Run of consecutive short lines each line sits in (0 for prose).
    run = [0] * n
    i = 0
    while i < n:
        if not short[i]:
            i += 1
            continue
        j = i
        while j < n and short[j]:
            j += 1
        run[i:j] = [j - i] * (j - i)
        i = j
    lo, hi = main_span(us)
    counts: dict[str, int] = {}
    keys = [" ".join(_WORD.findall(u.text.lower())) for u in us]
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    # Lines after a comments heading within or below the main prose are readers' comments.
    comments_from = next(
        (i for i, u in enumerate(us) if i > lo and _COMMENTS.match(u.text.strip())), n
    )
    # Lines after a "Related", "Tags" or "About the author" line below the prose's start.
    end_from = next(
        (i for i, u in enumerate(us) if i > lo and len(u.text.split()) <= 8
         and _END_MARK.match(u.text)), n
    )
    # Share of dates, counters, "X said:" and bylines among the lines around each line:
    # readers' comments come with a name, a time and a vote count each.
    meta = [max(f[9], f[10], f[11], f[19]) for f in own]
    empty = [0.0] * 4
    out = []
    for i, u in enumerate(us):
        prev = own[i - 1] if i else None
        nxt = own[i + 1] if i + 1 < n else None
        if hi < lo:
            inside, dist = 0.0, 1.0
        elif lo <= i <= hi:
            inside, dist = 1.0, 0.0
        else:
            inside, dist = 0.0, math.log1p(lo - i if i < lo else i - hi)
        before_body = float(i < lo)
        out.append(
            own[i]
            + (empty if prev is None else [prev[1], prev[2], float(short[i - 1]), 1.0])
            + (empty if nxt is None else [nxt[1], nxt[2], float(short[i + 1]), 1.0])
            + [
                math.log1p(run[i]),
                inside,
                dist,
                before_body,
                i / max(1, n - 1),
                math.log(counts[keys[i]]),
                float(u.blank_before),
                float(i > comments_from),
                float(i > end_from),
                float(i > end_from and i > hi),
                sum(meta[max(0, i - 8):i + 9]) / len(meta[max(0, i - 8):i + 9]),
            ]
        )
    return out


def context(p: list[float]) -> list[list[float]]:
    """Second-pass features from first-pass probabilities: the scores around each line."""
    n = len(p)
    out = []
    for i in range(n):
        def mean(a: int, b: int) -> float:
            window = p[max(0, a):min(n, b)]
            return sum(window) / len(window) if window else 0.0

        out.append([
            p[i],
            mean(i - 1, i),
            mean(i + 1, i + 2),
            mean(i - 3, i),
            mean(i + 1, i + 4),
            mean(i - 10, i + 11),
            max(p[max(0, i - 3):i], default=0.0),
            max(p[i + 1:i + 4], default=0.0),
        ])
    return out


@lru_cache(maxsize=1)
def model() -> dict:
    """The fitted weights: ``{"first": [...], "second": [...], "threshold": t, ...}``."""
    data: dict = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return data


def _logistic(weights: list[float], x: list[float]) -> float:
    z = weights[0] + sum(a * b for a, b in zip(weights[1:], x, strict=False))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def first_pass(feats: list[list[float]], weights: list[float]) -> list[float]:
    return [_logistic(weights, x) for x in feats]


def second_pass(feats: list[list[float]], p: list[float], weights: list[float]) -> list[float]:
    return [_logistic(weights, x + c) for x, c in zip(feats, context(p), strict=False)]


def body_scores(us: list[Unit], feats: list[list[float]]) -> list[float]:
    """Probability that each unit is article body (``feats``: ``features(us)``)."""
    m = model()
    return second_pass(feats, first_pass(feats, m["first"]), m["second"])


def body_threshold(scores: list[float]) -> float:
    """The score from which a line is body: the fitted threshold, or half the best score
    on a page whose every line scores low (its best lines are still read, not nothing)."""
    return min(model()["threshold"], 0.5 * max(scores, default=0.0))


def first_prose(us: list[Unit], body: list[bool]) -> int | None:
    """Index of the body's first line of prose (else its first line; None: no body)."""
    idx = [i for i, b in enumerate(body) if b]
    return next((i for i in idx if is_prose(us[i].text)), idx[0] if idx else None)


def certainty(us: list[Unit], scores: list[float], body: list[bool]) -> float:
    """How sure the model is of the body it chose, 0..1: the mean score of the body's lines,
    weighted by their words. On the development pages, the tenth of pages where it is
    lowest are mostly wrong far more often than the rest (a signal to warn the listener)."""
    words = [(len(u.text.split()), s) for u, s, b in zip(us, scores, body, strict=True) if b]
    total = sum(n for n, _ in words)
    return sum(n * s for n, s in words) / total if total else 0.0
