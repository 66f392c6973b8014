"""The documents of an EPUB 3 book with media overlays, laid out from rendered articles.

Per article ``a001.xhtml`` (its text: headline ``h1``, summary, captions as ``figure``
captions, paragraphs, lists, quotes, subheadings; every sentence a ``<span id>``) and
``a001.smil`` (one ``par`` per sentence tying that span to its clip of
``audio/a001.mp3``); for the book ``nav.xhtml`` (the same sections as the DAISY book
and the audio chapters) and ``package.opf``. XML is built with ElementTree, so text is
always escaped and every file is well-formed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from reader.daisy.files import (
    block_labels,
    clip_ms,
    fill_sentences,
    sentence_id,
    short_label,
)
from reader.export.exporter import ExportResult
from reader.export.timing import clock
from reader.model import Article, Block

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
SMIL_NS = "http://www.w3.org/ns/SMIL"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
STYLE = "style.css"
NAV = "nav.xhtml"
#: The class a reading system puts on the sentence being read (reader/data/epub.css).
ACTIVE_CLASS = "reader-reading"


@dataclass(frozen=True)
class Chapter:
    """One article's files in the book, and how long its overlay plays."""

    name: str
    """``a001``: ``a001.xhtml``, ``a001.smil`` and ``audio/a001.mp3``."""
    ms: int
    """The sum of its clips, in milliseconds (its ``media:duration``)."""

    @property
    def xhtml(self) -> str:
        return f"{self.name}.xhtml"

    @property
    def smil(self) -> str:
        return f"{self.name}.smil"

    @property
    def audio(self) -> str:
        return f"audio/{self.name}.mp3"


def media_clock(ms: int) -> str:
    """A SMIL clock value (``00:01:02.345``) for ``ms`` milliseconds."""
    return clock(ms / 1000, ".")


def _block_id(n: int, b: int) -> str:
    return f"a{n}b{b}"


def _html(title: str, lang: str) -> tuple[ET.Element, ET.Element]:
    html = ET.Element("html", {"xmlns": XHTML_NS, "xmlns:epub": OPS_NS, "xml:lang": lang,
                               "lang": lang})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "link", {"rel": "stylesheet", "type": "text/css", "href": STYLE})
    return html, ET.SubElement(html, "body")


def _lang(el: ET.Element, block: Block, lang: str) -> None:
    """Mark a block written in another language than its document, where it is known."""
    own = getattr(block, "language", None)
    if own and own != lang:
        el.set("xml:lang", own)
        el.set("lang", own)


def content(n: int, article: Article, result: ExportResult, lang: str) -> ET.Element:
    """The XHTML content document of article ``n``: each block as its kind of element,
    each sentence the renderer spoke in a ``<span id>`` its overlay's ``par`` names (a
    table's rows are ``<tr id>``: each row is read as one sentence)."""
    html, body = _html(article.title, lang)
    section = ET.SubElement(body, "section", {"epub:type": "chapter", "id": f"a{n}"})
    spoken: dict[int, list[tuple[str, str]]] = {}
    for cue in result.timeline.cues:
        spoken.setdefault(cue.block, []).append((sentence_id(n, cue.block, cue.index), cue.text))
    if not any(b.kind == "headline" for b in article.blocks):
        ET.SubElement(section, "h1", {"id": f"a{n}h"}).text = article.title
    listing: ET.Element | None = None
    for b, block in enumerate(article.blocks):
        if block.kind != "list_item":
            listing = None
        bid = _block_id(n, b)
        if block.kind == "list_item":
            if listing is None:
                listing = ET.SubElement(section, "ul")
            outer = inner = ET.SubElement(listing, "li", {"id": bid})
        elif block.kind == "caption":
            outer = ET.SubElement(section, "figure", {"id": bid})
            inner = ET.SubElement(outer, "figcaption")
        elif block.kind == "table" and _table(section, bid, block, spoken.get(b, [])):
            continue
        elif block.kind == "quote":
            outer = ET.SubElement(section, "blockquote", {"id": bid})
            inner = ET.SubElement(outer, "p")
        else:
            tag = {"headline": "h1", "subheading": "h2"}.get(block.kind, "p")
            outer = inner = ET.SubElement(section, tag, {"id": bid})
            if block.kind == "summary":
                outer.set("class", "summary")
        _lang(outer, block, lang)
        fill_sentences(inner, block.text, spoken.get(b, []))
    return html


def _table(section: ET.Element, bid: str, block: Block,
           sentences: Sequence[tuple[str, str]]) -> bool:
    """Write a table block as a ``<table>`` whose rows carry the ids of the sentences
    read for them (one per row, header line first). False, and nothing written, when a
    row was read as more than one sentence: the block is then written as a paragraph."""
    lines = ([block.header] if block.header else []) + list(block.rows)
    if len(sentences) != len(lines):
        return False
    table = ET.SubElement(section, "table", {"id": bid})
    ids = iter(sid for sid, _ in sentences)
    if block.header:
        row = ET.SubElement(ET.SubElement(table, "thead"), "tr", {"id": next(ids)})
        for cell in block.header:
            ET.SubElement(row, "th", {"scope": "col"}).text = cell
    body = ET.SubElement(table, "tbody")
    for cells in block.rows:
        row = ET.SubElement(body, "tr", {"id": next(ids)})
        for cell in cells:
            ET.SubElement(row, "td").text = cell
    return True


