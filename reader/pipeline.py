"""The read path, once: a source loaded, parsed into an ``Article`` and segmented.

Every command that speaks or prints an article starts here, and so does ``reader read
--or-export``: the export fallback reuses the ``Prepared`` article the listener had,
so a URL is fetched once and standard input is read once.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.errors import ParseError
from reader.model import Article, Sentence
from reader.sources import Source, load


@dataclass(frozen=True)
class Prepared:
    """One article ready to speak: where it came from, its blocks and its sentences."""

    source: Source
    """The decoded input (its ``key`` names the article for resume state)."""
    article: Article
    sentences: list[Sentence]
    """``segment_article(article)``: what is spoken, in order."""
    whole_page: bool = False
    """The article is all of the page's text, not the article reader found in it."""
    language: str | None = None
    """The language it was forced to (``--lang``), kept for preparing it again."""

    @property
    def key(self) -> str:
        """The name the listener's place is kept under: the source's, and another one
        for its whole page (whose sentences are not the article's)."""
        return self.source.key + ("#whole-page" if self.whole_page else "")


def load_article(source: str | Source, *, whole_page: bool = False) -> tuple[Source, Article]:
    """Load ``source`` (a path, ``-`` or a URL; or an already loaded ``Source``) and
    parse it (``whole_page``: all of a web page's visible text, not just its article).
    Raises the source and parse errors."""
    from reader.parse import parse

    loaded = source if isinstance(source, Source) else load(source)
    article = parse(
        loaded.text,
        url=loaded.url,
        media_type=loaded.media_type,
        whole_page=whole_page,
        language=loaded.language,
    )
    return loaded, article


def prepare(
    source: str | Source,
    *,
    chunk_limit: int | None = None,
    allow_empty: bool = False,
    whole_page: bool = False,
    language: str | None = None,
) -> Prepared:
    """``load_article``, then split the article into sentences (speech chunks of at most
    ``chunk_limit`` characters). Raises ``ParseError`` when there is nothing to speak,
    unless ``allow_empty`` (for commands that only print). ``language`` (a code checked
    by ``reader.language.check_code``) forces the article's language: every block is read
    in it, whatever the page declares or the text looks like."""
    from reader.segment import DEFAULT_CHUNK_LIMIT, segment_article

    loaded, article = load_article(source, whole_page=whole_page)
    if language:
        from reader.language import forced

        article = forced(article, language)
    sentences = segment_article(article, chunk_limit or DEFAULT_CHUNK_LIMIT)
    if not sentences and not allow_empty:
        raise ParseError("the article has no sentences to speak.")
    return Prepared(loaded, article, sentences, whole_page, language)
