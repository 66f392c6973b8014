"""A small news site on a local HTTP server: article pages and feeds that list them.

Not a test module: shared by tests/test_feeds*.py and bench/feeds.py. The pages are
real HTML (``tests.support.page``), the feeds real RSS 2.0 and Atom text.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import threading
import time

from tests.support import RouteServer, send

#: Sentences the article pages are made of; each article takes a few, so the
#: articles differ and each has several paragraphs.
SENTENCES = [
    "The council voted on Tuesday to rebuild the harbour wall, which storms breached twice.",
    "Work begins in March and should take two years, the harbour master said.",
    "Residents welcomed the decision but asked how the cost would be shared.",
    "The county owns the land behind the wall and has not yet said what it will pay.",
    "Fishermen said the northern quay would stay open while the southern one is closed.",
    "A public meeting on the plans is set for the first week of February.",
    "Engineers will survey the seabed before the first stones are moved.",
    "The town last rebuilt the wall in 1953, after a flood that reached the square.",
]


def headline(n: int) -> str:
    return f"Story number {n} about the harbour"


def paragraphs(n: int, count: int = 3) -> list[str]:
    return [" ".join(SENTENCES[(n + k + j) % len(SENTENCES)] for j in range(2))
            for k in range(count)]


def article_html(n: int) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(n))
    return (
        "<!DOCTYPE html><html lang='en'><head><title>" + headline(n) + "</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{headline(n)}</h1>{body}</article>"
        "<footer>Copyright the Harbour Gazette</footer></body></html>"
    )


def full_text(n: int, paragraphs: int = 8) -> str:
    """An article's whole text as a feed's content:encoded carries it: ``paragraphs``
    paragraphs of two sentences (about 30 words each), no two alike."""
    out = []
    for k in range(paragraphs):
        pair = [SENTENCES[(n + 2 * k + j) % len(SENTENCES)].rstrip(".") for j in range(2)]
        out.append(f"<p>{pair[0]}, report {k + 1} of story {n} says. {pair[1]}.</p>")
    return "".join(out)


def rfc822(when: dt.datetime) -> str:
    return email.utils.format_datetime(when)


def rss(title: str, items: list[dict], link: str = "http://example.invalid/") -> bytes:
    """RSS 2.0: each item a dict of title, link, date (datetime), summary, content."""
    out = []
    for it in items:
        parts = [f"<title>{html.escape(it['title'])}</title>"] if "title" in it else []
        if it.get("link"):
            parts.append(f"<link>{html.escape(it['link'])}</link>")
        if it.get("guid"):
            parts.append(f"<guid>{html.escape(it['guid'])}</guid>")
        if it.get("date"):
            parts.append(f"<pubDate>{rfc822(it['date'])}</pubDate>")
        if it.get("summary"):
            parts.append(f"<description>{html.escape(it['summary'])}</description>")
        if it.get("content"):
            parts.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        out.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        "<description>News from the harbour</description>" + "".join(out) + "</channel></rss>"
    ).encode("utf-8")


class Site:
    """Articles at /a/N, feeds added by the test at the paths it likes. ``hits`` as in
    ``RouteServer``; ``in_flight_max`` is the most requests served at once."""

    def __init__(self, articles: int = 0, delay: float = 0.0) -> None:
        self.server = RouteServer()
        self.base = self.server.base
        self.delay = delay
        self._lock = threading.Lock()
        self._now = 0
        self.in_flight_max = 0
        for n in range(1, articles + 1):
            self.server.routes[f"/a/{n}"] = self._counted(send(article_html(n).encode()))

    @property
    def hits(self) -> list[str]:
        return self.server.hits

    def _counted(self, route):
        def wrapped(h):
            with self._lock:
                self._now += 1
                self.in_flight_max = max(self.in_flight_max, self._now)
            try:
                if self.delay:
                    time.sleep(self.delay)
                route(h)
            finally:
                with self._lock:
                    self._now -= 1

        return wrapped

    def route(self, path: str, handler) -> str:
        self.server.routes[path] = handler
        return self.base + path

    def feed(self, path: str, title: str, items: list[dict]) -> str:
        return self.route(path, send(rss(title, items, self.base + "/"),
                                     "application/rss+xml; charset=utf-8"))

    def item(self, n: int, hours_ago: float = 0, **extra) -> dict:
        when = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC) - dt.timedelta(hours=hours_ago)
        return {"title": headline(n), "link": f"{self.base}/a/{n}", "date": when,
                "summary": paragraphs(n)[0][:80], **extra}

    def close(self) -> None:
        self.server.close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
