"""Plain text copied out of a page -> Article (initial version, being replaced)."""

from __future__ import annotations

import re

from reader.errors import ParseError
from reader.model import Article, Block


def parse_text(text: str, url: str | None = None) -> Article:
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    paras = [p for p in paras if p]
    if not paras:
        raise ParseError("the text holds no article.")
    blocks = [Block("headline", paras[0])] + [Block("paragraph", p) for p in paras[1:]]
    return Article(tuple(blocks), headline=paras[0], url=url)
