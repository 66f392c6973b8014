"""Drive the real ``reader read`` in a pseudo-terminal and follow its event log.

Not a test module: helpers shared by tests/test_read*.py and bench/latency.py.
Waits are on events in the log (never fixed sleeps), with a generous deadline that
only turns a hang into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "reader" / "data" / "mali.html"
DEADLINE = 30.0


class Session:
    """One ``reader read`` process in a pty, with its events file."""

    def __init__(
        self,
        tmp: Path,
        *args: str,
        source: Path | str | None = SEED,
        env: dict | None = None,
        shell: str = "from reader.cli import main; main()",
        stdin: Path | None = None,
        pipe: str | None = None,
    ):
        """``stdin``: a file to give the program as standard input (the pty stays its
        controlling terminal), as ``reader read - < stdin`` in a shell; ``pipe``: a shell
        command whose output is the program's standard input (``pipe | reader read -``)."""
        self.events_path = tmp / f"events-{time.monotonic_ns()}.jsonl"
        self.env = dict(os.environ, XDG_STATE_HOME=str(tmp / "state"), **(env or {}))
        given = [] if source is None else [str(source)]  # None: no SOURCE (--clipboard)
        argv = ["read", *given, "--events", str(self.events_path), *args]
        command = [sys.executable, "-c", shell, *argv]
        if stdin is not None:
            command = ["/bin/sh", "-c", 'exec "$0" "$@" < "$READER_STDIN"', *command]
            self.env["READER_STDIN"] = str(stdin)
        elif pipe is not None:
            command = ["/bin/sh", "-c", 'eval "$READER_PIPE" | "$0" "$@"', *command]
            self.env["READER_PIPE"] = pipe
        self.child = pexpect.spawn(
            command[0],
            command[1:],
            env=self.env,
            encoding="utf-8",
            timeout=DEADLINE,
            dimensions=(24, 200),
        )
        self.child.delaybeforesend = None  # pexpect sleeps 50 ms before each send otherwise
        self.seen = 0  # events already handed out by wait()

    def events(self) -> list[dict]:
        try:
            text = self.events_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.endswith("}")]

    def wait(self, event: str, **match) -> dict:
        """The next event named ``event`` (after those already returned) matching ``match``."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            evs = self.events()
            for n in range(self.seen, len(evs)):
                e = evs[n]
                if e["event"] == event and all(e.get(k) == v for k, v in match.items()):
                    self.seen = n + 1
                    return e
            if not self.child.isalive() and len(evs) == len(self.events()):
                break
            time.sleep(0.01)
        rest = "\n".join(map(str, self.events()[self.seen :]))
        raise AssertionError(f"no {event} {match} in the events after #{self.seen}:\n{rest}")

    def press(self, keys: str, then: str = "key") -> dict:
        """Send ``keys`` and return the next ``then`` event."""
        self.child.send(keys)
        return self.wait(then)

    def finish(self) -> int:
        """Wait for the process to end; its exit status (128+n for signal n is the
        program's own exit code, not a death by signal)."""
        self.child.expect(pexpect.EOF)
        # The terminal's settings as the program left them (on Linux the master side
        # of a pty reports its slave's settings), read before the pty is closed.
        self.final_mode = termios.tcgetattr(self.child.child_fd)
        self.child.close()
        if self.child.exitstatus is not None:
            return self.child.exitstatus
        return -self.child.signalstatus

    @property
    def output(self) -> str:
        return self.child.before or ""


def start_pulse(run: Path) -> dict | None:
    """Start a private PulseAudio server with one null sink (``nullsink``), as docs/facts.md
    describes; returns the environment that reaches it, or ``None`` if it cannot start."""
    if not (shutil.which("pulseaudio") and shutil.which("parec")):
        return None
    run.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HOME=str(run), XDG_RUNTIME_DIR=str(run))
    env.pop("PULSE_SERVER", None)
    r = subprocess.run(
        [
            "pulseaudio",
            "--start",
            "--exit-idle-time=-1",
            "-n",
            "--load=module-native-protocol-unix",
            "--load=module-null-sink sink_name=nullsink",
        ],  # fmt: skip
        env=env,
        capture_output=True,
        timeout=30,
    )
    return env if r.returncode == 0 else None


def stop_pulse(env: dict) -> None:
    """Stop the server ``start_pulse`` started; by its process id if --kill fails."""
    subprocess.run(["pulseaudio", "--kill"], env=env, capture_output=True, timeout=30)
    pid_file = Path(env["XDG_RUNTIME_DIR"]) / "pulse" / "pid"
    try:
        os.kill(int(pid_file.read_text().split()[0]), 9)
    except (OSError, ValueError, IndexError):
        pass  # no pid file: the daemon is gone
