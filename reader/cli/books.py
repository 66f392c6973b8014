"""``reader export SOURCE... --format daisy|epub -o BOOK``: one talking book of every
article, a DAISY 2.02 book (``reader.daisy``) or an EPUB 3 with media overlays
(``reader.epub``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from reader.export.exporter import ExportOptions

#: Each book format: what it is called, the output it takes, where its timing lives.
BOOKS = {
    "daisy": ("DAISY 2.02 book", "-o FOLDER or -o FILE.zip", "in its SMIL files"),
    "epub": ("EPUB 3 book", "-o BOOK.epub", "in its media overlays"),
}


def book_format(fmt: str | None, output: Path | None) -> str | None:
    """``daisy`` or ``epub`` when the export makes one book (``--format``, or no format
    and an output named ``*.epub``), else ``None``."""
    if fmt is not None:
        return fmt.lower() if fmt.lower() in BOOKS else None
    return "epub" if output is not None and output.suffix.lower() == ".epub" else None


def export_book(kind: str, reading, output: Path | None, out_dir: Path | None,
                options: ExportOptions, mode: str) -> None:
    """One book of every article of ``reading`` (``reader.feeds.Reading``), named and
    dated by its feed where it comes from one."""
    from reader.cli.export import warn
    from reader.daisy.validate import format_clock
    from reader.export.progress import Progress

    name, takes, timing = BOOKS[kind]
    if out_dir is not None or output is None:
        raise click.UsageError(f"--format {kind} writes one book: give {takes}.")
    if options.timing:
        raise click.UsageError(f"--timing is for audio files; a book keeps its timing {timing}.")
    from reader.daisy.book import check_daisy_target, write_daisy
    from reader.epub.book import check_epub_target, write_epub

    writers: dict[str, tuple[Any, Any]] = {
        "daisy": (check_daisy_target, write_daisy),
        "epub": (check_epub_target, write_epub),
    }
    check, write = writers[kind]
    check(output, options.force)  # before any slow fetching or rendering
    articles = book_articles(reading, options)
    progress = None if mode == "quiet" else (lambda label: Progress(label, mode))
    date = reading.date.date() if reading.date else None
    result = write(articles, output, options, progress=progress, title=reading.title, date=date)
    # A DAISY book of several articles has its own title section first.
    for (_, source), done in zip(articles, result.articles[-len(articles):], strict=True):
        warn(done.warning, f"{source}: ")
    if mode != "quiet":
        n = len(articles)
        if kind == "daisy":
            parts = f"{result.sections} sections"
        else:
            parts = f"{sum(len(a.timeline.cues) for a in result.articles)} sentences read aloud"
        click.echo(f"Wrote {name} {result.path}: {n} article{'s' * (n != 1)}, {parts}, "
                   f"total time {format_clock(result.duration)}")


def book_articles(reading, options: ExportOptions) -> list:
    """Every article of ``reading`` (``reader.feeds.Reading``) fetched and parsed, as
    (article, source name) for one book (DAISY or EPUB). An article that cannot be read
    is said on stderr and left out when there are others; none at all is an error."""
    from reader.errors import ExportError, ReaderError
    from reader.feeds import fetch_all
    from reader.language import forced
    from reader.pipeline import load_article
    from reader.safe import for_terminal

    articles = []
    for item, got in fetch_all(list(reading.items)):
        try:
            if isinstance(got, ReaderError):
                raise got
            article = load_article(got, whole_page=options.whole_page)[1]
            if options.language:  # --lang: every block read in it, as for one article
                article = forced(article, options.language)
            articles.append((article, got.name))
        except ReaderError as e:
            if len(reading.items) == 1:
                raise
            click.echo(for_terminal(f"Skipped {item.ref}: {e}"), err=True)
    if not articles:
        raise ExportError("none of the articles could be read, so no book was written.")
    return articles
