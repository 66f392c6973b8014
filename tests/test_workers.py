"""Worker processes live and die with their parent: Ctrl-C is the parent's, SIGTERM stops
a task cleanly, an orphan exits and cleans up, a lost worker never aborts a batch.

Real processes throughout; the exports use the silent engine (these tests are about
processes, not voices). Processes are found by a marker in their environment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

READER = str(Path(sys.executable).parent / "reader")
MARKER = "READER_WORKER_TEST"


def _alive(tag: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            env = Path(f"/proc/{entry}/environ").read_bytes().split(b"\0")
            state = Path(f"/proc/{entry}/stat").read_bytes().split(b") ", 1)[1][:1]
        except OSError:
            continue
        if f"{MARKER}={tag}".encode() in env and state != b"Z":
            found.append(int(entry))
    return found


def _wait_until(predicate, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


SCRIPT = textwrap.dedent(
    """
    import os, sys, tempfile, time
    from reader.speech import workers

    def job(folder):
        workers.on_exit(lambda: os.rmdir(folder))
        open(os.path.join(folder, "..", "started-" + os.path.basename(folder)), "w").close()
        time.sleep(120)

    if __name__ == "__main__":
        folder = tempfile.mkdtemp(dir=sys.argv[1])
        print(folder, flush=True)
        pool = workers.process_pool(1)
        workers.submit(pool, job, folder)
        time.sleep(120)
    """
)


def test_an_orphaned_worker_exits_and_cleans_up(tmp_path):
    script = tmp_path / "orphan.py"
    script.write_text(SCRIPT)
    tag = f"orphan-{os.getpid()}"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, text=True,
        env=dict(os.environ, **{MARKER: tag}),
    )
    folder = Path(proc.stdout.readline().strip())
    assert _wait_until(lambda: (tmp_path / f"started-{folder.name}").exists())
    assert len(_alive(tag)) == 2  # the parent and its worker
    proc.kill()  # as a closed terminal or `kill -9` would
    proc.wait()
    assert _wait_until(lambda: not _alive(tag), 5.0), "the worker outlived its parent"
    assert not folder.exists(), "the worker's on_exit cleanup did not run"


def _long_article(folder: Path, seed_txt: Path, n: int = 0, parts: int = 8) -> Path:
    body = seed_txt.read_text(encoding="utf-8")
    paragraphs = [p for p in body.split("\n\n") if len(p) > 200]
    extra = [f"Part {n}.{k}. {p}" for k in range(parts) for p in paragraphs]
    path = folder / f"article{n}.txt"
    path.write_text(f"Article {n}\n\n" + "\n\n".join(extra), encoding="utf-8")
    return path


@pytest.mark.slow
def test_ctrl_c_stops_a_parallel_export_at_once_and_cleanly(tmp_path, seed_txt):
    source = _long_article(tmp_path, seed_txt, parts=40)
    out = tmp_path / "out"
    out.mkdir()
    tag = f"ctrlc-{os.getpid()}"
    env = dict(os.environ, **{MARKER: tag}, TMPDIR=str(tmp_path))
    proc = subprocess.Popen(
        [READER, "export", str(source), "-o", str(out / "long.mp3"), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True,
    )
    assert _wait_until(lambda: len(_alive(tag)) >= 3, 20), "workers never started"
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and "Stopped." in err.splitlines(), err
    assert "Traceback" not in err
    assert _wait_until(lambda: not _alive(tag), 5.0), "workers outlived the export"
    assert list(out.iterdir()) == []
    assert not list(tmp_path.glob("reader-pyttsx3-*"))


@pytest.mark.slow
def test_a_parallel_export_leaves_no_engine_folders(tmp_path, seed_txt):
    source = _long_article(tmp_path, seed_txt, parts=2)
    env = dict(os.environ, TMPDIR=str(tmp_path))
    done = subprocess.run(
        [READER, "export", str(source), "-o", str(tmp_path / "a.mp3"), "-j", "2"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob("reader-pyttsx3-*"))


@pytest.mark.slow
def test_a_lost_worker_does_not_abort_a_batch(tmp_path, seed_txt):
    sources = [_long_article(tmp_path, seed_txt, n, parts=6) for n in range(4)]
    out = tmp_path / "out"
    tag = f"batch-{os.getpid()}"
    env = dict(os.environ, **{MARKER: tag})
    proc = subprocess.Popen(
        [READER, "export", *map(str, sources), "--out-dir", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert _wait_until(lambda: len(_alive(tag)) >= 3, 20)
    time.sleep(0.5)
    worker = next(p for p in _alive(tag) if p != proc.pid)
    os.kill(worker, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 0, stderr
    assert "4 sources: 4 written, 0 up to date, 0 failed." in stdout
    assert sorted(p.name for p in out.glob("*.mp3")) == [f"article{n}.mp3" for n in range(4)]
    assert not list(out.glob(".*.part"))


@pytest.mark.slow
def test_sigterm_to_a_batch_still_says_what_was_done(tmp_path, seed_txt):
    sources = [_long_article(tmp_path, seed_txt, n, parts=6) for n in range(4)]
    out = tmp_path / "out"
    tag = f"term-{os.getpid()}"
    proc = subprocess.Popen(
        [READER, "export", *map(str, sources), "--out-dir", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, **{MARKER: tag}),
    )
    assert _wait_until(lambda: len(_alive(tag)) >= 3, 20)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "4 sources: " in stdout and "not done" in stdout
    assert _wait_until(lambda: not _alive(tag), 5.0)
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
