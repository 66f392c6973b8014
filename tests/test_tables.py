"""Data tables are one block each; layout tables are read as before."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reader.cli import main
from reader.parse import parse, parse_whole_page
from reader.segment import segment_article
from reader.spoken import sentence_words
from reader.spoken.settings import SpokenSettings

LEDE = (
    "<p>The weather service published its yearly figures on Monday, and the towns along "
    "the coast were wetter than usual this year, the third wet year in a row.</p>"
)
AFTER = (
    "<p>Forecasters expect a drier year ahead, though they say the long-term trend is "
    "towards wetter winters across the whole of the region.</p>"
)
DATA = """<table><caption>Rainfall by town</caption>
<thead><tr><th>Town</th><th>Rain (mm)</th><th>Days of rain</th></tr></thead>
<tbody><tr><td>Ashford</td><td>812</td><td>143</td></tr>
<tr><td>Bexley</td><td></td><td>120</td></tr>
<tr><td>Crayford</td><td>701</td><td>131</td></tr></tbody></table>"""


def page(*body: str) -> str:
    return (
        "<html><head><title>Rain</title></head><body><article><h1>Rainfall in three towns</h1>"
        + "".join(body)
        + "</article></body></html>"
    )


def test_a_data_table_is_one_block_with_its_headers_and_rows():
    a = parse(page(LEDE, "<h2>The figures</h2>", DATA, AFTER))
    kinds = [b.kind for b in a.blocks]
    assert kinds == ["headline", "paragraph", "subheading", "paragraph", "table", "paragraph"]
    table = a.blocks[4]
    assert table.header == ("Town", "Rain (mm)", "Days of rain")
    assert table.rows == (("Ashford", "812", "143"), ("Bexley", "", "120"),
                          ("Crayford", "701", "131"))
    assert a.blocks[3].text == "Rainfall by town"  # the table's caption, read before it
    # Its text (what the body's text holds) is every cell, a line per row.
    assert table.text.splitlines()[1] == "Ashford | 812 | 143"
    assert "Crayford | 701 | 131" in "\n\n".join(a.paragraphs)


def test_a_first_row_of_th_cells_heads_the_columns_and_colspan_widens_a_cell():
    table = """<table><tr><td></td><th>2023</th><th>2024</th></tr>
    <tr><th>Sales</th><td>10</td><td>12</td></tr>
    <tr><th>Staff</th><td colspan="2">the same both years</td></tr></table>"""
    a = parse(page(LEDE, table, AFTER))
    t = next(b for b in a.blocks if b.kind == "table")
    assert t.header == ("", "2023", "2024")
    assert t.rows == (("Sales", "10", "12"), ("Staff", "the same both years", ""))


def test_layout_tables_are_read_as_before():
    one_column = "<table><tr><th>Note</th></tr><tr><td>Ashford 812</td></tr></table>"
    holding = f"<table><tr><th>x</th><td><h2>The figures</h2>{LEDE}</td></tr></table>"
    no_headers = ("<table><tr><td>Ashford</td><td>812</td></tr>"
                  "<tr><td>Bexley</td><td>9</td></tr></table>")
    for html in (one_column, holding, no_headers):
        a = parse(page(LEDE, html, AFTER))
        assert "table" not in [b.kind for b in a.blocks], html
    long_cell = (f"<table><tr><th>A</th><th>B</th></tr><tr><td>{'word ' * 120}</td>"
                 "<td>1</td></tr></table>")
    assert "table" not in [b.kind for b in parse(page(LEDE, long_cell, AFTER)).blocks]


def test_a_table_reads_one_row_per_sentence_each_cell_after_its_header():
    a = parse(page(LEDE, DATA, AFTER))
    b = next(i for i, x in enumerate(a.blocks) if x.kind == "table")
    rows = [s for s in segment_article(a) if s.block == b]
    assert [s.text for s in rows] == a.blocks[b].text.splitlines()
    said = [sentence_words(a, s, SpokenSettings()) for s in rows]
    assert said[0].startswith("Table, 3 rows, 3 columns. Columns: Town; Rain")
    assert said[1].startswith("Town: Ashford; Rain")
    assert said[2] == "Town: Bexley; Days of rain: 120."  # the empty cell is left out


def test_a_table_without_a_header_row_is_announced_before_its_first_row():
    table = "<table><tr><th>Sales</th><td>10</td></tr><tr><th>Staff</th><td>4</td></tr></table>"
    a = parse(page(LEDE, table, AFTER))
    b = next(i for i, x in enumerate(a.blocks) if x.kind == "table")
    rows = [s for s in segment_article(a) if s.block == b]
    assert [sentence_words(a, s, SpokenSettings()) for s in rows] == [
        "Table, 2 rows, 2 columns. Sales; 10.", "Staff; 4."]


def test_whole_page_keeps_tables_as_blocks():
    a = parse_whole_page(page(LEDE, DATA, AFTER))
    assert [b.rows for b in a.blocks if b.kind == "table"][0][0] == ("Ashford", "812", "143")


def test_outline_shows_tables_and_headings(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(page(LEDE, "<h2>The figures</h2>", DATA, AFTER), encoding="utf-8")
    text = CliRunner().invoke(main, ["outline", str(path)]).output
    data = json.loads(CliRunner().invoke(main, ["outline", "--json", str(path)]).output)
    assert "Subheading: The figures" in text
    assert "Table (3 rows, 3 columns):\n  Town | Rain (mm) | Days of rain\n  Ashford" in text
    table = next(b for b in data["blocks"] if b["kind"] == "table")
    assert table["header"] == ["Town", "Rain (mm)", "Days of rain"]
    assert table["rows"][2] == ["Crayford", "701", "131"]
    assert table["name"] == "Table"


def test_the_map_names_rows_and_finds_headings():
    from reader.listen.navigation import ArticleMap

    a = parse(page(LEDE, "<h2>The figures</h2>", DATA, "<h3>Later</h3>", AFTER))
    m = ArticleMap(a, segment_article(a))
    kinds = [a.blocks[s.block].kind for s in m.sentences]
    table = kinds.index("table")
    assert m.table_shape(table) == "3 rows, 3 columns" and m.table_shape(0) is None
    assert m.where(table, 200).startswith("Table, column headers, ")
    assert m.where(table + 2, 200).startswith("Table, row 2 of 3, ")
    headings = [i for i, k in enumerate(kinds) if k in ("headline", "subheading")]
    assert m.next_heading(0) == headings[1] and m.next_heading(table) == headings[2]
    assert m.previous_heading(table) == headings[1]  # the heading of its own section
    assert m.previous_heading(headings[1]) == 0 and m.previous_heading(0) is None
    assert m.next_heading(headings[-1]) is None


def test_a_grid_of_figures_under_a_row_of_words_is_a_data_table_without_th():
    rows = "".join(f"<tr><td>{n}</td><td>{town}</td><td>${rate}</td></tr>" for n, town, rate in
                   [(1, "Ashford", "14.55"), (2, "Bexley", "43.88"), (3, "Crayford", "45.57")])
    table = ('<table><tr><td colspan="3"><b>Hourly rates in 2024</b></td></tr>'
             f"<tr><td>Rank</td><td>Town</td><td>Hourly rate</td></tr>{rows}</table>")
    a = parse(page(LEDE, table, AFTER))
    t = next(b for b in a.blocks if b.kind == "table")
    assert t.header == ("Rank", "Town", "Hourly rate")
    assert t.rows[2] == ("3", "Crayford", "$45.57")
    # The title row across the table is read before it, as its caption.
    assert a.blocks[a.blocks.index(t) - 1].text == "Hourly rates in 2024"
    # The same grid of words only (a layout of links or names) is not a data table.
    words = table.replace("$", "about ").replace("<td>1</td>", "<td>one</td>")
    words = words.replace("<td>2</td>", "<td>two</td>").replace("<td>3</td>", "<td>three</td>")
    assert "table" not in [b.kind for b in parse(page(LEDE, words, AFTER)).blocks]
