"""Ctrl-C and SIGTERM at random moments of a parallel export and of a batch.

    .venv/bin/python bench/signals.py [--trials 50] [--seed 1]

Each trial starts a real ``reader export`` in a session of its own, waits a random
0.3-4 s, then either presses Ctrl-C (SIGINT to the whole process group, as a terminal
does) or sends SIGTERM to the main process alone (as ``kill`` does), alternately. Half
the trials export one long article with the default jobs (its sentences rendered on
worker processes); half export a batch of six articles into a folder (one worker per
article). For each trial it checks:

- no hang: the program has exited 20 s after the signal;
- no partial file: nothing named ``*.part`` (nor a hidden temporary book) is left in the
  output folder;
- no orphan: 2 s after the exit no process started by the trial is alive (processes are
  found by a marker in their environment, so workers count too);
- a batch prints its summary line ("N sources: ...") every time, and a single export
  its one "Stopped." line.

It prints one line per trial and a summary; the exit status is 1 if any trial broke a
rule (with ``READER_SIGNALS_LOG=FILE``, the standard error of each such trial goes
there). The speech engine is the default (pyttsx3, real synthesis), so the signals land
while engines and encoders are busy.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READER = str(Path(sys.executable).parent / "reader")
SEED = ROOT / "reader" / "data" / "mali.txt"
MARKER = "READER_SIGNAL_TRIAL"


def articles(folder: Path, n: int) -> list[Path]:
    """``n`` distinct long articles made from the seed's paragraphs."""
    body = SEED.read_text(encoding="utf-8")
    paragraphs = [p for p in body.split("\n\n") if len(p) > 200]
    out = []
    for i in range(n):
        extra = [f"Part {i}.{k}. {p}" for k in range(24) for p in paragraphs]
        path = folder / f"article{i}.txt"
        path.write_text(f"Article {i}\n\n" + "\n\n".join(extra), encoding="utf-8")
        out.append(path)
    return out


def marked(trial: str) -> list[int]:
    """Pids of live processes whose environment carries this trial's marker."""
    found = []
    needle = f"{MARKER}={trial}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    with open(f"/proc/{entry}/stat", "rb") as s:
                        if s.read().split(b") ", 1)[1][:1] != b"Z":
                            found.append(int(entry))
        except OSError:
            continue
    return found


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part")
                  or (p.name.startswith(".") and p.name != ".reader-exports.json"))


def trial(n: int, rng: random.Random, work: Path, sources: list[Path]) -> tuple[str, list[str]]:
    batch = n % 2 == 1
    sig = signal.SIGINT if (n // 2) % 2 == 0 else signal.SIGTERM
    out = work / f"out{n}"
    out.mkdir()
    name = f"t{n}-{os.getpid()}"
    if batch:
        argv = [READER, "export", *map(str, sources), "--out-dir", str(out), "--accessible"]
    else:
        argv = [READER, "export", str(sources[0]), "-o", str(out / "long.mp3"), "--accessible"]
    env = dict(os.environ, **{MARKER: name})
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)
    wait = rng.uniform(0.3, 4.0)
    time.sleep(wait)
    finished_first = proc.poll() is not None
    if not finished_first:
        if sig == signal.SIGINT:
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        else:
            proc.send_signal(signal.SIGTERM)
    broken = []
    try:
        stdout, stderr = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        broken.append("hang")
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    time.sleep(2.0)
    alive = marked(name)
    if alive:
        broken.append(f"{len(alive)} orphan(s)")
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    left = leftovers(out)
    if left:
        broken.append(f"partial: {left[0]}")
    if batch and " sources: " not in stdout:
        broken.append("no summary")
    if not batch and not finished_first and "Stopped." not in stderr.splitlines():
        broken.append("no 'Stopped.' line")
    if "Traceback" in stderr:
        broken.append("traceback")
    if broken and os.environ.get("READER_SIGNALS_LOG"):
        with open(os.environ["READER_SIGNALS_LOG"], "a", encoding="utf-8") as log:
            log.write(f"--- trial {n + 1}: {broken}\n{stderr}\n")
    kind = "batch " if batch else "export"
    what = "finished first" if finished_first else signal.Signals(sig).name
    line = (f"{n + 1:3d} {kind} {what:14} after {wait:4.2f} s  exit {proc.returncode:4d}  "
            f"{'ok' if not broken else '; '.join(broken)}")
    shutil.rmtree(out, ignore_errors=True)
    return line, broken


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=50, help="trials of each kind (default 50)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="reader-signals-"))
    bad = {"hang": 0, "partial": 0, "orphan": 0, "summary": 0, "other": 0}
    failed = 0
    try:
        sources = articles(work, 6)
        for n in range(2 * args.trials):
            line, broken = trial(n, rng, work, sources)
            print(line, flush=True)
            failed += bool(broken)
            for b in broken:
                key = next((k for k in bad if k in b), "other")
                bad[key] += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = 2 * args.trials
    print(f"{total} trials: {total - failed} held; hangs {bad['hang']}, partial files "
          f"{bad['partial']}, orphans {bad['orphan']}, missing summaries {bad['summary']}, "
          f"other {bad['other']}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
