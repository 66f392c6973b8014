"""reader export --format daisy: DAISY 2.02 books that pass the validator, with clips
where the renderer measured each sentence.

Most tests use the silent engine (exact, fast); one uses real pyttsx3 speech and
FFmpeg's decoder to find every sentence in the book's MP3.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import wave
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from reader import parse_source
from reader.cli import main
from reader.daisy.audio import audio_length
from reader.daisy.book import write_daisy
from reader.daisy.files import sentence_id
from reader.daisy.validate import parse_clock, validate_daisy
from reader.export import ExportOptions, export_article
from reader.model import Article, Block

pytestmark = pytest.mark.slow  # whole DAISY books

SILENT = ExportOptions(engine="silent", jobs=1)
HAS_FFMPEG = shutil.which("ffmpeg") is not None
X = "{http://www.w3.org/1999/xhtml}"

SECOND = """<html><head><title>Rains return</title></head><body><article>
<h1>Rains return to the Sahel</h1>
<p>Farmers in the Sahel welcomed early rains this week. Wells that had run dry are filling
again.</p>
<p>Forecasters expect a normal season. They warned that floods remain possible.</p>
</article></body></html>"""
THIRD = "A short note about the market.\n\nPrices held steady on Monday. Traders expect calm."


@pytest.fixture(scope="module")
def seed_article(seed_expected) -> Article:
    """The seed as reader should read it (headline, caption, 7 paragraphs), built from the
    expected outline so these tests exercise the DAISY writer, not the parser."""
    e = seed_expected
    blocks = [Block("headline", e["headline"])]
    blocks += [Block("caption", c) for c in e["captions"]]
    blocks += [Block("paragraph", p) for p in e["paragraphs"]]
    return Article(tuple(blocks), headline=e["headline"], site="Editorials", language="en")


@pytest.fixture(scope="module")
def seed_book(seed_article, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "book"
    return write_daisy([(seed_article, None)], out, SILENT, today=dt.date(2026, 11, 28))


def ncc_headings(book: Path) -> list[tuple[str, str | None, str]]:
    """(tag, class, label) of every NCC heading, in order."""
    root = ET.parse(book / "ncc.html").getroot()
    return [(el.tag[len(X):], el.get("class"), "".join(el.itertext()).strip())
            for el in root.iter() if el.tag[len(X):] in ("h1", "h2", "h3")]


def pars(book: Path) -> list[tuple[str, str, float, float]]:
    """(text id, audio file, clip-begin, clip-end) of every <par>, in reading order."""
    out = []
    for smil in sorted(book.glob("s*.smil")):
        for par in ET.parse(smil).getroot().iter("par"):
            text, audio = par.find("text"), par.find("seq/audio")  # the form daisy-dtb reads
            out.append((text.get("src").split("#")[1], audio.get("src"),
                        parse_clock(audio.get("clip-begin")), parse_clock(audio.get("clip-end"))))
    return out


def test_seed_book_is_valid(seed_book):
    report = validate_daisy(seed_book.path)
    assert report.problems == ()
    assert len(report.sections) == seed_book.sections == 9  # headline, caption, 7 paragraphs
    assert report.total_time == pytest.approx(seed_book.duration, abs=0.001)


def test_ncc_links_to_text_and_every_par_holds_text_and_a_seq_of_audio(seed_book):
    """The forms real players need: daisy-player follows NCC links to <text>, daisy-dtb
    finds clips only inside a <seq>."""
    root = ET.parse(seed_book.path / "ncc.html").getroot()
    hrefs = [a.get("href") for a in root.iter(f"{X}a")]
    assert len(hrefs) == seed_book.sections
    for href in hrefs:
        smil, frag = href.split("#")
        target = next(el for el in ET.parse(seed_book.path / smil).getroot().iter()
                      if el.get("id") == frag)
        assert target.tag == "text"
    for smil in seed_book.path.glob("s*.smil"):
        for par in ET.parse(smil).getroot().iter("par"):
            assert [c.tag for c in par] == ["text", "seq"]
            assert [c.tag for c in par.find("seq")] == ["audio"]


def test_seed_ncc_has_the_headline_then_each_block(seed_book, seed_expected):
    heads = ncc_headings(seed_book.path)
    assert heads[0] == ("h1", "title", seed_expected["headline"])
    assert [h[0] for h in heads[1:]] == ["h2"] * 8
    # Numbered only where a kind repeats; at most 60 characters, cut at a word.
    assert heads[1][2].startswith("Image caption: Nigerian troops")
    assert all(len(h[2]) <= 60 for h in heads)
    cut = heads[1][2].removeprefix("Image caption: ")
    assert cut.endswith("\u2026") and seed_expected["captions"][0].startswith(cut[:-1])
    assert heads[2][2].startswith("Paragraph 1 of 7: French forces")
    assert heads[-1][2].startswith("Paragraph 7 of 7: ")


def test_every_sentence_has_an_id_and_a_par_and_no_text_is_lost(seed_book, seed_article):
    timeline = seed_book.articles[0].timeline
    content = ET.parse(seed_book.path / "content.html").getroot()
    by_id = {el.get("id"): el for el in content.iter() if el.get("id")}
    assert [p[0] for p in pars(seed_book.path)] == [
        sentence_id(0, c.block, c.index) for c in timeline.cues]
    for cue in timeline.cues:
        assert by_id[sentence_id(0, cue.block, cue.index)].text == cue.text
    for b, block in enumerate(seed_article.blocks):
        shown = " ".join("".join(by_id[f"a0b{b}"].itertext()).split())
        assert shown == " ".join(block.text.split())


def test_clips_match_the_renderers_timing_within_20_ms(seed_book):
    """Each clip starts at its sentence's first sample (as the renderer measured it, in
    the MP3's time) and runs to the next sentence's, keeping the pause between them."""
    tl = seed_book.articles[0].timeline
    clips = pars(seed_book.path)
    assert len(clips) == len(tl.cues)
    for i, (cue, (_, audio, begin, end)) in enumerate(zip(tl.cues, clips, strict=True)):
        nxt = tl.cues[i + 1].start if i + 1 < len(tl.cues) else tl.total
        assert audio == "a001.mp3"
        assert abs(begin - tl.seconds(cue.start)) <= 0.020
        assert abs(end - tl.seconds(nxt)) <= 0.020
        assert begin <= tl.seconds(cue.end) <= end  # the whole sentence is in its clip


def test_cli_exports_the_seed_through_the_parser(seed_html, tmp_path):
    out = tmp_path / "book"
    r = CliRunner().invoke(main, ["export", str(seed_html), "--format", "daisy", "-o", str(out),
                                  "--engine", "silent", "--accessible"])
    assert r.exit_code == 0, r.output
    assert "Wrote DAISY 2.02 book" in r.output
    r = CliRunner().invoke(main, ["validate-daisy", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Valid DAISY 2.02 book: ")


def _batch_sources(seed_html: Path, tmp_path: Path) -> list[str]:
    (tmp_path / "rains.html").write_text(SECOND, encoding="utf-8")
    (tmp_path / "market.txt").write_text(THIRD, encoding="utf-8")
    return [str(seed_html), str(tmp_path / "rains.html"), str(tmp_path / "market.txt")]


def test_three_articles_make_one_book_with_a_heading_each(seed_html, tmp_path):
    out = tmp_path / "today"
    sources = _batch_sources(seed_html, tmp_path)
    r = CliRunner().invoke(main, ["export", *sources, "--format",
                                  "daisy", "-o", str(out), "--engine", "silent", "-q"])
    assert r.exit_code == 0, r.output
    report = validate_daisy(out)
    assert report.problems == ()
    h1 = [h for h in ncc_headings(out) if h[0] == "h1"]
    assert h1[0][1] == "title" and h1[0][2].startswith("Today's reading")
    assert [h[2] for h in h1[1:]] == [parse_source(s).title for s in sources]
    assert h1[1][2] == "International Community Stands With Mali"
    assert sorted(p.name for p in out.glob("*.mp3")) == [f"a00{n}.mp3" for n in (1, 2, 3, 4)]
    # Each article's clips stay in its own MP3, and each MP3's clips are in order.
    clips = pars(out)
    for mp3 in out.glob("*.mp3"):
        mine = [(b, e) for _, a, b, e in clips if a == mp3.name]
        assert mine
        assert all(e0 <= b1 + 1e-9 for (_, e0), (b1, _) in zip(mine, mine[1:], strict=False))


def test_zip_output_holds_a_valid_book(seed_html, tmp_path):
    out = tmp_path / "book.zip"
    r = CliRunner().invoke(main, ["export", *_batch_sources(seed_html, tmp_path), "--format",
                                  "daisy", "-o", str(out), "--engine", "silent", "-q"])
    assert r.exit_code == 0, r.output
    assert "ncc.html" in zipfile.ZipFile(out).namelist()
    r = CliRunner().invoke(main, ["validate-daisy", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Valid DAISY 2.02 book: ")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files


def test_non_empty_folder_is_refused_without_force(seed_html, tmp_path):
    out = tmp_path / "book"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    args = ["export", str(seed_html), "--format", "daisy", "-o", str(out), "--engine", "silent"]
    for extra in ([], ["--force"]):  # --force replaces only a DAISY book, never other files
        r = CliRunner().invoke(main, args + extra)
        assert r.exit_code == 1
        assert r.output.splitlines()[-1].startswith("Error: the folder ")
        assert "Traceback" not in r.output
        assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (out / "notes.txt").unlink()
    assert CliRunner().invoke(main, args).exit_code == 0  # an empty folder is fine
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and "exists and is not empty" in r.output and "--force" in r.output
    r = CliRunner().invoke(main, args + ["--force"])
    assert r.exit_code == 0, r.output
    assert validate_daisy(out).problems == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book"]  # nothing left behind


def test_a_failed_export_leaves_nothing(seed_html, tmp_path):
    out = tmp_path / "book"
    r = CliRunner().invoke(main, ["export", str(seed_html), "--format", "daisy", "-o", str(out),
                                  "--engine", "no-such-engine"])
    assert r.exit_code != 0
    assert r.output.splitlines()[-1].startswith("Error: ")
    assert list(tmp_path.iterdir()) == []


def test_article_without_captions_or_summary(tmp_path):
    blocks = (Block("headline", "Quiet day"), Block("paragraph", "Nothing happened. At all."))
    article = Article(blocks, headline="Quiet day")
    result = write_daisy([(article, None)], tmp_path / "b", SILENT)
    assert validate_daisy(result.path).problems == ()
    assert ncc_headings(result.path) == [("h1", "title", "Quiet day"),
                                         ("h2", None, "Paragraph: Nothing happened. At all.")]


def test_one_sentence_article(tmp_path):
    (tmp_path / "one.txt").write_text("Just one sentence here.", encoding="utf-8")
    out = tmp_path / "b"
    r = CliRunner().invoke(main, ["export", str(tmp_path / "one.txt"), "--format", "daisy",
                                  "-o", str(out), "--engine", "silent", "-q"])
    assert r.exit_code == 0, r.output
    report = validate_daisy(out)
    assert report.problems == () and len(report.sections) == 1
    assert ncc_headings(out) == [("h1", "title", "Just one sentence here.")]
    assert len(pars(out)) == 1


def test_summary_and_caption_are_navigable_items(tmp_path):
    article = Article((Block("headline", "Big news"), Block("caption", "A photo of it."),
                       Block("summary", "The short version."), Block("paragraph", "The long one.")),
                      headline="Big news", summary="The short version.")
    result = write_daisy([(article, None)], tmp_path / "b", SILENT)
    assert validate_daisy(result.path).problems == ()
    labels = [h[2] for h in ncc_headings(result.path)]
    assert labels == ["Big news", "Image caption: A photo of it.",
                      "Summary: The short version.", "Paragraph: The long one."]


@pytest.mark.skipif(not HAS_FFMPEG, reason="needs ffmpeg to decode MP3 independently")
def test_real_speech_each_clip_starts_at_its_sentence(tmp_path):
    """Real pyttsx3 speech: every sentence's own audio (from a WAV export of the same
    article) is found in the book's decoded MP3 within 20 ms of its clip-begin."""
    article = Article((
        Block("headline", "Harbour reopens"),
        Block("summary", "Boats are back after the storm."),
        Block("caption", "Fishing boats at dawn."),
        Block("paragraph", "The harbour reopened on Tuesday. Crews cleared the debris overnight."),
        Block("paragraph", "Officials thanked the volunteers."),
    ), headline="Harbour reopens", language="en")
    options = ExportOptions(jobs=1)
    wav = export_article(article, tmp_path / "ref.wav", options)
    book = write_daisy([(article, None)], tmp_path / "b", options)
    assert validate_daisy(book.path).problems == ()
    sr = wav.timeline.sample_rate
    with wave.open(str(wav.path)) as w:
        ref = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
    assert np.abs(ref).max() > 1000  # real speech, not silence
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(book.path / "a001.mp3"), "-f",
                          "s16le", "-ac", "1", "-ar", str(sr), "-"],
                         capture_output=True, check=True).stdout
    dec = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    # The validator's frame count is the length FFmpeg decodes (lameenc writes no Info frame).
    assert audio_length(book.path / "a001.mp3") == pytest.approx(len(dec) / sr, abs=0.001)
    clips = pars(book.path)
    assert len(clips) == len(wav.timeline.cues) == 6
    window = sr // 4
    for cue, (_, _, begin, end) in zip(wav.timeline.cues, clips, strict=True):
        speech = ref[cue.start:cue.end]
        at = int(round(begin * sr))
        lo = max(0, at - window)
        seg = dec[lo:at + window + len(speech)]
        corr = np.correlate(seg, speech, mode="valid")
        found = lo + int(np.argmax(corr))
        assert abs(found - at) / sr <= 0.020, (cue.text, found / sr, begin)
        assert end - begin >= len(speech) / sr - 0.020  # the clip holds the whole sentence
