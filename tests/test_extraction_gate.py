"""Regression gate: the development harnesses, in-process, against pinned figures.

Scores ``reader.parse`` on the AEB and WCXB development pages with the extraction
harness's own scoring functions (imported from its file, unchanged), and fails when body
F1, headline exact or the count of pages below body F1 0.5 get worse than the figures
pinned here. The data is found through ``READER_SHARED``: the folder that holds
``data/extraction`` and ``eval/extraction/evaluate.py``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

import reader
from reader.errors import ReaderError

#: Pinned floors per dataset: body F1, headline exact (None: the set has no headlines)
#: and the most pages allowed below body F1 0.5. Raise them when the parser improves.
FLOORS = {
    "aeb": {"F1": 0.980, "head_exact": None, "miss": 0},
    "wcxb": {"F1": 0.948, "head_exact": 0.930, "miss": 3},
}

pytestmark = pytest.mark.slow


def _shared() -> Path:
    value = os.environ.get("READER_SHARED")
    if not value:
        pytest.skip("READER_SHARED is not set (the folder holding data/ and eval/)")
    shared = Path(value)
    if not (shared / "eval/extraction/evaluate.py").is_file() or not (
        shared / "data/extraction"
    ).is_dir():
        pytest.skip(f"READER_SHARED={value} holds no eval/extraction and data/extraction")
    return shared


@pytest.fixture(scope="module")
def harness():
    shared = _shared()
    saved = os.environ.get("EXTRACTION_DATA")
    os.environ["EXTRACTION_DATA"] = str(shared / "data" / "extraction")
    try:
        path = shared / "eval" / "extraction" / "evaluate.py"
        spec = importlib.util.spec_from_file_location("extraction_evaluate", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del os.environ["EXTRACTION_DATA"]
        else:
            os.environ["EXTRACTION_DATA"] = saved
    return module


def _extract(html: str, url: str | None) -> dict:
    try:
        a = reader.parse(html, url, media_type="text/html")
    except ReaderError:
        return {"headline": None, "body": "", "seconds": 0.0}
    return {"headline": a.headline, "body": "\n\n".join(a.paragraphs), "seconds": 0.0}


def assert_floors(harness, dataset: str, floor: dict, change=lambda html: html) -> None:
    """The harness's figures for reader on ``dataset``'s pages (each page's HTML through
    ``change`` first) are no worse than ``floor``."""
    pages = list(harness.load_pages(dataset))
    assert pages, f"no {dataset} pages"
    preds = [_extract(change(harness.read_html(pg["html"])), pg["url"]) for pg in pages]
    m = harness.score(pages, preds, n_boot=1)
    got = f"F1 {m['F1']:.4f}, head= {m.get('head_exact')}, F1<.5 {m['miss']}"
    assert m["F1"] >= floor["F1"], got
    if floor["head_exact"] is not None:
        assert m["head_exact"] >= floor["head_exact"], got
    assert m["miss"] <= floor["miss"], got


@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_development_pages_do_not_get_worse(harness, dataset):
    assert_floors(harness, dataset, FLOORS[dataset])
