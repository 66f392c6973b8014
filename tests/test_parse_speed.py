"""The parser's faster ways give what the plain ones give: the same bs4 tree."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reader.parse.html import strip_unread, tree

ODD = (
    '<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" xmlns:og="http://ogp.me/ns#" '
    'lang="en"><head><meta property="og:title" content="T"><title>A &amp; B</title></head>'
    '<body class="x y"><svg:rect xlink:href="#a"/><p {{bad}}="1" data-x=\'2\' hidden>one '
    "<b>two</b><br>three<p>unclosed<div><o:p>office</o:p><fb:like href='u'></fb:like>"
    "<table><tr><td>cell<td>next</table><!-- note --><p>é &nbsp; <i class=''>x</i></body>"
    "</html><p>after the end</p>"
)


def _same(html: str) -> None:
    want = BeautifulSoup(html, "lxml", multi_valued_attributes=None)
    got = tree(html)
    assert got.decode() == want.decode()
    assert [(t.name, t.attrs, t.namespace, t.prefix) for t in got.find_all(True)] == [
        (t.name, t.attrs, t.namespace, t.prefix) for t in want.find_all(True)
    ]
    assert [str(s) for s in got.find_all(string=True)] == [
        str(s) for s in want.find_all(string=True)
    ]


def test_the_tree_is_bs4s_own_on_odd_markup(seed_html):
    _same(ODD)
    _same(seed_html.read_text(encoding="utf-8"))
    _same(strip_unread(seed_html.read_text(encoding="utf-8")))


def test_a_bs4_whose_builder_differs_still_gives_the_tree(monkeypatch, seed_html):
    from reader.parse import html as module

    def changed(self, *args):  # as a bs4 release that renamed the builder's insides would
        raise AttributeError("'_Builder' object has no attribute 'nsmaps'")

    monkeypatch.setattr(module._Builder, "start", changed)
    _same(seed_html.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_tree_is_bs4s_own_on_the_development_pages():
    shared = os.environ.get("READER_SHARED")
    folder = Path(shared or "") / "data" / "extraction"
    if not shared or not folder.is_dir():
        pytest.skip("READER_SHARED is not set or holds no data/extraction")
    pages = sorted(folder.glob("*/html/*.html.gz"))[::8]
    assert pages
    for page in pages:
        _same(strip_unread(gzip.decompress(page.read_bytes()).decode("utf-8", "replace")))
