"""Helpers several test modules share (fixtures live in conftest.py)."""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Callable

ARTICLE = (
    "<html><head><title>Café news</title></head><body><article><h1>Café news</h1>"
    "<p>The café on the corner reopened this week after a long renovation, its owners said.</p>"
    "</article></body></html>"
)


#: Three news paragraphs, the body of the small pages parse tests build with ``page``.
BODY = (
    "<p>The council voted on Tuesday to rebuild the harbour wall, which storms breached "
    "twice last winter and which fishermen say is the town's only protection.</p>"
    "<p>Work begins in March and should take two years, the harbour master said, adding "
    "that boats would keep using the northern quay while the southern one is closed.</p>"
    "<p>Residents welcomed the decision but asked how the cost would be shared between "
    "the town and the county, which owns the land behind the wall.</p>"
)


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<!DOCTYPE html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes: /article, /latin1 (charset in header), /missing (404), /image (PNG),
    /slow (answers after 3 s), /loop (redirects forever), /text (plain text)."""

    hits: Counter[str] = Counter()
    """Requests served per path, so a test can tell how often a URL was fetched."""

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.hits[self.path] += 1
        routes = {
            "/article": (200, "text/html; charset=utf-8", ARTICLE.encode()),
            "/latin1": (200, "text/html; charset=iso-8859-1", ARTICLE.encode("latin-1")),
            "/text": (200, "text/plain", b"A headline\n\nA first paragraph of text here."),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
        }
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, ctype, body = routes.get(self.path, (404, "text/html", b"<p>Not found</p>"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)


class RouteServer:
    """A route table served on 127.0.0.1 in a thread: ``routes`` maps a path (without its
    query) to a function of the request handler; ``hits`` lists every path asked for.
    Used as a context manager (its value is the base URL) or kept open and ``close``d.
    Shared by the hostile-input tests and ``bench/hostile.py``."""

    def __init__(self, routes: dict[str, Callable] | None = None) -> None:
        self.routes: dict[str, Callable] = dict(routes or {})
        self.hits: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.hits.append(self.path)
                route = server.routes.get(self.path.split("?")[0])
                try:
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should have

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> str:
        return self.base

    def __exit__(self, *exc: object) -> None:
        self.close()


def send(body: bytes | Callable[[], bytes], ctype: str = "text/html; charset=utf-8",
         **headers: str) -> Callable:
    """A route answering 200 with ``body`` (made on first request when a function) and
    ``headers`` (``Content_Encoding="gzip"`` is the header Content-Encoding)."""
    made: list[bytes] = []

    def route(h):
        if not made:
            made.append(body() if callable(body) else body)
        data = made[0]
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        for k, v in headers.items():
            h.send_header(k.replace("_", "-"), v)
        if "Content_Length" not in headers:
            h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return route


def redirect(location: str) -> Callable:
    """A route answering 302 to ``location``."""

    def route(h):
        h.send_response(302)
        h.send_header("Location", location)
        h.end_headers()

    return route
