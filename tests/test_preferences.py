"""The preferences file, the sleep timer's durations, and how keys are said: pure code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click
import pytest

from reader.cli.read import Duration
from reader.errors import PreferencesError
from reader.listen.commands import COMMANDS, ESSENTIAL, help_lines, key_said
from reader.preferences import Preferences, load_preferences, preferences_path


@pytest.fixture
def config(tmp_path, monkeypatch):
    """An empty config directory of one's own (``XDG_CONFIG_HOME``)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("READER_ACCESSIBLE", raising=False)
    return tmp_path


def write(config, text: str):
    path = preferences_path()
    assert path == config / "reader" / "preferences.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_the_defaults(config):
    assert load_preferences() == Preferences(feedback="both", rate=None, voice=None, progress="bar")


def test_every_key(config):
    write(
        config,
        'feedback = "text"\nrate = 320\nvoice = "clear"\nprogress = "plain"\nshow_text = true\n',
    )
    assert load_preferences() == Preferences("text", 320, "clear", "plain", True)


def test_readme_example_loads(config):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = next(b for b in readme.split("```toml\n")[1:] if b.lstrip().startswith("feedback"))
    write(config, textwrap.dedent(example.split("```", 1)[0]))
    assert load_preferences() == Preferences("text", 300, "clear", "plain", True)


def test_reader_accessible_makes_plain_progress_the_default(config, monkeypatch):
    monkeypatch.setenv("READER_ACCESSIBLE", "1")
    assert load_preferences().progress == "plain"
    write(config, 'progress = "bar"\n')  # the file still says what this listener wants
    assert load_preferences().progress == "bar"
    monkeypatch.setenv("READER_ACCESSIBLE", "0")
    write(config, "")
    assert load_preferences().progress == "bar"


@pytest.mark.parametrize(
    "text, said",
    [
        ('feedback = "loud"\n', "feedback: must be one of speech, text, both, not 'loud'"),
        ("rate = 5\n", "rate: must be a whole number from"),
        ('rate = "fast"\n', "rate: must be a whole number from"),
        ("voice = 3\n", "voice: must be a voice profile's name"),
        ('progress = "dots"\n', "progress: must be one of plain, bar"),
        ('colour = "red"\n', "colour: unknown key"),
        ('show_text = "yes"\n', "show_text: must be true or false"),
        ("feedback = \n", "not valid TOML"),
        ("\xff\xfe", "not valid TOML"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_the_key(config, text, said):
    path = write(config, text)
    with pytest.raises(PreferencesError) as e:
        load_preferences()
    message = str(e.value)
    assert message.startswith(f"{path}: ") and said in message
    assert "\n" not in message and "Keys: feedback" in message


@pytest.mark.parametrize(
    "given, seconds",
    [("30m", 1800), ("1h", 3600), ("90s", 90), ("45", 2700), ("2s", 2), ("0", 0), ("15 min", 900)],
)
def test_sleep_durations(given, seconds):
    assert Duration().convert(given, None, None) == seconds


@pytest.mark.parametrize("given", ["soon", "-5m", "3d", ""])
def test_a_bad_sleep_duration_is_refused(given):
    with pytest.raises(click.BadParameter):
        Duration().convert(given, None, None)


def test_keys_said_in_words():
    assert key_said("q") == "q" and key_said("A") == "capital A"
    assert key_said("[") == "left bracket" and key_said("space") == "space"
    assert key_said(".") == "period" and key_said("@") == "commercial at"
    assert key_said("é") == "é"


def test_help_says_the_essential_keys_first():
    short, full = help_lines(short=True), help_lines()
    assert len(short) == len(ESSENTIAL) < len(full) == len(COMMANDS)
    assert {what for _, what in short} < {what for _, what in full}
    assert ("n", "next sentence") in short and ("n or right arrow", "next sentence") in full
    assert {c.name for c in COMMANDS} >= set(ESSENTIAL)
