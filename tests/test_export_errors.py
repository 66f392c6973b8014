"""reader export on bad input: one clear error line, non-zero exit, no partial files."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import main

pytestmark = pytest.mark.slow  # whole exports, interrupted and failing

READER = [str(Path(sys.executable).with_name("reader"))]


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["export", *args])
    return res.exit_code, res.output


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_existing_file_is_kept_without_force(seed_html, tmp_path):
    out = tmp_path / "a.mp3"
    out.write_bytes(b"precious")
    code, output = run(str(seed_html), "-o", str(out), "--engine", "silent")
    assert code == 1
    assert (
        output.strip().splitlines()[-1]
        == f"Error: {out} already exists. Use --force to replace it."
    )
    assert out.read_bytes() == b"precious"
    assert leftovers(tmp_path) == ["a.mp3"]
    code, _ = run(str(seed_html), "-o", str(out), "--engine", "silent", "--force")
    assert code == 0 and out.read_bytes()[:3] == b"ID3"


def test_existing_timing_file_is_kept_too(seed_html, tmp_path):
    (tmp_path / "a.srt").write_text("mine")
    code, output = run(
        str(seed_html), "-o", str(tmp_path / "a.wav"), "--engine", "silent", "--timing", "srt"
    )
    assert code == 1 and "a.srt already exists" in output
    assert leftovers(tmp_path) == ["a.srt"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["-o", "{d}/a.xyz"],
            "Error: unknown audio file extension '.xyz'. Use one of: mp3, m4b, wav",
        ),
        (["-o", "{d}/a.mp3", "--format", "aiff"], "Error: unknown audio format 'aiff'"),
        (["--out-dir", "{d}/out", "--format", "aiff"], "Error: unknown audio format 'aiff'"),
        (["-o", "{d}/a.mp3", "--timing", "sub"], "Error: unknown timing format 'sub'"),
        (["-o", "{d}/missing/a.mp3"], "Error: the folder {d}/missing does not exist."),
    ],
)
def test_bad_options_fail_before_any_work(seed_html, tmp_path, args, message):
    args = [a.format(d=tmp_path) for a in args]
    code, output = run(str(seed_html), *args, "--engine", "silent")
    assert code == 1
    assert output.strip().splitlines()[-1].startswith(message.format(d=tmp_path))
    assert leftovers(tmp_path) == []


def test_unwritable_folder(seed_html, tmp_path):
    """A folder the user may not write to: read-only by mode, or (root writes anywhere)
    a read-only file system."""
    folder = tmp_path / "locked"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        ro = ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)]
        if subprocess.run(ro, capture_output=True).returncode:
            pytest.skip("running as root and cannot mount a read-only file system")
        mounted = True
    else:
        folder.chmod(0o555)
    try:
        code, output = run(str(seed_html), "-o", str(folder / "a.mp3"), "--engine", "silent")
        assert code == 1
        assert output.strip().splitlines()[-1] == (
            f"Error: cannot write to the folder {folder}: permission denied. "
            "Choose a folder you can write to."
        )
        assert leftovers(folder) == []
        # The same in a batch: the source fails, the summary says so.
        code, output = run(str(seed_html), "--out-dir", str(folder), "--engine", "silent")
        assert code == 1 and "1 failed" in output and leftovers(folder) == []
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_full_disk_simulated(seed_html, tmp_path, monkeypatch):
    """The disk fills up halfway through the audio: the partial file is removed."""
    from reader.export import encoders

    real_write = encoders.Mp3Sink.write
    calls = []

    def write(self, pcm):
        calls.append(1)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, pcm)

    monkeypatch.setattr(encoders.Mp3Sink, "write", write)
    out = tmp_path / "a.mp3"
    code, output = run(str(seed_html), "-o", str(out), "--engine", "silent", "--timing", "srt")
    assert len(calls) == 5
    assert code == 1
    assert output.strip().splitlines()[-1] == (
        f"Error: the disk is full while writing {out}. Free some space and try again."
    )
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() != 0 or sys.platform != "linux", reason="mounts a tmpfs")
def test_full_disk_real_tmpfs(seed_html, tmp_path):
    """A real 64 kB file system fills up: the same error, nothing left behind."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        code, output = run(str(seed_html), "-o", str(mnt / "a.wav"), "--engine", "silent")
        assert code == 1 and "Error: the disk is full while writing" in output
        assert leftovers(mnt) == []
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_sigint_halfway_leaves_no_partial_file(seed_txt, tmp_path):
    """Ctrl-C (SIGINT sent to a real process) while real speech is being encoded."""
    long_text = tmp_path / "long.txt"
    body = seed_txt.read_text(encoding="utf-8")
    # Distinct paragraphs: the parser reads a repeated paragraph once, and the seed alone
    # renders so fast that the export could finish before the signal arrives.
    paragraphs = [p for p in body.split("\n\n") if len(p) > 200]
    extra = [f"Part {n}. {p}" for n in range(12) for p in paragraphs]
    long_text.write_text(body + "\n\n" + "\n\n".join(extra), encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    cmd = READER + [
        "export",
        str(long_text),
        "-o",
        str(out_dir / "long.wav"),
        "-j",
        "1",
        "--accessible",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            parts = list(out_dir.glob(".long.wav.*.part"))
            if parts and parts[0].stat().st_size > 200_000:  # several seconds of audio written
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        else:
            pytest.fail("export did not start writing")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Stopped." in err.splitlines()
    assert "reader/export" not in err  # no traceback from the exporter
    assert leftovers(out_dir) == []
