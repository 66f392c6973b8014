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


def export_daisy_book(sources: list[str], output: Path | None, out_dir: Path | None,
                      options: ExportOptions, mode: str) -> None:
    """``reader export SOURCE... --format daisy -o DIR|FILE.zip``: one book of every source."""
    from reader.daisy.book import export_daisy
    from reader.daisy.validate import format_clock
    from reader.export.batch import expand_sources
    from reader.export.progress import Progress

    if out_dir is not None or output is None:
        raise click.UsageError("--format daisy writes one book: give -o FOLDER or -o FILE.zip.")
    if options.timing:
        raise click.UsageError("--timing is for audio files; a DAISY book keeps its timing "
                               "in its SMIL files.")
    expanded = expand_sources(sources)
    progress = None if mode == "quiet" else (lambda label: Progress(label, mode))
    result = export_daisy(expanded, output, options, progress=progress)
    from reader.cli.export import warn

    # The book's own title section comes first when it holds several articles.
    for source, article in zip(expanded, result.articles[-len(expanded):], strict=True):
        warn(article.warning, f"{source}: ")
    if mode != "quiet":
        n = len(expanded)
        click.echo(f"Wrote DAISY 2.02 book {result.path}: {n} article{'s' * (n != 1)}, "
                   f"{result.sections} sections, total time {format_clock(result.duration)}")
