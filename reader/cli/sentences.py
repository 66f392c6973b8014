"""``reader sentences``: an article's sentences, numbered per block, as lines or JSON."""

from __future__ import annotations

import json
import sys

import click

from reader.model import BODY_KINDS, KIND_NAMES, Sentence
from reader.pipeline import prepare
from reader.segment import DEFAULT_CHUNK_LIMIT, iter_spans, segment_text
from reader.sources import load


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
def sentences(source: str, as_json: bool, plain: bool, chunk_limit: int | None) -> None:
    """Print the sentences of SOURCE, numbered within each paragraph.

    With --plain, SOURCE (a file or - for standard input) is read as running text and
    each sentence is printed on one line, its inner white space collapsed.
    """
    limit = chunk_limit or DEFAULT_CHUNK_LIMIT
    if plain:
        text = load(source).text
        if as_json:
            found = segment_text(text, 0, limit)
            click.echo(
                json.dumps(
                    {"sentences": [_sentence(s) for s in found]}, ensure_ascii=False, indent=2
                )
            )
            return
        lines = [" ".join(text[a:b].split()) for a, b in iter_spans(text)]
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        return
    prepared = prepare(source, chunk_limit=limit, allow_empty=True)
    article, found = prepared.article, prepared.sentences
    if as_json:
        per_block: list[list[dict]] = [[] for _ in article.blocks]
        for s in found:
            per_block[s.block].append(_sentence(s))
        blocks = [
            {"index": i, "kind": b.kind, "text": b.text, "sentences": per_block[i]}
            for i, b in enumerate(article.blocks)
        ]
        click.echo(
            json.dumps(
                {"headline": article.headline, "url": article.url, "blocks": blocks},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    numbers: list[int] = []  # each block's number among the blocks of its kind
    counts: dict[str, int] = {}
    for block in article.blocks:
        counts[block.kind] = counts.get(block.kind, 0) + 1
        numbers.append(counts[block.kind])
    lines = []
    for s in found:
        kind = article.blocks[s.block].kind
        label = KIND_NAMES[kind]
        if kind in BODY_KINDS or counts[kind] > 1:  # "Headline 1" would be noise
            label = f"{label} {numbers[s.block]}"
        lines.append(f"{label}, sentence {s.index + 1}: {s.text}")
    click.echo("\n".join(lines))


def _sentence(s: Sentence) -> dict:
    return {
        "index": s.index,
        "start": s.start,
        "end": s.end,
        "text": s.text,
        "chunks": list(s.chunks),
    }
