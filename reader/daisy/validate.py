"""Check a DAISY 2.02 talking book against the rules reader's exporter relies on.

``validate_daisy(path)`` returns a ``DaisyReport``: the book's sections (SMIL files in
reading order), its total time, and a list of problems, each one plain line naming the
file. An empty list means the book passed. The rules, from the DAISY 2.02
Specification (DAISY Consortium, Recommendation of 28 February 2001,
daisy.org/z3986/specifications/daisy_202.html) and its metadata tables as the DAISY
Knowledge Navigator lists them (daisy.org/dkn/modules/daisy.dtb.metadata):

- ``ncc.html`` exists, is well-formed XHTML, and holds every metadata item the
  specification marks mandatory (``REQUIRED_NCC_META``), in the stated formats:
  dc:format is "Daisy 2.02", times are clock values, counts are whole numbers, and the
  counts agree with the book (ncc:tocItems, ncc:depth, ncc:files, page counts).
- The NCC body starts with ``<h1 class="title">``; heading levels are not skipped.
- Every NCC item (h1-h6, span, div) has an id and one link to an existing ``<par>``
  (or a ``<text>`` inside one) in an existing SMIL file, in reading order.
- Every SMIL file states dc:format "Daisy 2.02" and its main ``<seq dur>``, which equals
  the sum of its clips; ncc:timeInThisSmil and ncc:totalElapsedTime, when stated, agree.
- Every ``<par>``'s ``<text src>`` resolves to an element id in an existing document.
- Every audio clip begins before it ends and lies inside its audio file's duration; the
  clips of each audio file come in order and do not overlap.
- ncc:totalTime equals the sum of the SMIL durations. Like the DAISY Pipeline's 2.02
  validator (``ValidatorImplD202``), a value without a fraction is compared in whole
  seconds, since the specification recommends the ``hh:mm:ss`` syntax.
- ``master.smil``, when present, refers to the same SMIL files in the same order.

And what players nobody here wrote need, beyond the specification (``PLAYER_NEEDS``);
each problem names the player it would break:

- NCC links point at a ``<text>`` (as production books do), not at its ``<par>``:
  daisy-player (Debian's, 13.0) lists such a book but plays nothing.
- Every ``<par>`` holds its ``<audio>`` inside a ``<seq>``: daisy-dtb (PyPI) finds no
  clip in a ``<par>`` that holds ``<audio>`` directly.

It reads XML with the standard library's parser, which loads no DTD and fetches nothing,
and audio lengths by counting MP3 frames (``daisy_audio``), not from the bit rate.
"""

from __future__ import annotations

import itertools
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from reader.daisy.audio import audio_length
from reader.errors import DaisyError
from reader.export.timing import clock

