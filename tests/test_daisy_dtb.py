"""DAISY books opened by a reader nobody here wrote: the ``daisy-dtb`` library (PyPI).

It reads the NCC, follows each section to its SMIL file and collects every ``<par>``'s
text and audio clips the way production books lay them out. Every sentence must come back
with its own text and a clip within 20 ms of where the renderer measured it.
"""

from __future__ import annotations

import datetime as dt
import typing
import warnings
from pathlib import Path

import pytest

from reader import parse_source
from reader.daisy.book import write_daisy
from reader.export import ExportOptions
from reader.model import Article, Block

if not hasattr(typing, "override"):
    # daisy-dtb imports typing.override (Python 3.12) as a decorator that changes nothing;
    # the identity lets it load on Python 3.11, which reader supports.
    typing.override = lambda f: f  # type: ignore[attr-defined]
# It calls chardet.universaldetector without importing it; chardet 7 no longer does on import.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # chardet 7 deprecates the name
    pytest.importorskip("chardet.universaldetector", reason="daisy-dtb needs chardet")
daisy_dtb = pytest.importorskip("daisy_dtb", reason="daisy-dtb is a test extra (.[test])")

pytestmark = pytest.mark.slow  # whole DAISY books

SILENT = ExportOptions(engine="silent", jobs=1)
SECOND = """<html><head><title>Rains return</title></head><body><article>
<h1>Rains return to the Sahel</h1>
<p>Farmers in the Sahel welcomed early rains this week. Wells that had run dry are filling
again.</p>
<p>Forecasters expect a normal season. They warned that floods remain possible.</p>
</article></body></html>"""
THIRD = "A short note about the market.\n\nPrices held steady on Monday. Traders expect calm."


@pytest.fixture(autouse=True)
def _quiet_library():
    from loguru import logger

    logger.disable("daisy_dtb")  # it logs every file it opens at DEBUG level to stderr
    yield
    logger.enable("daisy_dtb")


def _clips_seen_by_daisy_dtb(book: Path) -> list[tuple[str, str, float, float]]:
    """(text, audio file, begin, end) of every clip daisy-dtb finds, in reading order."""
    dtb = daisy_dtb.DaisyBook(daisy_dtb.FolderDtbSource(str(book)))
    out = []
    for smil in dtb.smils:
        for section in smil.sections:
            assert len(section.clips) == 1, (smil.reference.resource, section.id)
            clip = section.clips[0]
            out.append((section.text.content, clip.src, clip.begin, clip.end))
    return out


def _check(result) -> int:
    seen = _clips_seen_by_daisy_dtb(result.path)
    expected = []
    for article in result.articles:
        tl = article.timeline
        for i, cue in enumerate(tl.cues):
            end = tl.cues[i + 1].start if i + 1 < len(tl.cues) else tl.total
            expected.append((cue.text, article.path.name, tl.seconds(cue.start), tl.seconds(end)))
    assert len(seen) == len(expected)
    for (text, src, begin, end), (want, audio, start, stop) in zip(seen, expected, strict=True):
        assert " ".join(text.split()) == " ".join(want.split())
        assert src == audio
        assert abs(begin - start) <= 0.020 and abs(end - stop) <= 0.020, (want, begin, start)
    return len(seen)


def test_daisy_dtb_finds_every_sentence_of_the_seed_book(seed_expected, tmp_path):
    e = seed_expected
    blocks = [Block("headline", e["headline"])]
    blocks += [Block("caption", c) for c in e["captions"]]
    blocks += [Block("paragraph", p) for p in e["paragraphs"]]
    article = Article(tuple(blocks), headline=e["headline"], language="en")
    result = write_daisy([(article, None)], tmp_path / "book", SILENT, today=dt.date(2026, 12, 2))
    dtb = daisy_dtb.DaisyBook(daisy_dtb.FolderDtbSource(str(result.path)))
    assert dtb.title == e["headline"]
    assert len(dtb.smils) == result.sections == 9
    assert _check(result) == len(result.articles[0].timeline.cues) == 16


def test_daisy_dtb_finds_every_sentence_of_a_three_article_book(seed_html, tmp_path):
    (tmp_path / "rains.html").write_text(SECOND, encoding="utf-8")
    (tmp_path / "note.txt").write_text(THIRD, encoding="utf-8")
    sources = [str(seed_html), str(tmp_path / "rains.html"), str(tmp_path / "note.txt")]
    pieces = [(parse_source(s), s) for s in sources]
    result = write_daisy(pieces, tmp_path / "book", SILENT, today=dt.date(2026, 12, 2))
    assert len(result.articles) == 4  # the book's title section, then each article
    assert _check(result) == sum(len(a.timeline.cues) for a in result.articles)
