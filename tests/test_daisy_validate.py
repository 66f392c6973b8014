"""The DAISY 2.02 validator: a small hand-written book passes; each broken rule is caught.

The book here is written by hand (not by reader's exporter) so the validator is tested
independently of the writer it checks. Its audio is real WAV written with the standard
library: DAISY 2.02 allows WAV as well as MP3.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import main
from reader.daisy.validate import parse_clock, validate_daisy
from reader.errors import DaisyError

NCC = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
<meta http-equiv="Content-type" content="text/html; charset=utf-8"/>
<title>Test book</title>
<meta name="dc:title" content="Test book"/>
<meta name="dc:creator" content="A. Writer"/>
<meta name="dc:date" content="2026-11-28"/>
<meta name="dc:format" content="Daisy 2.02"/>
<meta name="dc:identifier" content="test-book-1"/>
<meta name="dc:language" content="en"/>
<meta name="dc:publisher" content="Test"/>
<meta name="ncc:charset" content="utf-8"/>
<meta name="ncc:depth" content="2"/>
<meta name="ncc:files" content="8"/>
<meta name="ncc:generator" content="hand"/>
<meta name="ncc:maxPageNormal" content="0"/>
<meta name="ncc:multimediaType" content="audioFullText"/>
<meta name="ncc:narrator" content="nobody"/>
<meta name="ncc:pageFront" content="0"/>
<meta name="ncc:pageNormal" content="0"/>
<meta name="ncc:pageSpecial" content="0"/>
<meta name="ncc:tocItems" content="3"/>
<meta name="ncc:totalTime" content="00:00:03"/>
</head>
<body>
<h1 class="title" id="n1"><a href="s1.smil#x1">Headline</a></h1>
<span class="paragraph" id="n2"><a href="s1.smil#x2">First paragraph</a></span>
<h2 id="n3"><a href="s2.smil#x3">Second part</a></h2>
</body>
</html>
"""

CONTENT = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head><title>Test book</title></head>
<body>
<h1 id="t1">Headline</h1>
<p><span id="t2">One.</span> <span id="t3">Two.</span></p>
<h2 id="t4">Second part</h2>
</body>
</html>
"""

SMIL1 = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">
<smil>
<head>
<meta name="dc:format" content="Daisy 2.02"/>
<meta name="ncc:timeInThisSmil" content="00:00:02"/>
<meta name="ncc:totalElapsedTime" content="00:00:00"/>
<layout><region id="txtView"/></layout>
</head>
<body>
<seq dur="2.000s">
<par endsync="last" id="p1"><text src="content.html#t1" id="x1"/>
<seq><audio src="a1.wav" clip-begin="npt=0.000s" clip-end="npt=0.500s" id="a1"/></seq></par>
<par endsync="last" id="p2"><text src="content.html#t2" id="x2"/>
<seq><audio src="a1.wav" clip-begin="npt=0.500s" clip-end="npt=1.200s" id="a2"/></seq></par>
<par endsync="last" id="p2b"><text src="content.html#t3" id="x2b"/>
<seq><audio src="a1.wav" clip-begin="npt=1.200s" clip-end="npt=2.000s" id="a2b"/></seq></par>
</seq>
</body>
</smil>
"""

SMIL2 = """<?xml version="1.0" encoding="utf-8"?>
<smil>
<head>
<meta name="dc:format" content="Daisy 2.02"/>
<meta name="ncc:timeInThisSmil" content="00:00:01"/>
<meta name="ncc:totalElapsedTime" content="00:00:02"/>
</head>
<body>
<seq dur="1.000s">
<par endsync="last" id="p3"><text src="content.html#t4" id="x3"/>
<seq><audio src="a2.wav" clip-begin="npt=0.000s" clip-end="npt=1.000s" id="a3"/></seq></par>
</seq>
</body>
</smil>
"""

