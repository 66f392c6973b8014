"""reader export: the seed article to every format, chapters, tags and timing.

Most tests use the silent engine (exact, fast); the alignment test uses real pyttsx3
speech and FFmpeg's decoder.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from reader.cli import main
from reader.export import ExportOptions, export_article
from reader.export.encoders import LAME_DELAY
from reader.model import Article, Block

pytestmark = pytest.mark.slow  # whole exports, real speech, ffmpeg checks

SILENT = ExportOptions(engine="silent", jobs=1)
HAS_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


@pytest.fixture(scope="module")
def seed_article(seed_expected) -> Article:
    """The seed as reader should read it: headline, caption, 7 paragraphs (no summary:
    the body repeats it). Built from the expected outline so these tests exercise the
    exporter alone."""
    e = seed_expected
    blocks = [Block("headline", e["headline"])]
    blocks += [Block("caption", c) for c in e["captions"]]
    blocks += [Block("paragraph", p) for p in e["paragraphs"]]
    return Article(tuple(blocks), headline=e["headline"], site="Editorials", language="en")


def srt_starts(text: str) -> list[float]:
    """The start of every cue in an SRT file, in seconds."""
    out = []
    for h, m, s, ms in re.findall(r"^(\d+):(\d+):(\d+),(\d+) -->", text, re.M):
        out.append(int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000)
    return out


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def decodes(path: Path) -> str:
    """FFmpeg's complaints while decoding ``path`` completely (empty when clean)."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.decode()


def test_seed_mp3_has_ctoc_and_nine_titled_chapters_matching_the_timing(seed_article, tmp_path):
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    options = ExportOptions(engine="silent", jobs=1, timing="srt")
    result = export_article(seed_article, tmp_path / "seed.mp3", options)
    tags = ID3(tmp_path / "seed.mp3")
    (toc,) = tags.getall("CTOC")
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    ordered = [chaps[i] for i in toc.child_element_ids]
    assert len(ordered) == 9
    titles = [c.sub_frames["TIT2"].text[0] for c in ordered]
    assert titles[0] == f"Headline: {seed_article.headline}"
    assert titles[1].startswith("Image caption: Nigerian troops for the")
    assert [t.split(":")[0] for t in titles[2:]] == [f"Paragraph {n} of 7" for n in range(1, 8)]
    starts = [c.start_time for c in ordered]
    assert starts == sorted(starts) and len(set(starts)) == 9
    # Each chapter starts where the timing file's first cue of its block starts.
    cue_starts = srt_starts((tmp_path / "seed.srt").read_text(encoding="utf-8"))
    first_cue = {}
    for cue, t in zip(result.timeline.cues, cue_starts, strict=True):
        first_cue.setdefault(cue.block, t)
    assert len(first_cue) == 9
    for chap, block in zip(ordered, sorted(first_cue), strict=True):
        assert abs(chap.start_time / 1000 - first_cue[block]) <= 0.020
    # In file order too, for players that ignore the CTOC.
    raw = (tmp_path / "seed.mp3").read_bytes()[: tags.size]
    assert re.findall(rb"CHAP.{6}(ch\d{3})\x00", raw, re.S) == [
        i.encode() for i in toc.child_element_ids
    ]
    assert tags["TIT2"].text == [seed_article.headline]
    assert tags["TPE1"].text == ["Editorials"]
    assert tags["TLAN"].text == ["eng"]  # ISO 639-2, as ID3v2.4 says
    # Same length as the WAV export, to within 1 %.
    wav = export_article(seed_article, tmp_path / "seed.wav", SILENT)
    assert (
        abs(MP3(tmp_path / "seed.mp3").info.length - wav_seconds(wav.path)) <= 0.01 * wav.duration
    )
    if HAS_FFMPEG:
        assert decodes(tmp_path / "seed.mp3") == ""


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "m4b"])
def test_every_format_has_the_wav_duration_and_its_chapters(seed_article, tmp_path, fmt):
    result = export_article(seed_article, tmp_path / f"seed.{fmt}", SILENT)
    total = result.timeline.total / result.timeline.sample_rate
    import soundfile

    if fmt in ("wav", "flac", "ogg"):
        info = soundfile.info(str(result.path))
        assert abs(info.frames / info.samplerate - total) < 0.001
    if fmt in ("flac", "ogg"):
        from mutagen import File

        tags = File(result.path)
        assert tags["TITLE"] == [seed_article.headline]
        assert tags["CHAPTER002NAME"][0].startswith("Image caption:")
        assert "CHAPTER009" in tags and "CHAPTER010" not in tags
    if fmt == "m4b":
        import av

        with av.open(str(result.path)) as c:
            chapters = c.chapters()
            assert c.metadata["title"] == seed_article.headline
            assert abs(c.duration / 1_000_000 - total) <= 0.01 * total
        assert [ch["metadata"]["title"] for ch in chapters] == [
            ch.title for ch in result.timeline.chapters
        ]
        starts = [float(ch["start"] * ch["time_base"]) for ch in chapters]
        for got, want in zip(starts, result.timeline.chapters, strict=True):
            assert abs(got - want.start / result.timeline.sample_rate) <= 0.020
    if HAS_FFMPEG:
        assert decodes(result.path) == ""


def decoded(path: Path, sr: int) -> np.ndarray:
    """``path`` decoded by FFmpeg to mono PCM at ``sr``."""
    cmd = ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(sr), "-"]
    pcm = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32)


