"""What text from outside may do once reader shows it: nothing.

Article text, file names, URLs and server messages come from anyone. Printed raw, a
page could drive the listener's terminal (set its title, write the clipboard with
OSC 52, clear the screen) or reorder what a braille display shows (bidi overrides).
This module is the one place that decides which characters are unsafe, for three
uses:

- ``clean_text``: text entering the parser loses the characters that are never
  text (C0 controls but tab and line breaks, DEL, U+FFFE/U+FFFF, lone surrogates),
  so nothing downstream (speech, XML, tags, cue files) meets them;
- ``TerminalSafe``: every line the CLI prints passes through it, so no escape
  sequence and no bidi override reaches the terminal whatever its source;
- ``json_text``: JSON whose strings keep all text but spell those characters as
  ``\\uXXXX`` escapes, so printing or ``cat``-ing it is safe too.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

#: Controls a terminal acts on (all C0 but tab, line feed and carriage return; DEL; all
#: C1) and the bidi embeddings, overrides and isolates that reorder a line on screen.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Characters that are never text and that XML may not hold: C0 controls (line breaks
#: and tabs stay), DEL, the noncharacters U+FFFE and U+FFFF, and lone surrogates (from a
#: bad JSON escape). C1 controls stay until the terminal: in a page they are the trace
#: of UTF-8 read as Latin-1, which the HTML parser repairs.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without the characters that are never text (see ``_NOT_TEXT``); a lone
    surrogate becomes U+FFFD so that the gap stays visible."""
    if not _NOT_TEXT.search(text):
        return text
    return _NOT_TEXT.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def for_terminal(text: str) -> str:
    """``text`` with every character a terminal could act on removed."""
    return UNSAFE.sub("", text) if UNSAFE.search(text) else text


def json_text(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, ensure_ascii=False)`` with unsafe characters escaped."""
    out = json.dumps(data, ensure_ascii=False, **kwargs)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


class TerminalSafe:
    """A text stream that passes everything written to it through ``for_terminal``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        # flush, isatty, fileno, encoding, ...; not ``buffer``: bytes written there
        # would go round the filter.
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)
