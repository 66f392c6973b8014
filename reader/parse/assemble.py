"""Parts of an article -> ``Article``: the rules that HTML and plain text share.

Reading order: the headline, then captions and body blocks as they appear, with the
summary (when it is read) before the first body block. Nothing is read twice: a
caption repeated under a slideshow's photos, a pull quote that repeats the body, a
standfirst that the body repeats word for word.
"""

from __future__ import annotations

import re

from reader.errors import ParseError
from reader.model import BODY_KINDS, Article, Block
from reader.parse.captions import caption_text, is_credit

_WORD = re.compile(r"\w+")
#: Quotes checked for repeating the body; each check reads the whole body, so a page of
#: thousands of quotes stays linear.
MAX_QUOTE_CHECKS = 50
_BYLINE = re.compile(r"^(?:by|written by|words by|von|par|por|door)\s+(\S.*)$", re.I)


def byline_name(line: str) -> str | None:
    """``"By Ann Lee, Staff Writer"`` -> ``"Ann Lee, Staff Writer"``; None when the line
    is not a byline (too long to be one, or not starting "By")."""
    m = _BYLINE.match(line)
    return m.group(1) if m and len(line) <= 100 else None


def _take_byline(blocks: list[Block]) -> str | None:
    """A byline line at the top of the body is metadata, not text to read twice."""
    for i, b in enumerate(blocks[:4]):
        if b.kind not in BODY_KINDS:
            continue
        name = byline_name(b.text)
        if name:
            del blocks[i]
            return name
        if len(b.text) > 100:
            break
    return None


def key(text: str) -> str:
    """Text reduced to its lower-case words, for comparing blocks."""
    return " ".join(_WORD.findall(text.lower()))


def assemble(
    items: list[tuple[str, str]],
    *,
    headline: str | None,
    summary: str | None,
    byline: str | None = None,
    published: str | None = None,
    language: str | None = None,
    site: str | None = None,
    url: str | None = None,
    tables: dict[str, Block] | None = None,
) -> Article:
    """Build the article from (kind, text) items in document order; a ``table`` item's
    block is ``tables[text]`` (a paragraph when it is missing). A ``caption`` is
    read without its photo credit, and not at all when it is only a credit or a label
    (see ``captions.caption_text``); kind ``alt`` (an image's alt text) is never read.
    Raises ``ParseError`` when no body
    text is left."""
    summary = " ".join(summary.split()) if summary else None
    summary_key = key(summary) if summary else ""
    headline_key = key(headline) if headline else ""
    # All body text in one string, each block between newlines: a pull quote is a quote
    # whose words occur in it more than once (once is the quote itself).
    keys = [key(t) for _, t in items]
    body_text = "\n".join(k for (kind, _), k in zip(items, keys, strict=True)
                          if kind in BODY_KINDS)
    quotes_checked = 0
    seen: set[str] = set()
    out: list[Block] = []
    after_caption = False
    for (kind, text), k in zip(items, keys, strict=True):
        if not k:
            continue
        if after_caption and kind == "paragraph" and _credit_line(text):
            continue  # the credit line under a caption ("Photo: Jane Doe")
        after_caption = kind == "caption"
        if kind == "alt":
            continue  # alt text alone is not a caption (see walk.py)
        if kind == "caption":
            # Read without its credit; a label or a credit alone is not read. A copy of
            # the caption as printed, credit and all, is not read again as body text.
            text = caption_text(text) or ""
            short = key(text)
            repeat = k in seen or short in seen
            seen.update((k, short))
            if short and not repeat:
                out.append(Block("caption", text))
            continue
        if k == summary_key or (k == headline_key and not any(b.kind in BODY_KINDS for b in out)):
            continue  # the standfirst or headline, repeated as the body's first block
        if k in seen and len(k) > 40:
            continue  # the same paragraph twice (a page's mobile and desktop copies)
        if kind == "quote" and quotes_checked < MAX_QUOTE_CHECKS:
            quotes_checked += 1
            if _occurs_twice(body_text, k):
                continue  # a pull quote: it repeats a passage of the body
        seen.add(k)
        table = (tables or {}).get(text) if kind == "table" else None
        out.append(table or Block("paragraph" if kind == "table" else kind, text))
    byline = byline or _take_byline(out)
    body = [b for b in out if b.kind in BODY_KINDS]
    if not body:
        raise ParseError(
            "no article text found.", "Give the page of a single article, or its text in a file."
        )
    known = dict(zip((t for _, t in items), keys, strict=True))
    body_keys = " ".join(known.get(b.text) or key(b.text) for b in body)
    if summary and summary_key and summary_key not in body_keys:
        first = next(i for i, b in enumerate(out) if b.kind in BODY_KINDS)
        out.insert(first, Block("summary", summary))
    blocks = ([Block("headline", headline)] if headline else []) + out
    return Article(
        tuple(blocks),
        headline=headline,
        summary=summary,
        byline=byline,
        published=published,
        language=language,
        url=url,
        site=site,
    )


def _credit_line(text: str) -> bool:
    """A short line that is a photo credit and not a sentence: "Courtesy of the city,
    the park reopened." is body text even right under a caption."""
    short = len(text.split()) <= 10 and not text.rstrip().endswith((".", "!", "?"))
    return short and is_credit(text)


def _occurs_twice(text: str, part: str) -> bool:
    first = text.find(part)
    return first >= 0 and text.find(part, first + 1) >= 0
