"""Plain text copied out of a page -> Article, from the lines alone.

What a copy of a web page looks like: menus, skip links, share buttons and bylines on
short lines of their own, the headline on a short line just before the body, an image's
caption followed by its credit (or twice in a row: alt text, then caption), a
standfirst, the body in paragraphs separated by blank lines (sometimes hard-wrapped),
then related links, cookie prompts and the footer. Which lines are body is decided by
the line model of ``reader.parse.lines``; the rest is read from the lines' shape.
"""

from __future__ import annotations

import re
from dataclasses import replace

from reader.errors import ParseError
from reader.model import Article, Block
from reader.parse import captions, lines, lines_headline
from reader.parse.assemble import assemble, byline_name, key
from reader.parse.confidence import Page, assess, template_fills
from reader.parse.mojibake import repair_mojibake
from reader.parse.rules import rules

_BULLET = re.compile(r"^(?:[-*•▪‣◦]|\d{1,3}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?:;…\"'”’)\]]$")
_SEPARATORS = re.compile(r"\s*[|·•/]\s*|\s+")
SHORT_PASTE = 12
"""A paste of at most this many lines is taken as the article's own text: no line model."""
GAP = 3
PROSE_RESCUE = 2 / 3
"""Prose inside the densest run of prose is body from this share of the threshold: a
short article among much furniture scores low."""
NEXT_RESCUE = 1 / 3
"""And prose next to the body (no other line between), from this share: the last
paragraph before the tags scores low beside them, and losing it is worse than reading one
paragraph too many; prose past a run of furniture (teasers for other stories) is not."""
TEASERS_MIN = 3
"""Items in a row that make a list of teasers (``_teasers``, ``_cards``)."""
CARD_MAX = 6
"""A story card (``_cards``) is at most this many lines."""
AFTER_SHARE = 0.5
"""Share of the body's words that must come before a heading of what follows the article
(``_after_article``): "Related" near the top is a menu or an inset, not the article's end."""
RESUME_WORDS = 25
RESUME_REACH = 2
_SIGNATURE = re.compile(r"^[-–—~]?\s*(?:[A-Z][\w'’-]+\s+)(?:[A-Z][\w'’-]+\s+|[A-Z]\.\s*){0,2}"
                        r"[A-Z]\.$")
"""A signature under a quote: a first name and the initial of a surname ("Mallory R.",
"- Ann Lee K.")."""
CAPTION_MAX = 300
"""A caption followed by its credit is at most this long."""
ALT_MAX = 150
"""A line twice in a row is an image's alt text and caption when at most this long (alt
text is advised to stay under about 125 characters); a longer one is body, read once."""
CREDIT_WORDS = 8
"""A credit run into the end of a line (``_inline_caption``) is at most this many words:
a longer tail is a sentence of the text, not a name and an agency."""


