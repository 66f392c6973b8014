"""The one table of ``reader read``'s commands: each command's keys and what it does.

Everything else is made from ``COMMANDS``: the key map the player looks keys up in
(``KEYMAP``), the lines ``?`` prints and says (``help_lines``), ``reader read --help``
(``help_table``) and README's key list (``readme_keys``; a test checks README against
it, ``python -m reader.listen.commands`` prints it). Adding a key is one line here;
adding a command is one line here and its ``cmd_<name>`` method on
``reader.listen.player.Player``.

Key names are those ``reader.listen.terminal.KeyReader`` gives: a printable character
as itself (letters are case-sensitive: b and B differ), or ``space``, ``right``, ...
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One command: ``Player.cmd_<name>`` runs it."""

    name: str
    keys: tuple[str, ...]
    """Every key that runs it, the main one first."""
    does: str
    """What it does, in words for the spoken and printed help."""


COMMANDS: tuple[Command, ...] = (
    Command("pause", ("space",), "pause or resume"),
    Command("next", ("n", "right"), "next sentence"),
    Command("previous", ("p", "left"), "previous sentence, or the start of this one"),
    Command("next_paragraph", ("]", "down"), "next paragraph"),
    Command("previous_paragraph", ("[", "up"), "previous paragraph"),
    Command("repeat", ("r",), "repeat the sentence"),
    Command("headline", ("h",), "headline"),
    Command("caption", ("c",), "next image caption"),
    Command("next_heading", (".",), "next heading"),
    Command("previous_heading", (",",), "previous heading"),
    Command("skip_table", ("t",), "skip the table"),
    Command("summary", ("s",), "summary"),
    Command("first_paragraph", ("g", "home"), "first paragraph"),
    Command("last_paragraph", ("G", "end"), "last paragraph"),
    Command("faster", ("+", "="), "faster"),  # = is + without Shift on most layouts
    Command("slower", ("-",), "slower"),
    Command("where", ("w",), "where am I"),
    Command("find", ("/",), "find text, then Enter"),
    Command("bookmark", ("b",), "set a bookmark"),
    Command("back_to_bookmark", ("B",), "back to the bookmark"),
    Command("whole_page", ("A",), "read all of the page's text, not just the article"),
    Command("sleep", ("z",), "sleep timer: off, 15, 30 or 60 minutes"),
    Command("next_article", ("N",), "next article (reading several)"),
    Command("previous_article", ("P",), "previous article"),
    Command("article_list", ("l",), "list of articles, then Enter to go to one"),
    Command("help", ("?",), "this list"),
    Command("quit", ("q", "escape"), "quit and keep the place"),
)

#: The commands ``?`` says first; ``?`` again says every command.
ESSENTIAL = ("pause", "next", "next_paragraph", "previous_paragraph", "where", "find", "quit")

#: Key name -> command name, for the player.
KEYMAP: dict[str, str] = {key: c.name for c in COMMANDS for key in c.keys}

#: How a key is said and printed, where its name is not already a word.
SPOKEN = {
    "space": "space",
    "right": "right arrow",
    "left": "left arrow",
    "up": "up arrow",
    "down": "down arrow",
    "home": "Home",
    "end": "End",
    "escape": "Escape",
    "]": "right bracket",
    "[": "left bracket",
    ".": "period",
    ",": "comma",
    "+": "plus",
    "=": "equals",
    "-": "minus",
    "/": "slash",
    "?": "question mark",
}
#: How a key is shown in a table (README, --help).
SHOWN = {
    "right": "Right",
    "left": "Left",
    "up": "Up",
    "down": "Down",
    "home": "Home",
    "end": "End",
    "escape": "Esc",
}


def _said(key: str) -> str:
    if key in SPOKEN:
        return SPOKEN[key]
    return f"capital {key}" if key.isupper() else key


def key_said(key: str) -> str:
    """How any key is said and printed: "q", "capital A", "left bracket", and a
    character with no name here by its Unicode name ("full stop", "comma")."""
    said = _said(key)
    if said == key and len(key) == 1 and not key.isalnum() and not key.isspace():
        return unicodedata.name(key, key).lower()
    return said


def key_for(name: str) -> tuple[str, str]:
    """The main key of command ``name``, as shown and as said: ``("A", "capital A")``."""
    key = next(c.keys[0] for c in COMMANDS if c.name == name)
    return SHOWN.get(key, key), _said(key)


def help_lines(short: bool = False) -> list[tuple[str, str]]:
    """(keys in words, what they do), in table order: what ``?`` prints and says
    (``short``: only the ``ESSENTIAL`` commands, each by its main key)."""
    return [
        (" or ".join(_said(k) for k in (c.keys[:1] if short else c.keys)), c.does)
        for c in COMMANDS
        if not short or c.name in ESSENTIAL
    ]


def _shown(c: Command) -> str:
    return ", ".join(SHOWN.get(k, k) for k in c.keys)


def help_table() -> str:
    """The key table for ``reader read --help`` (a click ``\\b`` block: kept as is)."""
    width = max(len(_shown(c)) for c in COMMANDS) + 2
    return "\b\n" + "\n".join(f"{_shown(c):<{width}}{c.does}" for c in COMMANDS)


def readme_keys() -> str:
    """README's key list (a Markdown table), exactly as README.md holds it."""
    rows = [f"| {' '.join(f'`{SHOWN.get(k, k)}`' for k in c.keys)} | {c.does} |" for c in COMMANDS]
    return "\n".join(["| Keys | Command |", "| --- | --- |", *rows])


if __name__ == "__main__":
    print(readme_keys())
