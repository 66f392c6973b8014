"""Several candidate bodies for one page, each checked for signs of the wrong text.

The best-scoring container (``body.select``) is right on most pages, and when the checks
of ``confidence.py`` find nothing wrong with it, it is kept without looking further.
When they do, other candidates are read and checked the same way:

- the declared article: the ``<article>`` or ``itemprop="articleBody"`` element that
  holds the most running text;
- the smallest container that holds most of the page's running text, which joins the
  parts of an article that ads, embeds and "read more" inserts split into siblings;
- the best-scoring container apart from the first choice (the article beside a consent
  panel or a service box that outscored it), and the best-scoring ones inside it (the
  article beside a panel that the first choice took in with it);
- the container that holds the text of the JSON-LD ``articleBody`` the page declares,
  or that text itself when no container of the page holds a good candidate.

The candidate with the highest confidence wins; the first choice on a tie. When every
candidate is doubted, a part of a candidate that is the wrong kind of text (a cookie
notice, a service box) is doubted for that kind too: a paragraph of a consent panel is
no likelier the article for being shorter, and the listener is told what the page holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reader.parse.body import (
    BODY_KINDS,
    LINKY,
    Body,
    furniture_flags,
    prose,
    read_span,
    scores,
    select,
)
from reader.parse.confidence import KINDS, LOW, WEIGHTS, Page, assess, template_fills
from reader.parse.rules import Rules
from reader.parse.walk import Walk

#: The share of the page's running text that "most of it" means.
MOST = 0.7
#: The least text a declared article (an element that says it is the article, or the
#: JSON-LD ``articleBody``) must hold to count as one.
DECLARED_MIN = 500
#: The share of the declared article's running text below which the first choice is
#: one part of it (see ``choose``).
SPLIT = 0.5
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Choice:
    """A candidate body with its confidence and the reasons that lowered it."""

    body: Body
    confidence: float
    reasons: tuple[str, ...]


def choose(w: Walk, rules: Rules, article_body: str | None = None) -> Choice:
    """The best candidate body of the walk, with its confidence and reasons.
    ``article_body`` is the JSON-LD ``articleBody`` text, when the page gives one."""
    main = select(w, rules)
    furniture = main.furniture or furniture_flags(w, rules)
    weights = [0 if f else prose(c) for c, f in zip(w.chunks, furniture, strict=True)]
    total = sum(weights)
    first = main.span
    declared = [(s, e, b) for s, e, b in w.spans if b]
    marked = _most(declared, weights, 1.0)
    if marked and _held(weights, marked) < DECLARED_MIN:
        marked = None
    declared_runs = _runs(article_body) if _paragraphs(article_body) else None
    page = _Around(w, furniture, weights, marked, declared_runs)
    spans: list[tuple[int, int] | None] = [first]
    best, judged = _first(page, w, rules, main, marked)
    if best.confidence < LOW and w.chunks:
        # The text the page shows, against which each candidate's share is judged:
        # blocks filled in from one template (a banner in every currency) are not the
        # page's text. Looked for only here: leaving them out never lowers a confidence.
        weighed = [i for i, v in enumerate(weights) if v]
        fills = template_fills([w.chunks[i].text for i in weighed])
        if fills:
            shown = list(weights)
            for k in fills:
                shown[weighed[k]] = 0
            page = _Around(w, furniture, shown, marked, declared_runs)
            best, judged = _first(page, w, rules, main, marked)
    if best.confidence >= LOW or not w.chunks:
        return best
    values = scores(w, furniture)
    spans += [
        marked,
        _most(w.spans, weights, MOST, inside=first),
        _best(w.spans, values, first),
        *_inside(w.spans, values, first, 4),
    ]
    declared_text = _paragraphs(article_body)
    if declared_runs:
        spans.append(_most(w.spans, _matching(w, furniture, declared_runs), MOST))
    for span in spans[1:]:
        if span is None or span in spans[: spans.index(span)]:
            continue
        choice = page.judge(read_span(w, rules, furniture, *span))
        judged.append(choice)
        if choice.confidence > best.confidence:
            best = choice
    if best.confidence < LOW:
        # No candidate is the article: the one that best explains the page wins, the
        # first choice on a tie.
        best = max((_as_part(c, judged) for c in judged), key=lambda c: c.confidence)
    if declared_text and best.confidence < LOW:
        # The page's markup holds no good candidate (its text is written by scripts);
        # the text it declares in JSON-LD is the article.
        items = [("paragraph", t) for t in declared_text]
        text = sum(len(t) for t in declared_text)
        confidence, reasons = assess(declared_text, Page(total, 0, text, declared_share=1.0))
        if confidence > best.confidence:
            body = replace(best.body, items=items, span=(0, 0))
            best = Choice(body, confidence, reasons)
    return best


def _first(page: _Around, w: Walk, rules: Rules, main: Body,
           marked: tuple[int, int] | None) -> tuple[Choice, list[Choice]]:
    """The first choice judged, or the declared article it is one part of; and every
    candidate judged so far."""
    first = main.span
    best = page.judge(main)
    judged = [best]
    if (marked and marked != first and marked[0] <= first[0] and first[1] <= marked[1]
            and _held(page.weights, first) < SPLIT * _held(page.weights, marked)):
        # The first choice is one part of the declared article, the rest split from it
        # by furniture between them (a box of teasers, an ad, an embed): the article's
        # parts are read together, without the furniture.
        whole = page.judge(read_span(w, rules, page.furniture, *marked))
        judged.append(whole)
        if whole.confidence >= best.confidence:
            best = whole
    return best, judged


def _as_part(choice: Choice, judged: list[Choice]) -> Choice:
    """``choice`` doubted also for the kinds of text (``confidence.KINDS``) found in the
    candidates that hold its span."""
    s, e = choice.body.span
    carried: list[str] = []
    for c in judged:
        cs, ce = c.body.span
        if cs <= s and e <= ce and (cs, ce) != (s, e):
            carried += [r for r in c.reasons
                        if r in KINDS and r not in choice.reasons and r not in carried]
    confidence = choice.confidence
    for r in carried:
        confidence *= 1 - WEIGHTS[r]
    return Choice(choice.body, confidence, (*carried, *choice.reasons))


def _paragraphs(text: str | None) -> list[str]:
    """The declared ``articleBody`` cut into paragraphs at its line breaks; empty when
    it is too short to be an article's text."""
    if not text or len(text) < DECLARED_MIN:
        return []
    return [" ".join(p.split()) for p in text.splitlines() if p.strip()]


