"""reader export --format epub: EPUB 3 books with media overlays that epubcheck accepts
without an error or a warning, clips where the renderer measured each sentence, and the
EPUB Accessibility 1.1 metadata.

The silent engine keeps these fast and exact; the audio still goes through the real MP3
encoder, so clip times are the MP3's.
"""

from __future__ import annotations

import datetime as dt
import re
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
from reader.daisy.validate import parse_clock
from reader.epub.book import write_epub
from reader.export import ExportOptions, export_article
from reader.model import Article, Block

pytestmark = pytest.mark.slow  # whole books

SILENT = ExportOptions(engine="silent", jobs=1)
TODAY = dt.date(2026, 12, 2)
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "smil": "http://www.w3.org/ns/SMIL", "x": "http://www.w3.org/1999/xhtml",
      "epub": "http://www.idpf.org/2007/ops"}
SECOND = """<html><head><title>Rains return</title></head><body><article>
<h1>Rains return to the Sahel</h1>
<p>Farmers in the Sahel welcomed early rains this week. Wells that had run dry are filling
again.</p>
<p>Forecasters expect a normal season. They warned that floods remain possible.</p>
</article></body></html>"""
THIRD = "A short note about the market.\n\nPrices held steady on Monday. Traders expect calm."
FRENCH = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>La pluie revient au Sahel</title></head><body><article>
<h1>La pluie revient au Sahel</h1>
<p>Les agriculteurs du Sahel ont accueilli des pluies précoces cette semaine. Les puits qui
étaient à sec se remplissent à nouveau.</p>
<figure><img src="puits.jpg" alt=""><figcaption>Un puits près de Mopti, au Mali.</figcaption>
</figure>
<p>Les prévisionnistes attendent une saison normale. Ils ont averti que des inondations
restent possibles.</p>
<ul><li>Plus de semences distribuées.</li><li>Des routes réparées avant la saison.</li></ul>
<table><thead><tr><th>Ville</th><th>Pluie (mm)</th></tr></thead>
<tbody><tr><td>Mopti</td><td>512</td></tr><tr><td>Gao</td><td>210</td></tr></tbody></table>
<blockquote><p>« Nous avons attendu longtemps », a dit un cultivateur.</p></blockquote>
</article></body></html>"""


def _epubcheck() -> list[str] | None:
    """The command that runs Debian's epubcheck (a jar run with java), or None."""
    found = shutil.which("epubcheck")
    if found is None or shutil.which("java") is None:
        return None
    with open(found, "rb") as f:
        is_jar = f.read(2) == b"PK"
    # A short run: the JVM's quick compiler and serial collector halve its start-up time.
    fast = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    return ["java", *fast, "-jar", str(Path(found).resolve())] if is_jar else [found]


EPUBCHECK = _epubcheck()
needs_epubcheck = pytest.mark.skipif(
    EPUBCHECK is None, reason="needs epubcheck and java (Debian: epubcheck; .ci/run installs it)"
)


@pytest.fixture(scope="module")
def seed_article(seed_expected) -> Article:
    e = seed_expected
    blocks = [Block("headline", e["headline"])]
    blocks += [Block("caption", c) for c in e["captions"]]
    blocks += [Block("paragraph", p) for p in e["paragraphs"]]
    return Article(tuple(blocks), headline=e["headline"], site="Editorials", language="en")


