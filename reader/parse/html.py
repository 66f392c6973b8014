"""HTML -> Article (initial version, being replaced)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from reader.errors import ParseError
from reader.model import Article, Block


def parse_html(html: str, url: str | None = None) -> Article:
    soup = BeautifulSoup(html, "lxml")
    h1 = soup.find("h1")
    headline = h1.get_text(" ", strip=True) if h1 else None
    paras = [re.sub(r"\s+", " ", p.get_text(" ", strip=True)) for p in soup.find_all("p")]
    paras = [p for p in paras if p]
    if not paras:
        raise ParseError("the page holds no article text.")
    blocks = ([Block("headline", headline)] if headline else []) + [Block("paragraph", p) for p in paras]
    return Article(tuple(blocks), headline=headline, url=url)
