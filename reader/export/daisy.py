"""Articles -> one DAISY 2.02 talking book (a folder, or a zip of it).

A blind listener's DAISY player (Victor Reader Stream, EasyReader, Voice Dream) jumps
by heading level and by phrase. So the book is laid out as:

- ``ncc.html``: ``<h1 class="title">`` first (the DAISY 2.02 rule), then one ``h1`` per
  article (its headline) and one ``h2`` per summary, caption and body block below it,
  labelled like the audio chapters ("Paragraph 3: The United States…"). Blocks are
  headings rather than NCC ``span``s because the specification reserves NCC spans for
  page numbers, sidebars, producer's notes and note references.
- ``content.html``: the whole text, every sentence in a ``<span id>``.
- one SMIL file per NCC heading (a section), one ``<par>`` per sentence linking its text
  id to its audio clip (``clip-begin``/``clip-end`` as ``npt=1.234s``). A clip runs from
  its sentence's first sample to the next sentence's, so the pauses are kept.
- one MP3 per article, and ``master.smil`` listing the sections.

Several articles make one book ("today's reading"): its title section is spoken first,
then each article under its own level-1 heading.

Rendering, encoding and timing are ``reader.export.export_article``'s: each article is
exported to MP3 exactly as ``reader export`` would, and its ``Timeline`` (already
shifted by the MP3 decoder delay) gives the clips. This module only lays out the book.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.errors import ExportError
from reader.export.exporter import ExportOptions, ExportResult, export_article
from reader.export.safefile import check_target, os_error, output_set
from reader.export.timeline import Timeline
from reader.model import Article, Block

XHTML_NS = "http://www.w3.org/1999/xhtml"
XHTML_DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                 '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
SMIL_DOCTYPE = ('<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" '
                '"http://www.w3.org/TR/REC-smil/SMIL10.dtd">')
CONTENT = "content.html"
#: How each block kind appears in the content document.
CONTENT_TAGS = {"headline": "h1", "subheading": "h2"}

#: Called with a label ("Article 2 of 3: ...") before each article renders; returns the
#: ``progress(done, total)`` callback for its sentences (or None).
ProgressFactory = Callable[[str], Any]


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


@dataclass
class _Par:
    text_id: str
    audio: str
    begin_ms: int
    end_ms: int


@dataclass
class _Section:
    level: int
    label: str
    pars: list[_Par] = field(default_factory=list)

    @property
    def ms(self) -> int:
        return sum(p.end_ms - p.begin_ms for p in self.pars)


def export_daisy(sources: Sequence[str], out: str | os.PathLike,
                 options: ExportOptions | None = None, *,
                 progress: ProgressFactory | None = None) -> DaisyResult:
    """Read and parse every source (paths, ``-`` or URLs), then ``write_daisy``."""
    from reader import parse_source

    options = options or ExportOptions()

    if not sources:
        raise ExportError("no sources given.", "Name at least one article file or URL.")
    check_daisy_target(Path(out), options.force)  # before any slow parsing or rendering
    return write_daisy([(parse_source(s), s) for s in sources], out, options, progress=progress)


def check_daisy_target(out: Path, force: bool) -> None:
    """Fail early when the book cannot or must not be written at ``out``.

    A folder that exists and is not empty is refused unless ``force``, and even then
    only replaced when it holds a DAISY book (an ``ncc.html``): reader never deletes a
    folder of someone's other files."""
    if out.suffix.lower() == ".zip":
        check_target(out, force)
        return
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder.",
                          "Choose a new folder name, or a name ending in .zip.")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise ExportError(f"the folder {out} exists and is not empty.",
                              "Use --force to replace the book in it, or choose a new folder.")
        if not (out / "ncc.html").is_file():
            raise ExportError(f"the folder {out} is not empty and holds no DAISY book, so "
                              "reader will not replace it.", "Choose a new or empty folder.")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise ExportError(f"the folder {parent} does not exist.",
                          "Create it first or choose another.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write to the folder {parent}: permission denied.",
                          "Choose a folder you can write to.")


def write_daisy(articles: Sequence[tuple[Article, str | None]], out: str | os.PathLike,
                options: ExportOptions | None = None, *,
                progress: ProgressFactory | None = None,
                today: _dt.date | None = None) -> DaisyResult:
    """Write ``articles`` (each with the source it came from, or None) as one DAISY 2.02
    book at ``out``: a folder, or a zip file when ``out`` ends in ``.zip``.

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
        if len(pieces) > 1:
            title = f"Today's reading, {today.day} {today:%B %Y}: {len(pieces)} articles"
            pieces.insert(0, (Article((Block("headline", title),), headline=title), None))
        item_options = replace(options, format="mp3", timing=None, force=True)
        results = []
        for n, (article, source) in enumerate(pieces):
            number = n if len(pieces) > 1 else 1
            label = f"Article {number} of {len(articles)}: {article.title}" if number else "Title"
            report = progress(label) if progress else None
            results.append(export_article(article, tmp / f"a{n + 1:03d}.mp3", item_options,
                                          source=source, progress=report))
            if report is not None and hasattr(report, "end"):
                report.end()
        sections = _sections(pieces, results)
        meta = _metadata(pieces, options, today, multi=len(pieces) > 1)
        _write_book(tmp, pieces, results, sections, meta)
        _move_into_place(tmp, out, options.force)
    except OSError as e:
        raise os_error(e, out) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(s.ms for s in sections) / 1000
    return DaisyResult(out, len(sections), total, tuple(results))


def _ms(timeline: Timeline, samples: int) -> int:
    return int(round(timeline.seconds(samples) * 1000))


def sentence_id(article: int, block: int, index: int) -> str:
    """The content document's id for a sentence: ``a2b5s0``."""
    return f"a{article}b{block}s{index}"


