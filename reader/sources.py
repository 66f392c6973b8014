"""Where an article comes from: a file, standard input or an http(s) URL.

``load(source)`` returns a ``Source``: decoded text with its media type and URL. This is
the only module that touches the network, and only for the URL a user gave.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import sys
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from reader.errors import FetchError, SourceError

#: Largest input reader accepts, in bytes. A real article page is well under 5 MB.
MAX_BYTES = 20 * 1024 * 1024
#: Seconds to wait for a connection, and between bytes of the answer. The environment
#: variable ``READER_TIMEOUT`` (seconds) overrides both, for slow links and for tests.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
#: Seconds a whole download may take, however steadily the server trickles bytes
#: (three times ``READ_TIMEOUT`` when ``READER_TIMEOUT`` overrides it).
TOTAL_TIMEOUT = 60.0
MAX_REDIRECTS = 5
#: Share of bytes that may be invalid in a page that says it is UTF-8 before reader
#: refuses it: a stray byte is read as U+FFFD, a page in another encoding is an error.
MAX_BAD_UTF8 = 0.001
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Content codings reader asks for and undoes itself, each with a bound on its output.
CODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
#: Codec names (as ``codecs.lookup`` spells them) of the encodings web pages are written
#: in. Python also has codecs that are not text at all (rot13, base64) or that a page
#: must never select (utf-7, unicode-escape, undefined): a page naming one is decoded as
#: if it had declared nothing.
WEB_ENCODINGS = re.compile(
    r"^(utf-8|utf-16(-le|-be)?|cp\d+|iso8859-\d+|koi8-[ru]|mac-\w+|euc[-_]\w+|shift_jis\w*"
    r"|gb2312|gbk|gb18030|big5\w*|iso2022_\w+|tis-620|hz)$"
)
TEXT_TYPES = ("text/plain",)
#: Media types a feed (RSS, Atom) or a list of feeds (OPML) is served as; accepted only
#: where a feed may be given (``load(..., feeds=True)``).
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "text/x-opml", "application/x-opml", "application/opml+xml",
)  # fmt: skip
#: HTTP answers a polite client may try once more, a little later.
TRANSIENT_STATUS = (429, 500, 502, 503, 504)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")
#: Tags that mark text as HTML where no media type says so; looked for in the first
#: ``SNIFF_LENGTH`` characters. The one test for "is this HTML?" (reader.parse uses it too).
HTML_SNIFF = re.compile(r"<(!doctype html|html|head|body|p|div|article|title|meta)[\s>/]", re.I)
SNIFF_LENGTH = 65536


@dataclass(frozen=True)
class Source:
    """Decoded input, ready to parse."""

    text: str
    media_type: str
    """``text/html`` or ``text/plain`` (or one of ``FEED_TYPES`` when loaded with
    ``feeds=True``)."""
    name: str
    """What the user named: a path, ``-`` or the URL."""
    url: str | None = None
    language: str | None = None
    """The server's ``Content-Language`` header, as sent (a declaration, not a fact)."""

    @property
    def key(self) -> str:
        """A stable identity for resume state: the URL, else a hash of the content."""
        if self.url:
            return self.url
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def shown_url(url: str) -> str:
    """``url`` as reader shows or stores it anywhere (messages, tags, books, state, JSON):
    without the user name and password a user may have put in it. The one place that
    decides this."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def load(source: str, *, feeds: bool = False) -> Source:
    """Read ``source``: a path, ``-`` for standard input, or an http(s) URL (``feeds``:
    a URL may also answer with a feed's media type)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        return fetch(source, feeds=feeds)
    if source == "-":
        data = _read_limited(sys.stdin.buffer, "standard input")
        return _from_bytes(data, None, "-", None)
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{source}: no such file.", "Check the path, or give an http(s) URL.")
    if path.is_dir():
        raise SourceError(
            f"{source} is a folder, not a file.", "Give the path of an HTML or text file."
        )
    try:
        with path.open("rb") as f:
            data = _read_limited(f, source)
    except PermissionError:
        raise SourceError(
            f"{source}: permission denied.", "Check the file's permissions."
        ) from None
    except OSError as e:
        raise SourceError(f"{source}: cannot read ({e.strerror}).") from None
    return _from_bytes(data, None, source, None)


#: What to install for a clipboard, where pyperclip finds no way to reach one.
CLIPBOARD_TOOLS = "xclip or xsel (X11), or wl-clipboard (Wayland)"


def load_clipboard() -> Source:
    """The clipboard's text, as a source named ``clipboard``. Raises ``SourceError``
    when there is no clipboard to read (naming what to install) or it holds no text."""
    import pyperclip  # the only import of pyperclip: it reaches each system's clipboard

    try:
        text = pyperclip.paste()
    except pyperclip.PyperclipException:
        raise SourceError(
            "cannot read the clipboard: no clipboard tool was found (or no desktop session "
            "is running).",
            f"Install {CLIPBOARD_TOOLS}; or pipe the text in: reader read - < FILE.",
        ) from None
    data = (text or "").encode("utf-8")
    if len(data) > MAX_BYTES:
        _read_limited(io.BytesIO(data), "the clipboard")
    return _from_bytes(data, "utf-8", "the clipboard", None)


def _read_limited(f, name: str) -> bytes:
    data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SourceError(
            f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB, too large for one article.",
            "Save just the article's page, or copy its text into a file.",
        )
    return data


def fetch(url: str, *, feeds: bool = False) -> Source:
    """Fetch an http(s) URL with timeouts (connect, between bytes, and for the whole
    download), a redirect limit, a size limit on the bytes as sent and as decoded, and a
    type check (``feeds``: feed types pass too). Messages and the ``Source`` name the URL
    without its credentials. A ``FetchError`` worth retrying later is ``transient``."""
    shown = shown_url(url)
    if not re.match(r"^https?://", url, re.I):
        raise FetchError(
            f"{shown}: only http and https URLs can be read.", "Save the page to a file instead."
        )
    import httpx  # the only import of httpx; kept here so reading a file never pays for it

    connect, read, total = CONNECT_TIMEOUT, READ_TIMEOUT, TOTAL_TIMEOUT
    override = os.environ.get("READER_TIMEOUT", "")
    try:
        if override and float(override) > 0:
            connect = read = float(override)
            total = 3 * read
    except ValueError:
        pass  # a malformed override is ignored, not fatal
    timeout = httpx.Timeout(read, connect=connect)
    headers = {
        "User-Agent": "reader/0.1 (text-to-speech article reader)",
        "Accept": "text/html,text/plain;q=0.9"
        + (",application/rss+xml,application/atom+xml,application/xml;q=0.8" if feeds else ""),
        "Accept-Encoding": ", ".join(c for c in CODINGS if not c.startswith("x-")),
    }
    too_large = f"{shown}: the page is larger than {MAX_BYTES // (1024 * 1024)} MB."
    deadline = time.monotonic() + total
    try:
        with httpx.Client(
            follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout, headers=headers
        ) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    error = FetchError(
                        f"{shown}: the server answered "
                        f"{response.status_code} {response.reason_phrase}.",
                        "Check the address, or save the page in a browser and read the file.",
                    )
                    error.transient = response.status_code in TRANSIENT_STATUS
                    error.retry_after = _seconds(response.headers.get("retry-after", ""))
                    raise error
                content_type = response.headers.get("content-type", "")
                media_type = content_type.split(";")[0].strip().lower() or "text/html"
                if media_type not in HTML_TYPES + TEXT_TYPES + (FEED_TYPES if feeds else ()):
                    raise FetchError(
                        f"{shown}: the server sent {media_type}, not a web page.",
                        "Give the address of an article page.",
                    )
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > MAX_BYTES:
                    raise FetchError(too_large)
                decoder = _Decoder(response.headers.get("content-encoding", ""), shown)
                chunks, size = [], 0
                for raw in response.iter_raw():
                    chunk = decoder.feed(raw)
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise FetchError(too_large)
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{shown}: the server took more than {total:g} s to send the page.",
                            "Check your connection and try again.",
                        )
                    chunks.append(chunk)
                chunks.append(decoder.flush())
                if size + len(chunks[-1]) > MAX_BYTES:
                    raise FetchError(too_large)
                charset = response.charset_encoding
                final_url = shown_url(str(response.url))
                content_language = response.headers.get("content-language")
    except httpx.TooManyRedirects:
        raise FetchError(
            f"{shown}: more than {MAX_REDIRECTS} redirects.",
            "Open it in a browser and save the page.",
        ) from None
    except httpx.TimeoutException:
        raise FetchError(
            f"{shown}: the server did not answer in time.",
            "Check your connection and try again.",
        ) from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise FetchError(
            f"{shown}: the server redirected to an address that is not http or https.",
            "Open it in a browser and save the page.",
        ) from None
    except httpx.HTTPError as e:
        error = FetchError(
            f"{shown}: cannot connect ({type(e).__name__}).",
            "Check the address and your connection.",
        )
        error.transient = isinstance(e, httpx.ConnectError | httpx.RemoteProtocolError)
        raise error from None
    loaded = _from_bytes(b"".join(chunks), charset, shown, final_url, media_type)
    return replace(loaded, language=content_language) if content_language else loaded


