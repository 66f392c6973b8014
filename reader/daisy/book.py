"""Articles -> one DAISY 2.02 talking book (a folder, or a zip of it).

A blind listener's DAISY player (Victor Reader Stream, EasyReader, Voice Dream) jumps
by heading level and by phrase. So the book is laid out as:

- ``ncc.html``: ``<h1 class="title">`` first (the DAISY 2.02 rule), then one ``h1`` per
  article (its headline) and one ``h2`` per summary, caption and body block below it,
  labelled by name and first words ("Paragraph 3 of 7: The United States…", at most 60
  characters, numbered only where a kind repeats), each linked to its SMIL file's
  first ``<text>``. Blocks are
  headings rather than NCC ``span``s because the specification reserves NCC spans for
  page numbers, sidebars, producer's notes and note references.
- ``content.html``: the whole text, every sentence in a ``<span id>``.
- one SMIL file per NCC heading (a section), one ``<par>`` per sentence linking its text
  id to its audio clip, in a ``<seq>`` of its own (``clip-begin``/``clip-end`` as
  ``npt=1.234s``). A clip runs from its sentence's first sample to the next
  sentence's, so the pauses are kept.
- one MP3 per article, and ``master.smil`` listing the sections.

Several articles make one book ("today's reading"): its title section is spoken first,
then each article under its own level-1 heading.

Rendering, encoding and timing are ``reader.export.export_article``'s: each article is
exported to MP3 exactly as ``reader export`` would, and its ``Timeline`` (already
shifted by the MP3 decoder delay) gives the clips. This module renders the articles
and puts the finished book in place; ``daisy_files`` lays out its files.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.daisy import files as layout
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
from reader.export.encoders import FORMATS
from reader.export.exporter import ExportOptions, ExportResult
from reader.export.safefile import check_folder, check_target, os_error, output_set, umask
from reader.model import Article, Block


@dataclass(frozen=True)
class DaisyResult:
    """What was written."""

    path: Path
    sections: int
    """SMIL files, one per NCC heading."""
    duration: float
    """Seconds of audio in the book (ncc:totalTime)."""
    articles: tuple[ExportResult, ...]
    """Each rendered article's MP3 and timeline, the book's title section first when
    there are several articles. Paths name the files before they were moved into place."""


def export_daisy(
    sources: Sequence[str],
    out: str | os.PathLike,
    options: ExportOptions | None = None,
    *,
    progress: ProgressFactory | None = None,
) -> DaisyResult:
    """Read and parse every source (paths, ``-`` or URLs), then ``write_daisy``."""
    from reader import parse_source

    options = options or ExportOptions()

    if not sources:
        raise ExportError("no sources given.", "Name at least one article file or URL.")
    check_daisy_target(Path(out), options.force)  # before any slow parsing or rendering
    articles = [(parse_source(s, whole_page=options.whole_page), s) for s in sources]
    return write_daisy(articles, out, options, progress=progress)


def check_daisy_target(out: Path, force: bool) -> None:
    """Fail early when the book cannot or must not be written at ``out``.

    A folder that exists and is not empty is refused unless ``force``, and even then
    only replaced when it holds a DAISY book (an ``ncc.html``): reader never deletes a
    folder of someone's other files."""
    if out.suffix.lower() == ".zip":
        check_target(out, force)
        return
    if out.suffix.lower().lstrip(".") in FORMATS:
        raise ExportError(
            f"{out.name} names an audio file, but a DAISY book is a folder or a .zip file.",
            f"Give a folder name, or {out.stem}.zip.",
        )
    if out.exists() and not out.is_dir():
        raise ExportError(
            f"{out} exists and is not a folder.",
            "Choose a new folder name, or a name ending in .zip.",
        )
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise ExportError(
                f"the folder {out} exists and is not empty.",
                "Use --force to replace the book in it, or choose a new folder.",
            )
        stranger = _not_of_a_book(out)
        if stranger is not None:
            raise ExportError(
                f"the folder {out} holds {stranger}, which is not part of a DAISY book, so "
                "reader will not replace it.",
                "Choose a new or empty folder.",
            )
    check_folder(out.absolute().parent)


#: What a DAISY 2.02 book folder holds: its NCC, text and SMIL files, audio and styles.
BOOK_SUFFIXES = frozenset((".html", ".htm", ".smil", ".mp3", ".wav", ".mp2", ".css", ".xml"))


def _not_of_a_book(folder: Path) -> str | None:
    """The first entry of ``folder`` that a DAISY book would not hold ("no ncc.html"
    when there is none): ``--force`` replaces a book, never a folder of other files."""
    if not (folder / "ncc.html").is_file():
        return "no ncc.html"
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink() or not entry.is_file():
            return f"the {'link' if entry.is_symlink() else 'folder'} {entry.name}"
        if entry.suffix.lower() not in BOOK_SUFFIXES:
            return f"the file {entry.name}"
    return None


