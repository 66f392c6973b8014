"""Articles -> one EPUB 3 book whose text reads itself aloud (media overlays).

Reading systems that people with low vision use (Thorium, Apple Books, Voice Dream,
Readium apps) show the text in the reader's own size and colours and highlight the
sentence being read. The book holds, under ``EPUB/``, one XHTML content document, one
SMIL overlay and one MP3 per article (``reader.epub.files``), the navigation document
and ``package.opf`` with the EPUB Accessibility 1.1 metadata (``ACCESSIBILITY``).

The audio is ``reader.export.collection.render_articles``'s, the same render, encoder
and timeline as ``reader export`` and the DAISY book. The file is written all or
nothing: the articles render into a hidden folder beside ``out``, the zip is written to
a hidden temporary file and renamed only when complete.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reader.daisy.files import clip_ms
from reader.epub import files as layout
from reader.errors import ExportError
from reader.export.collection import (
    ProgressFactory,
    collection_title,
    creators,
    fingerprint,
    languages,
    reader_version,
    render_articles,
)
from reader.export.exporter import ExportOptions, ExportResult
from reader.export.safefile import check_not_source, check_target, os_error, output_set
from reader.model import Article

#: The accessibility metadata every book states (EPUB Accessibility 1.1, schema.org
#: properties). Text and audio each hold the whole of every article, so either suffices.
ACCESS_MODES = ("textual", "auditory")
ACCESS_MODES_SUFFICIENT = ("textual", "auditory", "textual,auditory")
ACCESSIBILITY_FEATURES = (
    "synchronizedAudioText",
    "readingOrder",
    "structuralNavigation",
    "tableOfContents",
    "displayTransformability",
)
ACCESSIBILITY_SUMMARY = (
    "The full text of every article with a synthetic-speech narration synchronised "
    "sentence by sentence (media overlays): text and audio each hold all of it. "
    "Headlines, captions, lists and quotes are marked up as such, the reading order is "
    "the articles' own, and the table of contents leads to every part. The sentence "
    "being read is shown in yellow on black, underlined and outlined. Text size, font "
    "and colours are left to the reading system."
)
ACCESSIBILITY = (
    *(("schema:accessMode", m) for m in ACCESS_MODES),
    *(("schema:accessModeSufficient", m) for m in ACCESS_MODES_SUFFICIENT),
    *(("schema:accessibilityFeature", f) for f in ACCESSIBILITY_FEATURES),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary", ACCESSIBILITY_SUMMARY),
)
CONTAINER = b"""<?xml version="1.0" encoding="utf-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
#: Namespace for the book's identifier: the same articles on the same day, the same id.
_ID_SPACE = uuid.UUID("1b6f3f3e-5d1c-4a53-9f45-3f9b2c7a6e10")


@dataclass(frozen=True)
class EpubResult:
    """What was written."""

    path: Path
    duration: float
    """Seconds of audio in the book (its total ``media:duration``)."""
    articles: tuple[ExportResult, ...]
    """Each article's MP3 and timeline, in order. Paths name the files before they were
    packed into the book."""


def check_epub_target(out: Path, force: bool) -> None:
    """Fail early when the book cannot or must not be written at ``out``."""
    if out.suffix.lower() != ".epub":
        raise ExportError(
            f"{out.name} does not end in .epub.", f"Name the book {out.stem or 'book'}.epub."
        )
    check_target(out, force)