def _seconds(value: str) -> float | None:
    """A ``Retry-After`` header given in seconds; None for a date or anything else."""
    value = value.strip()
    return float(value) if value.isdigit() else None


class _Decoder:
    """Undoes the content codings a server applied (``gzip, gzip`` too), in order, with
    each stage's output bounded by ``MAX_BYTES``: a small compressed bomb costs at most
    that much memory, never gigabytes."""

    def __init__(self, header: str, shown: str) -> None:
        names = [n.strip().lower() for n in header.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        unknown = [n for n in names if n not in CODINGS]
        if unknown:
            raise FetchError(
                f"{shown}: the server compressed the page as {unknown[0]}, "
                "which reader does not read.",
                "Save the page in a browser and read the file.",
            )
        self._shown = shown
        # The last coding applied is the first to undo.
        self._stages = [zlib.decompressobj(CODINGS[n]) for n in reversed(names)]
        self._made = [0] * len(self._stages)

    def feed(self, data: bytes) -> bytes:
        for i in range(len(self._stages)):
            data = self._step(i, data)
        return data

    def flush(self) -> bytes:
        data = b""
        for i, stage in enumerate(self._stages):
            data = (self._step(i, data) if data else b"") + stage.flush()
        return data

    def _step(self, i: int, data: bytes) -> bytes:
        stage = self._stages[i]
        try:
            data = stage.decompress(data, max(1, MAX_BYTES + 1 - self._made[i]))
        except zlib.error:
            raise FetchError(
                f"{self._shown}: the page's compressed data is damaged.",
                "Try again, or save the page in a browser and read the file.",
            ) from None
        self._made[i] += len(data)
        if stage.unconsumed_tail or self._made[i] > MAX_BYTES:
            raise FetchError(
                f"{self._shown}: the page is larger than "
                f"{MAX_BYTES // (1024 * 1024)} MB once uncompressed."
            )
        return data


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, then the declared charset (HTTP header, then meta or XML
    declaration), then UTF-8, then cp1252 (what undeclared Western pages are in
    practice). Raises ``SourceError`` for text that is valid in none of them."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_as(data, encoding)
    head = data[:16384]
    candidates: list[str | None] = [declared]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if m:
        candidates.append(m.group(1).decode("ascii", "replace"))
    for label in candidates:
        if label and _known(label):
            name = _normalise(label)
            try:
                return data.decode(name)
            except UnicodeDecodeError as e:
                if name == "utf-8":
                    return _lenient_utf8(data, e)
                break  # a wrong declaration of a legacy charset: detect instead
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        first_error = e
    if _mostly_utf8(data):
        return _lenient_utf8(data, first_error)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SourceError(
            f"the input is not valid UTF-8 (bad byte at offset {first_error.start}) "
            "and not in any other encoding reader recognises.",
            "Save it as UTF-8, or declare its charset in the page.",
        ) from None


def _lenient_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    """A page that says UTF-8: a few stray bytes become U+FFFD, many are an error."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad > max(1, MAX_BAD_UTF8 * len(data)):
        raise SourceError(
            f"the input says it is UTF-8 but is not (bad byte at offset {error.start}).",
            "Save it again as UTF-8, or correct the charset it declares.",
        )
    return text


def _mostly_utf8(data: bytes) -> bool:
    """Undeclared text whose non-ASCII bytes are nearly all valid UTF-8 sequences: a
    stray bad byte in a UTF-8 file, not a file in a legacy encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for c in text if ord(c) > 127 and c != "\ufffd")
    return good > 0 and bad <= max(1, MAX_BAD_UTF8 * len(data)) and good >= 2 * bad


