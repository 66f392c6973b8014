"""Several articles rendered for one book: the part a DAISY book and an EPUB share.

``render_articles`` exports each article to MP3 exactly as ``reader export`` would
(``export_article``: one render, one encoder, the timeline shifted by the MP3 decoder's
delay), into a folder the caller packs; the other helpers are the facts about the
articles that both books state (title, creators, language, identity).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader.export.exporter import ExportOptions, ExportResult, export_article
from reader.model import Article

#: Called with a label ("Article 2 of 3: ...") before each article renders; returns the
#: ``progress(done, total)`` callback for its sentences (or None).
ProgressFactory = Callable[[str], Any]


def render_articles(
    pieces: Sequence[tuple[Article, str | None]],
    folder: Path,
    options: ExportOptions,
    *,
    progress: ProgressFactory | None = None,
    title_first: bool = False,
) -> list[ExportResult]:
    """Each article (with the source it came from, or None) as ``folder/a001.mp3``,
    ``a002.mp3``, ...; with ``title_first`` the first piece is the book's own spoken
    title section, not counted as an article in progress labels."""
    item_options = replace(options, format="mp3", timing=None, force=True)
    count = len(pieces) - title_first
    results = []
    for n, (article, source) in enumerate(pieces):
        number = n + 1 - title_first
        label = f"Article {number} of {count}: {article.title}" if number else "Title"
        report = progress(label) if progress else None
        results.append(
            export_article(
                article, folder / f"a{n + 1:03d}.mp3", item_options, source=source,
                progress=report,
            )
        )
        if report is not None and hasattr(report, "end"):
            report.end()
    return results


#: What a book of several articles is called when no feed names it.
DEFAULT_TITLE = "Today's reading"


def collection_title(day: _dt.date, count: int, title: str | None = None) -> str:
    """The title of a book of ``count`` articles of ``day``, named ``title`` (a feed's)
    or ``DEFAULT_TITLE``: "Harbour Gazette, 1 December 2026: 2 articles"."""
    articles = f"{count} article{'s' * (count != 1)}"
    return f"{title or DEFAULT_TITLE}, {day.day} {day:%B %Y}: {articles}"


def creators(articles: Sequence[Article]) -> list[str]:
    """Each article's byline (or else its site), once each, in order."""
    return list(dict.fromkeys(c for a in articles if (c := a.byline or a.site)))


def fingerprint(articles: Sequence[Article]) -> str:
    """Twelve hex digits that change when any article's text does."""
    digest = hashlib.sha1()
    for a in articles:
        digest.update("\n".join(b.text for b in a.blocks).encode("utf-8"))
    return digest.hexdigest()[:12]


def languages(articles: Sequence[Article]) -> list[str]:
    """The articles' languages, once each in order; ``["en"]`` when none is known."""
    return list(dict.fromkeys(a.language for a in articles if a.language)) or ["en"]


def reader_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reader")
    except PackageNotFoundError:
        return "unknown"