def write_epub(
    articles: Sequence[tuple[Article, str | None]],
    out: str | os.PathLike,
    options: ExportOptions | None = None,
    *,
    progress: ProgressFactory | None = None,
    today: _dt.date | None = None,
    title: str | None = None,
    date: _dt.date | None = None,
) -> EpubResult:
    """Write ``articles`` (each with the source it came from, or None) as one EPUB 3
    book at ``out``, one chapter per article. ``title`` and ``date`` (a feed's) name
    and date a book of several articles; by default "Today's reading" and today.

    Raises ``ExportError`` (existing output, unwritable folder, full disk),
    ``EngineError`` or ``VoiceError``; on any failure or Ctrl-C no file is left."""
    out = Path(out)
    options = options or ExportOptions()
    if not articles:
        raise ExportError("no articles to put in the book.")
    check_epub_target(out, options.force)
    for _, source in articles:
        check_not_source(out, source)
    # dcterms:modified is UTC; the title of a book of several articles names the local day.
    modified = (
        _dt.datetime.combine(today, _dt.time(), _dt.UTC) if today else _dt.datetime.now(_dt.UTC)
    )
    today = today or _dt.date.today()
    try:
        with tempfile.TemporaryDirectory(
            prefix=f".{out.name}.", suffix=".audio", dir=out.absolute().parent
        ) as tmp:
            results = render_articles(list(articles), Path(tmp), options, progress=progress)
            with output_set(options.force) as outs:
                _pack(outs.add(out), articles, results, options, modified, date or today,
                      title)
    except OSError as e:
        raise os_error(e, out) from None
    total = sum(_overlay_ms(r) for r in results) / 1000
    return EpubResult(out, total, tuple(results))


def _overlay_ms(result: ExportResult) -> int:
    return sum(end - begin for begin, end in clip_ms(result.timeline))


def _metadata(
    articles: Sequence[tuple[Article, str | None]], options: ExportOptions,
    modified: _dt.datetime, today: _dt.date, title: str | None = None,
) -> dict[str, list[str]]:
    only = [a for a, _ in articles]
    if len(only) > 1 or title is not None:
        title = collection_title(today, len(only), title)
    else:
        title = only[0].title
    key = f"{modified:%Y%m%d}-{fingerprint(only)}"
    profile = options.profile()
    meta = {
        "dc:identifier": [f"urn:uuid:{uuid.uuid5(_ID_SPACE, key)}"],
        "dc:title": [title],
        "dc:language": languages(only),
        "dc:creator": creators(only),
        "dc:date": [today.isoformat()],
        "dc:publisher": [f"reader {reader_version()}"],
        "dcterms:modified": [modified.strftime("%Y-%m-%dT%H:%M:%SZ")],
        "media:narrator": [f"{profile.engine} speech synthesis, voice profile {profile.name}"],
    }
    if len(only) == 1 and only[0].url:
        meta["dc:source"] = [only[0].url]
    return meta


def _pack(
    part: Path,
    articles: Sequence[tuple[Article, str | None]],
    results: Sequence[ExportResult],
    options: ExportOptions,
    modified: _dt.datetime,
    today: _dt.date,
    title: str | None = None,
) -> None:
    meta = _metadata(articles, options, modified, today, title)
    lang = meta["dc:language"][0]
    chapters = [layout.Chapter(f"a{n + 1:03d}", _overlay_ms(r)) for n, r in enumerate(results)]
    stamp = modified.timetuple()[:6]
    style = resources.files("reader").joinpath("data/epub.css").read_bytes()
    with zipfile.ZipFile(part, "w") as z:

        def put(name: str, data: bytes, packed: bool = True) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED
            z.writestr(info, data)

        # The OCF rules: "mimetype" first, stored, so a reader knows the file by its bytes.
        put("mimetype", b"application/epub+zip", packed=False)
        put("META-INF/container.xml", CONTAINER)
        put("EPUB/package.opf", layout.serialise(layout.package(meta, chapters, ACCESSIBILITY,
                                                                lang)))
        put(f"EPUB/{layout.NAV}", layout.serialise(layout.nav(articles, results, chapters, lang),
                                                   "<!DOCTYPE html>"))
        put(f"EPUB/{layout.STYLE}", style)
        for n, ((article, _), result, chapter) in enumerate(zip(articles, results, chapters,
                                                               strict=True)):
            own = article.language or lang
            doc = layout.content(n, article, result, own)
            put(f"EPUB/{chapter.xhtml}", layout.serialise(doc, "<!DOCTYPE html>", indent=False))
            put(f"EPUB/{chapter.smil}", layout.serialise(layout.overlay(n, chapter, result)))
            z.write(result.path, f"EPUB/{chapter.audio}", compress_type=zipfile.ZIP_STORED)
