"""Sources that hold many articles: RSS and Atom feeds, OPML lists of feeds, text files
of URLs, folders; and fetching many pages politely. The only module importing feedparser.

``gather(args)`` turns what a user named into a ``Reading``: its articles (``Item``), in
reading order, with the feed's title and date and the lines worth telling the user
(duplicates left out, entries that cannot be read). ``resolve`` gives an item's
``Source``, from the feed's own full text or by fetching its page; ``fetch_all`` does that
for many items, a bounded number at once, each with one polite retry, under the limits of
``reader.sources.fetch`` (size, time, redirects).

A feed is read one level deep: an entry's link must be an article page (a feed or an
OPML file there is an error, never followed), an OPML file's outlines must be feeds.
Entry links are followed only when they are http(s): a feed never makes reader read a
local file.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import threading
import time
import tomllib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from reader.errors import FetchError, ReaderError, SourceError
from reader.sources import FEED_TYPES, Source, load

DATA = Path(__file__).resolve().parent / "data" / "feeds.toml"
_SETTINGS = tomllib.loads(DATA.read_text(encoding="utf-8"))
CONNECTIONS: int = _SETTINGS["connections"]
RETRY_DELAY: float = _SETTINGS["retry_delay"]
MAX_RETRY_AFTER: float = _SETTINGS["max_retry_after"]
FULL_TEXT_WORDS: int = _SETTINGS["full_text_words"]
MAX_ENTRIES: int = _SETTINGS["max_entries"]

#: The root element of a feed or an OPML file, after an XML declaration, comments,
#: processing instructions and a DOCTYPE; looked for in the first characters only.
_ROOT = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:(?:<!--.{0,2000}?-->|<\?[^>]{0,200}\?>"
    r"|<!DOCTYPE[^>\[]{0,200}(?:\[.{0,4000}?\])?\s*>)\s*){0,20}"
    r"<(rss|feed|rdf:RDF|opml)[\s>/]",
    re.S | re.I,
)
_TAG = re.compile(r"<[^>]{0,2000}>")


@dataclass(frozen=True)
class Item:
    """One article of a reading: a path or URL, maybe already loaded."""

    ref: str
    """Its path or URL (for an entry without a link, the feed's name and ``#n``): what
    is loaded, and its identity in a reading."""
    title: str | None = None
    """The headline the feed gives, known before the page is loaded."""
    source: Source | None = None
    """The article already at hand: a feed entry's full text, or a page fetched to see
    whether it was a feed."""
    published: dt.datetime | None = None
    summary: str = ""
    """The feed's summary of the entry, as plain text."""
    error: str | None = None
    """Why it cannot be read, when that was found out already (a URL that failed)."""


@dataclass(frozen=True)
class Reading:
    """Articles to read or export, in order."""

    items: tuple[Item, ...]
    title: str | None = None
    """The feed's title when the reading is one feed (or one OPML list)."""
    date: dt.datetime | None = None
    """The feed's date (its own, else its newest entry's)."""
    notes: tuple[str, ...] = ()
    """Lines for the user: entries left out and why."""
    from_feed: bool = False
    """Whether any item came from a feed or an OPML list."""


@dataclass(frozen=True)
class Feed:
    """A parsed feed."""

    title: str
    date: dt.datetime | None
    items: tuple[Item, ...]
    notes: tuple[str, ...]


def kind_of(text: str) -> str | None:
    """``"feed"`` (RSS, Atom, RSS 1.0), ``"opml"``, or None for anything else."""
    m = _ROOT.match(text[:16384])
    if m is None:
        return None
    return "opml" if m.group(1).lower() == "opml" else "feed"


def _plain(text: str | None) -> str:
    """Feed text (maybe HTML) as one plain line."""
    if not text:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _when(parsed) -> dt.datetime | None:
    try:
        return dt.datetime(*parsed[:6]).replace(tzinfo=dt.UTC) if parsed else None
    except (TypeError, ValueError):
        return None


def _web(url: str | None) -> str | None:
    """``url`` without its fragment when it is http(s); None for anything else."""
    if not url or not re.match(r"^https?://[^\s/]", url.strip(), re.I):
        return None
    return urldefrag(url.strip())[0]


def _page(title: str, body_html: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body>"
        f"<article><h1>{html.escape(title)}</h1>{body_html}</article></body></html>"
    )


def parse_feed(source: Source) -> Feed:
    """The entries of the feed in ``source``, in the feed's order, each an ``Item``:
    duplicates (same link or id) and entries with neither a link nor text left out with
    a note, an entry that links to the feed itself too. Raises ``SourceError`` when the
    text is not a feed with entries."""
    import feedparser

    name = source.name
    # Bytes with the charset said, so feedparser never takes the text for a URL or a
    # file name, and decodes it as reader did (HTTP header over XML declaration).
    parsed = feedparser.parse(
        io.BytesIO(source.text.encode("utf-8")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,  # reader's own parser drops scripts and styles
        resolve_relative_uris=False,
    )
    why = parsed.get("bozo_exception") if parsed.get("bozo") else None
    broken = SourceError(
        f"{name} is not a feed reader can read: it is not well-formed XML"
        + (f" ({_plain(str(why))})." if why else "."),
        "Check the address of the feed.",
    )
    if not parsed.get("version") and not parsed.entries:
        raise broken
    if not parsed.entries:
        raise SourceError(f"the feed {name} has no entries.", "Check the address of the feed.")
    here = _web(source.url)
    seen: set[str] = set()
    items: list[Item] = []
    duplicates = no_text = itself = 0
    def absolute(href: str | None) -> str | None:
        # A relative link is the feed's own address joined to it (a fetched feed only:
        # a local file's relative links would name local files).
        return _web(urljoin(source.url, href) if source.url and href else href)

    for n, e in enumerate(parsed.entries, 1):
        link = absolute(e.get("link"))
        if link is None:  # feedparser keeps every link; an Atom entry may name it later
            link = next((a for x in e.get("links", ()) if (a := absolute(x.get("href")))), None)
        title = _plain(e.get("title")) or f"Entry {n}"
        content = max(
            (c.get("value", "") for c in e.get("content", ()) if "html" in c.get("type", "html")
             or c.get("type") == "text/plain"),
            key=len, default="",
        )
        summary = _plain(e.get("summary"))
        ident = link or e.get("id") or f"{title}\n{summary}"
        if ident in seen:
            duplicates += 1
            continue
        seen.add(ident)
        if link is not None and here is not None and link == here:
            itself += 1
            continue
        full = content if len(_plain(content).split()) >= FULL_TEXT_WORDS else ""
        text = full or ("" if link else content or e.get("summary", ""))
        if not link and not _plain(text):
            no_text += 1
            continue
        ref = link or f"{name}#{n}"
        loaded = None
        if text:
            page = text if "<" in text else "".join(
                f"<p>{html.escape(p)}</p>" for p in text.split("\n\n")
            )
            loaded = Source(_page(title, page), "text/html", ref, link)
        published = _when(e.get("published_parsed") or e.get("updated_parsed"))
        items.append(Item(ref, title, loaded, published, summary))
    if not items and why is not None:
        raise broken
    notes = []
    if why is not None and "xml" in type(why).__name__.lower() + str(type(why)).lower():
        notes.append(f"{name} is not well-formed XML ({_plain(str(why))}); "
                     f"{_count(len(items), 'entry')} read from it all the same.")
    if duplicates:
        notes.append(f"{name}: left out {_count(duplicates, 'duplicate entry')}.")
    if no_text:
        notes.append(f"{name}: left out {_count(no_text, 'entry')} with no link and no text.")
    if itself:
        notes.append(f"{name}: left out {_count(itself, 'entry')} linking to the feed itself.")
    feed_title = _plain(parsed.feed.get("title")) or name
    date = _when(parsed.feed.get("updated_parsed") or parsed.feed.get("published_parsed"))
    dates = [i.published for i in items if i.published]
    return Feed(feed_title, date or (max(dates) if dates else None), tuple(items), tuple(notes))


def _count(n: int, what: str) -> str:
    plural = what[:-1] + "ies" if what.endswith("y") else what + "s"
    return f"{n} {what if n == 1 else plural}"


def opml_feeds(source: Source) -> tuple[str, list[str]]:
    """The title and the http(s) feed URLs an OPML file lists (``xmlUrl``), in order.
    A file that declares entities or a DTD is refused: an OPML list needs neither."""
    import xml.etree.ElementTree as ET

    if re.search(r"<!(DOCTYPE|ENTITY)", source.text[:65536], re.I):
        raise SourceError(f"{source.name}: an OPML file with a DTD or entities is not read.")
    try:
        root = ET.fromstring(source.text)
    except ET.ParseError as e:
        raise SourceError(f"{source.name} is not a well-formed OPML file ({e}).") from None
    urls = [u for o in root.iter("outline") if (u := _web(o.get("xmlUrl")))]
    if not urls:
        raise SourceError(f"the OPML file {source.name} lists no http(s) feeds.")
    title = " ".join((root.findtext("head/title") or "").split()) or source.name
    return title, list(dict.fromkeys(urls))


# -- many articles ---------------------------------------------------------------------


def since_cutoff(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``24h``, ``90m``, ``2d``, ``1w`` ago from ``now``, or a date (``2026-12-01``)."""
    now = now or dt.datetime.now(dt.UTC)
    m = re.fullmatch(r"\s*(\d{1,6})\s*([mhdw])\s*", text.lower())
    if m:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[m.group(2)]
        return now - dt.timedelta(**{unit: int(m.group(1))})
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SourceError(
            f"--since {text!r} is neither an age nor a date.",
            "Give an age such as 24h, 90m, 2d or 1w, or a date such as 2026-12-01.",
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def pick(items: Iterable[Item], limit: int | None, since: dt.datetime | None,
         name: str) -> tuple[list[Item], list[str]]:
    """The entries of one feed to read: newest first when every entry is dated (feed
    order otherwise), those since ``since``, at most ``limit`` (and ``MAX_ENTRIES``)."""
    items = list(items)
    notes = []
    if items and all(i.published for i in items):
        items.sort(key=lambda i: i.published, reverse=True)  # type: ignore[arg-type, return-value]
    if since is not None:
        undated = sum(i.published is None for i in items)
        items = [i for i in items if i.published and i.published >= since]
        if undated:
            notes.append(f"{name}: left out {_count(undated, 'entry')} without a date (--since).")
    cap = min(limit or MAX_ENTRIES, MAX_ENTRIES)
    if len(items) > cap:
        if limit is None or limit > MAX_ENTRIES:
            notes.append(f"{name}: {len(items)} entries; taking the first {cap} (--limit).")
        items = items[:cap]
    return items, notes


def gather(
    args: list[str],
    *,
    limit: int | None = None,
    since: dt.datetime | None = None,
) -> Reading:
    """What ``args`` name (paths, URLs, ``-``, folders, globs, text files of URLs,
    feeds, OPML files) as one ``Reading``. URLs named in ``args`` are fetched now, a few
    at once, to see whether they are feeds; articles from folders and lists, and feed
    entries, are loaded when they are read (``resolve``). Raises ``SourceError`` for a
    source that cannot be read when it is the only one."""
    from reader.export.batch import expand_sources

    named: list[tuple[str, bool]] = []  # (source, whether it may be a feed)
    for arg in args:
        if _is_url(arg) or arg == "-":
            named.append((arg, True))
        else:  # a list's URLs are articles: not fetched now
            named += [(s, not _is_url(s)) for s in expand_sources([arg])]
    urls = [Item(s) for s, peek in named if peek and _is_url(s)]
    fetched = {i.ref: got for i, got in fetch_all(urls, feeds=True)}
    items: list[Item] = []
    notes: list[str] = []
    titles: list[str] = []
    dates: list[dt.datetime] = []
    from_feed = False
    for arg, peek in named:
        try:
            got = fetched.get(arg) or (_peek(arg) if peek else None)
            if isinstance(got, ReaderError):
                raise got
            kind = kind_of(got.text) if got is not None else None
            if kind is None and got is not None and got.media_type in FEED_TYPES:
                kind = "feed"  # served as a feed: parse_feed says what is wrong with it
            if kind is None:
                items.append(Item(arg, source=got))
                continue
            from_feed = True
            assert got is not None
            title, feeds = _feeds(got, kind, notes)
            titles.append(title)
            for feed in feeds:
                chosen, why = pick(feed.items, limit, since, feed.title)
                items += chosen
                notes += [*feed.notes, *why]
                if feed.date:
                    dates.append(feed.date)
        except ReaderError as e:
            if len(named) == 1:
                raise
            items.append(Item(arg, error=str(e)))
    unique: dict[str, Item] = {}
    for item in items:
        unique.setdefault(item.ref, item)  # the first of each, in order
    if len(unique) < len(items):
        notes.append(f"Left out {_count(len(items) - len(unique), 'article')} named twice.")
    if not any(i.error is None for i in unique.values()):
        raise SourceError("there are no articles to read in " + ", ".join(args) + ".",
                          "Check the sources, or widen --since.")
    return Reading(
        tuple(unique.values()),
        titles[0] if len(titles) == 1 and len(named) == 1 else None,
        max(dates) if dates else None,
        tuple(notes),
        from_feed,
    )


def _feeds(got: Source, kind: str, notes: list[str]) -> tuple[str, list[Feed]]:
    """The title and feeds of a feed or an OPML file (its feeds fetched a few at once;
    one that cannot be read is a note)."""
    if kind == "feed":
        feed = parse_feed(got)
        return feed.title, [feed]
    title, urls = opml_feeds(got)
    feeds = []
    for url, page in fetch_all([Item(u) for u in urls], feeds=True):
        try:
            if isinstance(page, ReaderError):
                raise page
            if kind_of(page.text) != "feed":
                raise SourceError(f"{url.ref} is not a feed.")
            feeds.append(parse_feed(page))
        except ReaderError as e:
            notes.append(f"Skipped the feed {url.ref}: {e}")
    return title, feeds


def _is_url(s: str) -> bool:
    return bool(re.match(r"^https?://", s, re.I))


def _peek(arg: str) -> Source | None:
    """``arg`` loaded when it may be a feed: standard input, or a file whose first
    bytes open a feed or an OPML file. None for a local article (loaded when it is
    read, so a folder of pages costs nothing now)."""
    if arg == "-":
        return load(arg)
    try:
        with open(arg, "rb") as f:
            head = f.read(16384).decode("utf-8", "replace")
    except OSError:
        return None  # said by the load that comes when it is read
    return load(arg) if kind_of(head) else None


# -- fetching ----------------------------------------------------------------------------


def fetch_retrying(url: str, *, feeds: bool = False) -> Source:
    """``reader.sources.load(url)``, tried once more after a pause when the failure was
    a passing one (``FetchError.transient``)."""
    try:
        return load(url, feeds=feeds)
    except FetchError as e:
        if not e.transient:
            raise
        time.sleep(min(e.retry_after if e.retry_after is not None else RETRY_DELAY,
                       MAX_RETRY_AFTER))
    return load(url, feeds=feeds)


def resolve(item: Item) -> Source:
    """``item``'s article as a ``Source``: at hand, loaded from its path, or fetched
    (with one retry). Raises ``SourceError`` when it cannot be read or is a feed."""
    if item.error is not None:
        raise SourceError(item.error)
    if item.source is not None and kind_of(item.source.text) is None:
        return item.source
    got = item.source or fetch_retrying(item.ref, feeds=True)
    if kind_of(got.text) is not None:
        raise SourceError(f"{item.ref} is a feed, not an article page.",
                          "Name the feed itself to read its entries.")
    if got.media_type in FEED_TYPES:
        raise FetchError(f"{item.ref}: the server sent {got.media_type}, not a web page.")
    return got


def fetch_all(
    items: list[Item], *, feeds: bool = False, connections: int = CONNECTIONS
) -> Iterator[tuple[Item, Source | ReaderError]]:
    """Each item with its ``Source`` (``resolve``; with ``feeds`` the plain fetched page)
    or the error that stopped it, in the items' order, at most ``connections`` fetched
    at once. Items already at hand cost nothing."""

    def one(item: Item) -> Source | ReaderError:
        try:
            return fetch_retrying(item.ref, feeds=True) if feeds else resolve(item)
        except ReaderError as e:
            return e

    if not items:
        return
    pool = Background(connections)
    try:
        # Bounded look-ahead: a long list never holds more than a few pages at once.
        pending = []
        queue = iter(items)
        for item in queue:
            pending.append((item, pool.submit(one, item)))
            if len(pending) >= 2 * connections:
                break
        while pending:
            item, future = pending.pop(0)
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(one, nxt)))
            yield item, future.result()
    finally:
        # Stopped early (Ctrl-C, a consumer that has enough): nothing more is started.
        pool.close()


class Background:
    """Calls on daemon threads, at most ``limit`` running at once. A command that stops
    (a listener's q, Ctrl-C) never waits for a fetch under way: it ends within its own
    time limit, or with the process (a thread pool's workers would hold the exit)."""

    def __init__(self, limit: int) -> None:
        self._slots = threading.BoundedSemaphore(max(1, limit))
        self._closed = False

    def submit(self, fn, *args) -> Future:
        future: Future = Future()

        def run() -> None:
            with self._slots:
                if self._closed:
                    future.cancel()
                if not future.set_running_or_notify_cancel():
                    return
                try:
                    future.set_result(fn(*args))
                except BaseException as e:  # handed to whoever waits for the result
                    future.set_exception(e)

        threading.Thread(target=run, daemon=True).start()
        return future

    def close(self) -> None:
        """Start nothing more (calls already running go on to their end)."""
        self._closed = True
