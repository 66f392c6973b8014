"""``reader read``: listen to an article, driven by single key presses."""

from __future__ import annotations

from pathlib import Path

import click

from reader.cli.spoken import lang_option, lexicon_option
from reader.cli.voices import voice_options
from reader.listen import OUTPUTS
from reader.listen.commands import help_table


def _say(line: str) -> None:
    try:
        click.echo(line)
    except OSError:
        pass  # the terminal hung up (SIGHUP): the place is saved all the same


HELP = f"""Read SOURCE aloud; single keys skip, repeat, search and pause.

{help_table()}

The place is kept per article; opening it again resumes there.
Needs a terminal and a sound device (or --audio null).
"""


@click.command(help=HELP)
@click.argument("source")
@voice_options
@click.option(
    "--audio",
    type=click.Choice(OUTPUTS),
    default="default",
    show_default=True,
    help="Where sound goes; null is a silent sink that plays in real time.",
)
@click.option("--from-start", is_flag=True, help="Ignore the saved place and start at the top.")
@click.option(
    "--whole-page",
    is_flag=True,
    help="Read all of a web page's visible text, not just the article reader finds in it.",
)
@click.option(
    "--events",
    type=click.Path(dir_okay=False),
    help="Write one JSON line per event (key, play, pause, ...) to this file.",
)
@click.option(
    "--or-export",
    "or_export",
    type=click.Path(dir_okay=False),
    help="Where there is no sound device, export the article to this audio file instead.",
)
@click.option("--force", is_flag=True, help="With --or-export, replace an existing file.")
@lexicon_option
@lang_option
@click.pass_context
def read(
    ctx: click.Context,
    source: str,
    voice,
    engine,
    rate,
    audio,
    from_start,
    whole_page,
    events,
    or_export,
    force,
    lexicons,
    lang,
):
    from reader.listen.session import read_or_export

    outcome = read_or_export(
        source,
        or_export,
        force=force,
        voice=voice,
        engine=engine,
        rate=rate,
        audio=audio,
        from_start=from_start,
        whole_page=whole_page,
        events=events,
        lexicons=lexicons,
        language=lang,
        echo=_say,
    )
    if isinstance(outcome, Path):
        _say(f"No sound device, so the article was exported to {outcome} instead.")
        return
    if outcome.reason == "end":
        _say("Finished.")
    elif outcome.reason in ("quit", "hangup"):
        _say(f"Stopped at {outcome.where}. Place saved.")
    else:
        _say(f"Stopped by {outcome.reason} at {outcome.where}. Place saved.")
    ctx.exit(outcome.exit_code)
