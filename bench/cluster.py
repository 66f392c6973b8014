"""Benchmark ``reader export --cluster`` against the local ``-j 2`` batch; prints figures.

    python bench/cluster.py [--count 100] [--words 750] [--engine pyttsx3] [--neural-rtf 20]

N articles of about ``--words`` words (750 words is some five minutes of speech), made
from the seed article's paragraphs with every sentence numbered so no two are alike,
are exported to MP3 three ways, each a real ``reader`` process timed from start to exit:

1. ``-j 2``: the local batch on two processes;
2. ``--cluster local:2``: a local Dask cluster of two workers that reader starts and stops;
3. ``--cluster tcp://...``: a cluster of two workers started beforehand by this bench,
   as a service keeps one running (warmed by a batch of 4 short articles, so reader is
   imported in its workers, as after a service's first batch).

It prints the cluster's overhead against ``-j 2`` (target: at most 15%), the seconds of
work per article and the real-time factor per core, and with those a sizing on paper:
how many one-core workers turn 5,000 five-minute articles into audio in one hour, with
the engine measured and with the neural voice at ``--neural-rtf`` times real time per
core (the issue's figure; measure it with ``--engine piper`` where Piper is installed).
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READER = str(Path(sys.executable).with_name("reader"))
NIGHT_ARTICLES, ARTICLE_SECONDS, HOUR = 5000, 300, 3600


def seed_sentences() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from reader import parse_source

    article = parse_source(str(ROOT / "reader" / "data" / "mali.html"))
    text = " ".join(b.text for b in article.blocks if b.kind == "paragraph")
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3]


def make_articles(folder: Path, count: int, words: int) -> None:
    """``count`` articles of about ``words`` words; every sentence differs (a number in
    it), so no rendering is a repeat of another."""
    sentences, k = seed_sentences(), 0
    for i in range(count):
        paras, para, n = [f"Article {i + 1} of the night"], [], 0
        while n < words:
            s = f"Item {k}: {sentences[k % len(sentences)]}"
            k += 1
            para.append(s)
            n += len(s.split())
            if len(para) == 4:
                paras.append(" ".join(para))
                para = []
        paras += [" ".join(para)] if para else []
        (folder / f"article{i:03d}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")


def run(args: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run([READER, *args], capture_output=True, text=True)
    took = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"reader {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return took, proc.stdout.strip().splitlines()[-1]


def audio_seconds(folder: Path) -> float:
    from mutagen.mp3 import MP3

    return sum(MP3(p).info.length for p in folder.glob("*.mp3"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100, help="articles (default 100)")
    ap.add_argument("--words", type=int, default=750, help="words per article (default 750)")
    ap.add_argument("--engine", default="pyttsx3", help="speech engine (default pyttsx3)")
    ap.add_argument("--neural-rtf", type=float, default=20.0,
                    help="the neural voice's real-time factor per core (default 20)")
    opts = ap.parse_args()
    from distributed import LocalCluster

    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-cluster-"))
    try:
        src = tmp / "in"
        src.mkdir()
        make_articles(src, opts.count, opts.words)
        common = ["export", str(src), "--engine", opts.engine]
        print(f"{opts.count} articles of about {opts.words} words, engine {opts.engine}")
        local_s, said = run([*common, "--out-dir", str(tmp / "local"), "-j", "2"])
        print(f"  -j 2:                  {local_s:7.1f} s   ({said})")
        start_s, said = run([*common, "--out-dir", str(tmp / "started"), "--cluster", "local:2"])
        print(f"  --cluster local:2:     {start_s:7.1f} s   ({said})")
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
        try:  # a service's workers have run articles before: reader is imported there
            warm = tmp / "warm"
            warm.mkdir()
            make_articles(warm, 4, 40)
            run(["export", str(warm), "--engine", opts.engine, "--out-dir", str(tmp / "w"),
                 "--cluster", cluster.scheduler_address])
            warm_s, said = run([*common, "--out-dir", str(tmp / "running"), "--cluster",
                                cluster.scheduler_address])
        finally:
            cluster.close()
        print(f"  --cluster (running):   {warm_s:7.1f} s   ({said})")
        audio = audio_seconds(tmp / "local")
        for name in ("started", "running"):
            other = audio_seconds(tmp / name)
            assert abs(other - audio) < 0.01 * audio, f"{name}: {other:.0f} s, not {audio:.0f}"
        per_article = local_s * 2 / opts.count
        rtf = audio / (local_s * 2)
        over_start, over_warm = start_s / local_s - 1, warm_s / local_s - 1
        print(f"\nAudio: {audio / 60:.1f} min, {audio / opts.count:.0f} s per article.")
        print(f"Overhead of the cluster against -j 2: {over_start:+.1%} with reader starting "
              f"it, {over_warm:+.1%} on a running cluster (target: at most +15%).")
        print(f"Per article: {per_article:.2f} core-seconds with -j 2, "
              f"{warm_s * 2 / opts.count:.2f} on the running cluster; "
              f"real-time factor {rtf:.0f}x per core.")
        night = NIGHT_ARTICLES * ARTICLE_SECONDS
        overhead = max(over_warm, 0.0)
        print(f"\nSizing on paper: {NIGHT_ARTICLES} articles of {ARTICLE_SECONDS // 60} min "
              f"({night / 3600:.0f} h of audio) in one hour, one core per worker:")
        for label, factor in ((f"{opts.engine} (measured)", rtf),
                              ("neural voice (given)", opts.neural_rtf)):
            core_hours = night / factor / HOUR * (1 + overhead)
            print(f"  {label:22} at {factor:5.0f}x: {core_hours:6.1f} core-hours -> "
                  f"{math.ceil(core_hours)} workers")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
