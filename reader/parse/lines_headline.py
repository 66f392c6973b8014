"""Which line of pasted text is the article's headline: a fitted ranker over title-sized
lines near the start of the body.

A copy of a page holds its headline as a short line of its own, usually just before the
body or before the byline, dateline and standfirst that precede it; menus, teaser titles
and section headings look much the same. Each candidate is described by its own shape
(``lines.features``), where it stands against three guesses of the body's start (the
body's first line of prose, the start of the densest run of prose, the first line the
line model is sure of), the furniture between it and the body, whether bylines and dates
follow it, whether the page repeats it (breadcrumb, share text, alt text), and how many of
its words the body uses. The candidates of a page compete in a softmax (a conditional
logit) whose weights are data (``headline`` in ``reader/data/pasted_model.json``, fitted by
``bench/fit_pasted.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from reader.parse import lines

_WORD = re.compile(r"\w+")
#: A dateline ("Published March 3, 2025", "Last updated: ...") is never the headline.
_DATELINE = re.compile(r"^(?:first |last )?(?:published|updated|posted|modified|edited)\b", re.I)
BEFORE = 40
"""How many lines before a guess of the body's start the headline is looked for."""
AFTER = 6
"""And how many after (it, a notice or a teaser in prose can come first)."""
STRONG = 0.8
"""A line the line model scores this high is surely body: the third guess of its start."""
META_REACH = 3
"""How many lines after a headline its byline or date may come."""
MAX_WORDS = 40
"""A headline has at most this many words."""
SITE_WORDS = 4
"""A site's or section's name after a title's " | " has at most this many words."""
CRUMB_REACH = 3
"""How far from a breadcrumb that ends with the headline the headline line itself may be."""
VARIANT_REACH = 20
"""How far apart two title-sized lines that say the same thing may be (``_variants``)."""
VARIANT_SHARED = 2
"""Words two lines must share to say the same thing."""
STEM = 5
"""Letters of a word compared: "App" and "Application", "Specification(s)" match."""


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Anchors:
    """Three guesses of where the body starts (line indices)."""

    first: int
    """The body's first line of prose."""
    span: int
    """The start of the densest run of prose (``lines.main_span``)."""
    strong: int
    """The first line of prose the line model is sure of (else ``first``)."""


def anchors(us: list[lines.Unit], scores: list[float], body: list[bool]) -> Anchors | None:
    """Where the body starts, three ways; None when there is no body."""
    first = lines.first_prose(us, body)
    if first is None:
        return None
    lo, hi = lines.main_span(us)
    strong = next(
        (i for i, u in enumerate(us) if scores[i] >= STRONG and lines.is_prose(u.text)), first
    )
    return Anchors(first, lo if hi >= lo else first, strong)


def candidates(us: list[lines.Unit], a: Anchors) -> list[int]:
    """Title-sized lines near any guess of the body's start."""
    near: set[int] = set()
    for at in (a.first, a.span, a.strong):
        near.update(range(max(0, at - BEFORE), min(len(us), at + AFTER)))
    return [
        i
        for i in sorted(near)
        if 1 <= len(us[i].text.split()) <= MAX_WORDS
        and not us[i].text.endswith((".", ",", ";"))
        and not lines.BYLINE.match(us[i].text)
        and not _DATELINE.match(us[i].text)
    ]


@dataclass
class Context:
    """What every candidate of one page is compared with."""

    us: list[lines.Unit]
    feats: list[list[float]]
    scores: list[float]
    anchors: Anchors
    vocab: Counter[str]
    """The body's words of four letters or more, lower-case, with their counts."""
    lead: set[str]
    """The words of the body's first three lines."""
    keys: list[str]
    counts: Counter[str]
    meta: list[bool]
    """Lines that are a byline, date, counter, credit or "X said": what follows a headline."""
    weight: dict[int, float]
    """Each candidate's share of words the body uses, by how often (``_weight``)."""
    top_weight: float
    meta_before: list[int]
    """How many meta lines come before each line (prefix sums of ``meta``)."""
    short_before: list[int]
    """And how many lines that are neither meta nor prose."""
    text: str
    """Every line's key, one a line: where a candidate is looked for inside other lines."""