def parse_text(text: str, url: str | None = None) -> Article:
    """Parse plain text; raises ``ParseError`` when no paragraph is left."""
    us, feats, scores, body, aside = _body(text)
    if len(us) <= SHORT_PASTE:
        head = _short_headline(us, body)
    else:
        head = _headline(us, feats, scores, body)
    headline = lines_headline.trim(us[head].text) if head is not None else None
    byline = None
    teasers = set(_teasers(us))
    items: list[tuple[str, str]] = []
    paragraphs: list[tuple[str, str]] = []
    dropped = 0  # lines left out as furniture
    i = 0
    # Prose above the headline is read only when body lines join it to the headline (a
    # standfirst set above it); past a menu or a line of furniture, it is a promotion or
    # a teaser at the top of the page.
    above = head
    while above is not None and above > 0 and body[above - 1]:
        above -= 1
    while i < len(us):
        line = us[i].text
        if (head is not None and above is not None and i <= head
                and not (i >= above and body[i] and lines.is_prose(line))):
            dropped += i != head
            i += 1  # the headline, and the furniture above it
            continue
        if i in teasers:
            dropped += 1
            i += 1  # a teaser's title twice is not an image's alt text and caption
            continue
        if byline is None and not paragraphs and byline_name(line):
            byline = byline_name(line)
            i += 1
            continue
        nxt = us[i + 1].text if i + 1 < len(us) else ""
        twice = key(nxt) == key(line) and len(line) <= ALT_MAX
        # A credit of its own, not a caption with its credit at its end.
        credit = lines.is_credit(nxt) and not _inline_caption(nxt)
        if twice or (len(line) <= CAPTION_MAX and credit):
            if twice or body[i] or _near_body(body, i):
                # An image's alt text and caption, or a caption and its credit.
                items.append(("caption", line))
                i += 2
                while i < len(us) and key(us[i].text) == key(line):
                    i += 1
                continue
        caption = _inline_caption(line)
        if caption and (body[i] or _near_body(body, i)):
            items.append(("caption", caption))  # a caption with its credit on one line
            i += 1
            continue
        if not body[i] or lines.is_credit(line):
            dropped += not lines.is_credit(line)
            i += 1
            continue
        kind = "paragraph"
        bullet = _BULLET.match(line)
        if bullet and len(line) > bullet.end():
            kind, line = "list_item", line[bullet.end():]
        elif paragraphs and _is_subheading(line, nxt):
            kind = "subheading"
        items.append((kind, line))
        paragraphs.append((kind, line))
        i += 1
    article = assemble(items, headline=headline, summary=_summary(paragraphs), byline=byline,
                       url=url)
    if not dropped:
        return article  # every line is read: there is nothing else to offer the listener
    # Promotions above the headline are recognised furniture, as the blocks ``_body`` set
    # aside: the page's own text to weigh the article against is the rest.
    aside |= {j for j in range(above or 0) if body[j] and lines.is_prose(us[j].text)}
    confidence, reasons = _assess(article, us, scores, body, aside)
    return replace(article, confidence=confidence, warnings=reasons)


def _headline(us: list[lines.Unit], feats: list[list[float]], scores: list[float],
              body: list[bool]) -> int | None:
    """The headline's line, as the ranker was fitted (``bench/fit_pasted.py``): near the
    lines the line model itself calls body. Prose read only because it sits in the run of
    prose (a consent text, an offer, a disclosure) often comes before the headline."""
    threshold = lines.body_threshold(scores)
    sure = [b and s >= threshold for b, s in zip(body, scores, strict=True)]
    return lines_headline.pick(us, feats, scores, sure if any(sure) else body,
                               lines.model()["headline"])


def _assess(article: Article, us: list[lines.Unit], scores: list[float],
            body: list[bool], aside: set[int]) -> tuple[float, tuple[str, ...]]:
    """The confidence checks of the HTML path, on the paste: its prose lines are the
    text the page shows (but for the blocks recognised as what surrounds an article,
    ``aside``), and the line model's certainty is one more check."""
    texts = list(article.paragraphs)
    prose = sum(len(u.text) for i, u in enumerate(us) if lines.is_prose(u.text)
                and i not in aside)
    page = Page(prose, 0, sum(len(t) for t in texts),
                lines_certainty=lines.certainty(us, scores, body))
    return assess(texts, page)


def parse_whole_text(text: str, url: str | None = None) -> Article:
    """All of pasted ``text``, each of its lines a paragraph, in order: nothing judged
    (what the listener asks for when reader doubts the article it found). Raises
    ``ParseError`` when the text is blank."""
    blocks = tuple(Block("paragraph", u.text) for u in lines.units(repair_mojibake(text)))
    if not blocks:
        raise ParseError("the text is empty.", "Give a file or page that has text in it.")
    return Article(blocks, url=url)


def text_certainty(text: str) -> float:
    """How sure the line model is that the body it reads from pasted ``text`` is the
    article, 0..1 (``lines.certainty``); low values deserve a warning to the listener."""
    us, _, scores, body, _ = _body(text)
    return lines.certainty(us, scores, body)


