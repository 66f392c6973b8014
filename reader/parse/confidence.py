"""How sure reader is that the chosen text is the article, and why not.

Each check looks at the chosen text (and at the page around it) for one general sign of
the wrong text: a cookie notice, a service box, an interstitial, placeholder text, a
list of links, lines that are not sentences, far less text than the page shows. Each
sign found lowers the confidence by its weight (confidence is the product of what each
leaves), and its reason is kept in plain words for the listener. The same checks judge
the candidate bodies in ``candidates.py``.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reader.model import Article
from reader.parse.rules import RULES_FILE

_WORDS = re.compile(r"\w+")

#: Below this confidence the listener is warned that the text may not be the article.
LOW = 0.5

#: Reason -> how much of the confidence it takes away. A single strong sign (a cookie
#: notice) is enough to fall below ``LOW``; weaker ones only together.
WEIGHTS = {
    "looks like a cookie notice": 0.7,
    "looks like a contact or service box": 0.6,
    "looks like a page that says you are leaving the site": 0.7,
    "placeholder text (lorem ipsum)": 0.8,
    "looks like a list of links": 0.6,
    "looks like a list of posts or comments": 0.55,
    "looks like a note about the author": 0.55,
    "the same lines again and again": 0.6,
    "mostly not sentences": 0.35,
    "much less text than the page shows": 0.6,
    "very little text": 0.55,
    "the page marks other text as its article": 0.6,
    "differs from the article text the page declares": 0.6,
    "the text could not be told apart from the page's menus and links": 0.6,
}

#: Reasons that say what kind of text it is, not how much of it there is or how it is
#: shaped: a part of a cookie notice is a cookie notice too (see ``candidates.choose``).
KINDS = frozenset({
    "looks like a cookie notice",
    "looks like a contact or service box",
    "looks like a page that says you are leaving the site",
    "placeholder text (lorem ipsum)",
    "the same lines again and again",
})

#: Below this share of the page's running text the chosen text is doubted as a part of
#: the article (one paragraph of twenty, a box beside it); below ``SHARE_DOUBT`` too,
#: unless the page declares that text as its article (beside long comments or teasers,
#: an article may hold only a third of the page's running text).
SHARE_PART = 0.3
SHARE_DOUBT = 0.4
#: A block is consent wording when it holds this many different phrases of the
#: ``consent`` signals, or speaks of cookies: one other phrase alone ("necessary",
#: "third-party", "privacy") is common in articles. Seen on half A of the development
#: pages (``bench/confidence.py``): with one phrase, an article about outsourcing was
#: flagged as a cookie notice.
CONSENT_PHRASES = 2
#: A list of posts or comments: at least ``POSTS_MIN`` blocks, and ``POSTS_SHARE`` of
#: all blocks, that are a date standing alone ("July 25, 2019 at 5:10 pm", "3 days ago")
#: or a teaser cut short ("..."). Fitted on half A of the development pages
#: (``bench/confidence.py``): the date must be most of its line, as a footnote's "consulted
#: on October 22, 2025" is not, and cut teasers a third of the blocks, as the few
#: "read next" teasers after an article are not.
POSTS_MIN = 3
#: Blocks filled in from one template (``template_fills``): most of their word 4-grams
#: in this many blocks or more; an article does not say the same sentence four times.
TEMPLATE_MIN = 4
#: A template fills a short slot (an offer, a card): a longer block said again and again
#: is the text itself, however badly copied.
TEMPLATE_WORDS = 30
#: The share of a text's characters in template fills that makes it "the same lines
#: again and again" (a shipping banner in five currencies, a grid of product cards).
TEMPLATE_SHARE = 0.5
POSTS_SHARE = (0.1, 0.3)
#: Lines of comments' furniture ("Ann says:", "Reply", "12 Comments") that make a list of
#: comments (and at least ``REPLIES_SHARE`` of the blocks: an article may end in a
#: "Leave a comment" and a "3 Comments", while a thread has one such line for every one
#: or two comments), and the longest such line.
REPLIES_MIN = 2
REPLIES_SHARE = 0.25
COMMENT_LINE = 80
#: A note about the author is shorter than this (characters), and starts with its
#: heading on a line of its own or with "X is a writer": in one of its first
#: ``AUTHOR_LEAD`` blocks (an article may end with such a note).
AUTHOR_MAX = 2000
AUTHOR_LEAD = 3
#: How much of its line a date must be to stand alone.
DATE_SHARE = 0.4
#: Pasted text: below this certainty of the line model (``lines.certainty``, the mean
#: body score of the lines it reads) the text is doubted. Fitted on half A of the
#: development pastes (``bench/pasted_split.py``): 3 of its 4 mostly wrong pages and 1 of
#: its 190 others lie below.
LINES_CERTAIN = 0.42

#: Characters that end a sentence (or the quote or bracket around its end).
_SENTENCE_END = frozenset(".!?…:;)\"'’”»")
#: The phrase checks read the body's first this many characters: enough to know what
#: kind of text it is, and a long page costs no more than a short one.
SAMPLE = 20_000
_PHONE = re.compile(r"\+?\(?\d{2,4}\)?[\s.-]\d{3}[\s.-]?\d{3,4}")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
#: A date as posts and comments give it: "July 25, 2019", "25 July 2019", "2019-07-25",
#: "12/03/2025", "3 days ago". Month names in English; the numeric forms in any language.
_DATE = re.compile(
    r"\b(?:" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4}"
    r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago)\b",
    re.I,
)
#: A time of day ("5:10 pm", "- 08:05") or "... ago": a post or a comment is stamped to
#: the minute, an article's dated sections and lists of events rarely are.
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\bago\b", re.I)
#: A poster's line has at most this many words: a name, "says", a date and a time.
POSTER_WORDS = 12
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{2,253}\b")


@dataclass(frozen=True)
class Signals:
    """Phrases of each wrong kind of text, from the ``[signals]`` table of the rules."""

    consent: re.Pattern[str]
    service: re.Pattern[str]
    interstitial: re.Pattern[str]
    placeholder: re.Pattern[str]
    comments: re.Pattern[str]
    """Lines of readers' comments' furniture ("Reply", "Ann says:"), matched at a line's
    end."""
    author: re.Pattern[str]
    """The heading of a note about the author, as a whole line."""
    role: re.Pattern[str]
    """"X is a writer": the sentence a note about the author starts with."""
    words: dict[str, tuple[str, ...]]
    """Each kind's phrases, for a quick test before the patterns run."""


