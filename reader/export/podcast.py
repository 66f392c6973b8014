"""A podcast feed of an export folder: ``feed.xml`` (RSS 2.0 with the iTunes and
Podcasting 2.0 namespaces) and one JSON chapters file per episode.

Each MP3 reader wrote into the folder is an episode: its title, enclosure (URL, length
in bytes, ``audio/mpeg``), ``itunes:duration`` and chapters come from the file itself
(``reader.export.tags.read_mp3``), so they always match it; its description (the
article's summary, else its first paragraph) and publication date come from the export
or the feed entry it was made from. The feed is updated, not rewritten: episodes already
in ``feed.xml`` stay (while their file is there), a re-exported article replaces its own
episode (the same ``guid``, the batch's hash of the source), and the new file is put in
place in one rename.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from reader.errors import ExportError

FEED = "feed.xml"
CHAPTERS_SUFFIX = ".chapters.json"
#: The Podcasting 2.0 chapters format version written (podcastindex.org namespace docs).
CHAPTERS_VERSION = "1.2.0"
GENERATOR = "reader"
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class PodcastResult:
    path: Path
    episodes: int
    """Items in the feed now."""
    added: int
    """Items this export added or replaced."""


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _date(value: object) -> dt.datetime | None:
    """A datetime from a feed entry or an article's ``published`` text (ISO 8601)."""
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, str) and value.strip():
        try:
            when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
    else:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _url(base: str | None, name: str) -> str:
    return (base.rstrip("/") + "/" if base else "") + quote(name)


def _load(path: Path) -> ET.Element | None:
    """The channel of reader's own ``feed.xml`` at ``path``; None when there is none.
    Refuses a file reader did not write: it is never replaced."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise ExportError(f"cannot read {path} ({e}).") from None
    mine = re.search(r"<generator>\s*" + GENERATOR + r"\b", text[:4096])
    if re.search(r"<!(DOCTYPE|ENTITY)", text[:4096], re.I) or not mine:
        raise ExportError(
            f"{path} exists and was not written by reader, so it is not replaced.",
            "Export into another folder, or move that file away.",
        )
    try:
        channel = ET.fromstring(text).find("channel")
    except ET.ParseError:
        channel = None
    if channel is None:
        raise ExportError(f"{path} is damaged.", "Remove it; the next export writes it anew.")
    return channel


def update_podcast(
    out_dir: Path,
    reading,
    outcomes: Iterable,
    base_url: str | None = None,
    now: dt.datetime | None = None,
) -> PodcastResult:
    """Add the MP3 files of ``outcomes`` (``reader.export.batch.SourceOutcome``, those
    written or up to date) to ``out_dir``'s ``feed.xml``, with their chapters files.
    ``reading`` (``reader.feeds.Reading``) gives the feed's title and each entry's date
    and summary. Raises ``ExportError`` when the folder's ``feed.xml`` is not reader's
    or the files cannot be written."""
    from reader.export.batch import source_id
    from reader.export.tags import read_mp3

    now = now or dt.datetime.now(dt.UTC)
    path = out_dir / FEED
    old = _load(path)
    entries = {i.ref: i for i in reading.items}
    episodes: dict[str, ET.Element] = {}
    if old is not None:
        for item in old.findall("item"):
            enclosure = item.find("enclosure")
            name = enclosure.get("url", "").rsplit("/", 1)[-1] if enclosure is not None else ""
            if (guid := item.findtext("guid")) and name and _exists(out_dir, name):
                episodes[guid] = item
                _rebase(item, base_url)
    added = 0
    for o in outcomes:
        if o.status not in ("written", "skipped") or o.output is None:
            continue
        guid = f"reader-{source_id(o.source)}"
        if o.status == "skipped" and guid in episodes:
            continue  # unchanged: its item stays as it was
        try:
            info = read_mp3(o.output)
        except (OSError, ValueError):
            continue
        entry = entries.get(o.source)
        before = episodes.get(guid)
        description = o.description or (entry.summary if entry else "") or (
            before.findtext("description") if before is not None else ""
        ) or info.title
        when = (
            _date(entry.published if entry else None)
            or _date(o.published)
            or _date(before.findtext("pubDate") if before is not None else None)
            or now
        )
        chapters = o.output.with_name(o.output.stem + CHAPTERS_SUFFIX)
        _write_atomic(chapters, json.dumps(_chapters_json(info), ensure_ascii=False, indent=1))
        episodes[guid] = _item(
            guid, o.title or info.title, description, when, o.output, info.duration,
            _url(base_url, o.output.name), _url(base_url, chapters.name), o.source,
        )
        added += 1
    title = (reading.title or (old.findtext("title") if old is not None else None)
             or "Articles read aloud")
    channel = _channel(title, base_url, now, episodes.values())
    rss = ET.Element("rss", {"version": "2.0"})
    rss.append(channel)
    ET.indent(rss)
    text = "<?xml version='1.0' encoding='utf-8'?>\n" + ET.tostring(rss, encoding="unicode")
    _write_atomic(path, text + "\n")
    return PodcastResult(path, len(episodes), added)


def _rebase(item: ET.Element, base_url: str | None) -> None:
    """Point a kept episode's links at ``base_url``: the folder may have moved."""
    for element in (item.find("enclosure"), item.find(_q("podcast", "chapters"))):
        if element is not None:
            name = unquote(element.get("url", "").rsplit("/", 1)[-1])
            element.set("url", _url(base_url, name))