class _Around:
    """The page around each candidate: what ``confidence.assess`` compares it with."""

    def __init__(self, w: Walk, furniture: list[bool], weights: list[int],
                 marked: tuple[int, int] | None, declared: set | None) -> None:
        self.w, self.furniture, self.weights = w, furniture, weights
        self.total = sum(weights)
        self.marked, self.declared = marked, declared

    def is_marked(self, span: tuple[int, int]) -> bool:
        """Most of ``span``'s running text is the declared article's, and most of the
        declared article's is in ``span``."""
        m = self.marked
        if m is None:
            return False
        both = _held(self.weights, (max(m[0], span[0]), min(m[1], span[1])))
        return both > 0 and both >= MOST * max(_held(self.weights, m),
                                               _held(self.weights, span))

    def judge(self, body: Body) -> Choice:
        start, end = body.span
        w, furniture = self.w, self.furniture
        inside = [c for c, f in zip(w.chunks[start:end], furniture[start:end], strict=True)
                  if not f and c.kind in BODY_KINDS]
        teasers = sum(1 for c in inside
                      if c.kind == "subheading" and c.links > LINKY * len(c.text))
        texts = [t for k, t in body.items if k in BODY_KINDS]
        m = self.marked
        apart = m is not None and (end <= m[0] or start >= m[1])
        share = None
        if self.declared:
            share = len(_runs(" ".join(texts)) & self.declared) / len(self.declared)
        declared_here = self.is_marked(body.span) or (share is not None and share >= MOST)
        page = Page(self.total, sum(c.links for c in inside), sum(len(c.text) for c in inside),
                    teasers, apart and start != end, share, declared_here)
        confidence, reasons = assess(texts, page)
        return Choice(body, confidence, reasons)


def _runs(text: str | None) -> set[tuple[str, ...]]:
    words = _WORDS.findall((text or "").lower())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _held(weights: list[int], span: tuple[int, int]) -> int:
    return sum(weights[span[0] : span[1]])


def _best(spans, values: list[int], apart: tuple[int, int] | None) -> tuple[int, int] | None:
    """The highest-scoring span, as ``body.select`` scores them; with ``apart``, the
    highest that neither holds nor sits inside that span."""
    prefix = [0]
    for v in values:
        prefix.append(prefix[-1] + v)
    best, found = 0.0, None
    for s, e, bonus in spans:
        if apart and not (e <= apart[0] or s >= apart[1]):
            continue
        score: float = prefix[e] - prefix[s]
        if bonus:
            score *= 1.1 if bonus == 1 else 1.5
        if score > best or (score == best and found and e - s < found[1] - found[0]):
            best, found = score, (s, e)
    return found


def _inside(spans, values: list[int], outer: tuple[int, int], k: int) -> list[tuple[int, int]]:
    """The ``k`` highest-scoring spans strictly inside ``outer`` (the article beside a
    panel that the first choice took in with it)."""
    prefix = [0]
    for v in values:
        prefix.append(prefix[-1] + v)
    inner = {(s, e) for s, e, _ in spans
             if outer[0] <= s and e <= outer[1] and (s, e) != outer and prefix[e] > prefix[s]}
    return sorted(inner, key=lambda x: prefix[x[0]] - prefix[x[1]])[:k]


def _most(spans, weights: list[int], share: float, inside=None) -> tuple[int, int] | None:
    """The smallest span holding at least ``share`` of all the weight (with ``share``
    1.0: the span holding the most); with ``inside``, only spans that contain it."""
    prefix = [0]
    for v in weights:
        prefix.append(prefix[-1] + v)
    total = prefix[-1]
    if total <= 0:
        return None
    found, held = None, 0
    for s, e, _ in spans:
        if inside and not (s <= inside[0] and e >= inside[1]):
            continue
        n = prefix[e] - prefix[s]
        if share >= 1.0:
            if n > held or (n == held and found and e - s < found[1] - found[0]):
                found, held = (s, e), n
        elif n >= share * total and (found is None or e - s < found[1] - found[0]):
            found = (s, e)
    return found if found and (share < 1.0 or held > 0) else None


def _matching(w: Walk, furniture: list[bool], declared: set[tuple[str, ...]]) -> list[int]:
    """Each chunk's length when most of its word runs occur in the declared text."""
    out = []
    for c, f in zip(w.chunks, furniture, strict=True):
        runs = _runs(c.text) if not f and len(c.text) >= 30 else set()
        out.append(len(c.text) if runs and len(runs & declared) >= 0.8 * len(runs) else 0)
    return out
