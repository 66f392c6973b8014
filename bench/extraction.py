"""Extraction speed: ``reader.parse`` against ``trafilatura.extract`` on the same pages.

    PEERS_PYTHON bench/extraction.py --data DIR [--limit N] [--repeat R]

Runs in the peers' venv (trafilatura lives there, never in reader's dependencies) with
this checkout put first on ``sys.path``. Both extractors get the same decoded pages, in
one process. Each page is extracted by one and then the other (the order alternating
between runs), ``--repeat`` runs, and a page's time is its best run: on a shared
machine the load of other processes then falls on both alike, where timing one over
all pages and then the other compared two different loads (``--one-after-other``
still does that: best of ``--repeat`` runs over all pages each). Prints pages/s for
both and the ratio (target: reader >= 1.2x trafilatura). Then the peak memory of one
``reader.parse`` call on the largest page (tracemalloc, Python allocations: the bs4
tree and everything reader builds; lxml's C parser buffers are not counted) next to the
same for trafilatura, and the process's peak RSS.

Pages: the development sets under ``--data DIR`` (``aeb/html`` and ``wcxb/html``).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402  (peers' venv only)

import reader  # noqa: E402
from reader.errors import ReaderError  # noqa: E402


def pages(data: Path, limit: int | None) -> list[str]:
    files = sorted(data.glob("aeb/html/*.html.gz")) + sorted(data.glob("wcxb/html/*.html.gz"))
    out = []
    for f in files[:limit]:
        raw = gzip.decompress(f.read_bytes())
        out.append(raw.decode("utf-8", errors="replace"))
    return out


def run_reader(html: str) -> None:
    try:
        reader.parse(html, media_type="text/html")
    except ReaderError:
        pass  # a page with no article counts like any other


def run_trafilatura(html: str) -> None:
    trafilatura.extract(html)


def timed(fn, docs: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for html in docs:
            fn(html)
        best = min(best, time.perf_counter() - start)
    return best


def interleaved(docs: list[str], repeat: int) -> tuple[float, float]:
    """Seconds of reader and of trafilatura over all pages: each page extracted by both
    in turn, a page's time its best of ``repeat`` runs."""
    best = {run_reader: [float("inf")] * len(docs), run_trafilatura: [float("inf")] * len(docs)}
    for r in range(repeat):
        gc.collect()
        order = (run_reader, run_trafilatura) if r % 2 == 0 else (run_trafilatura, run_reader)
        for i, html in enumerate(docs):
            for fn in order:
                start = time.perf_counter()
                fn(html)
                best[fn][i] = min(best[fn][i], time.perf_counter() - start)
    return sum(best[run_reader]), sum(best[run_trafilatura])


def peak(fn, html: str) -> int:
    gc.collect()
    tracemalloc.start()
    fn(html)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data", type=Path, required=True, metavar="DIR", help="the extraction data folder"
    )
    ap.add_argument("--limit", type=int, help="first N pages only")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument(
        "--one-after-other", action="store_true",
        help="time reader over all pages, then trafilatura (best of --repeat each)",
    )  # fmt: skip
    args = ap.parse_args()
    docs = pages(args.data, args.limit)
    if not docs:
        sys.exit(f"no pages under {args.data}")
    run_reader(docs[0])  # imports and rule loading happen before the clock starts
    run_trafilatura(docs[0])
    if args.one_after_other:
        t_reader = timed(run_reader, docs, args.repeat)
        t_traf = timed(run_trafilatura, docs, args.repeat)
        how = f"best of {args.repeat} runs over all pages, one extractor after the other"
    else:
        t_reader, t_traf = interleaved(docs, args.repeat)
        how = f"each page by both in turn, its best of {args.repeat} runs"
    mb = sum(len(d.encode()) for d in docs) / 1e6
    print(f"pages: {len(docs)} ({mb:.1f} MB of HTML), {how}")
    print(f"reader.parse        {len(docs) / t_reader:7.1f} pages/s  ({t_reader:.2f} s)")
    print(f"trafilatura.extract {len(docs) / t_traf:7.1f} pages/s  ({t_traf:.2f} s)")
    print(f"ratio reader/trafilatura (speed): {t_traf / t_reader:.2f}x")
    largest = max(docs, key=len)
    print(f"largest page: {len(largest.encode()) / 1e6:.2f} MB")
    for label, fn in (("reader.parse", run_reader), ("trafilatura.extract", run_trafilatura)):
        print(f"peak Python memory, {label + ':':20} {peak(fn, largest) / 1e6:6.1f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (both extractors): {rss:.0f} MB")


if __name__ == "__main__":
    main()
