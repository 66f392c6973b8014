"""``reader read`` as a listener meets it, in a pseudo-terminal with the event log: the
article on standard input (a file, a pipe, the clipboard), the feedback channels and the
preferences file, find's echo, the two-step help, --show-text and the sleep timer.

The ``silent`` engine (clips last words x 60 / rate seconds) and the ``null`` output (a
real-time silent sink) keep a session to seconds; the engine fallback uses espeak-ng.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

import reader
from reader.segment import segment_article
from reader.speech.engines import engine_problem
from tests.readpty import Session

pytestmark = [pytest.mark.audio, pytest.mark.slow]

RATE = 400
FAST = ("--engine", "silent", "--audio", "null", "--rate", str(RATE))
TEXT = Path(reader.__file__).parent / "data" / "mali.txt"
#: Paragraphs of several sentences, so that a paragraph's end is not every sentence's.
SLEEPY = """Sleepy news

The first paragraph starts here today. It goes on for a while longer. Then it ends.

The second paragraph is short. It has two sentences.

The third paragraph follows. It says a little more. And stops.

The fourth paragraph is the last one. Goodbye for now.
"""


def sentences_of(path: Path):
    return segment_article(reader.parse_source(str(path)))


def isolated(tmp_path: Path, **extra: str) -> dict:
    """An environment with a config directory of its own and no accessibility switch."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "READER_ACCESSIBLE": "", **extra}
    return env


def quit_(s: Session) -> int:
    s.press("q", "quit")
    return s.finish()


# -- the article on standard input, keys from the terminal -------------------------------


def test_a_piped_article_takes_keys_from_the_terminal(tmp_path):
    # `cat article.txt | reader read -` in a terminal: a pipe on stdin, keys from /dev/tty.
    sentences = sentences_of(TEXT)
    s = Session(tmp_path, *FAST, source="-", pipe=f"cat '{TEXT}'", env=isolated(tmp_path))
    assert s.wait("start")["sentences"] == len(sentences)
    assert s.wait("play")["text"] == sentences[0].text
    assert s.press("n", "play")["sentence"] == 1
    assert s.press("]", "key")["command"] == "next_paragraph"
    assert quit_(s) == 0
    assert "Place saved" in s.output


def test_a_text_file_on_standard_input(tmp_path):
    # `reader read - < article.txt`
    s = Session(tmp_path, *FAST, source="-", stdin=TEXT, env=isolated(tmp_path))
    assert s.wait("start")["sentences"] == len(sentences_of(TEXT))
    assert s.wait("play")["sentence"] == 0
    assert s.press("n", "play")["sentence"] == 1
    assert quit_(s) == 0


