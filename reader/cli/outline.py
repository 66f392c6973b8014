"""``reader outline``: the article's structure as plain lines or JSON."""

from __future__ import annotations

import click

from reader.model import BODY_KINDS, Block
from reader.pipeline import prepare
from reader.safe import json_text
from reader.structure import block_names, table_shape


@click.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of lines.")
@click.option("--whole-page", is_flag=True,
              help="All of the page's visible text, not only the article.")
def outline(source: str, as_json: bool, whole_page: bool) -> None:
    """Print the headline, summary, captions, numbered paragraphs, headings and tables of
    SOURCE; each block named as `reader read` and the exports name it."""
    article = prepare(source, allow_empty=True, whole_page=whole_page).article
    names = block_names(article)
    if as_json:
        data = article.to_dict()
        for block, name in zip(data["blocks"], names, strict=True):
            block["name"] = name
        click.echo(json_text(data, indent=2))
        return
    lines = []
    if article.headline:
        lines.append(f"Headline: {article.headline}")
    if article.byline:
        lines.append(f"By: {article.byline}")
    if article.published:
        lines.append(f"Published: {article.published}")
    if article.summary:
        lines.append(f"Summary: {article.summary}")
    blocks = list(zip(article.blocks, names, strict=True))
    lines += [_line(b, name) for b, name in blocks if b.kind == "caption"]
    lines += [_line(b, name) for b, name in blocks if b.kind in BODY_KINDS]
    click.echo("\n".join(lines))


def _line(block: Block, name: str) -> str:
    if block.kind == "table":
        rows = "\n".join(f"  {line}" for line in block.text.splitlines())
        return f"{name} ({table_shape(block)}):\n{rows}"
    return f"{name}: {block.text}"
