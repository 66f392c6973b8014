"""``--lexicon FILE`` and ``--lang CODE``, shared by the commands that speak or show what
is spoken."""

from __future__ import annotations

from collections.abc import Callable

import click


def lexicon_option(f: Callable) -> Callable:
    """Add ``--lexicon FILE`` (repeatable), passed on as ``lexicons``: a tuple of paths."""
    return click.option(
        "--lexicon",
        "lexicons",
        multiple=True,
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="A pronunciation lexicon (.toml or .pls), applied after the voice profile's "
        "and your config folder's; repeat for more.",
    )(f)


def _check_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from reader.language import check_code

    return check_code(value)


def lang_option(f: Callable) -> Callable:
    """Add ``--lang CODE``, passed on as ``lang``: the language every block is read in,
    whatever the page says (an unknown code is one ``Error:`` line with close matches)."""
    return click.option(
        "--lang",
        "lang",
        metavar="CODE",
        callback=_check_lang,
        help="Read the article in this language (an ISO 639-1 code such as de, fr, es), "
        "whatever the page declares or its text looks like.",
    )(f)