def doubt(article: Article) -> str | None:
    """What to tell the listener before reading ``article`` when reader is not sure it
    found the article ("This page may not have been read correctly: looks like a cookie
    notice."), or None when it is sure enough (``LOW``)."""
    if article.confidence >= LOW:
        return None
    why = "; ".join(article.warnings) or "the text does not look like an article"
    return f"This page may not have been read correctly: {why}."


@lru_cache(maxsize=1)
def signals() -> Signals:
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))["signals"]

    def pattern(name: str) -> re.Pattern[str]:
        words = sorted(data[name], key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)

    kinds = ("consent", "service", "interstitial", "placeholder")
    words = {n: tuple(w.lower() for w in data[n]) for n in kinds}
    comments = sorted(data["comments"], key=len, reverse=True)
    at_end = re.compile(r"(?:^|\W)(?:" + "|".join(re.escape(w) for w in comments) + r")\W*$",
                        re.I)
    heads = sorted(data["author"], key=len, reverse=True)
    author = re.compile(r"(?:" + "|".join(re.escape(w) for w in heads) + r")\W*", re.I)
    roles = "|".join(re.escape(w) for w in data["author_roles"])
    role = re.compile(r"\bis an? (?:\w+ ){0,3}(?:" + roles + r")s?\b", re.I)
    return Signals(pattern("consent"), pattern("service"), pattern("interstitial"),
                   pattern("placeholder"), at_end, author, role, words)