MASTER = """<?xml version="1.0" encoding="utf-8"?>
<smil><head><meta name="dc:format" content="Daisy 2.02"/></head>
<body><ref src="s1.smil" title="Headline" id="m1"/>
<ref src="s2.smil" title="Second" id="m2"/></body>
</smil>
"""


def _wav(path: Path, seconds: float, rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(seconds * rate))


@pytest.fixture
def book(tmp_path: Path) -> Path:
    d = tmp_path / "book"
    d.mkdir()
    for name, text in (("ncc.html", NCC), ("content.html", CONTENT), ("s1.smil", SMIL1),
                       ("s2.smil", SMIL2), ("master.smil", MASTER)):
        (d / name).write_text(text, encoding="utf-8")
    _wav(d / "a1.wav", 2.0)
    _wav(d / "a2.wav", 1.0)
    (d / "default.css").write_text("body { }", encoding="utf-8")
    return d


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_hand_written_book_is_valid(book: Path):
    report = validate_daisy(book)
    assert report.problems == ()
    assert report.sections == ("s1.smil", "s2.smil")
    assert report.total_time == pytest.approx(3.0)


def test_cli_reports_a_valid_book(book: Path):
    result = CliRunner().invoke(main, ["validate-daisy", str(book)])
    assert result.exit_code == 0, result.output
    assert result.output == "Valid DAISY 2.02 book: 2 sections, total time 00:00:03\n"


def test_zipped_book_is_checked_too(book: Path, tmp_path: Path):
    z = tmp_path / "book.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in book.iterdir():
            zf.write(f, f"book/{f.name}")
    assert validate_daisy(z).problems == ()


# Each case breaks one rule; the validator must name it (and the CLI must fail).
BROKEN = [
    ("missing metadata", "ncc.html", '<meta name="dc:title" content="Test book"/>', "",
     "ncc.html: missing metadata dc:title"),
    ("missing identifier", "ncc.html", '<meta name="dc:identifier" content="test-book-1"/>', "",
     "ncc.html: missing metadata dc:identifier"),
    ("wrong format", "ncc.html", 'content="Daisy 2.02"', 'content="Daisy 3"',
     "dc:format is 'Daisy 3'"),
    ("bad multimedia type", "ncc.html", "audioFullText", "talkingBook", "ncc:multimediaType"),
    ("wrong tocItems", "ncc.html", 'name="ncc:tocItems" content="3"',
     'name="ncc:tocItems" content="4"',
     "ncc:tocItems is 4 but there are 3 items in the NCC"),
    ("wrong files", "ncc.html", 'name="ncc:files" content="8"', 'name="ncc:files" content="9"',
     "ncc:files is 9 but there are 8 files"),
    ("no title heading", "ncc.html", '<h1 class="title" id="n1">', '<h1 id="n1">',
     '<h1 class="title">'),
    ("dangling NCC link", "ncc.html", 's1.smil#x2"', 's1.smil#nowhere"',
     "ncc.html: link 's1.smil#nowhere' does not point to a <par>"),
    ("NCC link to missing SMIL", "ncc.html", 's2.smil#x3"', 's9.smil#x3"',
     "s9.smil is missing"),
    ("missing text id", "s1.smil", "content.html#t2", "content.html#t99",
     "s1.smil#p2: <text src='content.html#t99'>: no element with id 't99' in content.html"),
    ("clip beyond audio", "s2.smil", 'clip-begin="npt=0.000s" clip-end="npt=1.000s"',
     'clip-begin="npt=0.000s" clip-end="npt=1.500s"', "lies beyond the end of a2.wav (1.000 s)"),
    ("overlapping clips", "s1.smil", 'clip-begin="npt=0.500s" clip-end="npt=1.200s"',
     'clip-begin="npt=0.400s" clip-end="npt=1.100s"', "overlaps the previous clip"),
    ("clips out of order", "s1.smil", 'clip-begin="npt=1.200s" clip-end="npt=2.000s"',
     'clip-begin="npt=0.000s" clip-end="npt=0.800s"', "clips out of order"),
    ("wrong totalTime", "ncc.html", 'content="00:00:03"', 'content="00:00:05"',
     "ncc:totalTime is 00:00:05 but the SMIL files last 3.000 s"),
    ("seq dur disagrees with clips", "s2.smil", '<seq dur="1.000s">', '<seq dur="1.400s">',
     "<seq dur> is 1.400 s but its clips last 1.000 s"),
    ("wrong elapsed time", "s2.smil", 'ncc:totalElapsedTime" content="00:00:02"',
     'ncc:totalElapsedTime" content="00:00:07"', "ncc:totalElapsedTime is '00:00:07'"),
    ("SMIL without format", "s2.smil", '<meta name="dc:format" content="Daisy 2.02"/>', "",
     's2.smil: missing metadata dc:format "Daisy 2.02"'),
    ("broken XML", "content.html", "</body>", "</bdy>", "content.html: not well-formed XML"),
    # Forms the specification allows but real players fail on: the problem names the player.
    ("NCC link to a par", "ncc.html", 's1.smil#x2"', 's1.smil#p2"',
     "ncc.html: link 's1.smil#p2' points to a <par>: daisy-player lists the section but plays"),
    ("audio directly in par", "s2.smil",
     '<seq><audio src="a2.wav" clip-begin="npt=0.000s" clip-end="npt=1.000s" id="a3"/></seq>',
     '<audio src="a2.wav" clip-begin="npt=0.000s" clip-end="npt=1.000s" id="a3"/>',
     "s2.smil#p3: <audio> directly in <par>: daisy-dtb finds no audio clip"),
    ("master out of order", "master.smil", 'src="s1.smil"', 'src="s2.smil"', "does not match"),
]