@pytest.fixture
def x_display(tmp_path):
    """A headless X server, so that xclip has a clipboard; its DISPLAY."""
    if not (shutil.which("Xvfb") and shutil.which("xclip")):
        pytest.skip("needs Xvfb and xclip (apt-get install xvfb xclip)")
    display = f":{90 + os.getpid() % 500}"
    server = subprocess.Popen(
        ["Xvfb", display, "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    env = dict(os.environ, DISPLAY=display)
    end = time.monotonic() + 10
    while subprocess.run(["xclip", "-o"], env=env, capture_output=True).returncode not in (0, 1):
        if time.monotonic() > end:  # pragma: no cover - the server never came up
            server.kill()
            pytest.skip("Xvfb did not start")
        time.sleep(0.1)
    time.sleep(0.3)
    yield display
    server.terminate()  # the xclip that holds the selection exits with its server
    server.wait(10)


def copy(display: str, path: Path) -> None:
    """Put ``path``'s text on the clipboard, as copying it in an application would."""
    env = dict(os.environ, DISPLAY=display)
    with open(path, "rb") as f:
        subprocess.run(["xclip", "-selection", "clipboard", "-i"], stdin=f, env=env, check=True)
    got = subprocess.run(["xclip", "-selection", "clipboard", "-o"], env=env, capture_output=True)
    assert got.stdout.strip() == path.read_bytes().strip()


def test_what_was_copied_by_clipboard_or_by_a_pipe_from_xclip(tmp_path, x_display):
    copy(x_display, TEXT)
    sentences = sentences_of(TEXT)
    env = isolated(tmp_path, DISPLAY=x_display)
    env.pop("WAYLAND_DISPLAY", None)
    s = Session(tmp_path, *FAST, "--clipboard", source=None, env=env)
    assert s.wait("start")["sentences"] == len(sentences)
    assert s.wait("play")["text"] == sentences[0].text
    assert quit_(s) == 0

    s = Session(tmp_path, *FAST, source="-", pipe="xclip -selection clipboard -o", env=env)
    assert s.wait("start")["sentences"] == len(sentences)
    assert s.press("n", "play")["sentence"] == 1
    assert quit_(s) == 0

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    copy(x_display, empty)
    r = run("read", "--clipboard", *FAST, env=dict(os.environ, **env))
    assert r.returncode == 1 and r.stderr.startswith("Error: the clipboard is empty.")


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    code = "from reader.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_no_clipboard_tool_says_what_to_install(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["XDG_STATE_HOME"] = str(tmp_path)
    r = run("read", "--clipboard", *FAST, env=env)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: cannot read the clipboard")
    assert "xclip" in r.stderr and "wl-clipboard" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_source_and_clipboard_are_one_or_the_other(tmp_path):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path))
    for args in (("--clipboard", str(TEXT)), ()):
        r = run("read", *args, *FAST, env=env)
        assert r.returncode == 2 and "Error: give a SOURCE or --clipboard" in r.stderr


# -- feedback channels and the preferences file -------------------------------------------


def _where_and_an_unknown_key(s: Session, spoken: bool) -> list[dict]:
    """Press w (where am I) and x (no command) mid-sentence, then quit; the events.
    ``spoken``: wait for the sentence to go on after the spoken confirmations."""
    s.wait("play")
    s.press("w", "where")
    s.press("x", "key")
    if spoken:
        s.wait("play")
    s.child.send("q")
    s.wait("quit")
    assert s.finish() == 0
    return s.events()


def _feedback(events: list[dict]) -> tuple[list[str], list[str]]:
    return (
        [e["text"] for e in events if e["event"] == "say"],
        [e["text"] for e in events if e["event"] == "print"],
    )


@pytest.mark.parametrize("mode", ["speech", "text", "both"])
def test_each_feedback_mode(tmp_path, mode):
    # --rate 80 keeps the headline playing while the keys arrive.
    args = ("--engine", "silent", "--audio", "null", "--rate", "80", "--feedback", mode)
    s = Session(tmp_path, *args, env=isolated(tmp_path))
    events = _where_and_an_unknown_key(s, spoken=mode != "text")
    said, printed = _feedback(events)
    asked = next(n for n, e in enumerate(events) if e["event"] == "where")
    where = events[asked]["text"]
    # The sentence heard when w was pressed, played again (from where it stopped).
    resumed = [
        e
        for e in events[asked:]
        if e["event"] == "play" and e["sentence"] == events[asked]["sentence"]
    ]
    if mode in ("speech", "both"):
        assert where in said and "x does nothing. Question mark for the keys" in said
        assert resumed  # a spoken confirmation interrupts; the sentence goes on after it
    else:
        assert said == [] and resumed == []  # nothing spoken, the sentence never stopped
    if mode in ("text", "both"):
        assert f"{where}." in printed and "The key x does nothing. Press ? for the keys." in printed
        assert "The key x does nothing" in s.output
    else:
        assert printed == [] and "does nothing" not in s.output and "Reading " not in s.output
    assert "Place saved" in s.output  # the command's own last line, in every mode


