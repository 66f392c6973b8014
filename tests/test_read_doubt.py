"""When reader is not sure it found the article, the listener is told before it starts,
and can hear all of the page's text instead (key A, or --whole-page); export warns on
standard error.

A real ``reader read`` in a pseudo-terminal with the silent engine and the null output,
on a page whose only text is a cookie notice, next to the page's other visible text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.readpty import Session

pytestmark = [pytest.mark.audio, pytest.mark.slow]

FAST = ("--engine", "silent", "--audio", "null", "--rate", "400")
READER = str(Path(sys.executable).parent / "reader")
CONSENT = (
    "<!DOCTYPE html><html><head><title>Library stays open</title></head><body>"
    "<div class='promo'><p>Opening hours: Monday to Friday, nine to five.</p></div>"
    "<div><h2>Privacy Overview</h2>"
    "<p>This website uses cookies to improve your experience while you navigate through "
    "the website. Cookies that are categorized as necessary are stored on your browser.</p>"
    "<p>We also use third-party cookies that help us analyze how you use this website. "
    "These cookies will be stored in your browser only with your consent.</p>"
    "</div></body></html>"
)


@pytest.fixture()
def page(tmp_path) -> Path:
    path = tmp_path / "consent.html"
    path.write_text(CONSENT, encoding="utf-8")
    return path


def test_the_listener_is_warned_and_A_reads_the_whole_page(tmp_path, page):
    s = Session(tmp_path, *FAST, "--from-start", source=page)
    s.wait("start")
    warning = s.wait("warning")
    assert warning["text"].startswith("This page may not have been read correctly:")
    assert "cookie notice" in warning["text"]
    said = s.wait("say")
    assert said["text"].startswith(warning["text"]) and "capital A" in said["text"]
    first = s.wait("play")
    assert first["sentence"] == 0  # then the reading starts
    s.press("A", "whole_page")
    s.wait("start")
    assert s.wait("say")["text"] == "Reading all of the page's text"
    texts = [s.wait("play")["text"]]
    while "Opening hours" not in " ".join(texts):
        texts.append(s.press("n", "play")["text"])
    s.press("A", "say")  # already the whole page: said, nothing else changes
    s.press("q", "quit")
    assert s.finish() == 0
    assert "Press A to hear all of the page's text." in s.output


def test_whole_page_from_the_start_gives_no_warning(tmp_path, page):
    s = Session(tmp_path, *FAST, "--from-start", "--whole-page", source=page)
    s.wait("start")
    assert s.wait("say")["text"] == "Reading all of the page's text"
    s.press("q", "quit")
    assert s.finish() == 0
    assert not any(e["event"] == "warning" for e in s.events())


def test_export_warns_on_standard_error(tmp_path, page):
    out = tmp_path / "a.mp3"
    done = subprocess.run(
        [READER, "export", str(page), "-o", str(out), "--engine", "silent", "--quiet"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warning: This page may not have been read")
    assert "--whole-page" in lines[0]
    done = subprocess.run(
        [READER, "export", str(page), "-o", str(out), "--engine", "silent", "--quiet",
         "--whole-page", "--force"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
