"""reader.sources: files, URLs from a local HTTP server, and every encoding the issue names.

The server runs in a thread on 127.0.0.1; nothing here touches the internet.
"""

from __future__ import annotations

import codecs
import socket
from pathlib import Path

import pytest

from reader import sources
from reader.errors import FetchError, SourceError
from reader.sources import decode, load
from tests.support import ARTICLE

KOI8_META = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "data, declared",
    [
        (ARTICLE.encode("utf-8"), None),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), None),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), None),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), None),
        (ARTICLE.replace("<head>", '<head><meta charset="iso-8859-1">').encode("latin-1"), None),
        (
            ARTICLE.replace("<head>", f"<head>{KOI8_META}")
            .replace("Café", "Кафе")
            .replace("café", "кафе")
            .encode("koi8-r"),
            None,
        ),
        (ARTICLE.encode("cp1252"), None),  # undeclared, not UTF-8: cp1252
        (ARTICLE.encode("iso-8859-15"), "iso-8859-15"),  # the HTTP header's charset
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "meta-latin1", "meta-koi8r",
         "undeclared-cp1252", "http-header"],
)
def test_decode(data, declared):
    text = decode(data, declared)
    assert ("Café" in text) or ("Кафе" in text)
    assert "\ufffd" not in text


def test_http_header_charset_wins_over_guessing():
    # b"\xe9" is "é" in cp1252 but "И" in koi8-r: only the header can tell.
    assert decode(b"<p>caf\xe9</p>", "koi8-r") == "<p>cafИ</p>"
    assert decode(b"<p>caf\xe9</p>", None) == "<p>café</p>"


def test_cp1252_smart_quotes_undeclared():
    assert decode("“quoted” – dash".encode("cp1252")) == "“quoted” – dash"


def test_entities_are_decoded(tmp_path):
    import reader

    page = tmp_path / "e.html"
    page.write_text(
        "<html><body><article><h1>Fish &amp; chips &mdash; a history</h1>"
        "<p>Caf&eacute; owners said &ldquo;fish &amp; chips&rdquo; outsold everything else &#8211; "
        "again &#x2014; this year, and the queue reached the corner.</p></article></body></html>",
        encoding="ascii",
    )
    article = reader.parse_source(str(page))
    assert article.headline == "Fish & chips — a history"
    assert article.paragraphs[0].startswith("Café owners said “fish & chips” outsold")
    assert "&" not in article.paragraphs[0].replace("fish & chips", "")


def test_declared_utf8_with_a_stray_byte_is_tolerated():
    data = ('<meta charset="utf-8"><p>' + "naïve text " * 200 + "</p>").encode() + b"\xff"
    assert decode(data).count("\ufffd") == 1


@pytest.mark.parametrize(
    "data",
    [
        b'<meta charset="utf-8"><p>' + b"\xc3\x28 broken " * 200 + b"</p>",
        b"plain text \x81\x8d\x8f\x90\x9d that is neither UTF-8 nor cp1252",
    ],
    ids=["declared-utf8", "undeclared"],
)
def test_invalid_utf8_is_an_error(data):
    with pytest.raises(SourceError, match="not valid UTF-8|not UTF-8|says it is UTF-8"):
        decode(data)


# ---------------------------------------------------------------- files


def test_file_errors(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        load(str(tmp_path / "missing.html"))
    with pytest.raises(SourceError, match="folder"):
        load(str(tmp_path))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    with pytest.raises(SourceError, match="empty"):
        load(str(empty))


def test_media_type_is_sniffed(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    assert load(str(page)).media_type == "text/html"
    text = tmp_path / "text.html"
    text.write_text("Just a line of text.\n\nAnd another one.", encoding="utf-8")
    assert load(str(text)).media_type == "text/plain"


# ---------------------------------------------------------------- URLs


def test_fetch_article(server):
    src = load(server + "/article")
    assert src.media_type == "text/html"
    assert src.url == server + "/article"
    assert "Café" in src.text


def test_fetch_uses_header_charset(server):
    assert "Café" in load(server + "/latin1").text


def test_fetch_plain_text(server):
    assert load(server + "/text").media_type == "text/plain"


def test_fetch_404(server):
    with pytest.raises(FetchError, match="404"):
        load(server + "/missing")


def test_fetch_wrong_type(server):
    with pytest.raises(FetchError, match="image/png"):
        load(server + "/image")


def test_fetch_redirect_loop(server):
    with pytest.raises(FetchError, match="redirects"):
        load(server + "/loop")


def test_fetch_timeout(server, monkeypatch):
    # /slow answers after 3 s: only the override (not the 20 s default) makes this fail.
    monkeypatch.setenv("READER_TIMEOUT", "0.5")
    with pytest.raises(FetchError, match="did not answer in time"):
        load(server + "/slow")


def test_fetch_unreachable():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        load(f"http://127.0.0.1:{port}/")


def test_only_http_and_https():
    with pytest.raises(FetchError, match="only http and https"):
        load("ftp://example.org/article")


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 2000 + b"</p>")
    with pytest.raises(SourceError, match="larger than"):
        load(str(big))


def test_source_key_is_stable(tmp_path):
    page: Path = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    other = tmp_path / "b.html"
    other.write_text(ARTICLE.replace("corner", "square"), encoding="utf-8")
    assert load(str(page)).key == load(str(page)).key
    assert load(str(page)).key.startswith("sha256:")
    assert load(str(page)).key != load(str(other)).key
