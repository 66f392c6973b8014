"""Exports carry the language: ID3 TLAN, Vorbis LANGUAGE, the MP4 track's language,
DAISY dc:language, and xml:lang on a block in another language than the book's."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from reader.daisy.book import write_daisy
from reader.export import ExportOptions, export_article
from reader.export.tags import tags_for
from reader.model import Article, Block

SILENT = ExportOptions(engine="silent", force=True)
ARTICLE = Article(
    (
        Block("headline", "The mayor visits Paris"),
        Block("paragraph", "The mayor said the city had waited a long time."),
        Block("quote", "Nous ne savons pas encore si la ville pourra payer.", language="fr"),
    ),
    headline="The mayor visits Paris",
    language="en-GB",
)


def test_tags_list_every_language_the_article_first():
    tags = tags_for(ARTICLE)
    assert tags.language == "en-GB" and tags.others == ("fr",)
    assert tags.iso639_2 == ["eng", "fre"]
    assert tags_for(Article((Block("paragraph", "Hallo."),), language="de")).iso639_2 == ["ger"]
    assert tags_for(Article((Block("paragraph", "Hi."),))).iso639_2 == []


def test_mp3_tlan_and_vorbis_language(tmp_path):
    from mutagen.id3 import ID3
    from mutagen.oggvorbis import OggVorbis

    export_article(ARTICLE, tmp_path / "a.mp3", SILENT)
    assert ID3(str(tmp_path / "a.mp3"))["TLAN"].text == ["eng", "fre"]
    export_article(ARTICLE, tmp_path / "a.ogg", SILENT)
    assert OggVorbis(str(tmp_path / "a.ogg"))["LANGUAGE"] == ["en-GB", "fr"]


@pytest.mark.slow
def test_m4b_track_language(tmp_path):
    av = pytest.importorskip("av")
    german = Article((Block("paragraph", "Der Bürgermeister sagte es."),), language="de")
    export_article(german, tmp_path / "a.m4b", SILENT)
    with av.open(str(tmp_path / "a.m4b")) as f:
        assert f.streams.audio[0].metadata.get("language") == "ger"


def test_daisy_language_and_xml_lang_per_block(tmp_path):
    result = write_daisy([(ARTICLE, None)], tmp_path / "book", SILENT)
    folder = result.path
    ncc = (folder / "ncc.html").read_text(encoding="utf-8")
    assert 'name="dc:language" content="en-GB"' in ncc
    root = ET.parse(folder / "content.html").getroot()
    marked = [
        el for el in root.iter()
        if el.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    ]  # fmt: skip
    assert len(marked) == 1 and "Nous ne savons" in "".join(marked[0].itertext())
    unmarked = [el for el in root.iter() if "The mayor said" in (el.text or "")]
    assert unmarked and all(
        el.get("{http://www.w3.org/XML/1998/namespace}lang") is None for el in unmarked
    )


@pytest.mark.parametrize("fmt", ["daisy", "epub"])
def test_lang_forces_the_language_of_a_book(fmt, tmp_path, seed_html):
    import re
    import zipfile

    from click.testing import CliRunner

    from reader.cli import main

    out = tmp_path / ("book" if fmt == "daisy" else "book.epub")
    r = CliRunner().invoke(main, ["export", str(seed_html), "--format", fmt, "-o", str(out),
                                  "--engine", "silent", "--lang", "fr", "-q"])
    assert r.exit_code == 0, r.output
    if fmt == "daisy":
        text = (out / "ncc.html").read_text(encoding="utf-8")
        assert re.search(r'<meta name="dc:language" content="fr"', text)
    else:
        opf = zipfile.ZipFile(out).read("EPUB/package.opf").decode()
        assert "<dc:language>fr</dc:language>" in opf
