"""``--lexicon FILE``, shared by the commands that speak or show what is spoken."""

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