def _sections(pieces: Sequence[tuple[Article, str | None]],
              results: Sequence[ExportResult]) -> list[_Section]:
    """One section per block with speech; an article's first block is its level-1 one."""
    sections: list[_Section] = []
    for n, ((article, _), result) in enumerate(zip(pieces, results, strict=True)):
        tl = result.timeline
        titles = {c.block: c.title for c in tl.chapters}
        audio = result.path.name
        current: _Section | None = None
        block = -1
        for i, cue in enumerate(tl.cues):
            end = tl.cues[i + 1].start if i + 1 < len(tl.cues) else tl.total
            if cue.block != block:
                block = cue.block
                if current is None:
                    current = _Section(1, article.title)
                elif article.blocks[block].kind == "headline":
                    current = _Section(1, article.blocks[block].text)
                else:
                    current = _Section(2, titles[block])
                sections.append(current)
            current.pars.append(_Par(sentence_id(n, cue.block, cue.index), audio,
                                     _ms(tl, cue.start), _ms(tl, end)))
    return sections


def _clock(ms: int) -> str:
    s = int(round(ms / 1000))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def _metadata(pieces: Sequence[tuple[Article, str | None]], options: ExportOptions,
              today: _dt.date, multi: bool) -> dict[str, str]:
    from reader.export.tags import tags_for

    articles = [a for a, _ in (pieces[1:] if multi else pieces)]
    creators = list(dict.fromkeys(a.byline or a.site for a in articles if a.byline or a.site))
    digest = hashlib.sha1()
    for a in articles:
        digest.update("\n".join(b.text for b in a.blocks).encode("utf-8"))
    profile = options.profile()
    meta = {
        "dc:title": pieces[0][0].title,
        "dc:creator": "; ".join(creators) or "Unknown",
        "dc:date": today.isoformat(),
        "dc:format": "Daisy 2.02",
        "dc:identifier": f"reader-{today:%Y%m%d}-{digest.hexdigest()[:12]}",
        "dc:language": next((a.language for a in articles if a.language), None) or "en",
        "dc:publisher": "reader",
        "ncc:generator": f"reader {_version()}",
        "ncc:narrator": f"{profile.engine} speech synthesis, voice profile {profile.name}",
        "ncc:producedDate": today.isoformat(),
        "ncc:charset": "utf-8",
        "ncc:multimediaType": "audioFullText",
        "ncc:pageFront": "0", "ncc:pageNormal": "0", "ncc:pageSpecial": "0",
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reader")
    except PackageNotFoundError:
        return "unknown"


def _write_book(folder: Path, pieces, results, sections: list[_Section],
                meta: dict[str, str]) -> None:
    smil_names = [f"s{k + 1:04d}.smil" for k in range(len(sections))]
    total_ms = sum(s.ms for s in sections)
    lang = meta["dc:language"]
    _write_xml(folder / CONTENT, _content(pieces, results, meta["dc:title"], lang), XHTML_DOCTYPE)
    elapsed = 0
    for k, (name, section) in enumerate(zip(smil_names, sections, strict=True)):
        _write_xml(folder / name, _smil(section, k, elapsed, meta), SMIL_DOCTYPE)
        elapsed += section.ms
    _write_xml(folder / "master.smil", _master(smil_names, sections, total_ms, meta), SMIL_DOCTYPE)
    files = len(smil_names) + len(results) + 3  # + ncc.html, content.html, master.smil
    depth = max(s.level for s in sections)
    ncc = dict(meta, **{"ncc:totalTime": _clock(total_ms), "ncc:files": str(files),
                        "ncc:tocItems": str(len(sections)), "ncc:depth": str(depth)})
    _write_xml(folder / "ncc.html", _ncc(smil_names, sections, ncc, lang), XHTML_DOCTYPE)


def _write_xml(path: Path, root: ET.Element, doctype: str) -> None:
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    xml = f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n{text}\n'
    path.write_text(xml, encoding="utf-8")


def _html(title: str, lang: str) -> tuple[ET.Element, ET.Element, ET.Element]:
    html = ET.Element("html", {"xmlns": XHTML_NS, "xml:lang": lang, "lang": lang})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta",
                  {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"})
    ET.SubElement(head, "title").text = title
    return html, head, ET.SubElement(html, "body")


def _ncc(smil_names: list[str], sections: list[_Section], meta: dict[str, str],
         lang: str) -> ET.Element:
    html, head, body = _html(meta["dc:title"], lang)
    for name in sorted(meta):
        ET.SubElement(head, "meta", {"name": name, "content": meta[name]})
    for k, (smil, section) in enumerate(zip(smil_names, sections, strict=True)):
        attrs = {"class": "title", "id": f"n{k + 1}"} if k == 0 else {"id": f"n{k + 1}"}
        heading = ET.SubElement(body, f"h{section.level}", attrs)
        ET.SubElement(heading, "a", {"href": f"{smil}#{_par_id(k, 0)}"}).text = section.label
    return html


def _par_id(section: int, par: int) -> str:
    return f"p{section + 1}_{par + 1}"


def _smil(section: _Section, k: int, elapsed_ms: int, meta: dict[str, str]) -> ET.Element:
    smil = ET.Element("smil")
    head = ET.SubElement(smil, "head")
    for name, content in (("dc:format", "Daisy 2.02"), ("dc:title", meta["dc:title"]),
                          ("dc:identifier", meta["dc:identifier"]),
                          ("ncc:generator", meta["ncc:generator"]), ("title", section.label),
                          ("ncc:timeInThisSmil", _clock(section.ms)),
                          ("ncc:totalElapsedTime", _clock(elapsed_ms))):
        ET.SubElement(head, "meta", {"name": name, "content": content})
    ET.SubElement(ET.SubElement(head, "layout"), "region", {"id": "txtView"})
    seq = ET.SubElement(ET.SubElement(smil, "body"), "seq", {"dur": f"{section.ms / 1000:.3f}s"})
    for i, p in enumerate(section.pars):
        pid = _par_id(k, i)
        par = ET.SubElement(seq, "par", {"endsync": "last", "id": pid})
        ET.SubElement(par, "text", {"src": f"{CONTENT}#{p.text_id}", "id": f"t{pid[1:]}"})
        ET.SubElement(par, "audio", {"src": p.audio, "clip-begin": f"npt={p.begin_ms / 1000:.3f}s",
                                     "clip-end": f"npt={p.end_ms / 1000:.3f}s",
                                     "id": f"u{pid[1:]}"})
    return smil


def _master(smil_names: list[str], sections: list[_Section], total_ms: int,
            meta: dict[str, str]) -> ET.Element:
    smil = ET.Element("smil")
    head = ET.SubElement(smil, "head")
    for name in ("dc:format", "dc:title", "dc:identifier", "ncc:generator"):
        ET.SubElement(head, "meta", {"name": name, "content": meta[name]})
    ET.SubElement(head, "meta", {"name": "ncc:timeInThisSmil", "content": _clock(total_ms)})
    ET.SubElement(ET.SubElement(head, "layout"), "region", {"id": "txtView"})
    body = ET.SubElement(smil, "body")
    for k, (name, section) in enumerate(zip(smil_names, sections, strict=True)):
        ET.SubElement(body, "ref", {"src": name, "title": section.label, "id": f"ms{k + 1}"})
    return smil


def _content(pieces, results, title: str, lang: str) -> ET.Element:
    """The text of every article, each sentence in a ``<span id>`` its ``<par>`` names."""
    html, _, body = _html(title, lang)
    for n, ((article, _), result) in enumerate(zip(pieces, results, strict=True)):
        cues = result.timeline.cues
        if not any(article.blocks[c.block].kind == "headline" for c in cues):
            ET.SubElement(body, "h1").text = article.title
        for b, block in enumerate(article.blocks):
            mine = [c for c in cues if c.block == b]
            if not mine:
                continue
            tag = CONTENT_TAGS.get(block.kind, "p")
            el = ET.SubElement(body, tag, {"id": f"a{n}b{b}"})
            if tag == "p":
                el.set("class", block.kind.replace("_", "-"))
            elif n == 0 and b == 0 and len(pieces) > 1:
                el.set("class", "title")  # the book's title section
            pos, last = 0, None
            for cue in mine:
                start = block.text.find(cue.text, pos)
                if start < 0:  # not verbatim in the block: keep the sentence anyway
                    start, gap = pos, " "
                else:
                    gap = block.text[pos:start]
                last = _append_text(el, last, gap)
                span = ET.SubElement(el, "span", {"id": sentence_id(n, b, cue.index)})
                span.text = cue.text
                last = span
                pos = start + len(cue.text) if start >= 0 else pos
            _append_text(el, last, block.text[pos:])
    return html


def _append_text(parent: ET.Element, last: ET.Element | None, text: str) -> ET.Element | None:
    if text:
        if last is None:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text
    return last


def _move_into_place(tmp: Path, out: Path, force: bool) -> None:
    if out.suffix.lower() == ".zip":
        with output_set(force) as outs:
            part = outs.add(out)
            with zipfile.ZipFile(part, "w") as z:
                for f in sorted(tmp.iterdir()):
                    kind = zipfile.ZIP_STORED if f.suffix == ".mp3" else zipfile.ZIP_DEFLATED
                    z.write(f, f.name, compress_type=kind)
        return
    os.chmod(tmp, 0o777 & ~_umask())
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