def context(
    us: list[lines.Unit], feats: list[list[float]], scores: list[float], body: list[bool],
    a: Anchors,
) -> Context:
    text = " ".join(u.text for u, b in zip(us, body, strict=False) if b).lower()
    vocab = Counter(t for t in _WORD.findall(text) if len(t) >= 4)
    lead = set(_WORD.findall(" ".join(u.text for u in us[a.first:a.first + 3]).lower()))
    keys = [_key(u.text) for u in us]
    meta = [max(f[9], f[10], f[11], f[18], f[19]) > 0 for f in feats]
    weight = {i: _weight(us[i].text, vocab) for i in candidates(us, a)}
    meta_before, short_before = [0], [0]
    for u, m in zip(us, meta, strict=True):
        meta_before.append(meta_before[-1] + m)
        short_before.append(short_before[-1] + (not m and not lines.is_prose(u.text)))
    return Context(us, feats, scores, a, vocab, lead, keys, Counter(keys), meta, weight,
                   max(weight.values(), default=0.0), meta_before, short_before,
                   "\n".join(keys))


def _weight(text: str, vocab: Counter[str]) -> float:
    """How much of the body a line's words speak of: their mean count in the body, each
    capped at three (a headline's words recur in its article; a menu entry's do not)."""
    own = [t for t in _WORD.findall(text.lower()) if len(t) >= 4]
    return sum(min(1.0, vocab[t] / 3) for t in own) / len(own) if own else 0.0


def _stems(text: str) -> set[str]:
    return {t[:STEM] for t in _WORD.findall(text.lower()) if len(t) >= 3}


def _variants(c: Context, i: int) -> tuple[float, float]:
    """How much of line ``i``'s words a title-sized line soon after it, and one soon before
    it, say again (a share, 0 when none shares ``VARIANT_SHARED`` words). A deck or the
    first section heading restates the headline above it ("What is a Mobile App?" under
    "What is a Mobile Application?"); the headline is the first of the two."""
    own = _stems(c.us[i].text)
    later = earlier = 0.0
    for j in c.weight:  # the candidates
        if abs(j - i) > VARIANT_REACH or c.keys[j] == c.keys[i]:
            continue
        shared = len(own & _stems(c.us[j].text))
        if shared >= VARIANT_SHARED:
            share = shared / len(own)
            if j > i:
                later = max(later, share)
            else:
                earlier = max(earlier, share)
    return later, earlier


def _dist(i: int, at: int) -> list[float]:
    # At the guess itself is apart from after it: a headline that asks a question reads as
    # prose and can be taken for the body's first line.
    d = at - i
    return [math.log1p(abs(d)), float(d < 0), float(d == 0)]


