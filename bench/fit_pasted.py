"""Fit the line model of pasted text (``reader/data/pasted_model.json``) on half A of the pages.

    python bench/fit_pasted.py DATA_DIR EVAL_DIR [--out reader/data/pasted_model.json]
                               [--headline-only]

DATA_DIR holds the pasted pages and ``truth.json``; EVAL_DIR the extraction harness,
whose page scoring picks the threshold. Only pages of half A (``pasted_split.half``) are
read for fitting. Labels come from the ground truth: a line is body when most of its
words fall in 4-word runs of the true body (a line under four words: when it occurs in
the true body and lies between body lines); the headline is the line whose words are
the true headline's, or are once trimmed of a site's name after " | " (as reader reads
it). Two logistic regressions (numpy, Newton steps, L2) score lines: the first from the
lines' own features, the second adds the first's scores around each line,
taken from models fitted on the other folds so that it learns from honest scores. A third
ranks headline candidates (``reader.parse.lines_headline``; its accuracy on held-out folds
of A is printed, what its columns and L2 were chosen by). ``--headline-only`` refits the
ranker alone and keeps the line model and threshold already in ``--out``. numpy is only
needed here, never when reader runs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pasted_split import half, load_truth  # noqa: E402

from reader.parse import lines, lines_headline  # noqa: E402
from reader.parse.assemble import key  # noqa: E402

WORD = re.compile(r"\w+")
FOLDS = 4


def body_labels(us: list[lines.Unit], body: str) -> list[int]:
    truth = WORD.findall(body.lower())
    grams = {tuple(truth[i : i + 4]) for i in range(len(truth) - 3)}
    joined = " " + " ".join(truth) + " "
    long_label: list[int | None] = []
    for u in us:
        toks = WORD.findall(u.text.lower())
        if len(toks) >= 4:
            covered = [False] * len(toks)
            for i in range(len(toks) - 3):
                if tuple(toks[i : i + 4]) in grams:
                    covered[i : i + 4] = [True] * 4
            long_label.append(int(sum(covered) >= 0.5 * len(toks)))
        else:
            long_label.append(None)
    body_idx = [i for i, v in enumerate(long_label) if v]
    lo, hi = (body_idx[0], body_idx[-1]) if body_idx else (1, 0)
    out = []
    for i, u in enumerate(us):
        if long_label[i] is not None:
            out.append(long_label[i] or 0)
            continue
        toks = WORD.findall(u.text.lower())
        out.append(int(bool(toks) and lo <= i <= hi and f" {' '.join(toks)} " in joined))
    return out


def fit_lr(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 25) -> list[float]:
    """Logistic regression by Newton steps on standardised columns; the weights are
    returned for the raw columns, intercept first."""
    mu, sd = x.mean(0), x.std(0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    reg = l2 * np.eye(z.shape[1])
    reg[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        g = z.T @ (p - y) + reg @ w
        h = (z * (p * (1 - p))[:, None]).T @ z + reg
        w -= np.linalg.solve(h, g)
    raw = w[1:] / sd
    return [float(w[0] - (raw * mu).sum())] + [float(v) for v in raw]


def fit_headline(pages: list[dict], threshold: float) -> list[float]:
    """Rank the headline candidates of each page, with the body as the honest scores find it."""
    x, y = [], []
    found = total = 0
    for p in pages:
        # A headline of several lines (kicker, title, deck) is found as a whole or by a line.
        head = p["truth"]["headline"] or ""
        want = {key(t) for t in [head, *head.splitlines()]} - {""}
        if not want:
            continue
        total += 1
        body = [s >= threshold for s in p["p2"]]
        a = lines_headline.anchors(p["units"], p["p2"], body)
        if a is None:
            continue
        cands = lines_headline.candidates(p["units"], a)
        # A page title's line ("Title | Site") is the headline too: reader reads it trimmed.
        labels = [
            int(bool({key(t), key(lines_headline.trim(t))} & want))
            for t in (p["units"][i].text for i in cands)
        ]
        if not any(labels):
            continue
        found += 1
        c = lines_headline.context(p["units"], p["feats"], p["p2"], body, a)
        x.append([lines_headline.features(c, i) for i in cands])
        y.append([k for k, v in enumerate(labels) if v])
    print(f"headline among the candidates on {found} of {total} pages", file=sys.stderr)
    # Held-out folds of A: how often the ranker picks the headline on pages it was not
    # fitted on (out of all pages with a headline; what its columns and L2 were chosen by).
    hits = 0
    for k in range(FOLDS):
        w = fit_ranker([g for i, g in enumerate(x) if i % FOLDS != k],
                       [g for i, g in enumerate(y) if i % FOLDS != k], quiet=True)
        for g, ks in zip(x[k::FOLDS], y[k::FOLDS], strict=True):
            hits += max(range(len(g)), key=lambda j: lines_headline.score(w, g[j])) in ks
    print(f"headline ranker on held-out folds of A: {hits} of {total} pages right "
          f"({hits / total:.3f})", file=sys.stderr)
    return fit_ranker(x, y)


def fit_ranker(
    groups: list[list[list[float]]], picks: list[list[int]], l2: float = 0.05, quiet: bool = False
) -> list[float]:
    """Conditional logit: a softmax over each page's candidates (the headline may be any of
    the lines in ``picks``: a page can show it twice), fitted by gradient steps (Adam) on
    standardised columns; weights for the raw columns, intercept (0) first."""
    allx = np.array([row for g in groups for row in g], dtype=float)
    mu, sd = allx.mean(0), allx.std(0)
    sd[sd == 0] = 1.0
    xs = [(np.array(g, dtype=float) - mu) / sd for g in groups]
    w = np.zeros(allx.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, 1501):
        grad = l2 * w * len(xs)
        for x, ks in zip(xs, picks, strict=True):
            z = x @ w
            e = np.exp(z - z.max())
            p = e / e.sum()
            q = np.zeros_like(p)
            q[ks] = p[ks] / p[ks].sum()
            grad += x.T @ (p - q)
        grad /= len(xs)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    hits = sum(int(np.argmax(x @ w) in ks) for x, ks in zip(xs, picks, strict=True))
    if not quiet:
        print(
            f"headline ranker: {hits} of {len(xs)} right on the pages it was fitted on",
            file=sys.stderr,
        )
    return [0.0] + [float(a) for a in w / sd]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("data", type=Path)
    ap.add_argument("eval", type=Path)
    ap.add_argument("--out", type=Path, default=lines.MODEL_FILE)
    ap.add_argument(
        "--headline-only",
        action="store_true",
        help="refit only the headline ranker; keep the line model and threshold of --out",
    )
    args = ap.parse_args()
    sys.path.insert(0, str(args.eval))
    from evaluate import aeb_page, aeb_scores

    truth = load_truth(args.data)
    names = [n for n in sorted(truth) if half(n) == "A"]
    pages = []
    for n in names:
        us = lines.units((args.data / n).read_text(encoding="utf-8"))
        if not us:
            continue
        pages.append(
            dict(
                name=n,
                units=us,
                feats=lines.features(us),
                y=body_labels(us, truth[n]["body"]),
                truth=truth[n],
            )
        )
    print(
        f"{len(pages)} pages of half A, {sum(len(p['units']) for p in pages)} lines",
        file=sys.stderr,
    )

    def stack(ps: list[dict], key: str) -> np.ndarray:
        return np.array([row for p in ps for row in p[key]], dtype=float)

    def ys(ps: list[dict]) -> np.ndarray:
        return np.array([v for p in ps for v in p["y"]], dtype=float)

    # Honest first-pass scores for the second pass: each fold scored by a model fitted on
    # the others.
    for k in range(FOLDS):
        train = [p for i, p in enumerate(pages) if i % FOLDS != k]
        w1 = fit_lr(stack(train, "feats"), ys(train))
        for i, p in enumerate(pages):
            if i % FOLDS == k:
                p["p1"] = lines.first_pass(p["feats"], w1)
    for p in pages:
        p["second"] = [x + c for x, c in zip(p["feats"], lines.context(p["p1"]), strict=False)]
    # Honest second-pass scores too, to choose the threshold.
    for k in range(FOLDS):
        train = [p for i, p in enumerate(pages) if i % FOLDS != k]
        w2 = fit_lr(stack(train, "second"), ys(train))
        for i, p in enumerate(pages):
            if i % FOLDS == k:
                p["p2"] = [lines._logistic(w2, x) for x in p["second"]]
    first = fit_lr(stack(pages, "feats"), ys(pages))
    second = fit_lr(stack(pages, "second"), ys(pages))

    if args.headline_only:
        model = json.loads(args.out.read_text(encoding="utf-8"))
        model["headline"] = fit_headline(pages, model["threshold"])
        args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"refitted the headline ranker only; wrote {args.out}", file=sys.stderr)
        return
    best = (0.0, 0.5)
    for t in [i / 20 for i in range(2, 19)]:
        triples = [
            aeb_page(
                p["truth"]["body"],
                "\n\n".join(u.text for u, s in zip(p["units"], p["p2"], strict=False) if s >= t),
            )
            for p in pages
        ]
        f1 = aeb_scores(triples)[2]
        print(f"threshold {t:.2f}: F1 {f1:.4f}", file=sys.stderr)
        best = max(best, (f1, t))
    headline = fit_headline(pages, best[1])
    model = dict(
        about="Line model of pasted text, fitted by bench/fit_pasted.py on half A.",
        threshold=best[1],
        first=first,
        second=second,
        headline=headline,
    )
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(
        f"threshold {best[1]} (F1 {best[0]:.4f} on held-out folds of A); wrote {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
