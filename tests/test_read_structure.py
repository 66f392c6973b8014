"""Tables and headings in the real ``reader read`` (pty and event log), and one name per
block across outline, sentences, read and the exported chapters."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import reader
from reader.cli import main
from reader.segment import segment_article
from tests.readpty import Session

pytestmark = [pytest.mark.audio, pytest.mark.slow]

FAST = ("--engine", "silent", "--audio", "null", "--rate", "400")
PAGE = """<html><head><title>Rain</title></head><body><article>
<h1>Rainfall in three towns</h1>
<figure><img src="rain.jpg"><figcaption>Rain over the harbour at Ashford last winter.</figcaption>
</figure>
<p>The weather service published its yearly figures on Monday. The towns along the coast
were wetter than usual this year, the third wet year in a row.</p>
<h2>The figures</h2>
<table><thead><tr><th>Town</th><th>Rain</th><th>Days</th></tr></thead>
<tbody><tr><td>Ashford</td><td>812</td><td>143</td></tr>
<tr><td>Bexley</td><td>640</td><td>120</td></tr>
<tr><td>Crayford</td><td>701</td><td>131</td></tr></tbody></table>
<p>Forecasters expect a drier year ahead. They say the long-term trend is towards wetter
winters across the whole of the region.</p>
<h2>What comes next</h2>
<p>The council will meet next week to discuss the drainage works that residents have
asked for since the floods of last spring.</p>
</article></body></html>"""


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "rain.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.fixture
def parsed(page):
    article = reader.parse_source(str(page))
    return article, segment_article(article)


def first(article, sentences, kind, n=0):
    blocks = [b for b, x in enumerate(article.blocks) if x.kind == kind]
    return next(i for i, s in enumerate(sentences) if s.block == blocks[n])


def test_heading_keys_jump_between_headings_and_say_where(tmp_path, page, parsed):
    article, sentences = parsed
    s = Session(tmp_path, *FAST, source=page)
    assert s.wait("play")["sentence"] == 0  # the headline
    said = s.press(".", "say")
    assert said["text"] == "Subheading 1 of 2"
    assert s.wait("play")["sentence"] == first(article, sentences, "subheading")
    s.press(".", "say")
    second = s.wait("play")
    assert second["name"] == "Subheading 2 of 2"
    assert s.press(".", "say")["text"] == "No heading after this"
    assert s.press(",", "say")["text"] == "Subheading 1 of 2"
    assert s.wait("play")["kind"] == "subheading"
    assert s.press(",", "say")["text"] == "Headline"
    assert s.wait("play")["sentence"] == 0
    assert s.press(",", "say")["text"] == "No heading before this"
    s.press("q", "quit")
    assert s.finish() == 0


def test_a_table_is_announced_read_by_rows_with_headers_and_skipped(tmp_path, page, parsed):
    article, sentences = parsed
    table = first(article, sentences, "table")
    s = Session(tmp_path, *FAST, source=page)
    s.wait("play")
    assert s.press("t", "say")["text"] == "Not in a table"
    s.press(".", "say")  # the subheading just before the table
    s.wait("play")
    s.press("]", "say")
    header = s.wait("play", sentence=table)
    entered = s.wait("table")
    assert (entered["sentence"], entered["shape"]) == (table, "3 rows, 3 columns")
    s.child.expect("Table, 3 rows, 3 columns. Press t to skip it.")
    assert header["text"] == "Town | Rain | Days"
    assert header["said"] == "Table, 3 rows, 3 columns. Columns: Town; Rain; Days."
    row = s.press("n", "play")  # row by row, each cell after its column's header
    assert row["sentence"] == table + 1 and row["said"].startswith("Town: Ashford; Rain: ")
    assert s.wait("play")["said"].startswith("Town: Bexley; Rain: ")  # reads on by rows
    s.press(" ", "pause")  # hold the place inside the table, however slow the machine
    skip = s.press("t", "skip_table")
    after = first(article, sentences, "paragraph", 1)
    assert skip["target"] == after
    assert s.wait("say")["text"] == "Table skipped, Paragraph 2 of 3"
    assert s.wait("play")["sentence"] == after
    s.press("q", "quit")
    assert s.finish() == 0


def test_one_name_per_block_in_outline_sentences_read_and_chapters(tmp_path, page, parsed):
    article, sentences = parsed
    run = CliRunner()
    outline = json.loads(run.invoke(main, ["outline", "--json", str(page)]).output)
    names = [b["name"] for b in outline["blocks"]]
    assert names == ["Headline", "Image caption", "Paragraph 1 of 3", "Subheading 1 of 2",
                     "Table", "Paragraph 2 of 3", "Subheading 2 of 2", "Paragraph 3 of 3"]
    lines = run.invoke(main, ["outline", str(page)]).output
    assert "Paragraph 2 of 3: Forecasters" in lines and "Table (3 rows, 3 columns):" in lines

    listed = run.invoke(main, ["sentences", str(page)]).output.splitlines()
    by_block: dict[str, str] = {}
    for line, s in zip(listed, sentences, strict=True):
        by_block.setdefault(str(s.block), line.split(", sentence ")[0])
    assert [by_block[str(b)] for b in range(len(names))] == names
    blocks = json.loads(run.invoke(main, ["sentences", "--json", str(page)]).output)["blocks"]
    assert [b["name"] for b in blocks] == names

    # reader read, block by block: the event log and the spoken name agree.
    s = Session(tmp_path, *FAST, source=page)
    heard = [s.wait("play")["name"]]
    for _ in names[1:]:
        said = s.press("]", "say")["text"]
        heard.append(s.wait("play")["name"])
        assert said == heard[-1]
    assert heard == names
    s.press("q", "quit")
    assert s.finish() == 0

    from mutagen.id3 import ID3

    out = tmp_path / "rain.mp3"
    r = run.invoke(main, ["export", str(page), "-o", str(out), "--engine", "silent", "-q"])
    assert r.exit_code == 0, r.output
    tags = ID3(out)
    (toc,) = tags.getall("CTOC")
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    titles = [chaps[i].sub_frames["TIT2"].text[0] for i in toc.child_element_ids]
    assert [t.split(": ")[0] for t in titles] == names
    assert titles[names.index("Table")] == "Table: Town, Rain, Days"
