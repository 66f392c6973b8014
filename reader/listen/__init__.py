"""``reader read``: one article spoken, driven by single key presses.

    session.py     ``listen`` and ``read_or_export``: wires the parts below, saves the place
    commands.py    the one command table: keys, help, README's key list
    player.py      the commands, over navigation and the sequencer
    navigation.py  where each sentence is: blocks, paragraphs, captions, find
    terminal.py    the terminal in single-key mode and the key decoder
    audio.py       the sound device (the only module that talks to miniaudio)
    state.py       resume places kept between runs
    events.py      the events file and the signals that end a session

``listen``, ``read_or_export`` and ``Outcome`` load numpy and the audio library, so
they are imported on first use (``reader read --help`` needs only the command table).
"""

from __future__ import annotations

#: The sound outputs ``--audio`` names (``audio.py`` opens them; kept here so that
#: ``reader read --help`` lists them without loading the audio library).
OUTPUTS = ("default", "pulse", "alsa", "null")

_LAZY = {"listen", "read_or_export", "Outcome"}


def __getattr__(name: str):
    if name in _LAZY:
        from reader.listen import session

        return getattr(session, name)
    raise AttributeError(f"module 'reader.listen' has no attribute {name!r}")
