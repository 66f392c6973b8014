"""Hostile inputs against every command they apply to, with what each one cost.

    .venv/bin/python bench/hostile.py [--only SUBSTRING] [--list] [--save FILE.jsonl]

A fixed set of inputs made to hurt (markup, text, URLs served from 127.0.0.1, zipped and
folder books, resume-state and voice-profile files), each run as a real ``reader``
process in a sandbox of its own: inputs in ``in/``, the output asked for in ``out/``,
HOME and the XDG folders in ``home/``, and a ``decoy/`` folder that nothing may touch.
For every run it checks:

- no internal error (exit 70, "internal error" or a traceback);
- no hang: done within ``HANG_SECONDS``;
- peak memory (the process's own maximum resident set) under ``MAX_RSS_MB``;
- no file changed outside the output asked for (``in/`` and ``decoy/`` are hashed
  before and after; ``home/`` may change only where reader keeps state);
- no byte that drives a terminal in what it printed (``reader.safe.UNSAFE``, and raw
  ESC or C1 bytes);
- no credential (``SECRET``) in what it printed or in any file it wrote.

It prints one line per run (case, command, exit status, seconds, MB, verdict) and a
summary; the exit status is 1 if any run broke a rule. ``reader read`` runs in a
pseudo-terminal (pexpect, from the test extra) with ``--audio null`` and quits with
``q``. Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.safe import UNSAFE  # noqa: E402
from tests.support import RouteServer as Server  # noqa: E402
from tests.support import redirect, send  # noqa: E402

READER = str(Path(sys.executable).parent / "reader")
HANG_SECONDS = 30.0
MAX_RSS_MB = 500.0
SECRET = "s3cr3t-pw"
BODY = (
    "The council voted on the new budget after a long debate in the town hall. "
    "Members argued about the roads, the schools and the library until late. "
)
OTHER = "A second paragraph follows, about the harbour, its boats and the new ferry pier."
_RAW_UNSAFE = re.compile(rb"\x1b|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


# ---------------------------------------------------------------- inputs


def page(body: str = BODY * 3, head: str = "", title: str = "Budget vote") -> str:
    return (
        f"<!doctype html><html><head>{head}<title>{title}</title></head><body><article>"
        f"<h1>{title}</h1><p>{body}</p><p>{BODY}</p></article></body></html>"
    )


ESC = {
    "osc-title": "\x1b]0;pwned\x07",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "csi-clear": "\x1b[2J\x1b[H",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;pwned\x9c",
    "bidi-override": "\u202egnp.exe",
    "del-backspace": "abc\x08\x08\x7f",
}


def _wav(path: Path, seconds: float, rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(seconds * rate))


_BOOK_CACHE: dict[str, Path] = {}


def seed_book(work: Path) -> Path:
    """A real book of the seed (silent speech), made once per bench run."""
    if "book" not in _BOOK_CACHE:
        out = work / "seed-book"
        subprocess.run(
            [READER, "export", str(ROOT / "reader/data/mali.html"), "--format", "daisy",
             "-o", str(out), "--engine", "silent"],
            check=True, capture_output=True, timeout=120,
        )
        _BOOK_CACHE["book"] = out
    return _BOOK_CACHE["book"]


def zipped(folder: Path, path: Path, extra: Callable[[zipfile.ZipFile], None] | None = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f.name)
        if extra:
            extra(z)
    return path


# ---------------------------------------------------------------- the server


def trickle(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for _ in range(200):
        h.wfile.write(b"<p>x ")
        h.wfile.flush()
        time.sleep(0.5)


def reset(h):
    h.connection.shutdown(2)


def lying_length(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "10")
    h.end_headers()
    h.wfile.write(page().encode())


def bad_reason(h):
    h.send_response(500, "Oops \x1b]0;pwned\x07 \x9b2J")
    h.send_header("Content-Length", "0")
    h.end_headers()


# ---------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    kind: str
    """html, text, bigtext, url, feed, book, state, profile: which commands apply."""
    make: Callable[[Path, Server], str]
    """Writes the input into the folder given (``in/``); returns the SOURCE argument."""
    expect_error: bool = False
    env: dict[str, str] = field(default_factory=dict)


def _file(name: str, data: str | bytes | Callable[[], str | bytes]
          ) -> Callable[[Path, Server], str]:
    """An input file; large ones are given as a function, so that they exist only while
    their case runs (a bench holding them all would make every child look large)."""

    def make(d: Path, s: Server) -> str:
        p = d / name
        content = data() if callable(data) else data
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8", errors="surrogatepass")
        return str(p)

    return make


def _route(path: str, route: Callable, secret: bool = False) -> Callable[[Path, Server], str]:
    def make(d: Path, s: Server) -> str:
        s.routes[path] = route
        base = s.base.replace("http://", f"http://ann:{SECRET}@") if secret else s.base
        return base + path

    return make


def _rss(items: str, title: str = "Gazette", doctype: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<rss version="2.0" xmlns:content='
            f'"http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>d</description>{items}"
            "</channel></rss>").encode("utf-8", "surrogatepass")


def _feed(body: Callable[[str], bytes], secret: bool = False, stall: bool = False
          ) -> Callable[[Path, Server], str]:
    """A feed at /feed made by ``body(base)``, with articles at /fa1 and /fa2 (and a
    page at /stall that answers after 40 s)."""

    def make(d: Path, s: Server) -> str:
        s.routes["/fa1"] = send(page(title="First story").encode())
        s.routes["/fa2"] = send(page(title="Second story").encode())
        if stall:
            s.routes["/stall"] = lambda h: time.sleep(40)
        s.routes["/feed"] = send(lambda: body(s.base), "application/rss+xml")
        base = s.base.replace("http://", f"http://ann:{SECRET}@") if secret else s.base
        return base + "/feed"

    return make


def _items(base: str, *paths: str, extra: str = "") -> str:
    return "".join(f"<item><title>Story {p}{extra}</title><link>{base}{p}</link></item>"
                   for p in paths)


_LAUGHS = "<!DOCTYPE rss [" + '<!ENTITY a0 "lol">' + "".join(
    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)) + "]>"


def _book(mutate: Callable[[Path], object], as_zip: bool = False):
    def make(d: Path, s: Server) -> str:
        book = d / "book"
        shutil.copytree(seed_book(d.parents[1]), book)
        mutate(book)
        if as_zip:
            z = zipped(book, d / "book.zip")
            shutil.rmtree(book)
            return str(z)
        return str(book)

    return make


def _edit(name: str, old: str, new: str, count: int = 1):
    def mutate(book: Path) -> None:
        target = sorted(book.glob(name))[0]
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace(old, new, count), encoding="utf-8")

    return mutate


def _zip_raw(builder: Callable[[Path], bytes]):
    def make(d: Path, s: Server) -> str:
        p = d / "book.zip"
        p.write_bytes(builder(d))
        return str(p)

    return make


def _zip_bomb(d: Path) -> bytes:
    def zeros(z: zipfile.ZipFile) -> None:
        with z.open("zeros.mp3", "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(bytes(1 << 20))

    p = d / "bomb.zip"
    zipped(seed_book(d.parents[1]), p, zeros)
    return p.read_bytes()


def packed(megabytes: int, wbits: int, layers: int = 1) -> bytes:
    """``<p>`` and ``megabytes`` MB of "a", compressed ``layers`` times, built in chunks so
    the bench itself never holds the unpacked bytes (its children would look that large)."""
    pack = zlib.compressobj(9, zlib.DEFLATED, wbits)
    data = pack.compress(b"<p>") + b"".join(pack.compress(b"a" * (1 << 20))
                                            for _ in range(megabytes)) + pack.flush()
    for _ in range(layers - 1):
        pack = zlib.compressobj(9, zlib.DEFLATED, wbits)
        data = pack.compress(data) + pack.flush()
    return data


def _zip_entry(name: str) -> Callable[[Path], bytes]:
    def build(d: Path) -> bytes:
        p = d / "evil.zip"
        zipped(seed_book(d.parents[1]), p, lambda z: z.writestr(name, "owned"))
        return p.read_bytes()

    return build


def _zip_many(d: Path) -> bytes:
    p = d / "many.zip"
    zipped(seed_book(d.parents[1]), p,
           lambda z: [z.writestr(f"f{i}.css", "") for i in range(25_000)])
    return p.read_bytes()


def _zip_encrypted(d: Path) -> bytes:
    data = bytearray(zipped(seed_book(d.parents[1]), d / "x.zip").read_bytes())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        while at >= 0:
            data[at + off] |= 1
            at = data.find(sig, at + 4)
    return bytes(data)


def _zip_damaged(d: Path) -> bytes:
    data = bytearray(zipped(seed_book(d.parents[1]), d / "x.zip").read_bytes())
    for i in range(100, min(len(data) - 200, 6000)):
        data[i] ^= 0x5A
    return bytes(data)


def _zero_hz(book: Path) -> None:
    wav = book / "zero.wav"
    _wav(wav, 0.01, 8000)
    data = bytearray(wav.read_bytes())
    data[24:28] = bytes(4)
    wav.write_bytes(bytes(data))
    smil = sorted(book.glob("s*.smil"))[0]
    mp3 = next(book.glob("*.mp3")).name
    smil.write_text(smil.read_text().replace(f'src="{mp3}"', 'src="zero.wav"'))


def _state(text: str | None, folder: bool = False):
    """A resume file for the seed with ``text``; or a file where the state folder goes."""

    def make(d: Path, s: Server) -> str:
        home = d.parent / "home"
        src = d / "mali.html"
        shutil.copy(ROOT / "reader/data/mali.html", src)
        places = home / "state" / "reader" / "places"
        if folder:
            (home / "state" / "reader").mkdir(parents=True, exist_ok=True)
            (home / "state" / "reader" / "places").write_text("not a folder")
            return str(src)
        places.mkdir(parents=True, exist_ok=True)
        key = "sha256:" + hashlib.sha256(src.read_text().encode()).hexdigest()
        name = hashlib.sha256(key.encode()).hexdigest()[:32] + ".json"
        if text is not None:
            (places / name).write_text(text)
        return str(src)

    return make


def _profile(text: str | Callable[[], str]):
    def make(d: Path, s: Server) -> str:
        voices = d.parent / "home" / "config" / "reader" / "voices"
        voices.mkdir(parents=True, exist_ok=True)
        (voices / "evil.toml").write_text(text() if callable(text) else text, encoding="utf-8")
        src = d / "a.html"
        src.write_text(page())
        return str(src)

    return make


def cases() -> list[Case]:
    out = [Case(f"escape-{k}", "html", _file("a.html", page(f"Before {v} after. " + BODY)))
           for k, v in ESC.items()]
    out += [Case(f"text-escape-{k}", "text", _file("a.txt", f"Title {v}\n\n{BODY}\n\n{OTHER}"))
            for k, v in ESC.items()]
    ld = '{"@type":"NewsArticle","headline":"Budget vote","author":{"name":"Ann \\ud800"}}'
    out += [
        Case("nul-and-nonchars", "html", _file("a.html", page("NUL\x00 \ufffe\uffff " + BODY))),
        Case("json-ld-lone-surrogate", "html",
             _file("a.html", page(head=f'<script type="application/ld+json">{ld}</script>'))),
        Case("json-ld-nested-100k", "html", _file("a.html", lambda: page(
            head='<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000
            + "</script>"))),
        Case("charset-rot13", "html", _file("a.html", page(head='<meta charset="rot13">'))),
        Case("charset-base64", "html", _file("a.html", page(head='<meta charset="base64">'))),
        Case("charset-undefined", "html",
             _file("a.html", page(head='<meta charset="undefined">'))),
        Case("charset-utf7", "html", _file("a.html", page(
            "+ADw-script+AD4-alert(1)+ADw-/script+AD4- " + BODY, head='<meta charset="utf-7">'))),
        Case("xml-unknown-encoding", "html", _file(
            "a.xhtml", '<?xml version="1.0" encoding="x-nothing"?>' + page())),
        Case("nesting-100k", "html", _file("a.html", lambda: "<div>" * 100_000 + page())),
        Case("unclosed-p-300k", "html", _file("a.html", lambda: page() + "<p>x " * 300_000)),
        Case("inline-b-5mb", "html", _file("a.html", lambda: page("<b>x</b>" * 600_000))),
        Case("script-close-in-string", "html", _file("a.html", page(
            '<script>document.write("<p>" + "</SCRIPT>" + "</p>");</script>' + BODY))),
        Case("unclosed-comment", "html",
             _file("a.html", lambda: page() + "<!-- " + "x" * 1_000_000)),
        Case("huge-attribute", "html", _file("a.html", lambda: page(
            f'<span title="{"x" * 5_000_000}">hi</span> ' + BODY))),
        Case("entity-bomb-doctype", "html", _file("a.html", '<!DOCTYPE html [<!ENTITY a '
             '"aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + page("&b;" + BODY))),
        Case("many-json-ld", "html", _file("a.html", lambda: page(
            head='<script type="application/ld+json">{"headline":"x"}</script>' * 20_000))),
        Case("mojibake-mixed", "html", _file("a.html", page("Investorâ€™s cafÃ© " + BODY))),
        Case("over-size-limit", "html", _file("a.html", lambda: page("x " * 11_000_000)),
             expect_error=True),
        Case("invalid-utf8", "html", _file("a.html", lambda: b'<meta charset="utf-8"><p>'
                                          + b"\xc3\x28 broken " * 5000), expect_error=True),
        Case("binary-png", "html", _file("a.html", b"\x89PNG\r\n\x1a\n" + b"\0" * 5000),
             expect_error=True),
        Case("remote-resources-not-fetched", "html", lambda d, s: _file("a.html", page(
            f'<img src="{s.base}/tracker.png"> <iframe src="{s.base}/tracker"></iframe>' + BODY,
            head=f'<link rel="stylesheet" href="{s.base}/tracker.css">'
            f'<meta http-equiv="refresh" content="0; url={s.base}/tracker-refresh">'))(d, s)),
        Case("text-initials-4mb", "bigtext", _file("a.txt", lambda: "J. R. R. " * 450_000)),
        Case("text-no-punctuation-5mb", "bigtext", _file("a.txt", lambda: "word " * 1_000_000)),
        Case("text-only-punctuation", "bigtext", _file("a.txt", lambda: ".!?" * 300_000)),
        Case("text-one-line-8mb", "bigtext", _file("a.txt", lambda: "a" * 8_000_000)),
        Case("text-rtl-mixed", "text", _file("a.txt", "عنوان\n\n" + "نص عربي. " * 50 + BODY)),
        Case("url-gzip-gzip-bomb", "url", _route("/bomb", send(
            lambda: packed(300, 31, layers=2),
            Content_Encoding="gzip, gzip")), expect_error=True),
        Case("url-deflate-bomb", "url", _route("/deflate", send(
            lambda: packed(300, 15), Content_Encoding="deflate")),
            expect_error=True),
        Case("url-unknown-coding", "url", _route("/zstd", send(b"xxxx", Content_Encoding="zstd")),
             expect_error=True),
        Case("url-trickle", "url", _route("/trickle", trickle), expect_error=True,
             env={"READER_TIMEOUT": "3"}),
        Case("url-redirect-data", "url", _route("/rd", redirect("data:text/html,<p>x</p>")),
             expect_error=True),
        Case("url-redirect-javascript", "url", _route("/rj", redirect("javascript:alert(1)")),
             expect_error=True),
        Case("url-redirect-file", "url", _route("/rf", redirect("file:///etc/passwd")),
             expect_error=True),
        Case("url-redirect-loop", "url", _route("/loop", redirect("/loop")), expect_error=True),
        Case("url-credentials", "url", _route("/cred", send(page().encode()), secret=True)),
        Case("url-credentials-404", "url", _route("/gone", lambda h: h.send_error(404),
                                                  secret=True), expect_error=True),
        Case("url-credentials-redirect", "url",
             _route("/credr", redirect(f"/cred?{SECRET}=1"), secret=True)),
        Case("url-header-charset-rot13", "url", _route(
            "/rot", send(page().encode(), "text/html; charset=rot13"))),
        Case("url-lying-length", "url", _route("/lie", lying_length)),
        Case("url-page-with-resources", "url", lambda d, s: _route("/res", send(page(
            f'<img src="{s.base}/tracker.png"> <iframe src="{s.base}/tracker-frame"></iframe>'
            + BODY, head=f'<link rel="stylesheet" href="{s.base}/tracker.css">'
            f'<meta http-equiv="refresh" content="0; url={s.base}/tracker-refresh">').encode()))(
            d, s)),
        Case("url-image", "url", _route("/png", send(b"\x89PNG", "image/png")),
             expect_error=True),
        Case("url-reset", "url", _route("/reset", reset), expect_error=True),
        Case("url-escape-in-reason", "url", _route("/reason", bad_reason), expect_error=True),
        Case("url-escape-in-headline", "url", _route("/esc", send(
            page(title="Vote \x1b]0;pwned\x07 \x9b2J").encode()))),
        Case("feed-not-xml", "feed", _feed(lambda b: b"this is not XML, just text"),
             expect_error=True),
        Case("feed-billion-laughs", "feed", _feed(lambda b: _rss(
            _items(b, "/fa1", extra=" &a9;"), doctype=_LAUGHS))),
        Case("feed-xxe", "feed", _feed(lambda b: _rss(_items(b, "/fa1", extra=" &x;"), doctype=(
            '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>')))),
        Case("feed-links-to-itself", "feed", _feed(lambda b: _rss(_items(b, "/feed", "/feed"))),
             expect_error=True),
        Case("feed-local-links", "feed", _feed(lambda b: _rss(
            '<item><title>Local</title><link>file:///etc/passwd</link></item>'
            '<item><title>Up</title><link>../../decoy/canary</link></item>')),
             expect_error=True),
        Case("feed-escapes", "feed", _feed(lambda b: _rss(
            _items(b, "/fa1", extra=" \x1b]0;pwned\x07 \u009b2J") + "<item><title>Full "
            "\x1b[2J</title><content:encoded><![CDATA[" + page(BODY * 8 + "\x1b]0;x\x07")
            + "]]></content:encoded></item>", title="Gazette \x1b]0;pwned\x07"))),
        Case("feed-10k-entries", "feed", _feed(lambda b: _rss(
            _items(b, "/fa1", "/fa2") + "".join(
                f"<item><title>Entry {n}</title><link>{b}/fa1?n={n}</link></item>"
                for n in range(10_000))))),
        Case("feed-duplicates", "feed", _feed(lambda b: _rss(
            _items(b, "/fa1", "/fa1", "/fa1#x", "/fa2", "/fa2")))),
        Case("feed-stalling-entry", "feed", _feed(lambda b: _rss(_items(b, "/stall", "/fa1")),
                                                  stall=True), env={"READER_TIMEOUT": "2"}),
        Case("feed-credentials", "feed", _feed(lambda b: _rss(
            "<item><title>Relative</title><link>/fa1</link></item>"), secret=True)),
        Case("book-ncc-dotdot", "book",
             _book(_edit("ncc.html", 'href="', 'href="../../../../etc/passwd#'))),
        Case("book-ncc-absolute", "book", _book(_edit("ncc.html", 'href="', 'href="/etc/'))),
        Case("book-ncc-long-href", "book",
             _book(_edit("ncc.html", 'href="', 'href="' + "a" * 5000))),
        Case("book-ncc-nested-16k", "book",
             _book(_edit("ncc.html", "</body>", "<div>" * 16_000 + "</div>" * 16_000 + "</body>"))),
        Case("book-ncc-xxe", "book", _book(_edit("ncc.html", "<html", '<!DOCTYPE html [<!ENTITY x '
             'SYSTEM "file:///etc/passwd">]><html'))),
        Case("book-ncc-billion-laughs", "book", _book(_edit("ncc.html", "<html",
             "<!DOCTYPE html [" + '<!ENTITY a0 "lol">' + "".join(
                 f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
             + "]><html"))),
        Case("book-smil-400-digit-clock", "book",
             _book(_edit("s*.smil", 'clip-end="npt=', 'clip-end="npt=' + "9" * 400))),
        Case("book-unknown-encoding", "book",
             _book(_edit("ncc.html", 'encoding="utf-8"', 'encoding="x-nothing"'))),
        Case("book-audio-outside", "book",
             _book(lambda b: _edit("s*.smil", 'src="' + next(b.glob("*.mp3")).name,
                                   'src="../../decoy/canary', -1)(b))),
        Case("book-zero-hz-wav", "book", _book(_zero_hz)),
        Case("zip-bomb", "book", _zip_raw(_zip_bomb), expect_error=True),
        Case("zip-dotdot-entry", "book", _zip_raw(_zip_entry("../../decoy/owned.txt")),
             expect_error=True),
        Case("zip-absolute-entry", "book", _zip_raw(_zip_entry("/owned-by-zip.txt")),
             expect_error=True),
        Case("zip-25k-entries", "book", _zip_raw(_zip_many), expect_error=True),
        Case("zip-encrypted", "book", _zip_raw(_zip_encrypted), expect_error=True),
        Case("zip-damaged", "book", _zip_raw(_zip_damaged)),
        Case("state-infinity", "state", _state('{"sentence": Infinity, "block": 0}')),
        Case("state-huge-number", "state", _state('{"sentence": 1e400, "block": 1e999}')),
        Case("state-not-json", "state", _state("\x1b]0;pwned\x07 not json")),
        Case("state-path-is-a-file", "state", _state(None, folder=True)),
        Case("profile-nested", "profile", _profile("rate = " + "[" * 30_000 + "]" * 30_000)),
        Case("profile-10mb-string", "profile",
             _profile(lambda: 'description = "' + "x" * 10_000_000 + '"')),
        Case("profile-escapes", "profile", _profile(
            'description = "evil \\u001b]0;pwned\\u0007 \\u009b2J"\nrate = 175\n')),
    ]
    return out


#: The commands each kind of input is run against; {src} is the SOURCE, {out} the output
#: folder. ``read`` runs in a pseudo-terminal.
COMMANDS: dict[str, list[list[str]]] = {
    "html": [["outline", "{src}"], ["outline", "--json", "{src}"],
             ["sentences", "--json", "{src}"],
             ["export", "{src}", "-o", "{out}/a.mp3", "--timing", "vtt", "--engine", "silent"],
             ["export", "{src}", "--format", "daisy", "-o", "{out}/book", "--engine", "silent"]],
    "text": [["outline", "{src}"], ["sentences", "{src}"], ["sentences", "--plain", "{src}"],
             ["export", "{src}", "-o", "{out}/a.mp3", "--timing", "srt", "--engine", "silent"]],
    # Megabytes of text make hours of audio: exporting them is long work, not a hang
    # (bench/export.py measures it), so these are read and split only.
    "bigtext": [["outline", "{src}"], ["sentences", "{src}"], ["sentences", "--plain", "{src}"]],
    "url": [["outline", "--json", "{src}"],
            ["export", "{src}", "-o", "{out}/a.mp3", "--engine", "silent"]],
    "feed": [["export", "{src}", "--out-dir", "{out}/pod", "--podcast", "--limit", "2",
              "--engine", "silent"],
             ["export", "{src}", "--format", "daisy", "-o", "{out}/book", "--limit", "2",
              "--engine", "silent"],
             ["read", "{src}", "--limit", "2", "--audio", "null", "--engine", "silent"]],
    "book": [["validate-daisy", "{src}"]],
    "state": [["read", "{src}", "--audio", "null", "--engine", "silent",
               "--events", "{out}/events.jsonl"]],
    "profile": [["voices"], ["doctor"],
                ["export", "{src}", "-o", "{out}/a.mp3", "--voice", "evil"]],
}


# ---------------------------------------------------------------- running


def snapshot(*folders: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and not p.is_symlink():
                found[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def run_plain(argv: list[str], env: dict, cwd: Path) -> tuple[int | None, bytes, float, float]:
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([READER, *argv], stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err, env=env, cwd=cwd, start_new_session=True)
        code: int | None = None
        rss = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                rss = usage.ru_maxrss / 1024
                break
            if time.monotonic() - started > HANG_SECONDS:
                os.killpg(proc.pid, 9)
                _, _, usage = os.wait4(proc.pid, 0)
                rss = usage.ru_maxrss / 1024
                break
            time.sleep(0.02)
        proc.returncode = code if code is not None else -9
        out.seek(0)
        err.seek(0)
        printed = out.read() + b"\n" + err.read()
    return code, printed, time.monotonic() - started, rss


def _peak_rss(pid: int) -> float:
    """The process's peak resident set so far (VmHWM), in MB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def run_pty(argv: list[str], env: dict, cwd: Path) -> tuple[int | None, bytes, float, float]:
    import pexpect

    started = time.monotonic()
    child = pexpect.spawn(READER, argv, env=env, cwd=str(cwd), timeout=HANG_SECONDS)
    printed = b""
    peak = 0.0
    while time.monotonic() - started < HANG_SECONDS:
        peak = max(peak, _peak_rss(child.pid))
        try:
            printed += child.read_nonblocking(65536, timeout=0.5)
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            break
        if time.monotonic() - started > 2.0:
            child.send("q")
    child.close(force=True)
    code = child.exitstatus
    return code, printed, time.monotonic() - started, peak


