"""Where things are in an article's sentence list: pure look-ups for the player.

``ArticleMap`` answers the questions navigation asks (which sentence starts the next
block, which blocks are captions, where a text occurs, how a place is said in words)
without audio or state, so they are tested as plain functions.

Sentences are indexed as ``segment_article`` returns them; blocks as in
``Article.blocks``. Blocks are named as everywhere else (``reader.structure.block_names``:
"Paragraph 3 of 7", "Headline", "Table 1 of 2").
"""

from __future__ import annotations

from reader.model import BODY_KINDS, Article, Sentence
from reader.structure import block_names, table_row, table_shape

#: The kinds a listener jumps between with the heading keys.
HEADINGS = ("headline", "subheading")


class ArticleMap:
    """Look-ups over one article's blocks and sentences."""

    def __init__(self, article: Article, sentences: list[Sentence]) -> None:
        if not sentences:
            raise ValueError("an article with no sentences cannot be read")
        self.article = article
        self.sentences = sentences
        self.first: dict[int, int] = {}
        """Block index -> index of its first sentence (blocks with sentences only)."""
        for i, s in enumerate(sentences):
            self.first.setdefault(s.block, i)
        self.blocks = sorted(self.first)
        """Indexes of the blocks that have sentences, in reading order."""
        self.body = [b for b, block in enumerate(article.blocks) if block.kind in BODY_KINDS]
        self.names = block_names(article)
        """Each block's name, by block index."""
        self._words = [len(s.text.split()) for s in sentences]

    def kind(self, i: int) -> str:
        return self.article.blocks[self.sentences[i].block].kind

    def position(self, i: int) -> dict:
        """Sentence ``i``'s place as event fields: sentence, block, kind, name (the
        block's name, as ``describe`` says it)."""
        s = self.sentences[i]
        return {"sentence": i, "block": s.block, "kind": self.kind(i), "name": self.names[s.block]}

    def describe(self, i: int) -> str:
        """The name of sentence ``i``'s block: "Paragraph 3 of 7", "Headline"."""
        return self.names[self.sentences[i].block]

    def table_shape(self, i: int) -> str | None:
        """"5 rows, 3 columns" when sentence ``i`` is in a table, else None."""
        block = self.article.blocks[self.sentences[i].block]
        return table_shape(block) if block.kind == "table" else None

    def where(self, i: int, rate: int) -> str:
        """The long answer to "where am I": block, sentence in block, percent, time left."""
        s = self.sentences[i]
        in_block = sum(1 for t in self.sentences if t.block == s.block)
        block = self.article.blocks[s.block]
        inside = f"sentence {s.index + 1} of {in_block}"
        if block.kind == "table":
            row = table_row(block, s)
            inside = f"row {row} of {len(block.rows)}" if row else "column headers"
        percent = round(100 * sum(self._words[:i]) / max(1, sum(self._words)))
        left = round(sum(self._words[i:]) * 60 / max(1, rate))
        minutes, seconds = divmod(left, 60)
        parts = [_count(minutes, "minute")] if minutes else []
        if seconds or not minutes:
            parts.append(_count(seconds, "second"))
        when = " ".join(parts)
        return f"{self.describe(i)}, {inside}, {percent} percent, about {when} left"

    def next_block(self, i: int) -> int | None:
        """The first sentence of the block after sentence ``i``'s, or None at the end."""
        later = [b for b in self.blocks if b > self.sentences[i].block]
        return self.first[later[0]] if later else None

    def previous_block(self, i: int) -> int | None:
        """The first sentence of the block before sentence ``i``'s, or None at the top."""
        earlier = [b for b in self.blocks if b < self.sentences[i].block]
        return self.first[earlier[-1]] if earlier else None

    def next_heading(self, i: int) -> int | None:
        """The first sentence of the next heading (headline or subheading) after sentence
        ``i``'s block, or None when there is none."""
        here = self.sentences[i].block
        later = [b for b in self.blocks if b > here and self.article.blocks[b].kind in HEADINGS]
        return self.first[later[0]] if later else None

    def previous_heading(self, i: int) -> int | None:
        """The first sentence of the nearest heading before sentence ``i``'s block (the
        heading of the section it is in), or None when there is none."""
        here = self.sentences[i].block
        earlier = [b for b in self.blocks if b < here and self.article.blocks[b].kind in HEADINGS]
        return self.first[earlier[-1]] if earlier else None

    def first_body(self, last: bool = False) -> int:
        """The first sentence of the first (or last) body block; any block if no body."""
        body = [b for b in self.body if b in self.first] or self.blocks
        return self.first[body[-1] if last else body[0]]

    def of_kind(self, kind: str) -> list[int]:
        """The first sentence of each block of ``kind``, in order."""
        return [self.first[b] for b in self.blocks if self.article.blocks[b].kind == kind]

    def next_of_kind(self, i: int, kind: str) -> int | None:
        """The next block of ``kind`` after sentence ``i``'s block, wrapping to the first."""
        found = self.of_kind(kind)
        here = self.sentences[i].block
        after = [j for j in found if self.sentences[j].block > here]
        if after or found:
            return (after or found)[0]
        return None

    def find(self, text: str, after: int) -> int | None:
        """The next sentence after ``after`` containing ``text`` (any case), wrapping."""
        needle, n = text.casefold(), len(self.sentences)
        for step in range(1, n + 1):
            i = (after + step) % n
            if needle in self.sentences[i].text.casefold():
                return i
        return None


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