def write_daisy(
    articles: Sequence[tuple[Article, str | None]],
    out: str | os.PathLike,
    options: ExportOptions | None = None,
    *,
    progress: ProgressFactory | None = None,
    today: _dt.date | None = None,
    title: str | None = None,
    date: _dt.date | None = None,
) -> DaisyResult:
    """Write ``articles`` (each with the source it came from, or None) as one DAISY 2.02
    book at ``out``: a folder, or a zip file when ``out`` ends in ``.zip``. ``title``
    and ``date`` (a feed's) name the book and date it (``dc:title``, ``dc:date``, its
    title section, even for one article); by default "Today's reading" and today.

    Everything is written into a hidden temporary folder next to ``out`` and moved into
    place at the end, so a failure or Ctrl-C leaves nothing behind. Raises
    ``ExportError`` (existing output, unwritable folder, full disk), ``EngineError`` or
    ``VoiceError``."""
    out = Path(out)
    options = options or ExportOptions()
    if not articles:
        raise ExportError("no articles to put in the book.")
    check_daisy_target(out, options.force)
    today = today or _dt.date.today()
    try:
        tmp = _temp_folder(out, ".part")
    except OSError as e:
        raise os_error(e, out) from None
    try:
        pieces = list(articles)
        titled = len(pieces) > 1 or title is not None
        if titled:
            name = collection_title(date or today, len(pieces), title)
            pieces.insert(0, (Article((Block("headline", name),), headline=name), None))
        results = render_articles(pieces, tmp, options, progress=progress, title_first=titled)
        sections = layout.build_sections(pieces, results)
        meta = _metadata(pieces, options, today, multi=len(pieces) > 1, date=date)
        layout.write_book(tmp, pieces, results, sections, meta)
        _move_into_place(tmp, out, options.force)
    except OSError as e:
        raise os_error(e, out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(s.ms for s in sections) / 1000
    return DaisyResult(out, len(sections), total, tuple(results))


def _metadata(
    pieces: Sequence[tuple[Article, str | None]],
    options: ExportOptions,
    today: _dt.date,
    multi: bool,
    date: _dt.date | None = None,
) -> dict[str, str]:
    from reader.export.tags import tags_for

    articles = [a for a, _ in (pieces[1:] if multi else pieces)]
    profile = options.profile()
    meta = {
        "dc:title": pieces[0][0].title,
        "dc:creator": "; ".join(creators(articles)) or "Unknown",
        "dc:date": (date or today).isoformat(),
        "dc:format": "Daisy 2.02",
        "dc:identifier": f"reader-{today:%Y%m%d}-{fingerprint(articles)}",
        "dc:language": languages(articles)[0],
        "dc:publisher": "reader",
        "ncc:generator": f"reader {reader_version()}",
        "ncc:narrator": f"{profile.engine} speech synthesis, voice profile {profile.name}",
        "ncc:producedDate": today.isoformat(),
        "ncc:charset": "utf-8",
        "ncc:multimediaType": "audioFullText",
        "ncc:pageFront": "0",
        "ncc:pageNormal": "0",
        "ncc:pageSpecial": "0",
        "ncc:maxPageNormal": "0",
        "ncc:setInfo": "1 of 1",  # one volume: mandatory for multi-volume books only
    }
    if not multi:
        tags = tags_for(articles[0], pieces[0][1])
        if tags.comment:
            meta["dc:source"] = tags.comment
        if articles[0].site:
            meta["ncc:sourcePublisher"] = articles[0].site
    return meta


def _move_into_place(tmp: Path, out: Path, force: bool) -> None:
    if out.suffix.lower() == ".zip":
        with output_set(force) as outs:
            part = outs.add(out)
            with zipfile.ZipFile(part, "w") as z:
                for f in sorted(tmp.iterdir()):
                    kind = zipfile.ZIP_STORED if f.suffix == ".mp3" else zipfile.ZIP_DEFLATED
                    z.write(f, f.name, compress_type=kind)
        return
    os.chmod(tmp, 0o777 & ~umask())
    out = out.absolute()
    if out.is_dir() and any(out.iterdir()):
        if not force:  # filled while we rendered
            raise ExportError(f"the folder {out} exists and is not empty.", "Use --force.")
        old = _temp_folder(out, ".old")
        old.rmdir()  # a free name next to ``out``: renaming onto a folder fails on Windows
        os.replace(out, old)
        try:
            os.replace(tmp, out)
        except OSError:
            os.replace(old, out)  # put the previous book back
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        if out.is_dir():
            out.rmdir()  # empty: replaced by the book
        os.replace(tmp, out)


def _temp_folder(out: Path, suffix: str) -> Path:
    """A hidden new folder next to ``out`` (same file system, so renames are atomic)."""
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=suffix, dir=out.absolute().parent))

