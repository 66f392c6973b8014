"""``reader sentences``: an article's sentences, numbered per block, as lines or JSON."""

from __future__ import annotations

import sys

import click

from reader.cli.spoken import lang_option, lexicon_option
from reader.model import Sentence
from reader.pipeline import prepare
from reader.safe import json_text
from reader.segment import DEFAULT_CHUNK_LIMIT, iter_spans, segment_article, segment_text
from reader.sources import load
from reader.structure import block_names


@click.command()
@click.argument("source")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: blocks with their kinds, sentences, offsets and chunks.",
)
@click.option(
    "--plain",
    is_flag=True,
    help="Take SOURCE as running text (no article parsing) and print one sentence per line.",
)
@click.option(
    "--chunk-limit",
    type=click.IntRange(20),
    default=None,
    metavar="N",
    help="Longest speech chunk in characters (default 250).",
)
@click.option(
    "--spoken",
    is_flag=True,
    help="Print what will be said for each sentence (numbers, dates, abbreviations and "
    "lexicon entries as they are read), one sentence per line.",
)
@lexicon_option
@lang_option
def sentences(
    source: str,
    as_json: bool,
    plain: bool,
    chunk_limit: int | None,
    spoken: bool,
    lexicons: tuple[str, ...],
    lang: str | None,
) -> None:
    """Print the sentences of SOURCE, numbered within each paragraph.

    With --plain, SOURCE (a file or - for standard input) is read as running text and
    each sentence is printed on one line, its inner white space collapsed. With --spoken,
    each line is what will be said, as `reader read` and `reader export` say it.
    """
    limit = chunk_limit or DEFAULT_CHUNK_LIMIT
    if spoken or lexicons:
        _print_spoken(source, plain, lexicons, limit, lang)
        return
    if plain:
        text = load(source).text
        if as_json:
            found = segment_text(text, 0, limit, lang)
            click.echo(json_text({"sentences": [_sentence(s) for s in found]}, indent=2))
            return
        lines = [" ".join(text[a:b].split()) for a, b in iter_spans(text, lang)]
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        return
    prepared = prepare(source, chunk_limit=limit, allow_empty=True, language=lang)
    article, found = prepared.article, prepared.sentences
    names = block_names(article)
    if as_json:
        per_block: list[list[dict]] = [[] for _ in article.blocks]
        for s in found:
            per_block[s.block].append(_sentence(s))
        blocks = [
            {"index": i, "kind": b.kind, "name": names[i], "text": b.text,
             "sentences": per_block[i]}
            for i, b in enumerate(article.blocks)
        ]
        click.echo(
            json_text(
                {"headline": article.headline, "url": article.url, "blocks": blocks}, indent=2
            )
        )
        return
    lines = [f"{names[s.block]}, sentence {s.index + 1}: {s.text}" for s in found]
    click.echo("\n".join(lines))


def _sentence(s: Sentence) -> dict:
    return {
        "index": s.index,
        "start": s.start,
        "end": s.end,
        "text": s.text,
        "chunks": list(s.chunks),
    }


def _print_spoken(
    source: str, plain: bool, lexicons: tuple[str, ...], limit: int, lang: str | None
) -> None:
    """One line per sentence: the words said for it, with the default profile's spoken
    settings and lexicons (the role announcements belong to the voice, not the text)."""
    from reader.model import Article, Block
    from reader.speech.profiles import profile_for
    from reader.spoken import sentence_words

    settings = profile_for(lexicons=lexicons).spoken
    if plain:
        text = " ".join(load(source).text.split())
        article = Article(blocks=(Block("paragraph", text),) if text else (), language=lang)
        found = segment_article(article, limit)
    else:
        prepared = prepare(source, chunk_limit=limit, language=lang)
        article, found = prepared.article, prepared.sentences
    lines = [" ".join(sentence_words(article, s, settings).split()) for s in found]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