@dataclass(frozen=True)
class Page:
    """What the page shows besides the chosen text, for comparison."""

    prose: int
    """Characters of running text on the page outside furniture (see ``body.prose``)."""
    links: int
    """Characters of link text inside the chosen span, including dropped link lines."""
    text: int
    """Characters of all text inside the chosen span."""
    teasers: int = 0
    """Linked headings inside the chosen span: titles of teasers for other pages."""
    declared_apart: bool = False
    """The page marks another element, apart from the chosen one and holding much
    running text, as its article (``<article>``, ``itemprop="articleBody"``)."""
    declared_share: float | None = None
    """The share of the JSON-LD ``articleBody`` text found in the chosen text; None
    when the page declares none."""
    declared_here: bool = False
    """The chosen text is what the page declares as its article (the element marked as
    the article, or most of the JSON-LD ``articleBody``)."""
    lines_certainty: float | None = None
    """Pasted text only: how sure the line model is of the lines it read as the body."""


def assess(texts: Sequence[str], page: Page) -> tuple[float, tuple[str, ...]]:
    """The confidence (0 to 1) that ``texts`` (the body blocks) are the article, and the
    reasons it is lower than 1."""
    reasons = [r for r, found in _checks(texts, page) if found]
    confidence = 1.0
    for r in reasons:
        confidence *= 1 - WEIGHTS[r]
    return confidence, tuple(reasons)


def _share(texts: Sequence[str], pattern: re.Pattern[str], total: int, least: int = 1) -> float:
    """Share of the text's characters in blocks where at least ``least`` different
    phrases of ``pattern`` occur; once any block speaks of cookies, one phrase is enough
    for every block (a consent panel spreads its wording over many short blocks)."""
    if not total:
        return 0.0
    if least <= 1:
        return sum(len(t) for t in texts if pattern.search(t)) / total
    found = [{m.lower() for m in pattern.findall(t)} for t in texts]
    # "Cookie" is the one word of a consent notice that articles rarely use.
    cookies = any("cookie" in f for phrases in found for f in phrases)
    held = sum(len(t) for t, phrases in zip(texts, found, strict=True)
               if len(phrases) >= least or (cookies and phrases))
    return held / total


def _contact(text: str) -> int:
    """Pieces of evidence of a contact box: service phrases, phone numbers, addresses."""
    found = len({m.lower() for m in signals().service.findall(text)})
    return found + len(_PHONE.findall(text)) + len(_EMAIL.findall(text))


def _posts(texts: Sequence[str]) -> bool:
    """Blocks that are a date standing alone, or a teaser cut short, as a list of posts
    or of comments has them (see ``POSTS_MIN``)."""
    n = len(texts)
    if n < POSTS_MIN:
        return False
    dates = cut = replies = 0
    comments = signals().comments
    for t in texts:
        line = t.strip()
        if len(line) <= COMMENT_LINE:
            m = _DATE.search(line)
            dates += bool(m and len(m.group()) >= DATE_SHARE * len(line))
            replies += bool(comments.search(line))
        cut += line.endswith(("...", "…"))
    return (dates >= POSTS_MIN and dates >= POSTS_SHARE[0] * n) or (
        cut >= POSTS_MIN and cut >= POSTS_SHARE[1] * n) or (
        replies >= REPLIES_MIN and replies >= REPLIES_SHARE * n)


def poster_line(text: str) -> bool:
    """A line that names when a comment or post was written ("Ann Lee Thu, 08/03/2023 -
    08:05", "Bob says: March 3, 2020 at 5:10 pm", "2 days ago"): short, not a sentence,
    a date and a time of day."""
    if len(text) > 2 * COMMENT_LINE:
        return False
    line = text.strip()
    # Both a date and a time hold figures: most short lines (menus, labels) have none.
    return (len(line) <= COMMENT_LINE and line[-1:] not in ".!?"
            and any(c.isdigit() for c in line) and len(line.split()) <= POSTER_WORDS
            and bool(_TIME.search(line)) and bool(_DATE.search(line)))


