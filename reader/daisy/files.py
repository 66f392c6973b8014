"""The files of a DAISY 2.02 book, laid out from rendered articles.

``build_sections`` turns each article's ``Timeline`` into NCC sections (one per block with
speech) of ``<par>``s (one per sentence); ``write_book`` writes ``ncc.html``,
``content.html``, one SMIL file per section and ``master.smil`` next to the MP3s that
``reader.daisy.book`` already rendered. XML is built with ElementTree, so text is
always escaped and every file is well-formed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.export.chapters import chapter_title
from reader.export.exporter import ExportResult
from reader.export.timeline import Timeline
from reader.export.timing import clock
from reader.language import normalize
from reader.model import Article
from reader.structure import block_names

XHTML_NS = "http://www.w3.org/1999/xhtml"
XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
SMIL_DOCTYPE = (
    '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
)
CONTENT = "content.html"
#: Longest section label: a player's one-line screen and a 40-cell braille display wrap
#: or cut longer ones; the full text stays in the book's text.
LABEL_MAX = 60
#: How each block kind appears in the content document (others are ``<p class=kind>``).
CONTENT_TAGS = {"headline": "h1", "subheading": "h2"}


@dataclass
class Par:
    """One sentence: its text id and its audio clip, in whole milliseconds."""

    text_id: str
    audio: str
    begin_ms: int
    end_ms: int


@dataclass
class Section:
    """One NCC heading and its SMIL file."""

    level: int
    label: str
    pars: list[Par] = field(default_factory=list)

    @property
    def ms(self) -> int:
        return sum(p.end_ms - p.begin_ms for p in self.pars)


def clip_ms(timeline: Timeline) -> list[tuple[int, int]]:
    """Each sentence's clip in whole milliseconds: from its first sample to the next
    sentence's (the last one's to the end of the audio), so the pauses are kept."""
    ms = [int(round(timeline.seconds(c.start) * 1000)) for c in timeline.cues]
    ms.append(int(round(timeline.seconds(timeline.total) * 1000)))
    return list(zip(ms, ms[1:], strict=False))


def sentence_id(article: int, block: int, index: int) -> str:
    """The content document's id for a sentence: ``a2b5s0``."""
    return f"a{article}b{block}s{index}"


