"""Pasted text, scored on the half the line model was fitted on and on the unseen half.

    python bench/pasted_split.py DATA_DIR EVAL_DIR [--save preds.jsonl] [--worst N]

DATA_DIR holds the pasted pages (``<dataset>-<id>.txt``) and ``truth.json``; EVAL_DIR is
the folder of the extraction harness (its ``evaluate.py`` provides the scoring). Pages
are split in two halves by a hash of the file name (``half``); ``bench/fit_pasted.py``
fits on half A only. Runs ``reader.parse`` in process on every page and prints one row
per half and one for all pages, with the harness's columns (body P/R/F1, headline exact
match, F1<.5 pages) and the milliseconds per page; last, per half, how many pages the
low-confidence flag marks among those below body F1 0.5 and among the others.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def half(name: str) -> str:
    """``"A"`` (fitted on) or ``"B"`` (unseen), from a hash of the page's file name."""
    return "A" if zlib.crc32(name.encode("utf-8")) % 2 == 0 else "B"


def load_truth(data: Path) -> dict[str, dict]:
    truth: dict[str, dict] = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    return truth


def predict(text: str) -> dict:
    import reader
    from reader.errors import ReaderError

    t0 = time.perf_counter()
    try:
        a = reader.parse(text, media_type="text/plain")
        out = dict(headline=a.headline, body="\n\n".join(a.paragraphs), error=None,
                   confidence=a.confidence)
    except ReaderError as e:
        out = dict(headline=None, body="", error=str(e), confidence=0.0)
    out["seconds"] = time.perf_counter() - t0
    return out


def _f1(triple: tuple[float, float, float]) -> float:
    tp, fp, fn = triple
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("data", type=Path, help="folder of pasted pages and truth.json")
    ap.add_argument("eval", type=Path, help="folder of the extraction harness (evaluate.py)")
    ap.add_argument("--save", help="write per-page predictions and F1 to this JSONL file")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages of each half")
    args = ap.parse_args()
    sys.path.insert(0, str(args.eval))
    from evaluate import COLS, aeb_page, fmt_row, score

    truth = load_truth(args.data)
    names = sorted(truth)
    gold = {
        n: dict(body=truth[n]["body"], headline=truth[n]["headline"], supplemental=None)
        for n in names
    }
    preds = {n: predict((args.data / n).read_text(encoding="utf-8")) for n in names}
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            for n in names:
                f.write(
                    json.dumps(dict(file=n, half=half(n), **preds[n]), ensure_ascii=False) + "\n"
                )
    print(f"{'pasted':<14} {'half':<5} " + " ".join(f"{h:>7}" for _, h, _ in COLS) + "  ms/page")
    for label, group in (("A fit", "A"), ("B new", "B"), ("all", None)):
        sel = [n for n in names if group is None or half(n) == group]
        m = score([gold[n] for n in sel], [preds[n] for n in sel], n_boot=100)
        ms = 1000 * sum(preds[n]["seconds"] for n in sel) / len(sel)
        print(fmt_row("reader", label, m) + f"  {ms:7.1f}")
    from reader.parse.confidence import LOW

    print(f"\nlow-confidence flag (confidence < {LOW}) against body F1 < 0.5:")
    print(f"{'half':<6} {'flagged/F1<.5':>14} {'flagged/F1>=.5':>15}")
    for group in ("A", "B"):
        sel = [n for n in names if half(n) == group]
        bad = {n for n in sel if _f1(aeb_page(gold[n]["body"], preds[n]["body"])) < 0.5}
        flagged = {n for n in sel if preds[n]["confidence"] < LOW}
        print(f"{group:<6} {len(bad & flagged):>6} of {len(bad):<5} "
              f"{len(flagged - bad):>6} of {len(sel) - len(bad):<5}")
    for group in ("A", "B") if args.worst else ():
        sel = [n for n in names if half(n) == group]
        f1 = {n: aeb_page(gold[n]["body"], preds[n]["body"]) for n in sel}
        page_f1 = {n: _f1(t) for n, t in f1.items()}
        for n in sorted(sel, key=page_f1.get)[: args.worst]:
            print(f"{group} {page_f1[n]:.3f} {n} head={preds[n]['headline']!r:.60}")


if __name__ == "__main__":
    main()
