"""Chapter titles: each block's name and its first words, so a listener knows where a jump lands."""

from __future__ import annotations

from reader.model import Block

FIRST_WORDS = 8


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The first ``count`` words of ``text``, with an ellipsis when there are more."""
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def chapter_title(block: Block, name: str) -> str:
    """``Headline: ...``, ``Image caption 1 of 2: ...``, ``Paragraph 3 of 7: ...``.

    ``name`` is the block's name (``reader.structure.block_names``), so a chapter is
    named as ``reader read`` and ``reader outline`` name the block. A table's words are
    its column headers (or first row), in a list: "Table 1 of 2: Town, Rain, Days…".
    """
    if block.kind == "table":
        cells = [c for c in (block.header or block.rows[0]) if c]
        return f"{name}: {first_words(', '.join(cells))}"
    return f"{name}: {first_words(block.text)}"
