"""reader export --out-dir: many sources, -j processes, failures isolated, reruns skip."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import main
from reader.export.batch import MANIFEST, expand_sources, output_name
from reader.export.progress import Progress

pytestmark = pytest.mark.slow


def make_sources(folder: Path, seed_txt: Path, n: int) -> list[Path]:
    body = seed_txt.read_text(encoding="utf-8")
    folder.mkdir()
    paths = []
    for i in range(n):
        p = folder / f"article{i:02d}.txt"
        p.write_text(f"Story number {i}\n\n{body}", encoding="utf-8")
        paths.append(p)
    return paths


def test_batch_of_ten_with_one_broken_source(seed_txt, tmp_path):
    sources = make_sources(tmp_path / "in", seed_txt, 10)
    sources[4].write_bytes(b"\x00\x01\x02 not text \xff\xfe" * 50)  # binary: cannot be read
    out = tmp_path / "out"
    args = ["export", str(tmp_path / "in"), "--out-dir", str(out), "--engine", "silent"]
    res = CliRunner().invoke(main, [*args, "-j", "2", "--timing", "srt"])
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert lines[-1] == "10 sources: 9 written, 0 up to date, 1 failed."
    failed = [ln for ln in lines if "Failed:" in ln]
    assert len(failed) == 1 and "article04.txt" in failed[0]
    written = sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    assert written == sorted(
        [f"article{i:02d}.mp3" for i in range(10) if i != 4]
        + [f"article{i:02d}.srt" for i in range(10) if i != 4]
    )
    # A rerun skips what is up to date; a touched source is exported again.
    os.utime(sources[7], (os.path.getmtime(out / "article07.mp3") + 10,) * 2)
    res = CliRunner().invoke(main, [*args, "-j", "2", "--timing", "srt"])
    assert res.output.strip().splitlines()[-1] == "10 sources: 1 written, 8 up to date, 1 failed."
    assert re.search(r"Wrote .*article07\.mp3", res.output)
    assert res.exit_code == 1


def test_batch_one_job_in_process_and_quiet(seed_txt, tmp_path):
    make_sources(tmp_path / "in", seed_txt, 3)
    out = tmp_path / "out"
    glob_arg = str(tmp_path / "in" / "article0[01].txt")
    res = CliRunner().invoke(
        main,
        ["export", glob_arg, "--out-dir", str(out), "--engine", "silent", "-j", "1", "-q",
         "--format", "ogg"],
    )  # fmt: skip
    assert res.exit_code == 0 and res.output == ""
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST) == [
        "article00.ogg",
        "article01.ogg",
    ]


def test_sources_expand_from_folders_globs_and_url_lists(tmp_path):
    (tmp_path / "a.html").write_text("<p>x</p>")
    (tmp_path / "b.txt").write_text("Plain text article.")
    (tmp_path / "notes.md").write_text("# not an article type")
    urls = tmp_path / "urls.txt"
    urls.write_text("# reading list\nhttps://example.com/news/story-one.html\n\nhttp://e.org/\n")
    assert expand_sources([str(urls)]) == [
        "https://example.com/news/story-one.html",
        "http://e.org/",
    ]
    folder = expand_sources([str(tmp_path)])
    assert folder == [str(tmp_path / n) for n in ("a.html", "b.txt", "urls.txt")]
    assert expand_sources([str(tmp_path / "*.html"), str(tmp_path / "a.html")]) == [
        str(tmp_path / "a.html")
    ]
    assert expand_sources([str(tmp_path / "*.nothing")]) == [str(tmp_path / "*.nothing")]
    taken: set[str] = set()
    names = [
        output_name("https://example.com/news/story-one.html", "mp3", taken),
        output_name("/x/story-one.txt", "mp3", taken),
        output_name("http://e.org/", "mp3", taken),
    ]
    assert names == ["story-one.mp3", "story-one-2.mp3", "e.org.mp3"]


def test_progress_lines_are_rate_limited_and_the_bar_redraws(tmp_path):
    import io

    now = [0.0]
    stream = io.StringIO()
    p = Progress("Exporting a.mp3", "lines", stream, interval=5.0, clock=lambda: now[0])
    for done in range(1, 101):
        now[0] = done * 0.5  # 50 s in all: a line at most every 5 s
        p(done, 100)
    p.end()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Exporting a.mp3: 100 sentences."
    assert 8 <= len(lines) <= 11 and "\r" not in stream.getvalue()
    assert lines[1] == "Exporting a.mp3: 11% (11 of 100 sentences)."
    bar = io.StringIO()
    p = Progress("Exporting a.mp3", "bar", bar)
    for done in range(1, 201):
        p(done, 200)
    p.end()
    text = bar.getvalue()
    assert text.count("\r") == 101 and text.endswith("100% (200/200)\n")
    quiet = io.StringIO()
    Progress("x", "quiet", quiet)(1, 2)
    assert quiet.getvalue() == ""


def test_a_terminal_gets_a_bar_and_a_pipe_gets_lines(seed_html, tmp_path):
    """Real processes: stderr on a pseudo-terminal shows the bar; piped, plain lines."""
    import subprocess
    import sys

    import pexpect

    reader = str(Path(sys.executable).with_name("reader"))
    args = ["export", str(seed_html), "--engine", "silent", "-j", "1"]
    child = pexpect.spawn(reader, [*args, "-o", str(tmp_path / "a.mp3")], timeout=60)
    child.expect(pexpect.EOF)
    shown = child.before.decode()
    child.close()
    assert child.exitstatus == 0, shown
    assert "\r" in shown and re.search(r"\[#{30}\] 100% \(\d+/\d+\)", shown)
    done = subprocess.run(
        [reader, *args, "-o", str(tmp_path / "b.mp3")], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "\r" not in done.stderr and re.fullmatch(
        r"Exporting b\.mp3: \d+ sentences\.\n", done.stderr
    )
    quiet = subprocess.run(
        [reader, *args, "-o", str(tmp_path / "c.mp3"), "-q"], capture_output=True, text=True
    )
    assert quiet.returncode == 0 and quiet.stdout == quiet.stderr == ""
