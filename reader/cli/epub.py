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


def export_epub_book(sources: list[str], output: Path | None, out_dir: Path | None,
                     options: ExportOptions, mode: str) -> None:
    from reader.cli.export import warn
    from reader.daisy.validate import format_clock
    from reader.epub.book import export_epub
    from reader.export.batch import expand_sources
    from reader.export.progress import Progress

    if out_dir is not None or output is None:
        raise click.UsageError("--format epub writes one book: give -o BOOK.epub.")
    if options.timing:
        raise click.UsageError("--timing is for audio files; an EPUB keeps its timing in its "
                               "media overlays.")
    expanded = expand_sources(sources)
    progress = None if mode == "quiet" else (lambda label: Progress(label, mode))
    result = export_epub(expanded, output, options, progress=progress)
    for source, article in zip(expanded, result.articles, strict=True):
        warn(article.warning, f"{source}: ")
    if mode != "quiet":
        n = len(expanded)
        sentences = sum(len(a.timeline.cues) for a in result.articles)
        click.echo(f"Wrote EPUB 3 book {result.path}: {n} article{'s' * (n != 1)}, "
                   f"{sentences} sentences read aloud, total time {format_clock(result.duration)}")