def test_preferences_file_and_the_command_line_over_it(tmp_path):
    env = isolated(tmp_path)
    prefs = tmp_path / "config" / "reader" / "preferences.toml"
    prefs.parent.mkdir(parents=True)
    prefs.write_text('feedback = "text"\nrate = 300\nshow_text = true\n', encoding="utf-8")
    plain = ("--engine", "silent", "--audio", "null", "--from-start")
    headline = sentences_of(TEXT)[0].text

    s = Session(tmp_path, *plain, source=TEXT, env=env)
    assert s.wait("start")["rate"] == 300
    said, printed = _feedback(_where_and_an_unknown_key(s, spoken=False))
    assert said == [] and printed
    assert f"\n{headline}\r\n" in s.output  # show_text = true

    s = Session(tmp_path, *plain, "--feedback", "speech", "--rate", "250", "--no-show-text",
                source=TEXT, env=env)  # fmt: skip
    assert s.wait("start")["rate"] == 250
    said, printed = _feedback(_where_and_an_unknown_key(s, spoken=True))
    assert said and printed == [] and headline not in s.output

    prefs.write_text('feedback = "loud"\n', encoding="utf-8")
    r = run("read", str(TEXT), *plain, env=dict(os.environ, **env))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith(f"Error: {prefs}: feedback: must be one of speech, text, both")


def test_export_progress_is_plain_for_accessible_users(tmp_path):
    # On a terminal export draws a bar; READER_ACCESSIBLE=1, or progress = "plain" in
    # the preferences file, makes it plain lines a screen reader can read.
    def export(out: str, **extra: str) -> str:
        env = dict(os.environ, **isolated(tmp_path))
        env.update(extra)
        code = "from reader.cli import main; main()"
        argv = ["-c", code, "export", str(TEXT), "-o", str(tmp_path / out), "--engine", "silent"]
        child = pexpect.spawn(sys.executable, argv, env=env, encoding="utf-8", timeout=60)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, child.before
        return child.before

    assert "[#" in export("bar.wav")
    plain = export("plain.wav", READER_ACCESSIBLE="1")
    assert "[#" not in plain and "sentences." in plain
    prefs = tmp_path / "config" / "reader" / "preferences.toml"
    prefs.parent.mkdir(parents=True)
    prefs.write_text('progress = "plain"\n', encoding="utf-8")
    plain = export("prefs.wav")
    assert "[#" not in plain and "sentences." in plain


# -- find, help, show-text ----------------------------------------------------------------


def test_find_echoes_each_key_and_reads_the_query_back(tmp_path):
    sentences = sentences_of(TEXT)
    s = Session(tmp_path, *FAST, env=isolated(tmp_path))
    s.wait("play")
    assert s.press("/", "say")["text"] == "Find"
    s.child.expect_exact("Escape cancels.\r\n")
    echoed = []
    for key in ["s", "a", "f", "e", "X", "\x7f", " ", "h", "a", "v", "e", "n"]:
        s.child.send(key)
        e = s.wait("find_echo")
        echoed.append(e["text"])
        assert s.wait("say")["text"] == e["text"]  # spoken, as typed
        s.child.expect_exact(f"{e['text']}\r\n")  # and printed, on a line of its own
        assert s.child.before == ""
    assert echoed == [
        "s", "a", "f", "e", "capital X", "Deleted capital X", "space", "h", "a", "v", "e", "n",
    ]  # fmt: skip
    s.child.send("\r")
    found = s.wait("find")
    assert found["query"] == "safe haven" and found["found"]
    said = s.wait("say")["text"]
    assert said.startswith("Searching for safe haven. Found, ")  # the query, then the result
    s.child.expect_exact('Searching for "safe haven".')
    assert "safe haven" in sentences[found["target"]].text.lower()
    assert quit_(s) == 0


def test_help_says_a_short_list_then_the_full_one(tmp_path):
    s = Session(tmp_path, *FAST, "--feedback", "speech", env=isolated(tmp_path))
    s.wait("play")
    assert s.press("?", "help")["full"] is False
    short = s.wait("say")
    assert short["text"].startswith("Keys. ") and "again for all the keys" in short["text"]
    assert s.press("?", "help")["full"] is True
    full = s.wait("say")
    assert full["text"].startswith("All keys. ") and "sleep timer" in full["text"]
    assert short["duration"] < full["duration"] / 2
    assert s.press("?", "help")["full"] is False  # a third ? starts again
    assert quit_(s) == 0


