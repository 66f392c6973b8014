"""``validate-daisy`` on hostile books: bombs, paths out of the book, damaged and encrypted
zips, absurd values. Each gives problems or one error line, in bounded time and memory,
and nothing outside the book is read.

Each case here crashed, hung or escaped before its fix (see the issue on hostile input).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import wave
import zipfile
from pathlib import Path

import pytest

from reader.daisy.validate import validate_daisy
from reader.errors import DaisyError

READER = str(Path(sys.executable).parent / "reader")
SEED = Path(__file__).resolve().parents[1] / "reader" / "data" / "mali.html"

#: Real processes, servers and files throughout: seconds each (not in the quick subset).
pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def made_book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("made") / "book"
    done = subprocess.run(
        [READER, "export", str(SEED), "--format", "daisy", "-o", str(out), "--engine", "silent"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture()
def book(made_book, tmp_path) -> Path:
    copy = tmp_path / "book"
    shutil.copytree(made_book, copy)
    assert validate_daisy(copy).valid
    return copy


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _first_smil(book: Path) -> Path:
    return sorted(book.glob("s*.smil"))[0]


@pytest.mark.parametrize("href", ["../../../../etc/passwd#x", "/etc/passwd#x",
                                  "a" * 5000 + ".smil#x", "x\x01.smil#y"])
def test_ncc_links_out_of_the_book_are_problems(book, href):
    ncc = book / "ncc.html"
    text = ncc.read_text(encoding="utf-8")
    first = text.index('href="') + len('href="')
    end = text.index('"', first)
    ncc.write_text(text[:first] + href.replace("\x01", "&#x1;") + text[end:], encoding="utf-8")
    report = validate_daisy(book)
    assert not report.valid
    assert not any("passwd" in p and "missing" in p for p in report.problems)


def test_audio_outside_the_book_is_not_read(book, tmp_path):
    outside = tmp_path / "outside.wav"
    with wave.open(str(outside), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
        w.writeframes(b"\0\0" * 22050 * 600)
    smil = _first_smil(book)
    mp3 = next(book.glob("*.mp3")).name
    _edit(smil, f'src="{mp3}"', 'src="../outside.wav"', count=-1)
    report = validate_daisy(book)
    assert any("outside the book" in p for p in report.problems)


def test_an_absurd_clock_value_is_a_problem(book):
    _edit(_first_smil(book), 'clip-end="npt=', 'clip-end="npt=' + "9" * 400, count=1)
    report = validate_daisy(book)
    assert any("clip-end" in p for p in report.problems)


def test_zero_hertz_audio_is_a_problem(book):
    wav = book / "zero.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(b"\0\0" * 10)
    data = bytearray(wav.read_bytes())
    data[24:28] = (0).to_bytes(4, "little")  # the sample rate: 0 Hz
    wav.write_bytes(bytes(data))
    mp3 = next(book.glob("*.mp3")).name
    _edit(_first_smil(book), f'src="{mp3}"', 'src="zero.wav"', count=-1)
    report = validate_daisy(book)
    assert any("zero.wav" in p and "cannot be read" in p for p in report.problems)


def test_unknown_xml_encoding_is_a_problem(book):
    _edit(book / "ncc.html", 'encoding="utf-8"', 'encoding="x-no-such-thing"')
    report = validate_daisy(book)
    assert any("ncc.html" in p and "encoding" in p for p in report.problems)


def test_deep_ncc_nesting_is_linear(book):
    ncc = book / "ncc.html"
    depth = 16_000
    nested = "<div>" * depth + "x" + "</div>" * depth
    _edit(ncc, "</body>", nested + "</body>")
    started = time.monotonic()
    report = validate_daisy(book)
    assert time.monotonic() - started < 10
    assert not report.valid  # the divs have no ids and no links


def _zip(book: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(book.iterdir()):
            z.write(f, f.name)
    return path


def test_a_zipped_bomb_is_refused_early(book, tmp_path):
    path = _zip(book, tmp_path / "bomb.zip")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.mp3", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(400):
                f.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(DaisyError, match="zip bomb"):
        validate_daisy(path)
    assert time.monotonic() - started < 10


def test_too_many_entries(book, tmp_path, monkeypatch):
    from reader.daisy import validate as daisy_validate

    monkeypatch.setattr(daisy_validate, "MAX_ZIP_ENTRIES", 5)
    with pytest.raises(DaisyError, match="entries"):
        validate_daisy(_zip(book, tmp_path / "many.zip"))


def test_encrypted_and_damaged_zips_give_one_line(book, tmp_path):
    path = _zip(book, tmp_path / "book.zip")
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag in every local and central header.
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        while at >= 0:
            data[at + offset] |= 1
            at = data.find(sig, at + 4)
    locked = tmp_path / "locked.zip"
    locked.write_bytes(bytes(data))
    damaged = tmp_path / "damaged.zip"
    good = path.read_bytes()
    # Keep the central directory, spoil the packed data of the first entries.
    middle = bytearray(good)
    for i in range(200, 4000):
        middle[i] ^= 0x5A
    damaged.write_bytes(bytes(middle))
    for bad, words in ((locked, "encrypted"), (damaged, "damaged|not a folder|outside")):
        done = subprocess.run([READER, "validate-daisy", str(bad)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, (bad, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert lines and lines[-1].startswith("Error:"), done.stderr
        assert "internal error" not in done.stderr
        import re

        assert re.search(words, done.stderr), done.stderr
