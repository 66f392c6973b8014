"""``reader export SOURCE... --format epub -o BOOK.epub``: one EPUB 3 book of every source."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from reader.export.exporter import ExportOptions


def wants_epub(fmt: str | None, output: Path | None) -> bool:
    """``--format epub``, or no format and an output named ``*.epub``."""
    if fmt is not None:
        return fmt.lower() == "epub"
    return output is not None and output.suffix.lower() == ".epub"


def export_epub_book(reading, output: Path | None, out_dir: Path | None,
                     options: ExportOptions, mode: str) -> None:
    """One EPUB of every article of ``reading`` (``reader.feeds.Reading``), named and
    dated by its feed where it comes from one."""
    from reader.cli.daisy import book_articles
    from reader.cli.export import warn
    from reader.daisy.validate import format_clock
    from reader.epub.book import check_epub_target, write_epub
    from reader.export.progress import Progress

    if out_dir is not None or output is None:
        raise click.UsageError("--format epub writes one book: give -o BOOK.epub.")
    if options.timing:
        raise click.UsageError("--timing is for audio files; an EPUB keeps its timing in its "
                               "media overlays.")
    check_epub_target(output, options.force)  # before any slow fetching or rendering
    articles = book_articles(reading, options)
    progress = None if mode == "quiet" else (lambda label: Progress(label, mode))
    date = reading.date.date() if reading.date else None
    result = write_epub(articles, output, options, progress=progress, title=reading.title,
                        date=date)
    for (_, source), article in zip(articles, result.articles, strict=True):
        warn(article.warning, f"{source}: ")
    if mode != "quiet":
        n = len(articles)
        sentences = sum(len(a.timeline.cues) for a in result.articles)
        click.echo(f"Wrote EPUB 3 book {result.path}: {n} article{'s' * (n != 1)}, "
                   f"{sentences} sentences read aloud, total time {format_clock(result.duration)}")
