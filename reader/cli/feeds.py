"""Options and reporting shared by the commands that take feeds (read, export)."""

from __future__ import annotations

import click

from reader.safe import for_terminal


def feed_options(f):
    """``--limit`` and ``--since``: which entries of a feed to take (read and export)."""
    f = click.option(
        "--since",
        metavar="AGE",
        help="Only feed entries published since AGE ago (24h, 90m, 2d, 1w) or a date.",
    )(f)
    return click.option(
        "--limit", type=click.IntRange(min=1), help="At most N entries of each feed, newest first."
    )(f)


def gather_reading(sources, limit: int | None, since: str | None):
    """``reader.feeds.gather`` over SOURCE..., its notes said on standard error."""
    from reader.feeds import gather, since_cutoff

    reading = gather(list(sources), limit=limit, since=since_cutoff(since) if since else None)
    for line in reading.notes:
        click.echo(for_terminal(f"Note: {line}"), err=True)
    return reading