def _body(
    text: str,
) -> tuple[list[lines.Unit], list[list[float]], list[float], list[bool], set[int]]:
    """The units of ``text``, their features and scores, which of them are body, and the
    lines set aside as blocks that surround an article (story cards, templates, reviews,
    what follows it)."""
    # A copy keeps the page's twice-encoded UTF-8; it is read as meant, as in HTML.
    us = lines.units(repair_mojibake(text))
    furniture = rules().furniture_lines
    feats = lines.features(us)
    scores = lines.body_scores(us, feats)
    # Readers' comments are never the article, however much they read like it.
    end = lines.comments_start(us)
    if end == 0 or not any(lines.is_prose(u.text) for u in us[:end]):
        end = len(us)  # nothing but comments: read them rather than nothing
    threshold = lines.body_threshold(scores[:end])
    # A short paste is the article's own text, with at most a few furniture lines.
    lo, hi = lines.main_span(us[:end])
    rescue = threshold * PROSE_RESCUE
    near = [lo <= i <= hi and lines.is_prose(u.text) and s >= threshold * NEXT_RESCUE
            and not _is_furniture(u.text, furniture) and i < end
            for i, (u, s) in enumerate(zip(us, scores, strict=False))]
    short = len(us) <= SHORT_PASTE
    body = [
        (short or s >= threshold or (lo <= i <= hi and lines.is_prose(u.text) and s >= rescue))
        and not _is_furniture(u.text, furniture) and i < end
        for i, (u, s) in enumerate(zip(us, scores, strict=False))
    ]
    for i in range(1, len(us)):
        body[i] = body[i] or (near[i] and body[i - 1])
    for i in range(len(us) - 2, -1, -1):
        body[i] = body[i] or (near[i] and body[i + 1])
    for i in _teasers(us):
        body[i] = False
    # Story cards and templates are furniture around an article, not in a short paste,
    # and a page of nothing else is read rather than nothing.
    texts = [u.text for u in us]
    drop = set() if short else set(_cards(us) + template_fills(texts) + _testimonials(us))
    if any(b for i, b in enumerate(body) if i not in drop):
        for i in drop:
            body[i] = False
    else:
        drop = set()
    _fill_gaps(body, lo, hi, [_is_furniture(u.text, furniture) for u in us])
    aside = drop | set(_after_article(us, body))
    return us, feats, scores, body, aside


def _after_article(us: list[lines.Unit], body: list[bool]) -> list[int]:
    """Lines under a heading of what follows an article (``Rules.is_end_heading``:
    "Related articles", "About the author", "References"), once at least ``AFTER_SHARE``
    of the body has been read, are not body, up to where the article's own prose comes
    back: two paragraphs of ``RESUME_WORDS`` words or more within ``RESUME_REACH`` lines
    of each other. Teasers, link lists and author boxes are titles and short blurbs; an
    inset "Related" box in the middle of an article is followed by its prose again.
    Returns the lines set aside."""
    r = rules()
    sizes = [len(u.text.split()) for u in us]
    total = sum(n for n, b in zip(sizes, body, strict=True) if b)
    read = 0
    aside: list[int] = []
    i = 0
    while i < len(us):
        read += sizes[i] if body[i] else 0
        if read >= AFTER_SHARE * total and r.is_end_heading(us[i].text):
            j = i
            while j < len(us) and not (
                _resumes(us[j].text, body[j])
                and any(_resumes(us[k].text, body[k])
                        for k in range(j + 1, min(len(us), j + 1 + RESUME_REACH)))
            ):
                body[j] = False
                aside.append(j)
                j += 1
            i = j
            continue
        i += 1
    return aside


def _resumes(text: str, body: bool) -> bool:
    return body and len(text.split()) >= RESUME_WORDS and lines.is_prose(text)


def _teasers(us: list[lines.Unit]) -> list[int]:
    """Lines of a list of teasers for other pages: ``TEASERS_MIN`` or more items in a row,
    each a title twice (the image's alt text, then the link) and one line of summary."""
    keys = [key(u.text) for u in us]
    out: list[int] = []
    i = 0
    while i < len(us):
        j = i
        while (j + 2 < len(us) and keys[j] and keys[j] == keys[j + 1]
               and len(us[j].text) <= ALT_MAX and keys[j + 2] != keys[j]):
            j += 3
        if (j - i) // 3 >= TEASERS_MIN:
            out.extend(range(i, j))
            i = j
        else:
            i += 1
    return out


