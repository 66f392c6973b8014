"""``reader validate-daisy``: check a DAISY 2.02 talking book."""

from __future__ import annotations

import click

from reader.errors import DaisyError


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