def _exists(folder: Path, quoted: str) -> bool:
    name = unquote(quoted)
    return "/" not in name and (folder / name).is_file()


def _chapters_json(info) -> dict:
    """Podcasting 2.0 JSON chapters: ``version`` and ``chapters`` of ``startTime``
    (seconds) and ``title``, in order."""
    return {
        "version": CHAPTERS_VERSION,
        "chapters": [{"startTime": round(t, 3), "title": name} for t, name in info.chapters],
    }


#: Characters XML 1.0 cannot hold: a feed's text never passes them on.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _item(
    guid: str, title: str, description: str, when: dt.datetime, file: Path, duration: float,
    url: str, chapters_url: str, link: str,
) -> ET.Element:
    item = ET.Element("item")
    ET.SubElement(item, "title").text = _NOT_XML.sub("", title)
    ET.SubElement(item, "description").text = _NOT_XML.sub("", description)
    if re.match(r"^https?://", link):
        ET.SubElement(item, "link").text = link
    ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = guid
    ET.SubElement(item, "pubDate").text = email.utils.format_datetime(when.astimezone(dt.UTC))
    ET.SubElement(item, "enclosure", {
        "url": url, "length": str(file.stat().st_size), "type": "audio/mpeg",
    })  # fmt: skip
    ET.SubElement(item, _q("itunes", "duration")).text = _clock(duration)
    ET.SubElement(item, _q("podcast", "chapters"), {
        "url": chapters_url, "type": "application/json+chapters",
    })  # fmt: skip
    return item


def _channel(title: str, base_url: str | None, now: dt.datetime, items) -> ET.Element:
    channel = ET.Element("channel")
    ET.SubElement(channel, "title").text = _NOT_XML.sub("", title)
    ET.SubElement(channel, "link").text = base_url or "./"
    ET.SubElement(channel, "description").text = f"{title}: articles read aloud by reader."
    ET.SubElement(channel, "language").text = "en"
    ET.SubElement(channel, "generator").text = GENERATOR
    ET.SubElement(channel, "lastBuildDate").text = email.utils.format_datetime(now)
    if base_url:
        ET.SubElement(channel, _q("atom", "link"), {
            "href": _url(base_url, FEED), "rel": "self", "type": "application/rss+xml",
        })  # fmt: skip
    ET.SubElement(channel, _q("itunes", "author")).text = "reader"
    ET.SubElement(channel, _q("itunes", "explicit")).text = "false"

    def newest(item: ET.Element) -> float:
        try:
            return email.utils.parsedate_to_datetime(item.findtext("pubDate") or "").timestamp()
        except (TypeError, ValueError):
            return 0.0

    for item in sorted(items, key=newest, reverse=True):
        channel.append(item)
    return channel


def _write_atomic(path: Path, text: str) -> None:
    """``text`` into ``path`` through a temporary file and one rename."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise ExportError(f"cannot write {path} ({e.strerror or e}).") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _umask() -> int:
    from reader.export.safefile import umask

    return umask()
