"""``reader outline``: the article's structure as plain lines or JSON."""

from __future__ import annotations

import click

from reader.model import BODY_KINDS, KIND_NAMES
from reader.pipeline import prepare
from reader.safe import json_text


@click.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of lines.")
@click.option("--whole-page", is_flag=True,
              help="All of the page's visible text, not only the article.")
def outline(source: str, as_json: bool, whole_page: bool) -> None:
    """Print the headline, summary, captions and numbered paragraphs of SOURCE."""
    article = prepare(source, allow_empty=True, whole_page=whole_page).article
    if as_json:
        click.echo(json_text(article.to_dict(), indent=2))
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
    for caption in article.captions:
        lines.append(f"Image caption: {caption}")
    body = [b for b in article.blocks if b.kind in BODY_KINDS]
    for n, block in enumerate(body, 1):
        lines.append(f"{KIND_NAMES[block.kind]} {n} of {len(body)}: {block.text}")
    click.echo("\n".join(lines))
