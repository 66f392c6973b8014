"""A feed exported: to one DAISY book named and dated by the feed, and to a podcast
folder (MP3s, feed.xml, JSON chapters) that a second export updates."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from reader.cli import main
from tests.feedsite import Site, headline, paragraphs

pytestmark = [pytest.mark.slow]

SILENT = ("--engine", "silent", "--rate", "450", "-j", "1")
PODCAST_NS = "{https://podcastindex.org/namespace/1.0}"


def run(*args: str):
    return CliRunner().invoke(main, ["export", *args, *SILENT])


@pytest.fixture
def site():
    with Site(articles=4) as s:
        s.feed("/feed", "Harbour Gazette", [s.item(n, hours_ago=n) for n in (1, 2, 3)])
        yield s


def test_a_feed_becomes_one_daisy_book_with_its_title_and_date(tmp_path, site):
    site.feed("/feed", "Harbour Gazette", [
        site.item(1, hours_ago=1), {"title": "Gone", "link": site.base + "/gone"},
        site.item(2, hours_ago=2),
    ])  # fmt: skip
    book = tmp_path / "book"
    r = run(site.base + "/feed", "--format", "daisy", "-o", str(book))
    assert r.exit_code == 0, r.output
    assert "Skipped " + site.base + "/gone" in r.output and "404" in r.output
    assert "2 articles" in r.output
    check = CliRunner().invoke(main, ["validate-daisy", str(book)])
    assert check.exit_code == 0, check.output
    ncc = (book / "ncc.html").read_text(encoding="utf-8")
    assert '<meta name="dc:title" content="Harbour Gazette, 1 December 2026: 2 articles"' in ncc
    assert '<meta name="dc:date" content="2026-12-01"' in ncc
    assert headline(1) in ncc and headline(2) in ncc and "Gone" not in ncc


def _ffprobe_seconds(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)], capture_output=True, text=True, check=True)  # fmt: skip
    return float(out.stdout)


def _seconds(clock: str) -> int:
    h, m, s = (int(x) for x in clock.split(":"))
    return 3600 * h + 60 * m + s


def check_podcast(folder: Path, base: str) -> list:
    """The feed parses without a bozo flag and every episode matches its files."""
    parsed = feedparser.parse((folder / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    root = ET.parse(folder / "feed.xml").getroot()
    items = root.findall("channel/item")
    assert len(items) == len(parsed.entries)
    for entry, item in zip(parsed.entries, items, strict=True):
        (enclosure,) = entry.enclosures
        name = enclosure.href.removeprefix(base + "/")
        mp3 = folder / name
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == mp3.stat().st_size
        assert abs(_seconds(entry.itunes_duration) - _ffprobe_seconds(mp3)) <= 0.5
        assert entry.title and entry.description and entry.published_parsed
        chapters = item.find(PODCAST_NS + "chapters")
        assert chapters is not None and chapters.get("type") == "application/json+chapters"
        data = json.loads((folder / chapters.get("url").removeprefix(base + "/")).read_text())
        # Podcasting 2.0 JSON chapters: a version, then chapters with startTime and title.
        assert isinstance(data["version"], str) and data["chapters"]
        starts = [c["startTime"] for c in data["chapters"]]
        assert starts == sorted(starts) and 0 <= starts[0] < 1
        assert all(isinstance(c["title"], str) and c["title"] for c in data["chapters"])
        assert starts[-1] < _ffprobe_seconds(mp3)
    return parsed.entries


def test_podcast_folder_is_a_valid_feed_updated_not_rewritten(tmp_path, site):
    out = tmp_path / "pod"
    base = "https://example.org/news"
    r = run(site.base + "/feed", "--out-dir", str(out), "--podcast", "--base-url", base,
            "--limit", "2")
    assert r.exit_code == 0, r.output
    first = check_podcast(out, base)
    assert [e.title for e in first] == [headline(1), headline(2)]  # newest first
    assert first[0].description == paragraphs(1)[0]  # no summary: the first paragraph
    assert dt.datetime(*first[0].published_parsed[:6]) == dt.datetime(2026, 12, 1, 11)
    assert json.loads((out / "1.chapters.json").read_text())["chapters"][0]["title"] == (
        f"Headline: {headline(1)}"
    )
    ids = {e.id for e in first}

    # A new entry in the feed, and a local article, exported into the same folder.
    site.feed("/feed", "Harbour Gazette",
              [site.item(4, hours_ago=0.5)] + [site.item(n, hours_ago=n) for n in (1, 2)])
    local = tmp_path / "local.html"
    local.write_text("<html><body><article><h1>A local story</h1><p>Read from a file on "
                     "the disk, and added to the same podcast.</p></article></body></html>")
    moved = "https://example.net/elsewhere/"  # the folder served from a new address
    r = run(site.base + "/feed", str(local), "--out-dir", str(out), "--podcast",
            "--base-url", moved)
    assert r.exit_code == 0, r.output
    second = check_podcast(out, moved.rstrip("/"))
    assert ids <= {e.id for e in second}
    assert {e.title for e in second} == {headline(n) for n in (1, 2, 4)} | {"A local story"}
    assert "2 up to date" in r.output
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))


def test_a_feed_xml_reader_did_not_write_is_kept(tmp_path, site):
    out = tmp_path / "pod"
    out.mkdir()
    (out / "feed.xml").write_text("<rss version='2.0'><channel><title>Mine</title></channel></rss>")
    r = run(site.base + "/feed", "--out-dir", str(out), "--podcast", "--limit", "1")
    assert r.exit_code == 1 and "not written by reader" in r.output
    assert "Mine" in (out / "feed.xml").read_text()


def test_podcast_options_need_an_mp3_folder(tmp_path, site):
    r = run(site.base + "/feed", "-o", str(tmp_path / "x.mp3"), "--podcast")
    assert r.exit_code == 2 and "--podcast" in r.output
    r = run(site.base + "/feed", "-o", str(tmp_path / "x.mp3"))
    assert r.exit_code == 2 and "use --out-dir for several" in r.output
