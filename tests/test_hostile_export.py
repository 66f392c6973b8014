"""Nothing is lost: outputs never replace what they must not (devices, links, sources,
someone's own files, a folder that is not a book), and they are what they say they are.

Each case here failed before its fix (see the issue on hostile input). Speech comes from
the silent engine: these tests are about files, not voices.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from shutil import which

import pytest

READER = str(Path(sys.executable).parent / "reader")
BODY = "The council voted on the new budget after a long debate. " * 3

#: Real processes, servers and files throughout: seconds each (not in the quick subset).
pytestmark = pytest.mark.slow



def _page(path: Path, body: str = BODY, title: str = "Budget vote") -> Path:
    path.write_text(
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p><p>{body}</p></article></body></html>",
        encoding="utf-8",
    )
    return path


def _run(*args: str, stdin=subprocess.DEVNULL):
    return subprocess.run(
        [READER, *args], capture_output=True, text=True, timeout=120, stdin=stdin
    )


def _export(*args: str):
    return _run("export", *args, "--engine", "silent", "-j", "1")


def test_force_never_replaces_a_link_or_a_pipe(tmp_path):
    page = _page(tmp_path / "a.html")
    victim = tmp_path / "victim.mp3"
    victim.write_text("keep")
    link = tmp_path / "link.mp3"
    link.symlink_to(victim)
    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)
    for target in (link, fifo):
        done = _export(str(page), "-o", str(target), "--force")
        assert done.returncode == 1 and "not a regular file" in done.stderr
    assert link.is_symlink() and victim.read_text() == "keep"
    assert fifo.is_fifo()


def test_format_and_extension_must_agree(tmp_path):
    page = _page(tmp_path / "a.html")
    done = _export(str(page), "-o", str(tmp_path / "x.wav"), "--format", "mp3")
    assert done.returncode == 1 and "names a wav file" in done.stderr
    assert not (tmp_path / "x.wav").exists()
    done = _export(str(page), "--format", "daisy", "-o", str(tmp_path / "d.mp3"))
    assert done.returncode == 1 and "a DAISY book is a folder" in done.stderr
    assert not (tmp_path / "d.mp3").exists()


def test_force_replaces_a_book_but_not_a_folder_that_holds_more(tmp_path):
    page = _page(tmp_path / "a.html")
    book = tmp_path / "book"
    done = _export(str(page), "--format", "daisy", "-o", str(book))
    assert done.returncode == 0, done.stderr
    done = _export(str(page), "--format", "daisy", "-o", str(book), "--force")
    assert done.returncode == 0, done.stderr  # a book is replaced
    (book / "notes.txt").write_text("my notes")
    done = _export(str(page), "--format", "daisy", "-o", str(book), "--force")
    assert done.returncode == 1 and "notes.txt" in done.stderr
    assert (book / "notes.txt").read_text() == "my notes"


def test_outputs_never_replace_the_source(tmp_path):
    source = _page(tmp_path / "story.vtt")  # an HTML page with an unlucky name
    before = source.read_bytes()
    done = _export(str(source), "-o", str(tmp_path / "story.mp3"), "--timing", "vtt", "--force")
    assert done.returncode == 1 and "read from" in done.stderr
    assert source.read_bytes() == before
    assert not (tmp_path / "story.mp3").exists()


def test_a_failed_session_keeps_the_old_event_log(tmp_path):
    page = _page(tmp_path / "a.html")
    log = tmp_path / "events.jsonl"
    log.write_text('{"event": "old"}\n')
    done = _run("read", str(page), "--events", str(log), "--audio", "null")
    assert done.returncode != 0  # standard input is not a terminal
    assert log.read_text() == '{"event": "old"}\n'


def test_batch_never_replaces_someone_elses_file_and_names_are_stable(tmp_path):
    one = _page((tmp_path / "one").mkdir() or tmp_path / "one" / "story.html", title="One")
    two = _page((tmp_path / "two").mkdir() or tmp_path / "two" / "story.html",
                body="Another article entirely, about the harbour and its boats. " * 3,
                title="Two")
    out = tmp_path / "out"
    out.mkdir()
    (out / "story.mp3").write_text("my own recording")
    done = _export(str(one), str(two), "--out-dir", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "story.mp3").read_text() == "my own recording"
    first = {p.name: p.read_bytes() for p in out.glob("story-*.mp3")}
    assert len(first) == 2
    manifest = (out / ".reader-exports.json").read_text()
    assert str(tmp_path) not in manifest  # names by hash: no local path in the folder
    # The other order: each source keeps its file, and both are up to date.
    done = _export(str(two), str(one), "--out-dir", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 up to date" in done.stdout
    assert {p.name: p.read_bytes() for p in out.glob("story-*.mp3")} == first


def test_wav_does_not_claim_chapters(tmp_path):
    page = _page(tmp_path / "a.html")
    done = _export(str(page), "-o", str(tmp_path / "a.wav"))
    assert done.returncode == 0, done.stderr
    assert "no chapters" in done.stdout
    done = _export(str(page), "-o", str(tmp_path / "a.mp3"))
    assert "chapters" in done.stdout and "no chapters" not in done.stdout


@pytest.mark.parametrize("kind", ["srt", "vtt"])
def test_cue_text_is_escaped(tmp_path, kind):
    page = _page(tmp_path / "a.html", body="We know that 1 &lt; 2 &amp;&amp; 3 &gt; 2 holds, "
                 "and &lt;b&gt; is not bold here at all.")
    out = tmp_path / "a.mp3"
    done = _export(str(page), "-o", str(out), "--timing", kind)
    assert done.returncode == 0, done.stderr
    cues = (tmp_path / f"a.{kind}").read_text()
    if kind == "vtt":
        assert "1 &lt; 2 &amp;&amp; 3 &gt; 2" in cues and "&lt;b&gt;" in cues
    else:
        assert "1 < 2 && 3 > 2" in cues and "<\u2060b>" in cues
    # What a real subtitle reader shows: FFmpeg's decoder, into ASS dialogue lines.
    if which("ffmpeg") is None:
        return
    ass = tmp_path / "a.ass"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(tmp_path / f"a.{kind}"), str(ass)],
                   check=True, timeout=60)
    shown = ass.read_text().replace("\u2060", "")
    assert "1 < 2 && 3 > 2" in shown and "<b> is not bold" in shown and "{\\b1}" not in shown


def test_manifest_damage_only_loses_names(tmp_path):
    page = _page(tmp_path / "a.html")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".reader-exports.json").write_text("{not json")
    done = _export(str(page), "--out-dir", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads((out / ".reader-exports.json").read_text())["outputs"]
