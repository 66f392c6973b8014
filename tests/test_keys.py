"""Key decoding: the byte sequences terminals really send, and single-key mode."""

from __future__ import annotations

import os
import pty
import termios

import pytest

from reader.errors import TerminalError
from reader.listen.commands import COMMANDS, KEYMAP, help_lines
from reader.listen.terminal import KeyReader, Terminal, decode

SEQUENCES = [
    # (bytes, keys) as xterm, vt100/vt220, rxvt, the Linux console and tmux send them
    (b"\x1b[A", ["up"]),
    (b"\x1b[B", ["down"]),
    (b"\x1b[C", ["right"]),
    (b"\x1b[D", ["left"]),
    (b"\x1bOA", ["up"]),  # application cursor mode
    (b"\x1bOD", ["left"]),
    (b"\x1b[H", ["home"]),
    (b"\x1b[F", ["end"]),
    (b"\x1bOH", ["home"]),
    (b"\x1bOF", ["end"]),
    (b"\x1b[1~", ["home"]),
    (b"\x1b[4~", ["end"]),
    (b"\x1b[7~", ["home"]),  # rxvt
    (b"\x1b[8~", ["end"]),
    (b"\x1b[5~", ["pageup"]),
    (b"\x1b[3~", ["delete"]),
    (b"\x1b[1;5C", ["right"]),  # Ctrl+Right keeps the key
    (b"\x1b", ["escape"]),
    (b"\x1b\x1b[A", ["escape", "up"]),
    (b" ", ["space"]),
    (b"\r", ["enter"]),
    (b"\n", ["enter"]),
    (b"\x7f", ["backspace"]),
    (b"nn]p", ["n", "n", "]", "p"]),
    (b"gG+-/?bBq", ["g", "G", "+", "-", "/", "?", "b", "B", "q"]),
    ("é".encode(), ["é"]),
    (b"\x1b[15~", []),  # F5: no command, and not read as letters
    (b"\x1b[2~x", ["insert", "x"]),
    (b"\x1bx", []),  # Alt+x
    (b"\x01", []),  # Ctrl+A
]


@pytest.mark.parametrize("data, keys", SEQUENCES)
def test_decode(data, keys):
    assert decode(data)[0] == keys


def test_unfinished_sequence_is_kept_for_later():
    assert decode(b"n\x1b", final=False) == (["n"], b"\x1b")
    assert decode(b"\x1b[", final=False) == ([], b"\x1b[")
    assert decode(b"\x1b[1", final=False) == ([], b"\x1b[1")
    assert decode(b"\x1b[1~", final=False) == (["home"], b"")


def test_the_command_table_is_the_players_commands_and_no_key_is_bound_twice():
    from reader.listen.player import Player

    methods = {n.removeprefix("cmd_") for n in dir(Player) if n.startswith("cmd_")}
    assert {c.name for c in COMMANDS} == methods
    assert set(KEYMAP.values()) == methods
    assert len(KEYMAP) == sum(len(c.keys) for c in COMMANDS)  # a key bound twice is lost


def test_help_lists_every_command_in_words():
    lines = help_lines()
    assert len(lines) == len(COMMANDS)
    assert ("space", "pause or resume") in lines
    assert ("capital G or End", "last paragraph") in lines
    assert all(keys and what for keys, what in lines)


def test_not_a_terminal(tmp_path):
    with open(tmp_path / "f", "w+") as f, pytest.raises(TerminalError, match="terminal"):
        Terminal(f)


def test_single_key_mode_and_restore():
    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        with open(slave, "rb", buffering=0, closefd=False) as stream:
            with Terminal(stream) as term:
                mode = termios.tcgetattr(slave)
                assert not mode[3] & termios.ICANON and not mode[3] & termios.ECHO
                assert mode[3] & termios.ISIG  # Ctrl-C still interrupts
                reader = KeyReader(term.fd)
                os.write(master, b"\x1b[Dn")
                assert reader.get(1.0)[0] == "left"
                assert reader.get(1.0)[0] == "n"
                os.write(master, b"\x1b")
                assert reader.get(1.0)[0] == "escape"  # after ESCAPE_WAIT
                os.write(master, b"\x1bO")
                os.write(master, b"H")
                assert reader.get(1.0)[0] == "home"
                assert reader.get(0.05) is None
        assert termios.tcgetattr(slave) == before
    finally:
        os.close(master)
        os.close(slave)


def test_cli_offers_every_audio_output_and_each_has_a_backend():
    from reader.cli.read import read
    from reader.listen import OUTPUTS
    from reader.listen.audio import _BACKENDS

    option = next(p for p in read.params if p.name == "audio")
    assert tuple(option.type.choices) == OUTPUTS  # type: ignore[attr-defined]
    assert set(OUTPUTS) == {"default", *_BACKENDS}