def _normalise(encoding: str) -> str:
    # Browsers treat these labels as windows-1252 (WHATWG Encoding Standard).
    name = codecs.lookup(encoding).name
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _known(encoding: str) -> bool:
    """A label that names an encoding web pages are written in (see ``WEB_ENCODINGS``)."""
    try:
        name = _normalise(encoding)
    except (LookupError, ValueError):
        return False
    return bool(WEB_ENCODINGS.match(name))


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise SourceError(
            "the input starts with a byte-order mark but is not valid text."
        ) from None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head


def _from_bytes(
    data: bytes, charset: str | None, name: str, url: str | None, media_type: str | None = None
) -> Source:
    if not data.strip():
        raise SourceError(
            f"{'standard input' if name == '-' else name} is empty.",
            "Give a file or page that holds an article.",
        )
    if _looks_binary(data):
        raise SourceError(
            f"{name} is not text (it looks like binary data, such as an image).",
            "Give an HTML page or a text file.",
        )
    try:
        text = decode(data, charset)
    except SourceError as e:
        raise SourceError(f"{name}: {e.message}", e.hint) from None
    if media_type is None or media_type in TEXT_TYPES:
        # latin-1 maps every byte to one character: the ASCII tags match as in the bytes.
        head = data[:SNIFF_LENGTH].decode("latin-1")
        sniffed = "text/html" if HTML_SNIFF.search(head) else "text/plain"
        media_type = sniffed if media_type is None else media_type
    if media_type == "application/xhtml+xml":
        media_type = "text/html"
    return Source(text=text, media_type=media_type, name=name, url=url)