def _testimonials(us: list[lines.Unit]) -> list[int]:
    """Readers' or customers' quotes, each followed by its author's first name and initial
    ("Great staff, and the clinic is kept very clean!" / "Mallory R."), when the page has
    ``TEASERS_MIN`` or more of them: a block of reviews. An article quotes people inside its
    sentences, not above a name of its own."""
    signed = [i for i in range(1, len(us))
              if _SIGNATURE.match(us[i].text) and lines.is_prose(us[i - 1].text)]
    if len(signed) < TEASERS_MIN:
        return []
    return sorted({j for i in signed for j in (i - 1, i)})


def _cards(us: list[lines.Unit]) -> list[int]:
    """Lines of a list of story cards: ``TEASERS_MIN`` or more datelines (``is_dateline``)
    at an equal step of 3 to ``CARD_MAX`` lines, each card holding a title-sized line
    (title, author, date, summary, again and again). An article's dated sections have no
    such step, or no title between their dates."""
    dated = [i for i, u in enumerate(us) if lines.is_dateline(u.text)]
    out: set[int] = set()
    k = 0
    while k + TEASERS_MIN - 1 < len(dated):
        step = dated[k + 1] - dated[k]
        m = k + 1
        while m + 1 < len(dated) and dated[m + 1] - dated[m] == step:
            m += 1
        cards = m - k + 1
        titled = all(
            any(not lines.is_prose(us[j].text) and not lines.is_dateline(us[j].text)
                for j in range(dated[c] + 1, dated[c + 1]))
            for c in range(k, m)
        )
        if 3 <= step <= CARD_MAX and cards >= TEASERS_MIN and titled:
            first, last = dated[k], dated[m]
            # The first card's title lines before its date, never prose (the article's end).
            j = first - 1
            while j > first - step and not lines.is_prose(us[j].text):
                j -= 1
            out.update(range(j + 1, min(len(us), last + step)))
            k = m + 1
        else:
            k += 1
    return sorted(out)


def _fill_gaps(body: list[bool], lo: int, hi: int, furniture: list[bool]) -> None:
    """Short lines between body lines inside the run of prose are body (subheadings, list
    items), when no more than ``GAP`` of them come together and none is furniture."""
    i = lo
    while i <= hi:
        if body[i]:
            i += 1
            continue
        j = i
        while j <= hi and not body[j]:
            j += 1
        if j <= hi and j - i <= GAP and not any(furniture[i:j]):
            body[i:j] = [True] * (j - i)
        i = j


def _short_headline(us: list[lines.Unit], body: list[bool]) -> int | None:
    """In a short paste: the first title-like line, when it comes before any prose."""
    first = next((i for i, b in enumerate(body) if b), None)
    if first is None or lines.is_prose(us[first].text):
        return None
    text = us[first].text
    return first if len(text) <= 200 and not text.endswith((".", ",", ";")) else None


def _inline_caption(line: str) -> str | None:
    """The caption of a line that ends in its photo's credit ("Storm over the bay. Credit:
    Jane Doe", "Fans cheer (Photo: Getty Images)"), else None. An article's paragraph does
    not end by naming who took a picture."""
    if len(line) > CAPTION_MAX:
        return None
    head, credit = captions.split_credit(line)
    if not credit or not head or len(credit.split()) > CREDIT_WORDS:
        return None
    return captions.caption_text(head)


def _near_body(body: list[bool], i: int, reach: int = 3) -> bool:
    return any(body[max(0, i - reach):i + reach + 1])


def _is_furniture(line: str, furniture: frozenset[str]) -> bool:
    lowered = line.lower()
    if lowered in furniture or lowered.startswith(("©", "(c) ", "copyright ")):
        return True
    parts = [p for p in _SEPARATORS.split(lowered) if p]
    # "Share | Tweet | Print", "XS SM MD LG": every part of a short line is furniture.
    return len(line) <= 60 and bool(parts) and all(p in furniture for p in parts)


def _is_subheading(line: str, nxt: str) -> bool:
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