def overlay(n: int, chapter: Chapter, result: ExportResult) -> ET.Element:
    """The SMIL media overlay of article ``n``: one ``par`` per sentence, in order."""
    smil = ET.Element("smil", {"xmlns": SMIL_NS, "xmlns:epub": OPS_NS, "version": "3.0"})
    body = ET.SubElement(smil, "body")
    seq = ET.SubElement(body, "seq", {"id": f"seq{n + 1}", "epub:textref": f"{chapter.xhtml}#a{n}",
                                      "epub:type": "chapter"})
    for k, (cue, (begin, end)) in enumerate(zip(result.timeline.cues, clip_ms(result.timeline),
                                                 strict=True)):
        par = ET.SubElement(seq, "par", {"id": f"p{n + 1}_{k + 1}"})
        ET.SubElement(par, "text",
                      {"src": f"{chapter.xhtml}#{sentence_id(n, cue.block, cue.index)}"})
        ET.SubElement(par, "audio", {"src": chapter.audio, "clipBegin": media_clock(begin),
                                     "clipEnd": media_clock(end)})
    return smil


def nav(pieces: Sequence[tuple[Article, str | None]], results: Sequence[ExportResult],
        chapters: Sequence[Chapter], lang: str) -> ET.Element:
    """The navigation document: each article, and below it each block with speech, as
    the DAISY book's sections and the audio's chapters name them."""
    html, body = _html("Contents", lang)
    toc = ET.SubElement(body, "nav", {"epub:type": "toc", "id": "toc"})
    ET.SubElement(toc, "h1").text = "Contents"
    top = ET.SubElement(toc, "ol")
    for n, ((article, _), result, chapter) in enumerate(zip(pieces, results, chapters,
                                                           strict=True)):
        spoken = list(dict.fromkeys(c.block for c in result.timeline.cues))
        first = spoken[0] if spoken else 0
        item = ET.SubElement(top, "li")
        ET.SubElement(item, "a", {"href": f"{chapter.xhtml}#{_block_id(n, first)}"}).text = (
            short_label(article.title))
        below = [b for b in spoken[1:] if article.blocks[b].kind != "headline"]
        if below:
            sub = ET.SubElement(item, "ol")
            for b, label in block_labels(article, below).items():
                li = ET.SubElement(sub, "li")
                ET.SubElement(li, "a", {"href": f"{chapter.xhtml}#{_block_id(n, b)}"}).text = label
    marks = ET.SubElement(body, "nav", {"epub:type": "landmarks", "id": "landmarks",
                                        "hidden": "hidden"})
    ET.SubElement(marks, "h2").text = "Landmarks"
    mark = ET.SubElement(ET.SubElement(marks, "ol"), "li")
    ET.SubElement(mark, "a", {"epub:type": "bodymatter", "href": chapters[0].xhtml}).text = (
        "Start of reading")
    return html


def package(meta: dict[str, list[str]], chapters: Sequence[Chapter],
            accessibility: Sequence[tuple[str, str]], lang: str) -> ET.Element:
    """``package.opf``: metadata (Dublin Core, media overlay durations and active class,
    EPUB Accessibility), the manifest and the spine in reading order."""
    root = ET.Element("package", {"xmlns": OPF_NS, "version": "3.0",
                                  "unique-identifier": "book-id", "xml:lang": lang})
    md = ET.SubElement(root, "metadata", {"xmlns:dc": DC_NS})
    for name in ("dc:identifier", "dc:title", "dc:language", "dc:creator", "dc:date",
                 "dc:publisher", "dc:source"):
        for value in meta.get(name, []):
            el = ET.SubElement(md, name)
            el.text = value
            if name == "dc:identifier":
                el.set("id", "book-id")
    for prop, value in (
        ("dcterms:modified", meta["dcterms:modified"][0]),
        *((f"media:{k}", v) for k in ("narrator",) for v in meta.get("media:narrator", [])),
        ("media:active-class", ACTIVE_CLASS),
        ("media:duration", media_clock(sum(c.ms for c in chapters))),
        *accessibility,
    ):
        ET.SubElement(md, "meta", {"property": prop}).text = value
    for k, chapter in enumerate(chapters):
        ET.SubElement(md, "meta", {"property": "media:duration",
                                   "refines": f"#mo{k + 1}"}).text = media_clock(chapter.ms)
    manifest = ET.SubElement(root, "manifest")
    ET.SubElement(manifest, "item", {"id": "nav", "href": NAV,
                                     "media-type": "application/xhtml+xml",
                                     "properties": "nav"})
    ET.SubElement(manifest, "item", {"id": "style", "href": STYLE, "media-type": "text/css"})
    for k, chapter in enumerate(chapters):
        ET.SubElement(manifest, "item", {"id": f"c{k + 1}", "href": chapter.xhtml,
                                         "media-type": "application/xhtml+xml",
                                         "media-overlay": f"mo{k + 1}"})
        ET.SubElement(manifest, "item", {"id": f"mo{k + 1}", "href": chapter.smil,
                                         "media-type": "application/smil+xml"})
        ET.SubElement(manifest, "item", {"id": f"au{k + 1}", "href": chapter.audio,
                                         "media-type": "audio/mpeg"})
    spine = ET.SubElement(root, "spine")
    for k in range(len(chapters)):
        ET.SubElement(spine, "itemref", {"idref": f"c{k + 1}"})
    return root


def serialise(root: ET.Element, doctype: str | None = None, indent: bool = True) -> bytes:
    """The document as UTF-8 with an XML declaration; content documents are not
    indented, since whitespace inside a paragraph is part of its text."""
    if indent:
        ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    head = '<?xml version="1.0" encoding="utf-8"?>\n' + (f"{doctype}\n" if doctype else "")
    return (head + text + "\n").encode("utf-8")