@pytest.mark.parametrize("case,file,old,new,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_book_is_rejected(book: Path, case, file, old, new, expected):
    _edit(book / file, old, new)
    problems = validate_daisy(book).problems
    assert any(expected in p for p in problems), problems
    result = CliRunner().invoke(main, ["validate-daisy", str(book)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert expected in result.output


def test_missing_audio_file_is_a_problem(book: Path):
    (book / "a2.wav").unlink()
    problems = validate_daisy(book).problems
    assert any("audio file 'a2.wav' is missing" in p for p in problems), problems


def test_missing_ncc_and_missing_folder(tmp_path: Path):
    assert validate_daisy(tmp_path).problems[0].startswith("ncc.html: file is missing")
    with pytest.raises(DaisyError):
        validate_daisy(tmp_path / "nope")
    result = CliRunner().invoke(main, ["validate-daisy", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")


@pytest.mark.parametrize("text,seconds", [
    ("npt=1.234s", 1.234), ("2.5s", 2.5), ("00:01:02.5", 62.5), ("1:02", 62.0),
    ("500ms", 0.5), ("npt=0:00:03.250", 3.25), ("4", 4.0), ("1.5min", 90.0),
])
def test_parse_clock(text: str, seconds: float):
    assert parse_clock(text) == pytest.approx(seconds)


def test_unreadable_audio_is_a_problem(book: Path):
    (book / "a2.wav").write_text("not audio", encoding="utf-8")
    problems = validate_daisy(book).problems
    assert "a2.wav: audio file cannot be read (not MP3 or WAV?)" in problems


def test_audio_length_of_wav_mp3_and_other_files(book: Path, tmp_path: Path):
    from reader.daisy.audio import audio_length

    assert audio_length(book / "a1.wav") == pytest.approx(2.0)
    assert audio_length(book / "ncc.html") is None
    assert audio_length(tmp_path / "missing.mp3") is None
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg to make an MP3 independently")
    mp3 = tmp_path / "a.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(book / "a1.wav"), "-b:a", "64k", str(mp3)],
                   check=True)
    # Every frame counts, encoder delay and padding included (as a decoder that ignores
    # LAME's gapless header plays them), except the Info frame, which holds no audio.
    assert 2.0 < audio_length(mp3) < 2.0 + 0.1
