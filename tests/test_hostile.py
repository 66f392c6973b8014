"""Hostile input never takes control: terminal escapes, credentials in URLs, compression
bombs, trickling servers, odd redirects and charsets, damaged resume files.

Every case here failed before the fix it tests (see the issue on hostile input). Servers
run in a thread on 127.0.0.1; nothing touches the internet.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

import reader
from reader import sources
from reader.errors import FetchError
from reader.listen import state
from reader.safe import UNSAFE, clean_text, for_terminal, json_text
from tests.support import RouteServer, redirect, send

BODY = "The council voted on the new budget after a long debate in the town hall. " * 4
#: Sequences a page could use to drive a terminal: set the title (OSC 0), write the
#: clipboard (OSC 52), clear the screen (CSI 2J), the same through C1 CSI and OSC, and
#: a bidi override that reverses what follows on screen.
ESCAPES = (
    "\x1b]0;pwned\x07",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x1b[2J",
    "\x9b2J",
    "\x9d0;pwned\x9c",
    "\u202egnp.exe",
)

#: Real processes, servers and files throughout: seconds each (not in the quick subset).
pytestmark = pytest.mark.slow



def _page(body: str, head: str = "") -> str:
    return (
        f"<html><head>{head}<title>Budget vote</title></head><body><article>"
        f"<h1>Budget vote</h1><p>{body}</p></article></body></html>"
    )


def _run(*args: str, stdin: bytes | None = None, env: dict | None = None):
    return subprocess.run(
        [str(Path(sys.executable).parent / "reader"), *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


# ---------------------------------------------------------------- the terminal


@pytest.mark.parametrize("escape", ESCAPES, ids=["osc-title", "osc52", "csi", "c1-csi", "c1-osc",
                                                  "bidi"])
def test_no_escape_reaches_the_terminal(tmp_path, escape):
    page = tmp_path / f"evil{escape[:2].encode().hex()}.html"
    page.write_text(_page(f"Before {escape} after. {BODY}", head=""), encoding="utf-8")
    for args in (["outline", str(page)], ["outline", "--json", str(page)],
                 ["sentences", str(page)], ["sentences", "--json", str(page)],
                 ["sentences", "--plain", str(page)]):
        done = _run(*args)
        assert done.returncode == 0, done.stderr
        out = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
        assert not UNSAFE.search(out), (args, out[:200])
        assert "after." in out


def test_json_keeps_the_text_but_escapes_it():
    text = "a\x9b2Jb\u202ec"
    assert json.loads(json_text({"t": text})) == {"t": text}
    assert not UNSAFE.search(json_text({"t": text}))


def test_an_error_naming_a_hostile_file_is_safe(tmp_path):
    done = _run("outline", str(tmp_path / "no\x1b]0;pwned\x07such.html"))
    assert done.returncode == 1
    err = done.stderr.decode()
    assert err.startswith("Error:") and not UNSAFE.search(err)


def test_text_that_is_never_text_is_dropped_at_parse():
    article = reader.parse(_page(f"NUL\x00 and \ufffe and \x0c form feed. {BODY}"))
    assert "\x00" not in article.paragraphs[0] and "\ufffe" not in article.paragraphs[0]
    assert clean_text("a\ud800b") == "a\ufffdb"
    assert for_terminal("tab\tand\nline") == "tab\tand\nline"


def test_lone_surrogate_in_json_ld_is_not_a_crash(tmp_path):
    ld = (
        '{"@type": "NewsArticle", "headline": "Budget vote",'
        ' "author": {"@type": "Person", "name": "Ann \\ud800 Lee \\ud83d\\ude00"}}'
    )
    page = tmp_path / "ld.html"
    page.write_text(_page(BODY, head=f'<script type="application/ld+json">{ld}</script>'))
    done = _run("outline", "--json", str(page))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["byline"] == "Ann \ufffd Lee \U0001f600"


# ---------------------------------------------------------------- the network


def test_double_gzip_bomb_is_refused_with_bounded_memory():
    bomb = gzip.compress(gzip.compress(b"<p>" + b"a" * (200 * 1024 * 1024)))
    assert len(bomb) < 300_000
    routes = {"/bomb": send(bomb, "text/html", Content_Encoding="gzip, gzip")}
    with RouteServer(routes) as base:
        tracemalloc.start()
        started = time.monotonic()
        with pytest.raises(FetchError, match="larger than .* uncompressed"):
            sources.fetch(base + "/bomb")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.monotonic() - started < 10
    assert peak < 3 * sources.MAX_BYTES


def test_gzip_page_is_read():
    page = gzip.compress(_page(BODY).encode())
    routes = {"/gz": send(page, "text/html", Content_Encoding="gzip")}
    with RouteServer(routes) as base:
        assert "council voted" in sources.fetch(base + "/gz").text


def test_a_trickling_server_is_cut_off(monkeypatch):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(60):
            handler.wfile.write(b"<p>x")
            handler.wfile.flush()
            time.sleep(0.25)

    monkeypatch.setenv("READER_TIMEOUT", "1")  # whole download: 3 s
    with RouteServer({"/slow": trickle}) as base:
        started = time.monotonic()
        with pytest.raises(FetchError, match="took more than 3 s"):
            sources.fetch(base + "/slow")
    assert time.monotonic() - started < 6


@pytest.mark.parametrize("target", ["data:text/html,<p>hi</p>", "javascript:alert(1)",
                                    "file:///etc/passwd"])
def test_redirect_out_of_http_is_refused(target):
    with RouteServer({"/r": redirect(target)}) as base:
        with pytest.raises(FetchError, match="not http or https|cannot connect"):
            sources.fetch(base + "/r")


@pytest.mark.parametrize("charset", ["rot13", "base64", "undefined", "utf-7", "unicode_escape"])
def test_a_charset_that_is_not_a_web_encoding_is_ignored(tmp_path, charset):
    head = f'<meta charset="{charset}">'
    page = tmp_path / "c.html"
    page.write_text(_page("Café " + BODY, head=head), encoding="utf-8")
    assert reader.parse_source(str(page)).paragraphs[0].startswith("Café")
    routes = {"/c": send(_page("Café " + BODY).encode(), f"text/html; charset={charset}")}
    with RouteServer(routes) as base:
        assert "Café" in sources.fetch(base + "/c").text


def test_one_bad_byte_does_not_turn_utf8_into_cp1252():
    data = ("<p>" + "naïve café text " * 50 + "</p>").encode() + b"\xff"
    text = sources.decode(data)
    assert "naïve café" in text and "Ã" not in text


def test_credentials_never_leave_the_fetch(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    routes = {"/a": send(_page(BODY).encode(), "text/html"),
              "/missing": lambda h: h.send_error(404)}
    with RouteServer(routes) as base:
        url = base.replace("http://", "http://ann:s3cret@") + "/a"
        src = sources.load(url)
        assert "s3cret" not in src.name and "s3cret" not in (src.url or "")
        assert "s3cret" not in src.key
        done = _run("outline", "--json", url)
        assert done.returncode == 0 and b"s3cret" not in done.stdout
        done = _run("outline", base.replace("http://", "http://ann:s3cret@") + "/missing")
        assert done.returncode == 1 and b"s3cret" not in done.stderr
        out = tmp_path / "a.mp3"
        done = _run("export", url, "-o", str(out), "--engine", "silent")
        assert done.returncode == 0, done.stderr
        assert b"s3cret" not in out.read_bytes() and b"ann" not in out.read_bytes()


def test_a_local_path_is_not_written_into_tags(tmp_path):
    page = tmp_path / "private-folder" / "story.html"
    page.parent.mkdir()
    page.write_text(_page(BODY), encoding="utf-8")
    out = tmp_path / "story.mp3"
    done = _run("export", str(page), "-o", str(out), "--engine", "silent")
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert b"private-folder" not in data and b"story.html" in data


# ---------------------------------------------------------------- resume state


@pytest.fixture()
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(state, "_told", set())
    return tmp_path / "state"


@pytest.mark.parametrize("bad", ['{"sentence": Infinity, "block": 0}',
                                 '{"sentence": 1e400, "block": 0}',
                                 '{"sentence": -1, "block": 0}',
                                 '{"sentence": 1, "block": 0, "saved_at": NaN}',
                                 '[1, 2]', '"x"'])
def test_a_damaged_place_means_the_beginning(state_home, bad):
    path = state._path("k")
    path.parent.mkdir(parents=True)
    path.write_text(bad)
    place = state.load_place("k")
    assert place is None or (place.saved_at == 0.0 and place.sentence == 1)


def test_state_is_private_and_never_written_through_a_link(state_home, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    path = state._path("k")
    path.parent.mkdir(parents=True)
    for pid in range(os.getpid() - 5, os.getpid() + 5):  # the old predictable names
        path.with_suffix(f".{pid}.tmp").symlink_to(victim)
    assert state.save_place("k", state.Place(3, 1)) == path
    assert victim.read_text() == "keep"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert state.load_place("k").sentence == 3


def test_a_state_folder_that_cannot_be_written_is_said_once(state_home, capsys):
    state_home.mkdir()
    (state_home / "reader").write_text("a file where the folder should be")
    assert state.save_place("k", state.Place(3, 1)) is None
    assert state.save_place("k", state.Place(4, 1)) is None
    err = capsys.readouterr().err
    assert err.count("Cannot save your place") == 1


# ---------------------------------------------------------------- voice profiles


@pytest.mark.parametrize("text, expected", [
    ("rate = " + "[" * 30000 + "]" * 30000, "nested too deeply"),
    ('description = "' + "x" * 10_000_000 + '"', "too large for a voice profile"),
])
def test_hostile_voice_profiles_are_one_line(tmp_path, text, expected):
    profile = tmp_path / "evil.toml"
    profile.write_text(text)
    page = tmp_path / "a.html"
    page.write_text(_page(BODY))
    started = time.monotonic()
    done = _run("export", str(page), "-o", str(tmp_path / "a.mp3"), "--voice", str(profile))
    assert done.returncode == 1
    assert expected in done.stderr.decode() and "internal error" not in done.stderr.decode()
    assert time.monotonic() - started < 20
    assert not (tmp_path / "a.mp3").exists()


# ---------------------------------------------------------------- bounded units


def test_a_page_without_sentence_ends_is_read_in_bounded_pieces():
    from reader.segment import MAX_SENTENCE_CHARS, segment_text, split_sentences

    text = "word " * 40_000 + "x" * 5000 + " end."
    found = segment_text(text)
    assert len(found) > 50 and max(len(s.text) for s in found) <= MAX_SENTENCE_CHARS
    assert "".join(s.text for s in found).replace(" ", "") == text.replace(" ", "")
    assert all(text[s.start : s.end] == s.text for s in found)
    assert len(split_sentences(text)) == 1  # the sentences as written are unchanged


# ---------------------------------------------------------------- bounded trees


def test_megabytes_of_inline_tags_are_read_in_bounded_time_and_memory(tmp_path):
    page = tmp_path / "b.html"
    page.write_text("<html><body><p>" + "<b>x</b> " * 1_000_000 + "</p></body></html>")
    started = time.monotonic()
    done = _run("outline", str(page))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().count("x") > 999_000  # every word is still read
    assert time.monotonic() - started < 20


def test_a_page_of_more_elements_than_any_article_is_refused(tmp_path):
    page = tmp_path / "i.html"
    page.write_text("<html><body><p>" + "<i class=x>x</i>" * 300_000 + "</p></body></html>")
    done = _run("outline", str(page))
    assert done.returncode == 1
    assert done.stderr.decode().startswith("Error: the page has more than 150,000 elements")


@pytest.mark.parametrize("line", [".!?" * 300_000, "a@" * 400_000, "a." * 400_000,
                                  "1" * 800_000])
def test_one_long_line_of_text_is_linear(tmp_path, line):
    # Patterns that could backtrack over a whole line (an e-mail address test) cost
    # seconds per kilobyte squared; each is bounded now.
    page = tmp_path / "p.txt"
    page.write_text(f"A headline\n\n{line}\n\nA closing sentence of ordinary text.\n")
    started = time.monotonic()
    done = _run("outline", str(page))
    assert done.returncode in (0, 1) and b"internal error" not in done.stderr
    assert time.monotonic() - started < 15
