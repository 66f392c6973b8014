"""Image captions: reader against the hand-checked caption set, on two fixed halves.

    python bench/captions_split.py SHARED [--details A|B|all] [--baseline]

SHARED is the folder that holds ``data/captions/captions.json``, ``data/extraction/``
and ``eval/captions/score.py``; the pages are parsed in this process with
``reader.parse`` and scored with that harness's own matching (token F1 >= 0.8, one to
one). The pages are split into halves A and B by the SHA-256 of their id (see
``halves``), so the split never changes: rules are tuned looking at half A only, and half
B says whether they carry over. Prints, for all pages and each half, expected,
predicted and matched captions, P, R, F1, and the pages with a caption read twice
(dup), a credit read inside a caption (leak), and captions invented on pages that have
none (fp0). ``--baseline`` scores the harness's naive baseline (every figcaption,
every alt text over five words) the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import reader  # noqa: E402
from reader.errors import ReaderError  # noqa: E402


def halves(ids: list[str]) -> dict[str, str]:
    """Each page id's half, ``"A"`` or ``"B"``: the ids ordered by their SHA-256, the
    first half of that order is A. Fixed for a given set of pages."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    return {i: "A" if n < len(ranked) // 2 else "B" for n, i in enumerate(ranked)}


def load_score(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "eval/captions/score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"Error: no eval/captions/score.py under {shared}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(score, page_id: str) -> list[str]:
    html = score.read_html(score.html_path(page_id))
    try:
        return reader.parse(html, media_type="text/html").captions
    except ReaderError:
        return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("shared", type=Path)
    ap.add_argument("--details", choices=["A", "B", "all"], help="list misses and extras")
    ap.add_argument("--baseline", action="store_true", help="score the harness's naive baseline")
    args = ap.parse_args()
    score = load_score(args.shared)
    truth = json.loads((args.shared / "data/captions/captions.json").read_text("utf8"))
    half = halves([t["id"] for t in truth])
    groups: dict[str, list[tuple[dict, dict]]] = {"all": [], "A": [], "B": []}
    for t in truth:
        pred = score.baseline(t["id"]) if args.baseline else predict(score, t["id"])
        res = score.score_page(t["captions"], t["credits"], pred)
        h = half[t["id"]]
        groups["all"].append((t, res))
        groups[h].append((t, res))
        wrong = res["missed"] or res["extra"] or res["dup"] or res["leak"]
        if args.details in (h, "all") and wrong:
            flags = " ".join(f for f in ("dup", "leak") if res[f])
            print(f"{t['id'][:40]} [{h}] {flags}")
            for c in res["missed"]:
                print(f"   - missed: {c[:140]}")
            for c in res["extra"]:
                print(f"   + extra:  {c[:140]}")
    print(f"{'half':<5} {'pages':>5} {'exp':>4} {'pred':>4} {'tp':>4} {'P':>6} {'R':>6} {'F1':>6} "
          f"{'dup':>4} {'leak':>4} {'fp0':>5}")
    for name, rows in groups.items():
        tp, n_pred, n_exp = (sum(r[k] for _, r in rows) for k in ("tp", "n_pred", "n_exp"))
        p, r, f1 = score.prf(tp, n_pred, n_exp)
        neg = [r for t, r in rows if not t["captions"]]
        dup, leak = (sum(r[k] for _, r in rows) for k in ("dup", "leak"))
        fp0 = sum(1 for r in neg if r["n_pred"])
        print(f"{name:<5} {len(rows):>5} {n_exp:>4} {n_pred:>4} {tp:>4} "
              f"{p:>6.3f} {r:>6.3f} {f1:>6.3f} {dup:>4} {leak:>4} {fp0:>2}/{len(neg):<2}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
