"""Regression gate for sites reader has never seen: the development pages with every
class and id name replaced by a meaningless token (``bench/unmarked.py``), against
pinned figures, so that rules which only read class names cannot hide a loss of the
general signals. Data through ``READER_SHARED`` as in tests/test_extraction_gate.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.test_extraction_gate import assert_floors, harness  # noqa: F401  (fixture)

BENCH = Path(__file__).resolve().parents[1] / "bench" / "unmarked.py"

#: Pinned floors on the unmarked pages: body F1, headline exact, most pages below F1 0.5.
FLOORS = {
    "aeb": {"F1": 0.968, "head_exact": None, "miss": 0},
    "wcxb": {"F1": 0.941, "head_exact": 0.925, "miss": 3},
}


def _unmark():
    spec = importlib.util.spec_from_file_location("bench_unmarked", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    path = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = path  # the bench puts the checkout first; leave sys.path as it was
    return module.unmark


def test_unmark_keeps_structure_and_drops_names():
    unmark = _unmark()
    html = ("<div class='post entry' id=main><p class=\"entry\" itemprop='articleBody' "
            "role=main title='a > b'>class=\"comments\"</p><span id='main'></span></div>")
    out = unmark(html)
    assert "post" not in out and "main\"" not in out and "'main'" not in out
    # The same name gets the same token; text, roles, itemprop and other attributes stay.
    assert out.count("c0z") == 1 and "class=\"c0z c1z\"" in out
    assert '<p class="c1z"' in out and out.count('id="i2z"') == 2
    assert "itemprop='articleBody'" in out and "role=main" in out and "title='a > b'" in out
    assert 'class="comments"</p>' in out  # text that looks like markup is text


@pytest.mark.slow
@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_unmarked_development_pages_do_not_get_worse(harness, dataset):  # noqa: F811
    assert_floors(harness, dataset, FLOORS[dataset], _unmark())