def judge(case: Case, code: int | None, printed: bytes, seconds: float, rss: float,
          changed: list[str], leaked: list[str], fetched: list[str]) -> list[str]:
    broken = []
    if fetched:
        broken.append(f"fetched what nobody asked for: {fetched[0]}")
    text = printed.decode("utf-8", "replace")
    if code is None or seconds >= HANG_SECONDS:
        broken.append("hang")
    elif code == 70 or "internal error" in text or "Traceback" in text:
        broken.append("internal error")
    if rss > MAX_RSS_MB:
        broken.append(f"memory {rss:.0f} MB")
    if changed:
        broken.append(f"changed {len(changed)} file(s) outside the output: {changed[0]}")
    if _RAW_UNSAFE.search(printed) or UNSAFE.search(text.replace("\r", "")):
        broken.append("escape bytes printed")
    if leaked:
        broken.append(f"credential in {leaked[0]}")
    return broken


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="run the cases whose name contains this")
    ap.add_argument("--list", action="store_true", help="list the cases and stop")
    ap.add_argument("--save", help="write one JSON line per run to this file")
    args = ap.parse_args()
    all_cases = cases()
    if args.list:
        for c in all_cases:
            print(f"{c.name} ({c.kind})")
        print(f"{len(all_cases)} cases")
        return 0
    chosen = [c for c in all_cases if not args.only or args.only in c.name]
    server = Server()
    work = Path(tempfile.mkdtemp(prefix="reader-hostile-"))
    rows, bad = [], 0
    try:
        for case in chosen:
            for n, template in enumerate(COMMANDS[case.kind]):
                box = work / f"{case.name}-{n}"
                for sub in ("in", "out", "home", "decoy"):
                    (box / sub).mkdir(parents=True)
                (box / "decoy" / "canary").write_text("untouched")
                routes_before = set(server.routes)
                src = case.make(box / "in", server)
                asked = set(server.routes) - routes_before
                hits_before = len(server.hits)
                argv = [a.format(src=src, out=box / "out") for a in template]
                home = box / "home"
                env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
                env.update(HOME=str(home), XDG_STATE_HOME=str(home / "state"),
                           XDG_CONFIG_HOME=str(home / "config"),
                           XDG_CACHE_HOME=str(home / "cache"), TMPDIR=str(box / "out"),
                           **case.env)
                before = snapshot(box / "in", box / "decoy")
                runner = run_pty if argv[0] == "read" else run_plain
                code, printed, seconds, rss = runner(argv, env, box / "out")
                after = snapshot(box / "in", box / "decoy")
                changed = sorted(k for k in set(before) | set(after)
                                 if before.get(k) != after.get(k))
                changed = [str(Path(c).relative_to(box)) for c in changed]
                leaked = ["output"] if SECRET.encode() in printed else []
                for folder in ("out", "home"):
                    for p in (box / folder).rglob("*"):
                        if p.is_file() and SECRET.encode() in p.read_bytes():
                            leaked.append(str(p.relative_to(box)))
                # A URL or feed case may fetch its pages and follow their redirects;
                # nothing may fetch a page's resources (paths under /tracker), and no
                # other case may reach the network at all.
                fetched = [h for h in server.hits[hits_before:]
                           if case.kind not in ("url", "feed") or h.startswith("/tracker")]
                for path in asked:
                    server.routes.pop(path, None)
                broken = judge(case, code, printed, seconds, rss, changed, leaked, fetched)
                verdict = "ok" if not broken else "; ".join(broken)
                bad += bool(broken)
                cmd = " ".join(template[:2]).replace("{src}", "SRC")
                print(f"{case.name:34} {cmd:26} exit {str(code):>4} {seconds:6.2f} s "
                      f"{rss:6.0f} MB  {verdict}", flush=True)
                rows.append({"case": case.name, "command": template, "exit": code,
                             "seconds": round(seconds, 3), "rss_mb": round(rss, 1),
                             "broken": broken})
                shutil.rmtree(box, ignore_errors=True)
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)
    if args.save:
        Path(args.save).write_text("".join(json.dumps(r) + "\n" for r in rows))
    worst_t = max(rows, key=lambda r: r["seconds"]) if rows else None
    worst_m = max(rows, key=lambda r: r["rss_mb"]) if rows else None
    print(f"{len(chosen)} inputs, {len(rows)} runs: {len(rows) - bad} held, {bad} broke a rule.")
    if worst_t and worst_m:
        print(f"Slowest: {worst_t['case']} {worst_t['seconds']:.1f} s; "
              f"largest: {worst_m['case']} {worst_m['rss_mb']:.0f} MB.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
