"""Extraction quality on two fixed halves of the development pages: one to fit the
rules on, one kept unseen.

    PYTHONPATH=. python bench/extraction_split.py SHARED [--pages] [--no-peer]

SHARED is the folder that holds ``data/extraction`` (the pages) and
``eval/extraction/evaluate.py`` (the harness, whose scoring functions are used here
unchanged). Pages go to half A or B by a hash of their id, so the split never changes
and needs no list. Prints, per dataset and half, body F1, headline exact and the count
of pages below body F1 0.5 for ``reader.parse`` in-process and, when it is importable
(run with the peers' Python), for trafilatura. ``--pages`` lists reader's pages below
F1 0.5 with their confidence and reasons. Last, the table of reader's low-confidence
flags against the pages below F1 0.5, per half.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import zlib
from pathlib import Path
from types import ModuleType

import reader
from reader.errors import ReaderError
from reader.parse.confidence import LOW


def half(page_id: str) -> str:
    """"A" (fit on it) or "B" (unseen), fixed by the page id."""
    return "AB"[zlib.crc32(page_id.encode()) % 2]


def harness(shared: Path) -> ModuleType:
    """The extraction harness module, reading pages from ``shared``."""
    os.environ["EXTRACTION_DATA"] = str(shared / "data" / "extraction")
    path = shared / "eval" / "extraction" / "evaluate.py"
    spec = importlib.util.spec_from_file_location("extraction_evaluate", path)
    if spec is None or spec.loader is None:
        sys.exit(f"no harness at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_reader(html: str, url: str | None = None) -> dict:
    """reader's answer in the harness's shape, plus its confidence and reasons."""
    try:
        a = reader.parse(html, url, media_type="text/html")
    except ReaderError:
        return dict(headline=None, body="", confidence=0.0, reasons=("no article text",))
    return dict(headline=a.headline, body="\n\n".join(a.paragraphs),
                confidence=a.confidence, reasons=a.warnings)


def page_f1(ev: ModuleType, truth: str, body: str) -> float:
    tp, fp, fn = ev.aeb_page(truth, body)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared", type=Path)
    ap.add_argument("--pages", action="store_true", help="list reader's pages below F1 0.5")
    ap.add_argument("--no-peer", action="store_true", help="reader only")
    args = ap.parse_args()
    ev = harness(args.shared)
    extractors = {"reader": run_reader}
    if not args.no_peer:
        try:
            extractors["trafilatura"] = ev.make_trafilatura()
        except ImportError:
            pass
    print(f"{'extractor':<12} {'data':<5} half {'n':>4} {'F1':>6} {'head=':>6} {'F1<.5':>6}")
    misses = []
    # (half, flagged, below 0.5) -> pages, for reader's confidence-flag table.
    flags: dict[tuple[str, bool, bool], int] = {}
    for ds in ("aeb", "wcxb"):
        pages = list(ev.load_pages(ds))
        for name, extract in extractors.items():
            preds = []
            for pg in pages:
                pred = extract(ev.read_html(pg["html"]), pg["url"])
                pred["body"] = pred.get("body") or ""
                pred["seconds"] = 0.0
                preds.append(pred)
                if name == "reader":
                    bad = page_f1(ev, pg["body"], pred["body"]) < 0.5
                    cell = (half(pg["id"]), pred["confidence"] < LOW, bad)
                    flags[cell] = flags.get(cell, 0) + 1
                    if bad:
                        misses.append((pg["id"], half(pg["id"]), pred))
            for h in "AB":
                pick = [i for i, pg in enumerate(pages) if half(pg["id"]) == h]
                m = ev.score([pages[i] for i in pick], [preds[i] for i in pick], n_boot=1)
                head = f"{m['head_exact']:.3f}" if "head_exact" in m else "n/a"
                label = "fit" if h == "A" else "unseen"
                print(f"{name:<12} {ds:<5} {h} {label:<6} {m['n']:>4} {m['F1']:.3f} {head:>6}"
                      f" {m['miss']:>6}", flush=True)
    print(f"\nreader's low-confidence flag (confidence < {LOW}) against body F1 < 0.5, "
          "both datasets:")
    print(f"{'half':<9} {'':<12} {'F1<.5':>6} {'F1>=.5':>7}")
    for h in "AB":
        for flagged in (True, False):
            label = "flagged" if flagged else "not flagged"
            print(f"{h + (' fit' if h == 'A' else ' unseen'):<9} {label:<12}"
                  f" {flags.get((h, flagged, True), 0):>6} {flags.get((h, flagged, False), 0):>7}")
    if args.pages:
        for page_id, h, pred in misses:
            print(f"{page_id} half {h} confidence {pred['confidence']:.2f} {list(pred['reasons'])}")


if __name__ == "__main__":
    main()
