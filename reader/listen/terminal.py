"""Key presses from a terminal. The only module that reads the terminal.

``Terminal`` puts a terminal into single-key mode (no echo, no line editing, Ctrl-C
still interrupts) and always puts the saved settings back. ``KeyReader.get`` returns
one key name at a time: a printable character as itself, or one of ``space``,
``enter``, ``backspace``, ``tab``, ``escape``, ``up``, ``down``, ``left``, ``right``,
``home``, ``end``, ``pageup``, ``pagedown``, ``insert``, ``delete``. ``decode`` does the
byte work and is pure, so it is tested without a terminal. Which key runs which command
is ``reader.listen.commands``.

Terminals send arrows, Home and End in several ways (``ESC [ A`` or ``ESC O A``;
``ESC [ H``, ``ESC [ 1 ~``, ``ESC [ 7 ~`` or ``ESC O H``; ...). A bare Escape is told
apart from the start of such a sequence by waiting ``ESCAPE_WAIT`` for more bytes.
"""

from __future__ import annotations

import codecs
import os
import select
import signal
import sys
import threading
import time
from typing import Any

from reader.errors import TerminalError

#: How long to wait after a lone ESC byte before deciding it was the Escape key.
#: Terminals send a whole sequence in one write; 50 ms also covers slow ssh links.
ESCAPE_WAIT = 0.05

_SIMPLE = {
    b" ": "space",
    b"\r": "enter",
    b"\n": "enter",
    b"\t": "tab",
    b"\x7f": "backspace",
    b"\x08": "backspace",
}
# The final byte of ESC [ ... X and ESC O X sequences.
_FINAL = {"A": "up", "B": "down", "C": "right", "D": "left", "H": "home", "F": "end"}
# The number of ESC [ n ~ sequences (vt220, xterm, rxvt, the Linux console).
_TILDE = {
    "1": "home",
    "7": "home",
    "4": "end",
    "8": "end",
    "2": "insert",
    "3": "delete",
    "5": "pageup",
    "6": "pagedown",
}


def decode(data: bytes, final: bool = True) -> tuple[list[str], bytes]:
    """Split ``data`` into key names; returns the keys and any unfinished tail.

    With ``final`` false, a trailing ESC (or unfinished sequence) is kept as the tail
    so the caller can wait for the rest; with ``final`` true a lone ESC is Escape.
    Unknown sequences are dropped whole, never read as letters.
    """
    keys: list[str] = []
    i = 0
    text = codecs.getincrementaldecoder("utf-8")("ignore")
    while i < len(data):
        byte = data[i : i + 1]
        if byte != b"\x1b":
            if byte in _SIMPLE:
                keys.append(_SIMPLE[byte])
                i += 1
                continue
            if byte[0] < 0x20:  # other control bytes have no command
                i += 1
                continue
            # A printable character, possibly several UTF-8 bytes long.
            j = i + 1
            while j < len(data) and 0x80 <= data[j] < 0xC0:
                j += 1
            char = text.decode(data[i:j], final=True)
            if char:
                keys.append(char)
            i = j
            continue
        rest = data[i + 1 :]
        if not rest:
            if final:
                keys.append("escape")
                i += 1
                continue
            return keys, data[i:]
        if rest[:1] == b"\x1b":  # ESC ESC: the first is a bare Escape
            keys.append("escape")
            i += 1
            continue
        if rest[:1] == b"O":
            if len(rest) < 2:
                if final:
                    keys.append("escape")  # Alt+O is not a command either
                    i += 2
                    continue
                return keys, data[i:]
            name = _FINAL.get(chr(rest[1]))
            if name:
                keys.append(name)
            i += 3
            continue
        if rest[:1] == b"[":
            # CSI: parameter bytes 0x30-0x3F, then one final byte 0x40-0x7E.
            j = 1
            while j < len(rest) and 0x30 <= rest[j] <= 0x3F:
                j += 1
            if j >= len(rest):
                if final:
                    i += 1 + len(rest)  # an unfinished sequence: drop it
                    continue
                return keys, data[i:]
            params, final_byte = rest[1:j].decode("ascii"), chr(rest[j])
            if final_byte == "~":
                name = _TILDE.get(params.split(";")[0])
            else:
                name = _FINAL.get(final_byte)  # modifiers (ESC [ 1 ; 5 C) keep the key
            if name:
                keys.append(name)
            i += 2 + j
            continue
        # ESC followed by a plain byte: Alt+key, which has no command.
        i += 2
    return keys, b""


