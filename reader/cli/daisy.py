"""``reader validate-daisy``: check a DAISY 2.02 talking book."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.errors import DaisyError

if TYPE_CHECKING:
    from reader.export.exporter import ExportOptions


@click.command("validate-daisy")
@click.argument("book", type=click.Path(exists=False))
def validate_daisy_command(book: str) -> None:
    """Check the DAISY 2.02 book in folder (or zip) BOOK: metadata, NCC links, text ids,
    audio clips and timing. Prints one line per problem and exits non-zero if any."""
    from reader.daisy.validate import format_clock, validate_daisy

    report = validate_daisy(book)
    if report.problems:
        for line in report.problems:
            click.echo(line)
        n = len(report.problems)
        raise DaisyError(f"{book} is not a valid DAISY 2.02 book: {n} problem{'s' * (n != 1)}.")
    n = len(report.sections)
    click.echo(f"Valid DAISY 2.02 book: {n} section{'s' * (n != 1)}, "
               f"total time {format_clock(report.total_time)}")


def export_daisy_book(reading, output: Path | None, out_dir: Path | None,
                      options: ExportOptions, mode: str) -> None:
    """``reader export SOURCE... --format daisy -o DIR|FILE.zip``: one book of every
    article of ``reading`` (``reader.feeds.Reading``), named and dated by its feed. An
    article that cannot be read is said and left out when there are others."""
    from reader.daisy.book import check_daisy_target, write_daisy
    from reader.daisy.validate import format_clock
    from reader.export.progress import Progress

    if out_dir is not None or output is None:
        raise click.UsageError("--format daisy writes one book: give -o FOLDER or -o FILE.zip.")
    if options.timing:
        raise click.UsageError("--timing is for audio files; a DAISY book keeps its timing "
                               "in its SMIL files.")
    check_daisy_target(output, options.force)  # before any slow fetching or rendering
    articles = book_articles(reading, options)
    progress = None if mode == "quiet" else (lambda label: Progress(label, mode))
    date = reading.date.date() if reading.date else None
    result = write_daisy(articles, output, options, progress=progress, title=reading.title,
                         date=date)
    from reader.cli.export import warn

    # The book's own title section comes first when it holds several articles.
    for (_, source), done in zip(articles, result.articles[-len(articles):], strict=True):
        warn(done.warning, f"{source}: ")
    if mode != "quiet":
        n = len(articles)
        click.echo(f"Wrote DAISY 2.02 book {result.path}: {n} article{'s' * (n != 1)}, "
                   f"{result.sections} sections, total time {format_clock(result.duration)}")


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
