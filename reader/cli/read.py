"""``reader read``: listen to an article, driven by single key presses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.cli.feeds import feed_options, gather_reading
from reader.cli.spoken import lang_option, lexicon_option
from reader.cli.voices import voice_options
from reader.listen import OUTPUTS
from reader.listen.commands import help_table

if TYPE_CHECKING:
    from reader.sources import Source


def _say(line: str) -> None:
    try:
        click.echo(line)
    except OSError:
        pass  # the terminal hung up (SIGHUP): the place is saved all the same


HELP = f"""Read SOURCE aloud; single keys skip, repeat, search and pause.

Several SOURCEs, a feed (RSS, Atom), an OPML file of feeds, a text file of URLs or a
folder are read as one queue that plays on from article to article.

{help_table()}

SOURCE - reads standard input (`xclip -o | reader read -`); the keys then come from the
terminal. --feedback, --rate, --voice and --show-text default to the preferences file
(preferences.toml in reader's config directory; see README).

The place is kept per article; opening it again resumes there.
Needs a terminal and a sound device (or --audio null).
"""

#: --sleep's units, in seconds; a bare number is minutes.
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600}


class Duration(click.ParamType):
    """A length of time: ``30m``, ``1h``, ``90s`` or ``45`` (minutes); 0 is off."""

    name = "DURATION"

    def convert(self, value, param, ctx):
        if isinstance(value, int | float):
            return float(value)
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*", str(value), re.I)
        if not m:
            self.fail(f"{value!r} is not a length of time such as 30m, 1h or 90s.", param, ctx)
        return float(m.group(1)) * _UNITS[(m.group(2) or "m").lower()]


@click.command(help=HELP)
@click.argument("sources", nargs=-1)
@click.option(
    "--clipboard", is_flag=True, help="Read the text on the clipboard (instead of SOURCE)."
)
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
@click.option(
    "--feedback",
    type=click.Choice(("speech", "text", "both")),
    help="How keys are confirmed: spoken, printed (for a screen reader or braille "
    "display), or both. Default: the preferences file's, else both.",
)
@click.option(
    "--show-text/--no-show-text",
    default=None,
    help="Print each sentence as it starts, on its own line. Default: the preferences "
    "file's, else no.",
)
@click.option(
    "--sleep",
    type=Duration(),
    help="Stop at the end of the paragraph playing after this long (30m, 1h); "
    "key z steps through off, 15, 30 and 60 minutes.",
)
@lexicon_option
@lang_option
@feed_options
@click.pass_context
def read(
    ctx: click.Context,
    sources: tuple[str, ...],
    clipboard,
    voice,
    engine,
    rate,
    audio,
    from_start,
    whole_page,
    events,
    or_export,
    force,
    feedback,
    show_text,
    sleep,
    lexicons,
    lang,
    limit,
    since,
):
    from reader.listen.session import read_or_export
    from reader.preferences import load_preferences

    if bool(sources) == clipboard:
        raise click.UsageError("give a SOURCE or --clipboard (one of them).")
    prefs = load_preferences()
    feedback = feedback or prefs.feedback
    show_text = prefs.show_text if show_text is None else show_text
    if clipboard:
        from reader.sources import load_clipboard

        text: str | Source = load_clipboard()
    else:
        reading = gather_reading(sources, limit, since)
        if len(reading.items) > 1 or reading.from_feed:
            from reader.listen.queue import listen_queue

            if or_export:
                raise click.UsageError("--or-export takes one article; use reader export "
                                       "--out-dir or --format daisy for several.")
            from reader.sources import shown_url

            ended = listen_queue(  # the queue is named by its sources, without credentials
                reading, "\n".join(map(shown_url, sources)), voice=voice or prefs.voice,
                engine=engine, rate=rate or prefs.rate, audio=audio, from_start=from_start,
                whole_page=whole_page, events=events, lexicons=lexicons, echo=_say,
                feedback=feedback, show_text=show_text, sleep=sleep, language=lang,
            )  # fmt: skip
            _ending(ctx, ended)
            return
        item = reading.items[0]
        text = item.source or item.ref
    outcome = read_or_export(
        text,
        or_export,
        force=force,
        voice=voice or prefs.voice,
        engine=engine,
        rate=rate,
        default_rate=prefs.rate,
        feedback=feedback,
        show_text=show_text,
        sleep=sleep,
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
    _ending(ctx, outcome)


def _ending(ctx: click.Context, outcome) -> None:
    if outcome.reason == "end":
        _say("Finished.")
    elif outcome.reason == "sleep":
        _say(f"Sleep timer: stopped at {outcome.where}. Place saved.")
    elif outcome.reason in ("quit", "hangup"):
        _say(f"Stopped at {outcome.where}. Place saved.")
    else:
        _say(f"Stopped by {outcome.reason} at {outcome.where}. Place saved.")
    ctx.exit(outcome.exit_code)