class Terminal:
    """Single-key mode on a terminal for the length of a ``with`` block.

    Restores the saved settings on exit, whatever ends the block; ``restore`` may
    also be called directly (it is safe to call twice).
    """

    def __init__(self, stream: Any = None, *, controlling: bool = False) -> None:
        """Keys from ``stream`` (standard input by default) or, with ``controlling``, from
        the process's controlling terminal (``/dev/tty``): for when standard input
        carries the article. Raises ``TerminalError`` when it is not a terminal."""
        self._owned: Any = None
        if controlling:
            try:
                self._owned = open("/dev/tty", "rb", buffering=0)  # noqa: SIM115 (closed on exit)
            except OSError:
                raise TerminalError(
                    "reader read - needs a terminal for the keys: standard input carries "
                    "the article, and this process has no controlling terminal.",
                    "Run it in a terminal, or use `reader export -` to make an audio file.",
                ) from None
            stream = self._owned
        self.stream = stream if stream is not None else sys.stdin
        try:
            self.fd = self.stream.fileno()
        except (AttributeError, ValueError, OSError):
            self.fd = -1
        if self.fd < 0 or not os.isatty(self.fd):
            raise TerminalError(
                "reader read needs a terminal: standard input is not one, "
                "so key presses cannot be read.",
                "Run it in a terminal, or use `reader export SOURCE` to make an audio file.",
            )
        self._saved: list | None = None

    def __enter__(self) -> Terminal:
        import termios

        self._saved = termios.tcgetattr(self.fd)
        self._single_keys()
        if threading.current_thread() is threading.main_thread():
            self._old_tstp = signal.signal(signal.SIGTSTP, self._suspend)
        return self

    def _single_keys(self) -> None:
        import termios

        mode = termios.tcgetattr(self.fd)
        # Keep ISIG so Ctrl-C still sends SIGINT (which saves the place and exits).
        mode[3] &= ~(termios.ECHO | termios.ICANON)
        mode[6][termios.VMIN] = 1
        mode[6][termios.VTIME] = 0
        termios.tcsetattr(self.fd, termios.TCSANOW, mode)

    def _put_back(self) -> None:
        import termios

        if self._saved is None:
            return
        try:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        except (termios.error, OSError):
            pass  # the terminal has gone (SIGHUP): nothing left to restore

    def _suspend(self, signum: int, frame: object) -> None:
        # Ctrl-Z: give the shell its terminal back, stop, and take single keys again
        # when continued (fg).
        if self._saved is None:
            return
        self._put_back()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until SIGCONT
        signal.signal(signal.SIGTSTP, self._suspend)
        if self._saved is not None:
            self._single_keys()

    def restore(self) -> None:
        if self._saved is None:
            return
        self._put_back()
        self._saved = None
        old = getattr(self, "_old_tstp", None)
        if old is not None:
            signal.signal(signal.SIGTSTP, old)
            self._old_tstp = None

    def __exit__(self, *exc: object) -> None:
        self.restore()
        if self._owned is not None:
            self._owned.close()
            self._owned = None


class KeyReader:
    """Key presses from a terminal's file descriptor, one name at a time."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._pending: list[tuple[str, float]] = []
        self.closed = False

    def get(self, timeout: float | None = None) -> tuple[str, float] | None:
        """The next key and the wall-clock time its bytes arrived, or ``None`` on timeout."""
        if self._pending:
            return self._pending.pop(0)
        if self.closed or not self._wait(timeout):
            return None
        now = time.time()
        data = self._read()
        keys, tail = decode(data, final=False)
        while tail:
            if not self._wait(ESCAPE_WAIT):
                more_keys, _ = decode(tail, final=True)
                keys += more_keys
                break
            more = self._read()
            if not more:
                keys += decode(tail, final=True)[0]
                break
            extra, tail = decode(tail + more, final=False)
            keys += extra
        self._pending.extend((k, now) for k in keys)
        return self._pending.pop(0) if self._pending else None

    def _wait(self, timeout: float | None) -> bool:
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
        except InterruptedError:
            return False
        return bool(ready)

    def _read(self) -> bytes:
        try:
            data = os.read(self.fd, 256)
        except OSError:
            data = b""
        if not data:
            self.closed = True  # end of input: the terminal hung up
        return data