def template_fills(texts: Sequence[str]) -> list[int]:
    """The blocks filled in from one template again and again: most of their word
    4-grams in ``TEMPLATE_MIN`` or more blocks, at most ``TEMPLATE_WORDS`` words long
    (shipping offers per country, product cards)."""
    grams = [_grams(t) for t in texts]
    seen: Counter[tuple[str, ...]] = Counter(g for gs in grams for g in gs)
    return [i for i, gs in enumerate(grams)
            if gs and len(texts[i].split()) <= TEMPLATE_WORDS
            and sum(seen[g] >= TEMPLATE_MIN for g in gs) > len(gs) / 2]


def _grams(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[k:k + 4]) for k in range(len(words) - 3)}


def _author(texts: Sequence[str], total: int) -> bool:
    """A short text that is a note about the author (see ``AUTHOR_MAX``)."""
    if total >= AUTHOR_MAX:
        return False
    s = signals()
    lead = texts[:AUTHOR_LEAD]
    return any(s.author.fullmatch(t.strip()) or s.role.search(t) for t in lead)


def _checks(texts: Sequence[str], page: Page):
    s = signals()
    total = sum(len(t) for t in texts)
    sentences = sum(len(t) for t in texts
                    if t.rstrip()[-1:] in _SENTENCE_END and len(t.split()) >= 8)
    sample, size = [], 0
    for t in texts:
        if size >= SAMPLE:
            break
        sample.append(t)
        size += len(t)
    joined = " ".join(sample)
    low = joined.lower()

    def share(kind: str, pattern: re.Pattern[str], least: int = 1) -> float:
        # A plain substring test first: most pages hold none of the phrases.
        found = any(w in low for w in s.words[kind])
        return _share(sample, pattern, size, least) if found else 0.0

    yield "looks like a cookie notice", share("consent", s.consent, CONSENT_PHRASES) > 0.35
    yield "looks like a contact or service box", total < 3000 and _contact(joined) >= 3
    yield "looks like a page that says you are leaving the site", (
        total < 2000 and bool(s.interstitial.search(joined))
    )
    yield "placeholder text (lorem ipsum)", share("placeholder", s.placeholder) > 0.2
    yield "looks like a list of links", page.text > 0 and (
        page.links > 0.6 * page.text
        or (page.teasers >= 4 and page.teasers * 400 > total and page.links > 0.3 * page.text)
    )
    yield "looks like a list of posts or comments", _posts(texts)
    yield "looks like a note about the author", total > 0 and _author(texts, total)
    yield "mostly not sentences", total > 0 and sentences < 0.4 * total
    # Only blocks of a template's size can be its fills (counted by their spaces: a
    # block's text is one line with single spaces): most texts have too few of them to be
    # "the same lines", and their word runs need not be counted.
    short = sum(len(t) for t in texts if t.count(" ") < TEMPLATE_WORDS)
    yield "the same lines again and again", short > TEMPLATE_SHARE * total and (
        sum(len(texts[i]) for i in template_fills(texts)) > TEMPLATE_SHARE * total
    )
    yield "much less text than the page shows", page.prose > 800 and (
        total < SHARE_PART * page.prose
        or (total < SHARE_DOUBT * page.prose and not page.declared_here)
    )
    yield "very little text", total < 250
    yield "the text could not be told apart from the page's menus and links", (
        page.lines_certainty is not None and page.lines_certainty < LINES_CERTAIN
    )
    yield "the page marks other text as its article", page.declared_apart
    yield "differs from the article text the page declares", (
        page.declared_share is not None and page.declared_share < 0.3
    )
