"""Chapter titles: each block's role and its first words, so a listener knows where a jump lands."""

from __future__ import annotations

from reader.model import KIND_NAMES, Block

#: Kinds that are numbered in titles ("Paragraph 3: ..."): there are usually many.
NUMBERED = frozenset({"paragraph", "caption", "list_item", "quote", "subheading"})

FIRST_WORDS = 8


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The first ``count`` words of ``text``, with an ellipsis when there are more."""
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def chapter_title(block: Block, number: int) -> str:
    """``Headline: ...``, ``Image caption 1: ...``, ``Paragraph 3: ...``.

    ``number`` counts blocks of the same kind from 1.
    """
    role = KIND_NAMES[block.kind]
    if block.kind in NUMBERED:
        role = f"{role} {number}"
    return f"{role}: {first_words(block.text)}"
