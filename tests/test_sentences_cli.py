"""``reader sentences``: numbered lines, JSON with kinds and offsets, --plain text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import main


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["sentences", *args], input=stdin)


def test_numbered_lines(seed_html):
    result = run(str(seed_html))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("Image caption, sentence 1: Nigerian troops")  # one caption
    assert lines[2].startswith("Paragraph 1 of 7, sentence 1: French forces")
    assert any(
        line.startswith("Headline, sentence 1: International Community Stands With Mali")
        for line in lines
    )
    assert (
        "sentence 2: Responding to a request from the Malian government, France began targeted"
        in result.output
    )
    assert all(": " in line for line in lines)


def test_json_has_kinds_offsets_and_chunks(seed_html):
    result = run(str(seed_html), "--json", "--chunk-limit", "60")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    kinds = {b["kind"] for b in data["blocks"]}
    assert {"headline", "paragraph"} <= kinds
    for block in data["blocks"]:
        for s in block["sentences"]:
            assert block["text"][s["start"] : s["end"]] == s["text"]
            assert all(len(c) <= 60 for c in s["chunks"])
        assert [s["index"] for s in block["sentences"]] == list(range(len(block["sentences"])))


def test_plain_from_stdin_one_sentence_per_line():
    text = "Dr. Smith arrived at 5 p.m. He left.\nIt was late.\n\nHeadline here\nBody text follows."
    result = run("--plain", "-", stdin=text)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Dr. Smith arrived at 5 p.m.",
        "He left.",
        "It was late.",
        "Headline here",
        "Body text follows.",
    ]


def test_plain_joins_a_wrapped_sentence_onto_one_line(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "The mayor said the bridge\nwould open in May. Then she left.", encoding="utf-8"
    )
    result = run("--plain", str(path))
    assert result.output.splitlines() == [
        "The mayor said the bridge would open in May.",
        "Then she left.",
    ]


def test_plain_json():
    result = run("--plain", "--json", "-", stdin="One. Two.")
    data = json.loads(result.output)
    assert [(s["start"], s["end"], s["text"]) for s in data["sentences"]] == [
        (0, 4, "One."),
        (5, 9, "Two."),
    ]


def test_bad_input_is_one_error_line(tmp_path):
    missing = run(str(tmp_path / "nope.html"))
    assert missing.exit_code != 0 and missing.output.startswith("Error: ")
    empty = run("--plain", "-", stdin="   \n")
    assert empty.exit_code != 0 and empty.output.startswith("Error: ")
    assert "Traceback" not in missing.output + empty.output


def test_installed_command_reads_standard_input():
    command = Path(sys.executable).parent / "reader"
    if not command.exists():
        pytest.skip("the reader command is not installed beside this python")
    out = subprocess.run(
        [str(command), "sentences", "--plain", "-"],
        input="Mr. Smith went to Washington. He met the U.S. Senate.",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["Mr. Smith went to Washington.", "He met the U.S. Senate."]