@pytest.fixture(scope="module")
def seed_epub(seed_article, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.epub"
    return write_epub([(seed_article, None)], out, SILENT, today=TODAY)


@pytest.fixture(scope="module")
def three_epub(seed_html, tmp_path_factory):
    folder = tmp_path_factory.mktemp("three")
    (folder / "rains.html").write_text(SECOND, encoding="utf-8")
    (folder / "note.txt").write_text(THIRD, encoding="utf-8")
    sources = [str(seed_html), str(folder / "rains.html"), str(folder / "note.txt")]
    pieces = [(parse_source(s), s) for s in sources]
    return write_epub(pieces, folder / "today.epub", SILENT, today=TODAY)


@pytest.fixture(scope="module")
def french_epub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fr")
    (folder / "pluie.html").write_text(FRENCH, encoding="utf-8")
    out = folder / "pluie.epub"  # the format from the extension
    r = CliRunner().invoke(main, ["export", str(folder / "pluie.html"), "-o", str(out),
                                  "--engine", "silent", "--accessible"])
    assert r.exit_code == 0, r.output
    assert "Wrote EPUB 3 book" in r.output and "1 article," in r.output
    return out


class Book:
    """An EPUB opened for reading: its package, and any file by its path in the zip."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.opf = self.xml("EPUB/package.opf")

    def xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(name))

    def meta(self, prop: str, refines: str | None = None) -> list[str]:
        return [m.text or "" for m in self.opf.iterfind("opf:metadata/opf:meta", NS)
                if m.get("property") == prop and m.get("refines") == refines]

    def items(self, media_type: str) -> list[ET.Element]:
        return [i for i in self.opf.iterfind("opf:manifest/opf:item", NS)
                if i.get("media-type") == media_type]

    def overlays(self) -> list[tuple[str, list[tuple[str, str, float, float]]]]:
        """(overlay id, [(text src, audio src, clipBegin, clipEnd)]) in spine order."""
        out = []
        for item in self.items("application/smil+xml"):
            smil = self.xml(f"EPUB/{item.get('href')}")
            pars = []
            for par in smil.iter(f"{{{NS['smil']}}}par"):
                text = par.find("smil:text", NS)
                audio = par.find("smil:audio", NS)
                pars.append((text.get("src"), audio.get("src"),
                             parse_clock(audio.get("clipBegin")),
                             parse_clock(audio.get("clipEnd"))))
            out.append((item.get("id"), pars))
        return out


def test_mimetype_comes_first_and_is_stored(seed_epub):
    info = zipfile.ZipFile(seed_epub.path).infolist()
    assert info[0].filename == "mimetype"
    assert info[0].compress_type == zipfile.ZIP_STORED and not info[0].extra
    assert zipfile.ZipFile(seed_epub.path).read("mimetype") == b"application/epub+zip"
    assert seed_epub.path.read_bytes()[30:58] == b"mimetypeapplication/epub+zip"


def test_every_sentence_is_a_span_and_no_text_is_lost(seed_epub, seed_article):
    book = Book(seed_epub.path)
    doc = book.xml("EPUB/a001.xhtml")
    by_id = {el.get("id"): el for el in doc.iter() if el.get("id")}
    for cue in seed_epub.articles[0].timeline.cues:
        assert by_id[f"a0b{cue.block}s{cue.index}"].text == cue.text
    for b, block in enumerate(seed_article.blocks):
        shown = " ".join("".join(by_id[f"a0b{b}"].itertext()).split())
        assert shown == " ".join(block.text.split())
    x = f"{{{NS['x']}}}"
    assert [el.tag for el in doc.iter() if el.tag in (f"{x}h1", f"{x}figcaption")] == [
        f"{x}h1", f"{x}figcaption"]
    assert by_id["a0b1"].tag == f"{x}figure"  # the caption is a figure's caption


def test_each_par_clip_lies_in_its_audio_and_matches_the_renderer(seed_epub, three_epub,
                                                                   tmp_path):
    """Every clip is inside its MP3 (decoded length, counted in frames) and starts
    within 20 ms of where the renderer measured its sentence, ending at the next one's."""
    for result in (seed_epub, three_epub):
        book = Book(result.path)
        overlays = book.overlays()
        assert len(overlays) == len(result.articles)
        for k, ((_, pars), rendered) in enumerate(zip(overlays, result.articles, strict=True)):
            audio = {a for _, a, _, _ in pars}
            assert audio == {f"audio/a{k + 1:03d}.mp3"}
            mp3 = tmp_path / f"{k}.mp3"
            mp3.write_bytes(book.zip.read(f"EPUB/{audio.pop()}"))
            length = audio_length(mp3)
            assert length is not None
            for _, _, begin, end in pars:
                assert 0 <= begin < end <= length + 0.0005
            tl = rendered.timeline
            assert len(pars) == len(tl.cues)
            for i, (cue, (src, _, begin, end)) in enumerate(zip(tl.cues, pars, strict=True)):
                nxt = tl.cues[i + 1].start if i + 1 < len(tl.cues) else tl.total
                assert src == f"a{k + 1:03d}.xhtml#a{k}b{cue.block}s{cue.index}"
                assert abs(begin - tl.seconds(cue.start)) <= 0.020
                assert abs(end - tl.seconds(nxt)) <= 0.020
                assert begin <= tl.seconds(cue.end) <= end  # the whole sentence is in it


def test_overlay_durations_add_up_to_the_total(seed_epub, three_epub, french_epub):
    for path in (seed_epub.path, three_epub.path, french_epub):
        book = Book(path)
        overlays = book.overlays()
        total = 0.0
        for oid, pars in overlays:
            (stated,) = book.meta("media:duration", f"#{oid}")
            assert parse_clock(stated) == pytest.approx(sum(e - b for _, _, b, e in pars),
                                                        abs=0.0015)
            total += parse_clock(stated)
        (whole,) = book.meta("media:duration")
        assert parse_clock(whole) == pytest.approx(total, abs=0.0005)
    assert parse_clock(Book(seed_epub.path).meta("media:duration")[0]) == pytest.approx(
        seed_epub.duration, abs=0.0005)


def test_accessibility_metadata_lists_every_property(seed_epub):
    book = Book(seed_epub.path)
    assert sorted(book.meta("schema:accessMode")) == ["auditory", "textual"]
    assert sorted(book.meta("schema:accessModeSufficient")) == [
        "auditory", "textual", "textual,auditory"]
    features = book.meta("schema:accessibilityFeature")
    for feature in ("synchronizedAudioText", "readingOrder", "structuralNavigation",
                    "tableOfContents"):
        assert feature in features
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "synchronised" in summary and len(summary) > 100
    assert book.meta("media:active-class") == ["reader-reading"]
    assert book.meta("dcterms:modified") == ["2026-12-02T00:00:00Z"]


def test_the_highlight_is_not_colour_alone(seed_epub):
    book = Book(seed_epub.path)
    (active,) = book.meta("media:active-class")
    css = book.zip.read("EPUB/style.css").decode("utf-8")
    rule = re.search(r"\." + active + r"\s*\{([^}]*)\}", css)
    assert rule is not None
    body = rule.group(1)
    assert "text-decoration: underline" in body and "outline:" in body
    assert "#000000" in body and "#ffff00" in body  # 19.6:1, whatever the page's colours


def test_navigation_has_the_daisy_books_sections(seed_article, seed_epub, tmp_path):
    book = Book(seed_epub.path)
    nav = book.xml("EPUB/nav.xhtml")
    toc = next(n for n in nav.iter(f"{{{NS['x']}}}nav")
               if n.get(f"{{{NS['epub']}}}type") == "toc")
    labels = ["".join(a.itertext()) for a in toc.iter(f"{{{NS['x']}}}a")]
    daisy = write_daisy([(seed_article, None)], tmp_path / "daisy", SILENT, today=TODAY)
    ncc = ET.parse(daisy.path / "ncc.html").getroot()
    assert labels == ["".join(a.itertext()) for a in ncc.iter(f"{{{NS['x']}}}a")]
    doc_ids = {el.get("id") for el in book.xml("EPUB/a001.xhtml").iter()}
    for a in toc.iter(f"{{{NS['x']}}}a"):
        name, frag = a.get("href").split("#")
        assert name == "a001.xhtml" and frag in doc_ids


def test_three_articles_make_one_book_with_a_chapter_each(three_epub, seed_html):
    book = Book(three_epub.path)
    spine = [i.get("idref") for i in book.opf.iterfind("opf:spine/opf:itemref", NS)]
    assert spine == ["c1", "c2", "c3"]
    (title,) = [t.text for t in book.opf.iterfind("opf:metadata/dc:title", NS)]
    assert title.startswith("Today's reading")
    heads = ["".join(book.xml(f"EPUB/a00{k}.xhtml").find(".//x:h1", NS).itertext())
             for k in (1, 2, 3)]
    assert heads[:2] == [parse_source(str(seed_html)).title, "Rains return to the Sahel"]


def test_another_language_is_declared_in_the_book_and_its_text(french_epub):
    book = Book(french_epub)
    assert [t.text for t in book.opf.iterfind("opf:metadata/dc:language", NS)] == ["fr"]
    doc = book.xml("EPUB/a001.xhtml")
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr" == doc.get("lang")
    x = f"{{{NS['x']}}}"
    tags = [el.tag for el in doc.iter()]
    for tag in ("ul", "li", "blockquote", "figure", "figcaption"):
        assert f"{x}{tag}" in tags, tag
    assert len(doc.find(".//x:ul", NS)) == 2  # both list items in one list


def test_a_table_is_a_table_whose_rows_are_read_along(french_epub):
    book = Book(french_epub)
    [(_, pars)] = book.overlays()
    doc = book.xml(pars[0][0].split("#")[0].join(["EPUB/", ""]))
    [table] = doc.iter(f"{{{NS['x']}}}table")
    rows = list(table.iter(f"{{{NS['x']}}}tr"))
    assert [[c.text for c in r] for r in rows] == [["Ville", "Pluie (mm)"], ["Mopti", "512"],
                                                   ["Gao", "210"]]
    assert [c.get("scope") for c in rows[0]] == ["col", "col"]
    read = {src.split("#")[1] for src, *_ in pars}
    assert all(r.get("id") in read for r in rows)  # each row is highlighted as it is read


@needs_epubcheck
@pytest.mark.parametrize("which", ["seed_epub", "three_epub", "french_epub"])
def test_epubcheck_finds_no_error_and_no_warning(which, request):
    book = request.getfixturevalue(which)
    path = book.path if hasattr(book, "path") else book
    done = subprocess.run([*EPUBCHECK, str(path)], capture_output=True, text=True, timeout=300)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "No errors or warnings detected" in report, report
    assert not re.search(r"^(ERROR|WARNING|FATAL)", report, re.M), report


def test_bad_output_name_and_failed_export_leave_nothing(seed_html, tmp_path):
    r = CliRunner().invoke(main, ["export", str(seed_html), "--format", "epub", "-o",
                                  str(tmp_path / "book.zip"), "--engine", "silent"])
    assert r.exit_code == 1
    assert r.output.splitlines()[-1] == "Error: book.zip does not end in .epub. Name the book " \
        "book.epub."
    r = CliRunner().invoke(main, ["export", str(seed_html), "-o", str(tmp_path / "b.epub"),
                                  "--engine", "no-such-engine"])
    assert r.exit_code != 0 and r.output.splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in r.output
    assert list(tmp_path.iterdir()) == []  # no book, no hidden audio folder or part file
    (tmp_path / "b.epub").write_bytes(b"mine")
    r = CliRunner().invoke(main, ["export", str(seed_html), "-o", str(tmp_path / "b.epub"),
                                  "--engine", "silent"])
    assert r.exit_code == 1 and "already exists" in r.output
    assert (tmp_path / "b.epub").read_bytes() == b"mine"


@pytest.mark.speech
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg to decode MP3")
def test_real_speech_each_par_starts_at_its_sentence(tmp_path):
    """Real pyttsx3 speech: every sentence's own audio (from a WAV export of the same
    article) is found in the book's decoded MP3 within 20 ms of its par's clipBegin."""
    article = Article((
        Block("headline", "Harbour reopens"),
        Block("caption", "Fishing boats at dawn."),
        Block("paragraph", "The harbour reopened on Tuesday. Crews cleared the debris overnight."),
        Block("list_item", "Ferries run hourly."),
        Block("quote", "We are back, said the harbour master."),
    ), headline="Harbour reopens", language="en")
    options = ExportOptions(jobs=1)
    wav = export_article(article, tmp_path / "ref.wav", options)
    result = write_epub([(article, None)], tmp_path / "b.epub", options, today=TODAY)
    book = Book(result.path)
    sr = wav.timeline.sample_rate
    with wave.open(str(wav.path)) as w:
        ref = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
    assert np.abs(ref).max() > 1000  # real speech, not silence
    (tmp_path / "a.mp3").write_bytes(book.zip.read("EPUB/audio/a001.mp3"))
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "a.mp3"), "-f", "s16le",
                          "-ac", "1", "-ar", str(sr), "-"], capture_output=True, check=True).stdout
    dec = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    ((_, pars),) = book.overlays()
    assert len(pars) == len(wav.timeline.cues) == 6
    window = sr // 4
    for cue, (_, _, begin, end) in zip(wav.timeline.cues, pars, strict=True):
        speech = ref[cue.start:cue.end]
        at = int(round(begin * sr))
        lo = max(0, at - window)
        corr = np.correlate(dec[lo:at + window + len(speech)], speech, mode="valid")
        found = lo + int(np.argmax(corr))
        assert abs(found - at) / sr <= 0.020, (cue.text, found / sr, begin)
        assert end - begin >= len(speech) / sr - 0.020  # the clip holds the whole sentence