#: Metadata the DAISY 2.02 specification marks mandatory in ncc.html (Appendix 2), plus
#: ncc:generator, which it recommends and reader always writes.
REQUIRED_NCC_META = (
    "dc:creator",
    "dc:date",
    "dc:format",
    "dc:identifier",
    "dc:language",
    "dc:publisher",
    "dc:title",
    "ncc:charset",
    "ncc:depth",
    "ncc:files",
    "ncc:generator",
    "ncc:maxPageNormal",
    "ncc:multimediaType",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:tocItems",
    "ncc:totalTime",
)
MULTIMEDIA_TYPES = (
    "audioOnly",
    "audioNcc",
    "audioPartText",
    "audioFullText",
    "textPartAudio",
    "textNcc",
)
_COUNTS = (
    "ncc:depth",
    "ncc:files",
    "ncc:maxPageNormal",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:tocItems",
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")
_TIMECOUNT = re.compile(r"^(\d+(?:\.\d+)?)(h|min|s|ms)?$")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NCC_ITEMS = (*_HEADINGS, "span", "div")
#: Clip ends are written to the millisecond; allow half of that in rounding.
_EPS = 0.0005
#: Limits on a zipped book, checked as it is unpacked (the sizes a zip states can lie):
#: a book of a year's newspapers is a few hundred MB of MP3 in a few thousand files.
MAX_ZIP_BYTES = 2 * 1024**3
MAX_ZIP_ENTRIES = 20_000
#: Largest size of one entry against its packed size; MP3 is stored and XML packs ten
#: to twenty times, so more than this is a bomb.
MAX_ZIP_RATIO = 200
#: Why a form the specification allows still fails in a real player, by problem.
PLAYER_NEEDS = {
    "link to par": "daisy-player lists the section but plays nothing; link to the <text>",
    "audio outside seq": "daisy-dtb finds no audio clip; put the <audio> in a <seq>",
}
#: Longest clock value read, in characters ("0:00:00.000" is 11; a year is 13).
_MAX_CLOCK_CHARS = 32


@dataclass(frozen=True)
class DaisyReport:
    """What ``validate_daisy`` found."""

    sections: tuple[str, ...]
    """The SMIL files the NCC links to, in reading order."""
    total_time: float
    """The sum of the SMIL durations, in seconds."""
    problems: tuple[str, ...] = field(default=())
    """One line per broken rule, each starting with the file it concerns; empty if valid."""

    @property
    def valid(self) -> bool:
        return not self.problems


def parse_clock(value: str) -> float:
    """A SMIL 1.0 clock value (``12.5s``, ``npt=12.5s``, ``0:01:02.5``, ``500ms``) in
    seconds. Raises ``ValueError`` when it is not one."""
    v = value.strip()
    if len(v) > _MAX_CLOCK_CHARS:
        raise ValueError(f"not a clock value: {value[:_MAX_CLOCK_CHARS]!r}...")
    if v.startswith("npt="):
        v = v[4:]
    m = _CLOCK.match(v)
    if m:
        hours, minutes, seconds = m.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    m = _TIMECOUNT.match(v)
    if m:
        scale = {"h": 3600.0, "min": 60.0, "s": 1.0, "ms": 0.001, None: 1.0}[m.group(2)]
        return float(m.group(1)) * scale
    raise ValueError(f"not a clock value: {value!r}")


def format_clock(seconds: float) -> str:
    """``HH:MM:SS`` for messages and summaries."""
    return clock(seconds)


def validate_daisy(path: str | Path) -> DaisyReport:
    """Check the DAISY 2.02 book in folder ``path`` (or in the zip file ``path``).

    Raises ``DaisyError`` only when there is no book to check at all (no such folder or
    zip); every broken rule of a book is a line in ``DaisyReport.problems``."""
    p = Path(path)
    if p.is_file() and zipfile.is_zipfile(p):
        with tempfile.TemporaryDirectory(prefix="reader-daisy-") as tmp:
            try:
                with zipfile.ZipFile(p) as z:
                    _safe_extract(z, Path(tmp))
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as e:
                raise DaisyError(
                    f"{path} is a damaged zip file ({e}).", "Make the zip file again."
                ) from None
            return _Checker(_book_root(Path(tmp))).run()
    if not p.is_dir():
        raise DaisyError(
            f"{path} is not a folder or a zip file.",
            "Give the folder (or .zip) that holds ncc.html.",
        )
    return _Checker(p).run()


def _safe_extract(z: zipfile.ZipFile, dest: Path) -> None:
    """Unpack ``z`` into ``dest``, refusing paths outside it, encrypted entries, and more
    entries, bytes or packing ratio than a book has (``MAX_ZIP_*``), counted as the
    bytes come out rather than trusted from the zip's own header."""
    infos = z.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise DaisyError(f"the zip holds {len(infos)} entries; a book has at most "
                         f"{MAX_ZIP_ENTRIES}.")
    root = dest.resolve()
    budget = MAX_ZIP_BYTES
    for info in infos:
        target = (dest / info.filename).resolve()
        if not target.is_relative_to(root) or "\x00" in info.filename:
            raise DaisyError(f"the zip holds a path outside the book: {info.filename[:200]!r}.")
        if info.flag_bits & 0x1:
            raise DaisyError(f"the zip's entry {info.filename[:200]!r} is encrypted.",
                             "Give a book that is not password-protected.")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        limit = min(budget, max(1 << 20, MAX_ZIP_RATIO * info.compress_size))
        written = 0
        with z.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(1 << 16):
                written += len(chunk)
                if written > limit:
                    raise DaisyError(
                        f"the zip's entry {info.filename[:200]!r} unpacks to more than a "
                        "book holds (a zip bomb?)."
                    )
                out.write(chunk)
        budget -= written


def _book_root(folder: Path) -> Path:
    """The folder holding ncc.html: the zip's top level or its one subfolder."""
    if _find_ncc(folder):
        return folder
    subs = [d for d in folder.iterdir() if d.is_dir()]
    return subs[0] if len(subs) == 1 and _find_ncc(subs[0]) else folder


def _find_ncc(folder: Path) -> Path | None:
    for name in ("ncc.html", "NCC.HTML", "ncc.htm", "NCC.HTM"):
        if (folder / name).is_file():
            return folder / name
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Checker:
    """One pass over one book; collects problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []
        self.docs: dict[str, ET.Element | None] = {}
        self.durations: dict[str, float | None] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def doc(self, name: str, quiet: bool = False) -> ET.Element | None:
        """The parsed file ``name`` (relative to the book), or None with a problem."""
        if name not in self.docs:
            path = self.inside(name)
            root = None
            if path is None:
                self.fail(name[:200], "points outside the book")
            elif not path.is_file():
                if not quiet:
                    self.fail(name, "file is missing")
            else:
                try:
                    root = ET.parse(path).getroot()
                except ET.ParseError as e:
                    self.fail(name, f"not well-formed XML ({e})")
                except (LookupError, ValueError) as e:
                    self.fail(name, f"an XML encoding reader cannot read ({e})")
            self.docs[name] = root
        return self.docs[name]

    def inside(self, name: str) -> Path | None:
        """``name`` as a file of the book, or None when it names anything outside it
        (``../``, an absolute path, a name no file system takes)."""
        if not name or "\x00" in name or len(name) > 1024 or Path(name).is_absolute():
            return None
        try:
            path = (self.root / name).resolve()
        except (OSError, RuntimeError):
            return None
        return path if path.is_relative_to(self.root.resolve()) else None

    def ids(self, name: str) -> dict[str, ET.Element]:
        root = self.doc(name)
        if root is None:
            return {}
        return {el.get("id"): el for el in root.iter() if el.get("id")}  # type: ignore[misc]

    def run(self) -> DaisyReport:
        ncc_path = _find_ncc(self.root)
        if ncc_path is None:
            self.fail("ncc.html", "file is missing: a DAISY 2.02 book starts from ncc.html")
            return DaisyReport((), 0.0, tuple(self.problems))
        ncc = self.doc(ncc_path.name)
        if ncc is None:
            return DaisyReport((), 0.0, tuple(self.problems))
        meta = _metadata(ncc)
        items = self.check_ncc_body(ncc_path.name, ncc)
        sections, total = self.check_smils(ncc_path.name, items)
        self.check_ncc_meta(ncc_path.name, meta, items, total)
        self.check_master(sections)
        return DaisyReport(tuple(sections), total, tuple(self.problems))

    # -- ncc.html ---------------------------------------------------------------

    def check_ncc_meta(
        self, ncc: str, meta: dict[str, list[str]], items: list, total: float
    ) -> None:
        for name in REQUIRED_NCC_META:
            if not any(v.strip() for v in meta.get(name, [])):
                self.fail(ncc, f"missing metadata {name}")
        one = {k: v[0].strip() for k, v in meta.items() if v}
        if "dc:format" in one and one["dc:format"] != "Daisy 2.02":
            self.fail(ncc, f'dc:format is {one["dc:format"]!r}, not "Daisy 2.02"')
        if "dc:date" in one and not _DATE.match(one["dc:date"]):
            self.fail(ncc, f"dc:date {one['dc:date']!r} is not yyyy-mm-dd")
        mtype = one.get("ncc:multimediaType")
        if mtype and mtype not in MULTIMEDIA_TYPES:
            known = ", ".join(MULTIMEDIA_TYPES)
            self.fail(ncc, f"ncc:multimediaType {mtype!r} is not one of {known}")
        counts = {}
        for name in _COUNTS:
            if name in one:
                if one[name].isdigit():
                    counts[name] = int(one[name])
                else:
                    self.fail(ncc, f"{name} {one[name]!r} is not a whole number")
        tags = [tag for tag, _, _ in items]
        self.expect(ncc, counts, "ncc:tocItems", len(items), "items in the NCC")
        depth = max((int(t[1]) for t in tags if t in _HEADINGS), default=0)
        self.expect(ncc, counts, "ncc:depth", depth, "as the deepest heading level")
        files = sum(1 for f in self.root.rglob("*") if f.is_file())
        self.expect(ncc, counts, "ncc:files", files, "files in the book")
        for name, cls in (
            ("ncc:pageFront", "page-front"),
            ("ncc:pageNormal", "page-normal"),
            ("ncc:pageSpecial", "page-special"),
        ):
            self.expect(ncc, counts, name, sum(1 for _, c, _ in items if c == cls), f"{cls} items")
        if "ncc:totalTime" in one:
            try:
                stated = parse_clock(one["ncc:totalTime"])
            except ValueError:
                self.fail(ncc, f"ncc:totalTime {one['ncc:totalTime']!r} is not hh:mm:ss")
            else:
                if not _same_time(one["ncc:totalTime"], stated, total):
                    self.fail(
                        ncc,
                        f"ncc:totalTime is {one['ncc:totalTime']} but the SMIL files "
                        f"last {total:.3f} s ({format_clock(total)})",
                    )

    def expect(self, where: str, counts: dict, name: str, actual: int, what: str) -> None:
        if name in counts and counts[name] != actual:
            self.fail(where, f"{name} is {counts[name]} but there are {actual} {what}")

    def check_ncc_body(self, ncc: str, root: ET.Element) -> list[tuple[str, str, str]]:
        """The NCC's items as (tag, class, href), checking their shape on the way."""
        body = next((el for el in root if _local(el.tag) == "body"), None)
        if body is None:
            self.fail(ncc, "no <body>")
            return []
        first = next(iter(body), None)
        classes = (first.get("class") or "").split() if first is not None else []
        if first is None or _local(first.tag) != "h1" or "title" not in classes:
            self.fail(ncc, 'the first element of <body> must be <h1 class="title">')
        items: list[tuple[str, str, str]] = []
        level = 0
        for el, links in _items_with_links(body):
            tag = _local(el.tag)
            if tag in _HEADINGS:
                if int(tag[1]) > level + 1:
                    self.fail(ncc, f"heading level skipped: <{tag}> after <h{level}>")
                level = int(tag[1])
            label = f"<{tag} id={el.get('id')!r}>"
            if not el.get("id"):
                self.fail(ncc, f"<{tag}> {_text(el)!r} has no id")
            if len(links) != 1 or not links[0].get("href"):
                self.fail(ncc, f"{label} must hold exactly one <a href> to its SMIL <par>")
                items.append((tag, el.get("class") or "", ""))
                continue
            items.append((tag, el.get("class") or "", links[0].get("href") or ""))
        return items

    # -- SMIL files ---------------------------------------------------------------

    def check_smils(self, ncc: str, items: list[tuple[str, str, str]]) -> tuple[list[str], float]:
        sections: list[str] = []
        for _, _, href in items:
            name = href.split("#", 1)[0]
            if name and name not in sections and name.lower().endswith(".smil"):
                sections.append(name)
        clips: dict[str, list[tuple[float, float, str]]] = {}
        order: dict[tuple[str, str], tuple[int, int, str]] = {}
        total = 0.0
        for s, name in enumerate(sections):
            total += self.check_smil(name, s, total, clips, order)
        last = (-1, -1)
        for _tag, _, href in items:
            name, _, frag = href.partition("#")
            if not href:
                continue
            if not name.lower().endswith(".smil"):
                self.fail(ncc, f"link {href!r} does not point into a SMIL file")
                continue
            if self.doc(name, quiet=True) is None:
                self.fail(ncc, f"link {href!r}: {name} is missing or broken")
                continue
            target = order.get((name, frag))
            if target is None:
                self.fail(ncc, f"link {href!r} does not point to a <par> (or its <text>) in {name}")
                continue
            pos = target[:2]
            if target[2] == "par":
                self.fail(ncc, f"link {href!r} points to a <par>: {PLAYER_NEEDS['link to par']}")
            if pos < last:
                self.fail(ncc, f"link {href!r} is out of reading order")
            last = max(last, pos)
        self.check_clip_order(clips)
        return sections, total

    def check_smil(
        self,
        name: str,
        s: int,
        elapsed: float,
        clips: dict[str, list[tuple[float, float, str]]],
        order: dict[tuple[str, str], tuple[int, int, str]],
    ) -> float:
        root = self.doc(name)
        if root is None:
            return 0.0
        meta = {k: v[0].strip() for k, v in _metadata(root).items() if v}
        if meta.get("dc:format") != "Daisy 2.02":
            self.fail(name, 'missing metadata dc:format "Daisy 2.02"')
        body = next((el for el in root if _local(el.tag) == "body"), None)
        seq = next(
            (el for el in (body if body is not None else []) if _local(el.tag) == "seq"), None
        )
        if seq is None:
            self.fail(name, "no main <seq> in <body>")
            return 0.0
        summed = 0.0
        for p, par in enumerate(el for el in seq.iter() if _local(el.tag) == "par"):
            where = f"{name}#{par.get('id') or p}"
            if par.get("id"):
                order[(name, par.get("id") or "")] = (s, p, "par")
            text = next((el for el in par if _local(el.tag) == "text"), None)
            if text is None or not text.get("src"):
                self.fail(where, "<par> has no <text src>")
            else:
                if text.get("id"):
                    order[(name, text.get("id") or "")] = (s, p, "text")
                self.check_text_src(where, text.get("src") or "")
            if any(_local(el.tag) == "audio" for el in par):
                self.fail(where, f"<audio> directly in <par>: {PLAYER_NEEDS['audio outside seq']}")
            for audio in (el for el in par.iter() if _local(el.tag) == "audio"):
                summed += self.check_clip(where, audio, clips)
        dur_attr = seq.get("dur")
        dur = summed
        if dur_attr is None:
            self.fail(name, "the main <seq> has no dur")
        else:
            try:
                dur = parse_clock(dur_attr)
            except ValueError:
                self.fail(name, f"<seq dur={dur_attr!r}> is not a clock value")
            else:
                if abs(dur - summed) > 0.002:
                    self.fail(name, f"<seq dur> is {dur:.3f} s but its clips last {summed:.3f} s")
        for key, want in (("ncc:timeInThisSmil", dur), ("ncc:totalElapsedTime", elapsed)):
            if key in meta:
                try:
                    ok = _same_time(meta[key], parse_clock(meta[key]), want)
                except ValueError:
                    ok = False
                if not ok:
                    self.fail(name, f"{key} is {meta[key]!r} but should be {format_clock(want)}")
        return dur

    def check_text_src(self, where: str, src: str) -> None:
        doc, _, frag = src.partition("#")
        if not frag:
            self.fail(where, f"<text src={src!r}> names no element id")
            return
        if self.doc(doc, quiet=True) is None:
            self.fail(where, f"<text src={src!r}>: {doc} is missing or broken")
        elif frag not in self.ids(doc):
            self.fail(where, f"<text src={src!r}>: no element with id {frag!r} in {doc}")

    def check_clip(
        self, where: str, audio: ET.Element, clips: dict[str, list[tuple[float, float, str]]]
    ) -> float:
        src = audio.get("src") or ""
        try:
            begin = parse_clock(audio.get("clip-begin") or "")
            end = parse_clock(audio.get("clip-end") or "")
        except ValueError:
            self.fail(where, f"audio clip of {src!r} lacks a valid clip-begin or clip-end")
            return 0.0
        if end <= begin:
            self.fail(where, f"audio clip {begin:.3f}-{end:.3f} s of {src} ends before it begins")
        if src not in self.durations:
            path = self.inside(src)
            if path is None:
                self.fail(where, f"audio file {src[:200]!r} lies outside the book")
                self.durations[src] = None
            elif not path.is_file():
                self.fail(where, f"audio file {src!r} is missing")
                self.durations[src] = None
            else:
                self.durations[src] = audio_length(path)
                if self.durations[src] is None:
                    self.fail(src, "audio file cannot be read (not MP3 or WAV?)")
        length = self.durations[src]
        if length is not None and end > length + _EPS:
            self.fail(
                where,
                f"audio clip {begin:.3f}-{end:.3f} s lies beyond the end of {src} ({length:.3f} s)",
            )
        clips.setdefault(src, []).append((begin, end, where))
        return max(0.0, end - begin)

    def check_clip_order(self, clips: dict[str, list[tuple[float, float, str]]]) -> None:
        for src, spans in clips.items():
            for (b0, e0, w0), (b1, e1, w1) in zip(spans, spans[1:], strict=False):
                if b1 < b0 - _EPS:
                    self.fail(
                        w1,
                        f"clip of {src} at {b1:.3f} s comes before the previous "
                        f"clip ({w0}, {b0:.3f} s): clips out of order",
                    )
                elif b1 < e0 - _EPS:
                    self.fail(
                        w1,
                        f"clip of {src} at {b1:.3f}-{e1:.3f} s overlaps the previous "
                        f"clip ({w0}, {b0:.3f}-{e0:.3f} s)",
                    )

    def check_master(self, sections: list[str]) -> None:
        if not (self.root / "master.smil").is_file():
            return
        root = self.doc("master.smil")
        if root is None:
            return
        refs = [el.get("src") or "" for el in root.iter() if _local(el.tag) == "ref"]
        named = [r.split("#", 1)[0] for r in refs]
        for r in named:
            found = self.inside(r)
            if found is None or not found.is_file():
                self.fail("master.smil", f"<ref src={r!r}> names a missing file")
        if named != sections:
            self.fail("master.smil", "its <ref> list does not match the NCC's SMIL files in order")


def _items_with_links(body: ET.Element) -> list[tuple[ET.Element, list[ET.Element]]]:
    """The NCC items under ``body`` in document order, each with the links that belong
    to it (those with no nearer item around them): one pass, so a book of thousands of
    nested items is checked in linear time."""
    found: list[tuple[ET.Element, list[ET.Element]]] = []
    stack: list[tuple[ET.Element, list[ET.Element] | None]] = [(body, None)]
    while stack:
        el, owner = stack.pop()
        tag = _local(el.tag)
        if el is not body and tag in _NCC_ITEMS:
            owner = []
            found.append((el, owner))
        elif tag == "a" and owner is not None:
            owner.append(el)
        stack.extend((child, owner) for child in reversed(el))
    return found


def _metadata(root: ET.Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for el in root.iter():
        if _local(el.tag) == "meta" and el.get("name"):
            out.setdefault(el.get("name") or "", []).append(el.get("content") or "")
    return out


def _text(el: ET.Element) -> str:
    # The first 40 characters, without reading all of a deeply nested element's text.
    return " ".join("".join(itertools.islice(el.itertext(), 20))[:200].split())[:40]


def _same_time(stated_text: str, stated: float, actual: float) -> bool:
    """Equal at the precision written: milliseconds if there is a fraction, else seconds."""
    if "." in stated_text:
        return abs(stated - actual) <= 0.0015
    return abs(stated - actual) <= 0.5 + 1e-6