def lag(ref: np.ndarray, dec: np.ndarray, sr: int) -> int:
    """Samples by which ``dec`` is late against ``ref`` (cross-correlation, first 8 s)."""
    a, b = ref[: 8 * sr], dec[: 9 * sr]
    corr = np.fft.irfft(np.fft.rfft(b, 2 * len(b)) * np.conj(np.fft.rfft(a, 2 * len(b))))
    return int(np.argmax(corr[:sr]))


def onset_errors(pcm: np.ndarray, starts: list[float], sr: int) -> list[float]:
    """For each cue after the first (each follows a pause), the distance in seconds from
    its start to the first sound within 150 ms of it."""
    out = []
    for t in starts[1:]:
        at = int(round(t * sr))
        lo = at - int(0.15 * sr)
        loud = np.flatnonzero(np.abs(pcm[lo : at + int(0.15 * sr)]) > 150)
        out.append(abs(lo + int(loud[0]) - at) / sr if len(loud) else 1.0)
    return out


@pytest.mark.skipif(not HAS_FFMPEG, reason="needs ffmpeg to decode independently")
def test_real_speech_files_line_up_with_their_timing(seed_article, tmp_path):
    """Real pyttsx3 speech: decoded MP3, M4B and OGG audio sits where each file's timing
    says (within 20 ms); MP3's timing includes the decoder's fixed delay."""
    options = ExportOptions(jobs=1, timing="json")
    wav = export_article(seed_article, tmp_path / "s.wav", options)
    sr = wav.timeline.sample_rate
    with wave.open(str(wav.path)) as w:
        ref = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
    assert np.abs(ref).max() > 1000  # real speech, not silence
    for fmt, delay in (("mp3", LAME_DELAY), ("m4b", 0), ("ogg", 0)):
        out = export_article(seed_article, tmp_path / f"{fmt}.{fmt}", options)
        shift = out.timeline.cues[0].start - wav.timeline.cues[0].start
        assert shift == delay
        assert abs(lag(ref, decoded(out.path, sr), sr) - shift) / sr <= 0.020, fmt
        # Each sentence's speech begins where the file's own timing file says.
        cues = json.loads((tmp_path / f"{fmt}.json").read_text())["cues"]
        assert len(cues) == len(out.timeline.cues)
        errors = onset_errors(decoded(out.path, sr), [c["start"] for c in cues], sr)
        assert max(errors) <= 0.020, (fmt, errors)
    # In the WAV, cues end where silence (the pause) begins, and the next cue ends it.
    for cue, nxt in zip(wav.timeline.cues, wav.timeline.cues[1:], strict=False):
        assert not ref[cue.end : nxt.start].any()
    assert abs(wav_seconds(wav.path) - wav.duration) < 1e-6


def test_timing_formats_have_one_cue_per_sentence(seed_article, tmp_path):
    from reader.export.timing import render_timing

    result = export_article(seed_article, tmp_path / "t.wav", SILENT)
    tl, n = result.timeline, len(result.timeline.cues)
    assert len(srt_starts(render_timing("srt", tl, seed_article))) == n
    vtt = render_timing("vtt", tl, seed_article)
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == n
    lrc = render_timing("lrc", tl, seed_article).splitlines()
    stamps = [ln for ln in lrc if re.match(r"\[\d\d:\d\d\.\d\d\]", ln)]
    assert len(stamps) == n
    m, s = stamps[-1][1:9].split(":")
    assert abs(int(m) * 60 + float(s) - tl.cues[-1].start / tl.sample_rate) <= 0.005
    data = json.loads(render_timing("json", tl, seed_article))
    assert len(data["cues"]) == n and len(data["chapters"]) == 9
    assert data["cues"][3]["text"] == tl.cues[3].text


def test_cli_exports_the_seed_through_the_parser(seed_html, tmp_path):
    out = tmp_path / "mali.m4b"
    res = CliRunner().invoke(
        main, ["export", str(seed_html), "-o", str(out), "--engine", "silent", "--timing", "vtt"]
    )
    assert res.exit_code == 0, res.output
    assert out.exists() and (tmp_path / "mali.vtt").exists()
    # The seed's parsed outline: headline, one caption, 7 paragraphs (summary not read).
    assert re.search(r"Wrote .*mali\.m4b: .*, 9 chapters, \d+ sentences", res.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mali.m4b", "mali.vtt"]


def test_more_than_255_chapters_nest_the_table_of_contents(tmp_path):
    """A CTOC holds at most 255 children: longer articles get ordered sub-tables."""
    from mutagen.id3 import ID3

    blocks = (Block("headline", "Long"),) + tuple(
        Block("paragraph", f"Paragraph text number {i}.") for i in range(300)
    )
    result = export_article(Article(blocks, headline="Long"), tmp_path / "l.mp3", SILENT)
    tags = ID3(tmp_path / "l.mp3")
    tocs = {t.element_id: t for t in tags.getall("CTOC")}
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    order = [cid for sub in tocs["toc"].child_element_ids for cid in tocs[sub].child_element_ids]
    assert [len(tocs[s].child_element_ids) for s in tocs["toc"].child_element_ids] == [255, 46]
    titles = [chaps[c].sub_frames["TIT2"].text[0] for c in order]
    assert titles == [c.title for c in result.timeline.chapters]
    assert titles[-1] == "Paragraph 300 of 300: Paragraph text number 299."


def test_m4b_without_pyav_is_one_clear_error_before_any_work(seed_article, tmp_path, monkeypatch):
    from reader.errors import ExportError

    monkeypatch.setitem(sys.modules, "av", None)  # as if the m4b extra were not installed
    with pytest.raises(ExportError, match="av package") as e:
        export_article(seed_article, tmp_path / "s.m4b", SILENT)
    assert "reader[m4b]" in (e.value.hint or "")
    assert list(tmp_path.iterdir()) == []

