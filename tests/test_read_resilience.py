"""Signals save the place and restore the terminal; bad set-ups fail with one clear line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import termios
import time

import pytest

from reader.listen.audio import list_outputs
from tests.readpty import SEED, Session
from tests.support import Handler

pytestmark = [pytest.mark.audio, pytest.mark.speech, pytest.mark.slow]

FAST = ("--engine", "silent", "--audio", "null", "--rate", "400")


def lflag(session: Session) -> int:
    # On Linux the master side of a pty reports the settings of its terminal (the slave).
    return termios.tcgetattr(session.child.child_fd)[3]


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM])
def test_signal_saves_the_place_and_restores_the_terminal(tmp_path, sig):
    s = Session(tmp_path, *FAST)
    s.wait("play")
    assert not lflag(s) & (termios.ICANON | termios.ECHO)  # single-key mode is on
    s.press("n", "play")
    here = s.press("n", "play")["sentence"]
    os.kill(s.child.pid, sig)
    assert s.wait("interrupted")["signal"] == sig.name
    assert s.wait("saved")["sentence"] == here
    assert s.finish() == 128 + sig  # exited by itself, with the conventional status
    mode = s.final_mode[3]
    assert mode & termios.ICANON and mode & termios.ECHO  # settings put back

    again = Session(tmp_path, *FAST)
    assert again.wait("resumed")["sentence"] == here
    again.press("q", "quit")
    assert again.finish() == 0


def test_a_kill_that_cannot_be_caught_loses_at_most_the_current_paragraph(tmp_path):
    s = Session(tmp_path, *FAST)
    s.wait("play")
    s.press("]", "play")
    here = s.press("]", "play")["sentence"]  # the first sentence of a new paragraph
    s.press("n", "play")
    os.kill(s.child.pid, signal.SIGKILL)
    s.child.wait()

    again = Session(tmp_path, *FAST)
    assert again.wait("resumed")["sentence"] == here
    again.press("q", "quit")
    assert again.finish() == 0


def test_ctrl_c_from_the_keyboard_with_real_speech(tmp_path):
    # Ctrl-C signals the whole foreground process group.
    s = Session(tmp_path, "--audio", "null")  # the default engine, pyttsx3
    s.wait("play")
    s.press(" ", "pause")
    s.wait("say", text="Paused")  # a phrase, spoken by the second engine
    s.child.sendintr()
    assert s.wait("interrupted")["signal"] == "SIGINT"
    assert s.finish() == 130
    assert "Traceback" not in s.output and "Place saved" in s.output
    assert s.final_mode[3] & termios.ICANON


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    code = "from reader.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, **kw
    )


def test_standard_input_not_a_terminal(tmp_path):
    r = run(
        "read",
        str(SEED),
        *FAST,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ, XDG_STATE_HOME=str(tmp_path)),
    )
    assert r.returncode != 0
    assert r.stderr.startswith("Error: ") and "terminal" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def no_sound_device() -> bool:
    return not next(o for o in list_outputs() if o.name == "default").available


@pytest.mark.skipif(not no_sound_device(), reason="this machine has a sound device")
def test_no_sound_device_suggests_export(tmp_path):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path))
    r = run("read", str(SEED), "--engine", "silent", stdin=subprocess.DEVNULL, env=env)
    assert r.returncode != 0
    assert r.stderr.startswith("Error: no sound device") and "reader export" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1  # no ALSA chatter


@pytest.mark.skipif(not no_sound_device(), reason="this machine has a sound device")
def test_or_export_writes_the_file_instead(tmp_path):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path))
    out = tmp_path / "mali.wav"
    r = run("read", str(SEED), "--engine", "silent", "--or-export", str(out), env=env)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 44 and "exported to" in r.stdout


def test_or_export_uses_the_article_already_read(tmp_path, server):
    # One read path: the fallback exports what the listener had, so standard input is
    # read once (it was "standard input is empty") and a URL is fetched once.
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path))
    piped = tmp_path / "piped.wav"
    with open(SEED, "rb") as stdin:
        r = run("read", "-", "--engine", "silent", "--or-export", str(piped), env=env, stdin=stdin)
    assert r.returncode == 0, r.stderr
    assert piped.stat().st_size > 44

    before = Handler.hits["/article"]
    fetched = tmp_path / "fetched.wav"
    url = server + "/article"
    r = run("read", url, "--engine", "silent", "--or-export", str(fetched), env=env)
    assert r.returncode == 0, r.stderr
    assert fetched.stat().st_size > 44
    assert Handler.hits["/article"] - before == 1


# A minimal job-control shell: runs reader in its own process group in the foreground,
# reports the terminal's settings when it stops (Ctrl-Z), then continues it (fg). A
# process group whose parent is outside its session ignores Ctrl-Z, so pexpect's child
# alone cannot show this.
MINI_SHELL = """
import os, signal, sys, termios
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    os.execv(sys.executable, [sys.executable, "-c", "from reader.cli import main; main()"]
             + sys.argv[1:])
os.setpgid(pid, pid)
signal.signal(signal.SIGTTOU, signal.SIG_IGN)
os.tcsetpgrp(0, pid)
_, status = os.waitpid(pid, os.WUNTRACED)
if os.WIFSTOPPED(status):
    os.tcsetpgrp(0, os.getpgrp())
    lflag = termios.tcgetattr(0)[3]
    on = lambda flag: int(bool(lflag & flag))
    print("STOPPED canonical=%d echo=%d" % (on(termios.ICANON), on(termios.ECHO)))
    os.tcsetpgrp(0, pid)
    os.killpg(pid, signal.SIGCONT)
    _, status = os.waitpid(pid, 0)
print("EXIT", os.waitstatus_to_exitcode(status))
"""


def test_ctrl_z_gives_the_terminal_back_and_fg_takes_it_again(tmp_path):
    s = Session(tmp_path, *FAST, shell=MINI_SHELL)
    s.wait("play")
    s.child.send("\x1a")  # Ctrl-Z
    s.child.expect("STOPPED canonical=1 echo=1")  # the shell got its settings back
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and lflag(s) & termios.ICANON:
        time.sleep(0.01)
    assert not lflag(s) & termios.ICANON  # continued: single keys again
    s.press("n", "play")  # and they work
    s.press("q", "quit")
    s.child.expect("EXIT 0")


def test_unwritable_events_file(tmp_path):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path))
    bad = tmp_path / "no-such-folder" / "events.jsonl"
    r = run("read", str(SEED), *FAST, "--events", str(bad), stdin=subprocess.DEVNULL, env=env)
    assert r.returncode != 0 and r.stderr.startswith("Error: cannot write the events file")
    assert "Traceback" not in r.stderr
