"""How a block is named, and how a table is said: the one place for both.

Every command, the event log, the exported chapters and the DAISY book name a block
with ``block_names``: its kind, and where the article has more than one block of that
kind, its number among them and their count ("Paragraph 3 of 12", "Table 1 of 2");
a kind that occurs once is named alone ("Headline", "Summary", "Table").

A table block is read one row per sentence (``reader.segment``): its first sentence
announces it ("Table, 5 rows, 3 columns"), and each cell of a data row is said after
its column's header.
"""

from __future__ import annotations

from collections import Counter

from reader.model import KIND_NAMES, Article, Block, Sentence


def block_names(article: Article) -> list[str]:
    """The name of each of ``article.blocks``, by index."""
    counts = Counter(b.kind for b in article.blocks)
    seen: Counter[str] = Counter()
    names = []
    for b in article.blocks:
        seen[b.kind] += 1
        name = KIND_NAMES[b.kind]
        names.append(f"{name} {seen[b.kind]} of {counts[b.kind]}" if counts[b.kind] > 1 else name)
    return names


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def table_shape(block: Block) -> str:
    """A table's size in words: ``"5 rows, 3 columns"`` (data rows, not the header)."""
    width = max([len(block.header), *(len(r) for r in block.rows)])
    return f"{_count(len(block.rows), 'row')}, {_count(width, 'column')}"


def table_row(block: Block, sentence: Sentence) -> int:
    """Which row of table ``block`` the sentence is: 0 for the header line, else the
    data row's number from 1."""
    line = block.text.count("\n", 0, sentence.start)
    return line if block.header else line + 1


def row_words(block: Block, sentence: Sentence) -> str:
    """The words said for a sentence of table ``block``: the announcement and the
    column headers for the header line; each cell after its column's header for a data
    row (empty cells left out); the announcement first when the table has no header."""
    row = table_row(block, sentence)
    announce = f"Table, {table_shape(block)}"
    if row == 0:  # the header line (a row too long to be one sentence is not one)
        named = [h for h in block.header if h]
        return f"{announce}. Columns: {'; '.join(named)}." if named else f"{announce}."
    start = block.text.rfind("\n", 0, sentence.start) + 1
    end = block.text.find("\n", sentence.start)
    if (sentence.start, sentence.end) != (start, len(block.text) if end < 0 else end):
        return sentence.text  # a part of a row too long to be one sentence
    cells = block.rows[row - 1]
    said = []
    for col, cell in enumerate(cells):
        head = block.header[col] if col < len(block.header) else ""
        if cell:
            said.append(f"{head}: {cell}" if head and head != cell else cell)
    words = "; ".join(said) + "."
    if not block.header and sentence.start == 0:
        return f"{announce}. {words}"
    return words