def test_show_text_prints_each_sentence_as_it_starts(tmp_path):
    article = tmp_path / "sleepy.txt"
    article.write_text(SLEEPY, encoding="utf-8")
    sentences = sentences_of(article)
    s = Session(tmp_path, *FAST, "--show-text", "--feedback", "speech", source=article,
                env=isolated(tmp_path))  # fmt: skip
    for i in range(4):
        play = s.wait("play")
        assert play["sentence"] == i and play["offset"] == 0
        s.child.expect_exact(sentences[i].text + "\r\n")
    s.press("q", "quit")
    assert s.finish() == 0
    lines = [x.strip() for x in s.output.splitlines() if x.strip()]
    shown = [x for x in lines if x in {t.text for t in sentences}]
    assert shown == [t.text for t in sentences[4 : 4 + len(shown)]]  # one line each, in order


# -- the sleep timer ------------------------------------------------------------------------


def test_sleep_timer_stops_at_the_end_of_the_paragraph_and_keeps_the_place(tmp_path):
    article = tmp_path / "sleepy.txt"
    article.write_text(SLEEPY, encoding="utf-8")
    sentences = sentences_of(article)
    env = isolated(tmp_path)
    s = Session(tmp_path, *FAST, "--sleep", "2s", source=article, env=env)
    started = s.wait("start")["time"]
    stop = s.wait("sleep_stop")
    assert s.wait("say")["text"] == "Sleep timer. Stopped at the end of the paragraph"
    assert s.finish() == 0
    assert "Sleep timer: stopped at" in s.output and "Place saved" in s.output

    i = stop["sentence"]  # the next paragraph's first sentence: where reading resumes
    assert stop["time"] >= started + 2.0
    assert 0 < i < len(sentences) and sentences[i].block != sentences[i - 1].block
    # The first paragraph end after the timer ran out: every sentence begun after it
    # belongs to the paragraph that was playing.
    events = s.events()
    late = [e for e in events if e["event"] == "play" and e["time"] > started + 2.0]
    assert {e["block"] for e in late} <= {sentences[i - 1].block}
    assert next(e for e in events if e["event"] == "saved")["sentence"] == i

    s2 = Session(tmp_path, *FAST, source=article, env=env)
    s2.wait("resumed")
    assert s2.wait("play")["sentence"] == i
    assert quit_(s2) == 0


def test_sleep_key_cycles_off_15_30_60(tmp_path):
    s = Session(tmp_path, *FAST, "--sleep", "45m", env=isolated(tmp_path))
    s.wait("play")
    steps = [s.press("z", "sleep")["seconds"] for _ in range(5)]
    assert steps == [3600, 0, 900, 1800, 3600]  # from 45 minutes, the next step up
    said = [e["text"] for e in s.events() if e["event"] == "say"]
    assert "Sleep timer 60 minutes" in said and "Sleep timer off" in said
    assert quit_(s) == 0


# -- a voice whose engine is missing --------------------------------------------------------


@pytest.mark.speech
@pytest.mark.skipif(engine_problem("piper") is None, reason="piper is installed here")
def test_a_missing_engine_is_said_once(tmp_path):
    article = tmp_path / "short.txt"
    article.write_text("Short news\n\nOne sentence here. And another.\n", encoding="utf-8")
    s = Session(tmp_path, "--voice", "neural", "--audio", "null", source=article,
                env=isolated(tmp_path))  # fmt: skip
    told = s.wait("fallback")["text"]
    assert told.startswith("Voice neural: speaking with pyttsx3 instead of piper: ")
    assert "pip install 'reader[neural]'" in told
    said = s.wait("say")["text"]
    assert said == "Voice neural: speaking with pyttsx3 instead of piper"
    assert s.wait("play")["sentence"] == 0
    assert quit_(s) == 0
    assert sum(e["event"] == "fallback" for e in s.events()) == 1

    env = dict(os.environ, **isolated(tmp_path))
    out = tmp_path / "short.wav"
    r = run("export", str(article), "-o", str(out), "--voice", "neural", env=env)
    assert r.returncode == 0, r.stderr
    warnings = [x for x in r.stderr.splitlines() if x.startswith("Warning: Voice neural")]
    assert len(warnings) == 1 and "instead of piper" in warnings[0]
