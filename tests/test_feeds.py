"""Feeds, OPML lists and polite fetching (reader.feeds) against a local HTTP server."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from reader import feeds
from reader.errors import ReaderError, SourceError
from reader.pipeline import prepare
from tests.feedsite import Site, full_text, headline
from tests.support import send


@pytest.fixture(scope="module")
def _site():
    with Site(articles=6) as s:
        yield s


@pytest.fixture
def site(_site):
    """One server for the module (a server's shutdown costs 0.5 s), fresh for each test:
    only the article pages routed, no hits counted."""
    for path in [p for p in _site.server.routes if not p.startswith("/a/")]:
        del _site.server.routes[path]
    _site.hits.clear()
    return _site


def test_a_feed_is_a_reading_in_date_order_with_its_title(site):
    url = site.feed("/feed", "Harbour Gazette", [site.item(n, hours_ago=n) for n in (3, 1, 2)])
    reading = feeds.gather([url])
    assert reading.title == "Harbour Gazette" and reading.from_feed
    assert [i.title for i in reading.items] == [headline(n) for n in (1, 2, 3)]  # newest first
    assert reading.date == dt.datetime(2026, 12, 1, 11, tzinfo=dt.UTC)
    assert site.hits == ["/feed"]  # the pages are fetched when read, not now


def test_full_text_in_the_feed_is_read_without_fetching_the_page(site):
    url = site.feed("/feed", "Gazette", [site.item(1, content=full_text(1)), site.item(2)])
    reading = feeds.gather([url])
    first = reading.items[0]
    assert first.source is not None
    prepared = prepare(feeds.resolve(first))
    assert prepared.article.headline == headline(1)
    assert len(" ".join(prepared.article.paragraphs).split()) >= feeds.FULL_TEXT_WORDS
    # A teaser (under the full-text threshold) is not the article: the page is fetched.
    teaser = feeds.gather([site.feed("/t", "G", [site.item(3, content="<p>Read on.</p>")])])
    assert teaser.items[0].source is None
    assert "/a/1" not in site.hits


def test_limit_and_since_pick_by_date(site):
    url = site.feed("/feed", "Gazette", [site.item(n, hours_ago=10 * n) for n in range(1, 6)])
    assert [i.title for i in feeds.gather([url], limit=2).items] == [headline(1), headline(2)]
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    since = feeds.since_cutoff("24h", now)
    assert [i.title for i in feeds.gather([url], since=since).items] == [
        headline(1), headline(2)
    ]
    assert feeds.since_cutoff("2026-11-30", now) == dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    with pytest.raises(SourceError, match="neither an age nor a date"):
        feeds.since_cutoff("yesterday")
    with pytest.raises(SourceError, match="no articles"):
        feeds.gather([url], since=now)


def test_duplicates_links_to_itself_and_entries_without_links(site):
    url = site.base + "/feed"
    items = [
        site.item(1), site.item(1, title="The same story again"),
        {**site.item(2), "link": site.base + "/a/2#comments"},  # same page, other fragment
        site.item(2), {"title": "The feed itself", "link": url},
        {"title": "No link, no text"}, {"title": "No link", "summary": "A short note of text."},
        {"title": "A local file", "link": "file:///etc/hostname"},
    ]
    site.feed("/feed", "Gazette", items)
    reading = feeds.gather([url])
    assert [i.title for i in reading.items] == [headline(1), headline(2), "No link"]
    notes = " ".join(reading.notes)
    assert "2 duplicate entries" in notes
    assert "1 entry linking to the feed itself" in notes
    assert "2 entries with no link and no text" in notes  # the file: link is no link
    # An entry with only its summary is read from it, never from a file the feed named.
    assert "A short note" in feeds.resolve(reading.items[2]).text


@pytest.mark.parametrize("body", [b"not xml at all", b"<rss><channel><item><title>x</rss"])
def test_a_feed_that_is_not_xml_is_one_clear_error(site, body):
    url = site.route("/bad", send(body, "application/rss+xml"))
    with pytest.raises(SourceError, match="is not a feed reader can read: it is not well-formed"):
        feeds.gather([url])


def test_a_feed_entry_that_is_a_feed_is_refused_not_followed(site):
    url = site.feed("/feed", "Gazette", [{"title": "Elsewhere", "link": site.base + "/other"}])
    site.feed("/other", "Other", [site.item(1)])
    item = feeds.gather([url]).items[0]
    with pytest.raises(SourceError, match="is a feed, not an article page"):
        feeds.resolve(item)
    assert "/a/1" not in site.hits


def test_opml_lists_feeds(site, tmp_path):
    one = site.feed("/one", "One", [site.item(1), site.item(2)])
    two = site.feed("/two", "Two", [site.item(3)])
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        "<?xml version='1.0'?><opml version='2.0'><head><title>Morning</title></head><body>"
        f"<outline text='One' xmlUrl='{one}'/><outline text='Group'>"
        f"<outline text='Two' type='rss' xmlUrl='{two}'/>"
        f"<outline text='Gone' xmlUrl='{site.base}/missing'/></outline></body></opml>",
        encoding="utf-8",
    )
    reading = feeds.gather([str(opml)])
    assert reading.title == "Morning"
    assert [i.title for i in reading.items] == [headline(n) for n in (1, 2, 3)]
    assert any("missing" in n and "404" in n for n in reading.notes)
    bomb = tmp_path / "bomb.opml"
    bomb.write_text("<?xml version='1.0'?><!DOCTYPE o [<!ENTITY a 'aaaa'>]><opml><body>"
                    "<outline xmlUrl='&a;'/></body></opml>", encoding="utf-8")
    with pytest.raises(SourceError, match="DTD or entities"):
        feeds.gather([str(bomb)])


def test_url_lists_folders_and_files_mix_with_feeds(site, tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "b.html").write_text("<p>Local story one, long enough.</p>")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.base}/a/1\n# a comment\n{site.base}/a/2\n")
    url = site.feed("/feed", "Gazette", [site.item(3)])
    reading = feeds.gather([str(tmp_path / "dir"), str(urls), url])
    assert [i.ref for i in reading.items] == [
        str(tmp_path / "dir" / "b.html"), f"{site.base}/a/1", f"{site.base}/a/2",
        f"{site.base}/a/3",
    ]
    assert reading.title is None  # several sources: no one feed's title


@pytest.mark.slow
def test_fetch_all_is_bounded_and_in_order():
    with Site(articles=12, delay=0.3) as site:
        items = [feeds.Item(f"{site.base}/a/{n}") for n in range(1, 13)]
        t = time.monotonic()
        got = list(feeds.fetch_all(items, connections=3))
        took = time.monotonic() - t
        assert [i.ref for i, _ in got] == [i.ref for i in items]
        assert all(not isinstance(s, ReaderError) for _, s in got)
        assert site.in_flight_max <= 3
        assert took >= 4 * 0.3 * 0.9  # 12 pages, 3 at once


@pytest.mark.slow
def test_one_polite_retry_for_a_busy_server(monkeypatch):
    monkeypatch.setattr(feeds, "RETRY_DELAY", 0.1)
    tries = []

    def busy_once(h):
        tries.append(time.monotonic())
        if len(tries) == 1:
            h.send_response(503)
            h.send_header("Retry-After", "1")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        send(b"<html><body><article><h1>Back</h1><p>It works now.</p></article></body></html>")(h)

    with Site() as site:
        url = site.route("/busy", busy_once)
        source = feeds.resolve(feeds.Item(url))
        assert "It works now" in source.text
        assert len(tries) == 2 and tries[1] - tries[0] >= 0.9  # Retry-After honoured
        gone = site.route("/gone", lambda h: h.send_error(404))
        with pytest.raises(SourceError, match="404"):
            feeds.resolve(feeds.Item(gone))
        assert site.hits.count("/gone") == 1  # a missing page is not asked for twice


@pytest.mark.slow
def test_a_stalling_server_is_bounded(monkeypatch):
    monkeypatch.setenv("READER_TIMEOUT", "0.5")

    def stall(h):
        time.sleep(5)

    with Site(articles=1) as site:
        items = [feeds.Item(site.route("/stall", stall)), feeds.Item(f"{site.base}/a/1")]
        t = time.monotonic()
        got = dict((i.ref, s) for i, s in feeds.fetch_all(items))
        assert time.monotonic() - t < 3
        assert "did not answer in time" in str(got[items[0].ref])
        assert not isinstance(got[items[1].ref], ReaderError)


@pytest.mark.slow
def test_ten_thousand_entries_are_bounded(site):
    items = [{"title": f"Entry {n}", "link": f"{site.base}/e/{n}", "summary": "A summary."}
             for n in range(10_000)]
    url = site.feed("/big", "Archive", items)
    t = time.monotonic()
    reading = feeds.gather([url])
    took = time.monotonic() - t
    assert len(reading.items) == feeds.MAX_ENTRIES
    assert any("10000 entries" in n for n in reading.notes)
    print(f"10,000-entry feed: {took:.2f} s")
    assert took < 60


def test_entries_keep_the_single_url_limits(site):
    from tests.support import redirect

    site.route("/loop", redirect("/loop"))
    url = site.feed("/feed", "Gazette", [{"title": "Loop", "link": site.base + "/loop"}])
    (item,) = feeds.gather([url]).items
    with pytest.raises(SourceError, match="more than 5 redirects"):
        feeds.resolve(item)
    assert site.hits.count("/loop") == 6  # the first ask and five redirects, not retried


def test_relative_links_are_joined_to_the_feed_address(site):
    items = [{"title": "Relative", "link": "/a/1"}, {"title": "Bare", "link": "a/2"}]
    url = site.feed("/news/feed", "Gazette", items)
    reading = feeds.gather([url])
    assert [i.ref for i in reading.items] == [site.base + "/a/1", site.base + "/news/a/2"]