def short_label(text: str, limit: int = LABEL_MAX) -> str:
    """``text`` in at most ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[1:] and text[limit - 1] != " ":
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def block_labels(article: Article, blocks: Sequence[int]) -> dict[int, str]:
    """The section label of each of ``blocks``: its chapter title ("Paragraph 3 of 7: The
    United States…", named as every command names it) in at most 60 characters."""
    names = block_names(article)
    return {b: short_label(chapter_title(article.blocks[b], names[b])) for b in blocks}


def build_sections(
    pieces: Sequence[tuple[Article, str | None]], results: Sequence[ExportResult]
) -> list[Section]:
    """One section per block with speech; an article's first block is its level-1 one."""
    sections: list[Section] = []
    for n, ((article, _), result) in enumerate(zip(pieces, results, strict=True)):
        tl = result.timeline
        spoken = list(dict.fromkeys(c.block for c in tl.cues))
        below = [b for b in spoken[1:] if article.blocks[b].kind != "headline"]
        titles = block_labels(article, below)
        audio = result.path.name
        current: Section | None = None
        block = -1
        for cue, (begin, end) in zip(tl.cues, clip_ms(tl), strict=True):
            if cue.block != block:
                block = cue.block
                if current is None:
                    current = Section(1, short_label(article.title))
                elif article.blocks[block].kind == "headline":
                    current = Section(1, short_label(article.blocks[block].text))
                else:
                    current = Section(2, titles[block])
                sections.append(current)
            assert current is not None  # the first cue opened a section
            current.pars.append(
                Par(sentence_id(n, cue.block, cue.index), audio, begin, end)
            )
    return sections


def _hms(ms: int) -> str:
    return clock(ms / 1000)


def write_book(
    folder: Path, pieces, results, sections: list[Section], meta: dict[str, str]
) -> None:
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
    ncc = dict(
        meta,
        **{
            "ncc:totalTime": _hms(total_ms),
            "ncc:files": str(files),
            "ncc:tocItems": str(len(sections)),
            "ncc:depth": str(depth),
        },
    )
    _write_xml(folder / "ncc.html", _ncc(smil_names, sections, ncc, lang), XHTML_DOCTYPE)


def _write_xml(path: Path, root: ET.Element, doctype: str) -> None:
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    xml = f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n{text}\n'
    path.write_text(xml, encoding="utf-8")


def _html(title: str, lang: str) -> tuple[ET.Element, ET.Element, ET.Element]:
    html = ET.Element("html", {"xmlns": XHTML_NS, "xml:lang": lang, "lang": lang})
    head = ET.SubElement(html, "head")
    ET.SubElement(
        head, "meta", {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"}
    )
    ET.SubElement(head, "title").text = title
    return html, head, ET.SubElement(html, "body")


def _ncc(
    smil_names: list[str], sections: list[Section], meta: dict[str, str], lang: str
) -> ET.Element:
    html, head, body = _html(meta["dc:title"], lang)
    for name in sorted(meta):
        ET.SubElement(head, "meta", {"name": name, "content": meta[name]})
    for k, (smil, section) in enumerate(zip(smil_names, sections, strict=True)):
        attrs = {"class": "title", "id": f"n{k + 1}"} if k == 0 else {"id": f"n{k + 1}"}
        heading = ET.SubElement(body, f"h{section.level}", attrs)
        # Linked to the first <text>, not its <par>: daisy-player lists a book linked to
        # <par>s but plays nothing, and production books (EasePublisher) link to <text>.
        ET.SubElement(heading, "a", {"href": f"{smil}#{_text_id(k, 0)}"}).text = section.label
    return html


def _par_id(section: int, par: int) -> str:
    return f"p{section + 1}_{par + 1}"


def _text_id(section: int, par: int) -> str:
    return f"t{section + 1}_{par + 1}"


def _smil(section: Section, k: int, elapsed_ms: int, meta: dict[str, str]) -> ET.Element:
    smil = ET.Element("smil")
    head = ET.SubElement(smil, "head")
    for name, content in (
        ("dc:format", "Daisy 2.02"),
        ("dc:title", meta["dc:title"]),
        ("dc:identifier", meta["dc:identifier"]),
        ("ncc:generator", meta["ncc:generator"]),
        ("title", section.label),
        ("ncc:timeInThisSmil", _hms(section.ms)),
        ("ncc:totalElapsedTime", _hms(elapsed_ms)),
    ):
        ET.SubElement(head, "meta", {"name": name, "content": content})
    ET.SubElement(ET.SubElement(head, "layout"), "region", {"id": "txtView"})
    seq = ET.SubElement(ET.SubElement(smil, "body"), "seq", {"dur": f"{section.ms / 1000:.3f}s"})
    for i, p in enumerate(section.pars):
        pid = _par_id(k, i)
        par = ET.SubElement(seq, "par", {"endsync": "last", "id": pid})
        ET.SubElement(par, "text", {"src": f"{CONTENT}#{p.text_id}", "id": _text_id(k, i)})
        # The audio in a <seq> of its own, as in production books: daisy-dtb finds no
        # clip in a <par> that holds its <audio> directly.
        ET.SubElement(
            ET.SubElement(par, "seq"),
            "audio",
            {
                "src": p.audio,
                "clip-begin": f"npt={p.begin_ms / 1000:.3f}s",
                "clip-end": f"npt={p.end_ms / 1000:.3f}s",
                "id": f"u{pid[1:]}",
            },
        )
    return smil


def _master(
    smil_names: list[str], sections: list[Section], total_ms: int, meta: dict[str, str]
) -> ET.Element:
    smil = ET.Element("smil")
    head = ET.SubElement(smil, "head")
    for name in ("dc:format", "dc:title", "dc:identifier", "ncc:generator"):
        ET.SubElement(head, "meta", {"name": name, "content": meta[name]})
    ET.SubElement(head, "meta", {"name": "ncc:timeInThisSmil", "content": _hms(total_ms)})
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
            own = article.language_of(b)
            if own and normalize(own) != normalize(lang):  # a quotation in French, say
                el.set("xml:lang", own)
                el.set("lang", own)
            if tag == "p":
                el.set("class", block.kind.replace("_", "-"))
            elif n == 0 and b == 0 and len(pieces) > 1:
                el.set("class", "title")  # the book's title section
            fill_sentences(el, block.text, [(sentence_id(n, b, c.index), c.text) for c in mine])
    return html


def fill_sentences(el: ET.Element, text: str, sentences: Sequence[tuple[str, str]]) -> None:
    """Put ``text`` into ``el`` with each of ``sentences`` (id, sentence) in a
    ``<span id>``; the text between them stays as it is, so nothing is lost."""
    pos, last = 0, None
    for sid, sentence in sentences:
        start = text.find(sentence, pos)
        if start < 0:  # not verbatim in the block: keep the sentence anyway
            gap = " "
        else:
            gap = text[pos:start]
        last = _append_text(el, last, gap)
        span = ET.SubElement(el, "span", {"id": sid})
        span.text = sentence
        last = span
        pos = start + len(sentence) if start >= 0 else pos
    _append_text(el, last, text[pos:])


def _append_text(parent: ET.Element, last: ET.Element | None, text: str) -> ET.Element | None:
    if text:
        if last is None:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text
    return last
