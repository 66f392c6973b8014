"""The listener's preferences: what they would otherwise type every time.

One TOML file, ``preferences.toml`` in the user's config directory
(``$XDG_CONFIG_HOME/reader`` on Linux; ``reader.speech.profiles.config_dir``)::

    feedback = "text"     # speech | text | both: how reader read confirms a key
    rate = 300            # words a minute
    voice = "clear"       # a voice profile's name, or a path to a .toml file
    progress = "plain"    # plain | bar: how reader export shows its progress
    show_text = true      # reader read prints each sentence as it starts

Every key is optional; a command-line option overrides the file. The environment
variable ``READER_ACCESSIBLE=1`` makes plain progress lines the default (as ``--accessible``
does for one export). A missing file is no preferences; a broken one, an unknown key or a
bad value raises ``PreferencesError`` naming the file and the key, in one line.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.errors import PreferencesError
from reader.speech.profiles import MAX_RATE, MIN_RATE, config_dir

FILE_NAME = "preferences.toml"
#: How ``reader read`` confirms a key: spoken, printed (for a screen reader or a braille
#: display, which then has the terminal to itself), or both.
FEEDBACK = ("speech", "text", "both")
#: How ``reader export`` shows progress: plain lines every few seconds, or a bar redrawn
#: in place on a terminal (plain lines elsewhere).
PROGRESS = ("plain", "bar")
#: Values of ``READER_ACCESSIBLE`` that turn it on.
ON = ("1", "true", "yes", "on")
#: Largest preferences file read: it holds four short lines.
MAX_BYTES = 16 * 1024


@dataclass(frozen=True)
class Preferences:
    """The preferences in force; ``None`` where nothing was chosen."""

    feedback: str = "both"
    rate: int | None = None
    voice: str | None = None
    progress: str = "bar"
    show_text: bool = False


def preferences_path() -> Path:
    """Where the preferences file is (whether or not it exists)."""
    return config_dir() / FILE_NAME


def accessible_env() -> bool:
    """Whether ``READER_ACCESSIBLE`` asks for plain, screen-reader-friendly output."""
    return os.environ.get("READER_ACCESSIBLE", "").strip().lower() in ON


def load_preferences(path: Path | None = None) -> Preferences:
    """The preferences from ``path`` (default: ``preferences_path()``), with the
    defaults for what the file does not say. Raises ``PreferencesError``."""
    path = path or preferences_path()
    default_progress = "plain" if accessible_env() else "bar"
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Preferences(progress=default_progress)
    except OSError as e:
        raise PreferencesError(f"{path}: cannot read it ({e.strerror}).") from None
    if len(raw) > MAX_BYTES:
        raise PreferencesError(
            f"{path}: larger than {MAX_BYTES // 1024} KB, not a preferences file."
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise PreferencesError(f"{path}: not valid TOML ({e}).", _HINT) from None
    return _parse(data, path, default_progress)


_HINT = (
    f"Keys: feedback ({', '.join(FEEDBACK)}), rate, voice, progress ({', '.join(PROGRESS)}), "
    "show_text (true or false)."
)


def _parse(data: dict[str, Any], path: Path, default_progress: str) -> Preferences:
    def fail(key: str, why: str) -> PreferencesError:
        return PreferencesError(f"{path}: {key}: {why}.", _HINT)

    for key in data:
        if key not in ("feedback", "rate", "voice", "progress", "show_text"):
            raise fail(key, "unknown key")
    feedback = data.get("feedback", "both")
    if feedback not in FEEDBACK:
        raise fail("feedback", f"must be one of {', '.join(FEEDBACK)}, not {feedback!r}")
    progress = data.get("progress", default_progress)
    if progress not in PROGRESS:
        raise fail("progress", f"must be one of {', '.join(PROGRESS)}, not {progress!r}")
    rate = data.get("rate")
    if rate is not None and (
        isinstance(rate, bool) or not isinstance(rate, int) or not MIN_RATE <= rate <= MAX_RATE
    ):
        raise fail("rate", f"must be a whole number from {MIN_RATE} to {MAX_RATE}, not {rate!r}")
    voice = data.get("voice")
    if voice is not None and (not isinstance(voice, str) or not voice.strip()):
        raise fail("voice", f"must be a voice profile's name or path, not {voice!r}")
    show_text = data.get("show_text", False)
    if not isinstance(show_text, bool):
        raise fail("show_text", f"must be true or false, not {show_text!r}")
    return Preferences(
        feedback=feedback,
        rate=rate,
        voice=voice.strip() if voice else None,
        progress=progress,
        show_text=show_text,
    )
