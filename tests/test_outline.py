"""``reader outline``: the seed article exactly, and one plain error line for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reader.cli import main

FIELDS = ("headline", "summary", "captions", "paragraphs")


@pytest.mark.parametrize("name", ["seed_txt", "seed_html"])
def test_seed_outline_json(name, request, seed_expected):
    path = request.getfixturevalue(name)
    # A real process, as a user runs it: the console script's entry point, JSON on stdout.
    entry = "from reader.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", entry, "outline", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for field in FIELDS:
        assert out[field] == seed_expected[field], field
    read = [b["text"] for b in out["blocks"]]
    for furniture in seed_expected["boilerplate"]:
        assert all(furniture not in text.split() and furniture != text for text in read)
        assert furniture not in (out["headline"] or "")
    kinds = [b["kind"] for b in out["blocks"]]
    # Reading order: headline, the caption, then the body; the summary is not read
    # because the body repeats it word for word.
    assert kinds == ["headline", "caption"] + ["paragraph"] * len(seed_expected["paragraphs"])


def test_seed_outline_lines(seed_html, seed_expected):
    result = CliRunner().invoke(main, ["outline", str(seed_html)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Headline: {seed_expected['headline']}"
    assert f"Summary: {seed_expected['summary']}" in lines
    assert f"Image caption: {seed_expected['captions'][0]}" in lines
    n = len(seed_expected["paragraphs"])
    assert lines[-1] == f"Paragraph {n} of {n}: {seed_expected['paragraphs'][-1]}"


def test_outline_reads_stdin(seed_txt, seed_expected):
    result = CliRunner().invoke(main, ["outline", "-", "--json"], input=seed_txt.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["paragraphs"] == seed_expected["paragraphs"]


def _bad_inputs(tmp_path):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    furniture = tmp_path / "furniture.html"
    furniture.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<div class='share'>Share</div><footer>© 2024 Example</footer></body></html>"
    )
    huge = tmp_path / "huge.html"
    with huge.open("wb") as f:
        paragraph = b"<p>" + b"All work and no play makes a dull page. " * 25 + b"</p>\n"
        f.write(b"<html><body>")
        for _ in range(50 * 1024 * 1024 // len(paragraph) + 1):
            f.write(paragraph)
    deep = tmp_path / "deep.html"
    deep.write_text(
        "<html><body>" + "<div>" * 100_000 + "<p>Deep inside a hundred thousand elements.</p>"
        + "</div>" * 100_000 + "</body></html>"
    )
    broken = tmp_path / "broken.html"
    broken.write_bytes(b'<meta charset="utf-8"><p>' + b"caf\xc3\x28 " * 500 + b"</p>")
    return {
        "missing file": (str(tmp_path / "nope.html"), "no such file"),
        "directory": (str(tmp_path), "folder"),
        "empty file": (str(empty), "empty"),
        "png": (str(png), "not text"),
        "no article text": (str(furniture), "no article text"),
        "50 MB": (str(huge), "larger than"),
        "100,000 deep": (str(deep), "nested"),
        "invalid utf-8": (str(broken), "UTF-8"),
    }


def _assert_one_error_line(result, expected: str) -> None:
    assert result.exit_code != 0
    assert result.stdout == ""  # no partial output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_bad_files_give_one_error_line(tmp_path):
    runner = CliRunner()
    for label, (source, expected) in _bad_inputs(tmp_path).items():
        result = runner.invoke(main, ["outline", source])
        assert result.exception is None or isinstance(result.exception, SystemExit), label
        _assert_one_error_line(result, expected)


@pytest.mark.parametrize(
    "path, expected",
    [("/missing", "404"), ("/image", "image/png"), ("/slow", "did not answer in time")],
    ids=["404", "non-html", "timeout"],
)
def test_bad_urls_give_one_error_line(server, path, expected, monkeypatch):  # noqa: F811
    monkeypatch.setenv("READER_TIMEOUT", "0.5")
    result = CliRunner().invoke(main, ["outline", server + path])
    _assert_one_error_line(result, expected)


def test_unreachable_host_gives_one_error_line():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = CliRunner().invoke(main, ["outline", f"http://127.0.0.1:{port}/article"])
    _assert_one_error_line(result, "cannot connect")


def test_url_outline(server):  # noqa: F811
    result = CliRunner().invoke(main, ["outline", server + "/article", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["headline"] == "Café news"
    assert out["url"] == server + "/article"
