"""The one error tree of reader.

Every error reader raises on purpose is a ``ReaderError``; the CLI prints it as one
line, ``Error: <message>``, and exits with its ``exit_code``. Anything else escaping
the library is a bug.

    ReaderError
     ├── SourceError          the input could not be read (file, stdin, URL)
     │    └── FetchError      a URL could not be fetched (network, HTTP status, type)
     ├── ParseError           the input holds no article text
     ├── VoiceError           a voice profile is missing, broken or invalid
     ├── EngineError          a speech engine is missing or failed to synthesise
     ├── AudioError           audio could not be played (no device, backend failure)
     ├── TerminalError        key presses cannot be read (standard input is not a terminal)
     ├── ExportError          an output file could not be written
     ├── DaisyError           a DAISY book breaks a rule (validation)
     ├── LexiconError         a pronunciation lexicon is missing, broken or unsafe
     └── PreferencesError     the preferences file is broken or holds a bad value
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error reader raises on purpose; ``str()`` is one plain line."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class SourceError(ReaderError):
    """The input could not be read: missing file, directory, binary data, bad encoding."""


class FetchError(SourceError):
    """A URL could not be fetched: unreachable host, timeout, HTTP error, wrong type."""

    transient = False
    """Worth one more try a little later: a busy server (429, 5xx) or a refused connection."""
    retry_after: float | None = None
    """Seconds the server asked to wait before trying again (``Retry-After``), if it did."""


class ParseError(ReaderError):
    """The input was read but holds no article text."""


class VoiceError(ReaderError):
    """A voice profile is missing, broken or names something that does not exist."""


class EngineError(ReaderError):
    """A speech engine is not installed, not working, or failed to synthesise."""


class AudioError(ReaderError):
    """Audio could not be played: no sound device, or the backend failed."""


class TerminalError(ReaderError):
    """Standard input is not a terminal, so single key presses cannot be read."""


class ExportError(ReaderError):
    """An output file could not be written."""


class DaisyError(ReaderError):
    """A DAISY book breaks a rule that reader's validator checks."""


class LexiconError(ReaderError):
    """A pronunciation lexicon cannot be read, or an entry is invalid or unsafe."""


class PreferencesError(ReaderError):
    """The preferences file cannot be read, or a key in it is unknown or has a bad value."""