def features(c: Context, i: int) -> list[float]:
    """What makes line ``i`` the headline of the page ``c``."""
    us, feats, a = c.us, c.feats, c.anchors
    n = len(us)
    first = a.first
    text = us[i].text
    nxt = feats[i + 1] if i + 1 < n else [0.0] * lines.LINE_FEATURES
    lo, hi = (i + 1, first) if i < first else (first, i)  # the lines between it and the body
    meta_between = c.meta_before[hi] - c.meta_before[lo] if hi > lo else 0
    short_between = c.short_before[hi] - c.short_before[lo] if hi > lo else 0
    own = [t for t in _WORD.findall(text.lower()) if len(t) >= 4]
    shared = sum(1 for t in own if t in c.vocab)
    k = c.keys[i]
    # Its words inside a longer line above it: a breadcrumb ending in the headline; or
    # another title-sized line's words inside it: it is that breadcrumb.
    near = c.keys[max(0, i - 60):first + 5]
    inside = bool(k) and any(len(o) > len(k) and k in o for o in near)
    holds = bool(k) and any(len(k) > len(o) and len(o.split()) >= 3 and o in k for o in near)
    n_words = len(text.split())
    # The line's own shape only: its neighbours' and its place on the page are described
    # below in the headline's own terms (more columns fitted worse on held-out folds of A).
    own_shape = feats[i][:lines.LINE_FEATURES]
    return own_shape + _dist(i, first) + _dist(i, a.span) + _dist(i, a.strong) + [
        float(first - i == 1),
        math.log1p(meta_between),
        math.log1p(short_between),
        c.scores[i],
        nxt[9],  # a byline follows
        nxt[10],  # a date follows
        float(any(c.meta[i + 1:i + 1 + META_REACH])),
        float(not lines.SENTENCE_END.search(text) or text.endswith(("?", "!"))),
        shared / len(own) if own else 0.0,
        math.log1p(shared),
        c.weight.get(i, 0.0),
        c.weight.get(i, 0.0) / max(c.top_weight, 1e-9),
        float(any(c.meta[max(0, i - META_REACH):i])),
        # Lines anywhere that hold it whole: a breadcrumb, "5 comments on ...", a share text.
        math.log1p(max(0, c.text.count(k) - c.counts[k])) if len(k.split()) >= 3 else 0.0,
        float(inside),
        float(holds),
        float(4 <= n_words <= 16),
        feats[i - 1][1] if i else 0.0,  # words of the line before: a menu entry is short
        float(i > 0 and lines.is_prose(us[i - 1].text)),
        sum(1 for t in own if t in c.lead) / len(own) if own else 0.0,
        math.log(c.counts[k]) if k else 0.0,
        float(bool(k) and (i > 0 and c.keys[i - 1] == k or i + 1 < n and c.keys[i + 1] == k)),
        *_variants(c, i),
    ]


def score(weights: list[float], x: list[float]) -> float:
    """The ranker's score of a candidate (higher is likelier; only differences count)."""
    return weights[0] + sum(w * v for w, v in zip(weights[1:], x, strict=False))


def pick(
    us: list[lines.Unit], feats: list[list[float]], scores: list[float], body: list[bool],
    weights: list[float],
) -> int | None:
    """Index of the headline line among the candidates; None when there is none.

    ``body``: the lines taken as body, as the ranker was fitted (``bench/fit_pasted.py``):
    the lines the line model itself calls body."""
    a = anchors(us, scores, body)
    if a is None:
        return None
    cands = candidates(us, a)
    if not cands:
        return None
    c = context(us, feats, scores, body, a)
    best = max(cands, key=lambda i: score(weights, features(c, i)))
    # A breadcrumb trail, or "3 comments on ...", ends with the title: when the line chosen
    # ends with a title-sized line shown next to it, that line is the headline itself. A
    # copy can run a trail's items together ("BlogBest Tutors of 2025"): the end is compared
    # letter by letter, not only after a space.
    k = c.keys[best]
    return next(
        (j for j in cands if abs(j - best) <= CRUMB_REACH and j != best
         and len(c.keys[j].split()) >= 3 and len(c.keys[j]) < len(k)
         and k.endswith(c.keys[j])),
        best,
    )


_DATED_TAIL = re.compile(r"\s+[|/·•–—-]\s+([^|/·•–—]+)$")
"""A last part after a separator: a date a page shows after its title ("Title / Dec 2025")."""


def trim(headline: str) -> str:
    """A headline without the site or section a page title appends after " | " ("Title |
    Opinion", "Title | Section | Site"): the first part, when the others are name-sized;
    and without a date shown after a separator ("Title / Dec 2025", "Title | March 3,
    2025"): a date is not part of the headline."""
    parts = [p.strip() for p in headline.split(" | ")]
    if len(parts) > 1 and len(parts[0].split()) >= 3 and all(
        len(p.split()) <= SITE_WORDS for p in parts[1:]
    ):
        headline = parts[0]
    tail = _DATED_TAIL.search(headline)
    if tail and lines.is_dateline(tail.group(1)) and len(headline[: tail.start()].split()) >= 3:
        return headline[: tail.start()]
    return headline
