"""The data that flows through reader, as frozen dataclasses.

    source -> Article(blocks) -> Sentence -> Clip

An ``Article`` holds its text blocks in reading order. Block kinds are the strings in
``BLOCK_KINDS``. The headline, the summary (when it is read) and each caption are blocks
too, so a player or an exporter walks one list. A data table is one block: its cells are
in ``Block.header`` and ``Block.rows``, its text is made from them (``table_block``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Every kind of block, in the words a listener hears when reader announces it.
BLOCK_KINDS = (
    "headline", "summary", "caption", "paragraph", "subheading", "list_item", "quote", "table",
)

#: How each kind is named to a listener: in announcements, chapter titles and outlines.
KIND_NAMES = {
    "headline": "Headline",
    "summary": "Summary",
    "caption": "Image caption",
    "paragraph": "Paragraph",
    "subheading": "Subheading",
    "list_item": "List item",
    "quote": "Quote",
    "table": "Table",
}

#: Kinds that make up the article's body (``Article.paragraphs``).
BODY_KINDS = ("paragraph", "subheading", "list_item", "quote", "table")
#: Between a table's cells in its text (``table_block``).
CELL_SEPARATOR = " | "


@dataclass(frozen=True)
class Block:
    """One unit of text a listener can jump to."""

    kind: str
    """One of ``BLOCK_KINDS``."""
    text: str
    """The text, whitespace-normalised, never empty; a table's has one line per row."""
    header: tuple[str, ...] = ()
    """A table's column headers (empty when it has none; then ``text`` has no header
    line). Empty for other kinds."""
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's data rows, each a tuple of cell texts ("" for an empty cell). Empty for
    other kinds."""
    language: str | None = field(default=None, kw_only=True)
    """Its language when it differs from the article's (``reader.language``), else None
    (keyword only: a third positional argument is a table's header)."""

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        if (self.kind == "table") != bool(self.rows):
            raise ValueError("a table block, and only a table block, has rows")


def table_block(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> Block:
    """A table as a block: its text is the header line (when there is one), then one line
    per row, the cells between ``CELL_SEPARATOR``."""
    lines = ([header] if header else []) + list(rows)
    text = "\n".join(" ".join(CELL_SEPARATOR.join(cells).split()) for cells in lines)
    return Block("table", text, tuple(header), tuple(tuple(r) for r in rows))


@dataclass(frozen=True)
class Article:
    """A parsed article: metadata plus its blocks in reading order."""

    blocks: tuple[Block, ...]
    """Everything that is read aloud, in order: headline, captions, summary, body."""
    headline: str | None = None
    summary: str | None = None
    """The standfirst; it is a block only when the body does not repeat it."""
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    site: str | None = None
    confidence: float = 1.0
    """How sure the parser is that the blocks are the article and nothing else, from 0
    to 1; below ``reader.parse.confidence.LOW`` the listener should be warned."""
    warnings: tuple[str, ...] = ()
    """Why the confidence is lowered, as short plain phrases ("looks like a cookie
    notice"); empty when nothing looked wrong."""

    @property
    def captions(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "caption"]

    @property
    def paragraphs(self) -> list[str]:
        """The body's blocks' texts (paragraphs, subheadings, list items, quotes,
        tables) in order."""
        return [b.text for b in self.blocks if b.kind in BODY_KINDS]

    def language_of(self, block: int) -> str | None:
        """The language block number ``block`` is read in: its own, else the article's."""
        return self.blocks[block].language or self.language

    @property
    def title(self) -> str:
        """A name for the article even when it has no headline."""
        if self.headline:
            return self.headline
        first = next((b.text for b in self.blocks), "Untitled article")
        words = first.split()
        return " ".join(words[:8]) + ("…" if len(words) > 8 else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "summary": self.summary,
            "byline": self.byline,
            "published": self.published,
            "language": self.language,
            "url": self.url,
            "site": self.site,
            "captions": self.captions,
            "paragraphs": self.paragraphs,
            "blocks": [_block_dict(b) for b in self.blocks],
            "confidence": round(self.confidence, 3),
            "reasons": list(self.warnings),
        }


def _block_dict(b: Block) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": b.kind, "text": b.text}
    if b.kind == "table":
        d |= {"header": list(b.header), "rows": [list(r) for r in b.rows]}
    if b.language:
        d["language"] = b.language
    return d


@dataclass(frozen=True)
class Sentence:
    """One sentence of one block: the unit of navigation."""

    block: int
    """Index of its block in ``Article.blocks``."""
    index: int
    """Index of the sentence within its block."""
    start: int
    """Character offset of the sentence in its block's text."""
    end: int
    """Offset one past its last character: ``block.text[start:end] == text``."""
    text: str
    chunks: tuple[str, ...] = field(default=())
    """The sentence cut at natural pauses into pieces no longer than the chunk limit;
    a single chunk (the sentence) when it is short enough."""


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    sample_rate: int
    samples: Any
    """A one-dimensional numpy int16 array."""

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate
