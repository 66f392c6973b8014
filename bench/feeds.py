"""Feeds at scale: what a large feed costs to read, and what fetching a few pages at once
gains over one at a time.

    .venv/bin/python bench/feeds.py [--entries 100,1000,10000] [--pages 24] [--delay 0.2]

Feeds are RSS 2.0 made here (each entry a title, a link, a date and a summary) and
served from 127.0.0.1; nothing reaches beyond it. For each size, in a fresh process:
feedparser's own parse of the bytes (the floor), then ``reader.feeds.gather`` (fetch,
parse, dates, duplicates, the newest ``MAX_ENTRIES``), with seconds and the process's
peak resident memory. Then ``--pages`` article pages, each answered after ``--delay``
seconds, fetched through ``reader.feeds.fetch_all`` one at a time and
``CONNECTIONS`` at a time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.feedsite import Site, rss  # noqa: E402
from tests.support import send  # noqa: E402

MEASURE = r"""
import io, re, sys, time
import httpx
url, how = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if how == "feedparser":
    import feedparser
    data = httpx.get(url).content
    t = time.perf_counter()
    n = len(feedparser.parse(io.BytesIO(data)).entries)
else:
    from reader import feeds
    n = len(feeds.gather([url]).items)
took = time.perf_counter() - t
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across exec on Linux.
hwm = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1))
print(n, took, hwm / 1024)
"""


def measure(url: str, how: str) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", MEASURE, url, how], capture_output=True,
                         text=True, check=True, timeout=600, cwd=ROOT).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", default="100,1000,10000")
    ap.add_argument("--pages", type=int, default=24)
    ap.add_argument("--delay", type=float, default=0.2)
    args = ap.parse_args()
    from reader import feeds

    with Site() as site:
        print(f"{'entries':>8} {'KB':>6} | {'feedparser s':>12} {'MB':>5} | "
              f"{'reader gather s':>15} {'MB':>5} {'taken':>5}")
        for n in (int(x) for x in args.entries.split(",")):
            items = [{"title": f"Entry {k}", "link": f"{site.base}/e/{k}",
                      "summary": "A short summary of the entry.", **site.item(k % 8 + 1)}
                     for k in range(n)]
            for k, it in enumerate(items):
                it["link"] = f"{site.base}/e/{k}"
            body = rss("Archive", items)
            url = site.route(f"/feed{n}", send(body, "application/rss+xml"))
            _, fp_s, fp_mb = measure(url, "feedparser")
            taken, r_s, r_mb = measure(url, "reader")
            print(f"{n:>8} {len(body) // 1024:>6} | {fp_s:>12.2f} {fp_mb:>5.0f} | "
                  f"{r_s:>15.2f} {r_mb:>5.0f} {taken:>5}")
    with Site(articles=args.pages, delay=args.delay) as site:
        pages = [feeds.Item(f"{site.base}/a/{k}") for k in range(1, args.pages + 1)]
        print(f"\n{args.pages} pages answered after {args.delay} s each:")
        for connections in (1, feeds.CONNECTIONS):
            site.in_flight_max = 0
            t = time.perf_counter()
            got = list(feeds.fetch_all(pages, connections=connections))
            ok = sum(not isinstance(s, Exception) for _, s in got)
            print(f"  {connections} at once: {time.perf_counter() - t:.2f} s, {ok} fetched, "
                  f"at most {site.in_flight_max} in flight")


if __name__ == "__main__":
    main()
