"""Benchmark ``reader export --cluster`` against the local ``-j 2`` batch; prints figures.

    python bench/cluster.py [--count 100] [--words 750] [--engine pyttsx3] [--repeat 1]
                            [--neural-rtf 20]

N articles of about ``--words`` words (750 words is some five minutes of speech), made
from the seed article's paragraphs with every sentence numbered so no two are alike,
are exported to MP3 three ways, each a real ``reader`` process timed from start to exit:

1. ``-j 2``: the local batch on two processes;
2. ``--cluster local:2``: a local Dask cluster of two workers that reader starts and stops;
3. ``--cluster tcp://...``: a cluster of two workers started beforehand by this bench,
   as a service keeps one running (warmed by a batch of 4 short articles, so reader is
   imported in its workers, as after a service's first batch).

Each is timed in wall seconds and in CPU seconds of every process it used (the machine
is shared, so wall time is noisy; CPU time much less so); ``--repeat`` runs the three
in turn that many times and keeps the best. It prints the cluster's overhead against
``-j 2`` (target: at most 15%), the CPU seconds per article and the real-time factor
per core, and with those a sizing on paper:
how many one-core workers turn 5,000 five-minute articles into audio in one hour, with
the engine measured and with the neural voice at ``--neural-rtf`` times real time per
core (the issue's figure; measure it with ``--engine piper`` where Piper is installed).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
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


def run(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds; CPU seconds of the ``reader`` process and the children it waited
    for (the local batch's workers, a ``local:N`` cluster's scheduler and workers); and
    the summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([READER, *args], capture_output=True, text=True)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"reader {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu, proc.stdout.strip().splitlines()[-1]


def worker_cpu(pids: list[int]) -> float:
    """CPU seconds the bench's own cluster workers have used so far."""
    import psutil

    return sum(sum(psutil.Process(p).cpu_times()[:2]) for p in pids)


def audio_seconds(folder: Path) -> float:
    from mutagen.mp3 import MP3

    return sum(MP3(p).info.length for p in folder.glob("*.mp3"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100, help="articles (default 100)")
    ap.add_argument("--words", type=int, default=750, help="words per article (default 750)")
    ap.add_argument("--engine", default="pyttsx3", help="speech engine (default pyttsx3)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each, interleaved; the best is kept (default 1)")
    ap.add_argument("--neural-rtf", type=float, default=20.0,
                    help="the neural voice's real-time factor per core (default 20)")
    opts = ap.parse_args()
    import dask
    from distributed import Client, LocalCluster

    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-cluster-"))
    # As README asks of a service's workers: one thread each, no profiler.
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    try:
        src = tmp / "in"
        src.mkdir()
        make_articles(src, opts.count, opts.words)
        warm = tmp / "warm"  # a service's workers have run articles before
        warm.mkdir()
        make_articles(warm, 4, 40)
        common = ["export", "--engine", opts.engine, "--force"]
        run([*common, str(warm), "--out-dir", str(tmp / "w"), "--cluster",
             cluster.scheduler_address])
        with Client(cluster) as client:
            pids = list(client.run(os.getpid).values())
        ways = {
            "-j 2": ["-j", "2"],
            "--cluster local:2": ["--cluster", "local:2"],
            "--cluster (running)": ["--cluster", cluster.scheduler_address],
        }
        best: dict[str, tuple[float, float]] = {}
        print(f"{opts.count} articles of about {opts.words} words, engine {opts.engine}, "
              f"best of {opts.repeat}; wall and CPU seconds (all processes)")
        for _ in range(opts.repeat):
            for i, (name, extra) in enumerate(ways.items()):
                w0 = worker_cpu(pids) if "running" in name else 0.0
                wall, cpu, said = run([*common, str(src), "--out-dir", str(tmp / f"o{i}"),
                                       *extra])
                cpu += worker_cpu(pids) - w0 if "running" in name else 0.0
                print(f"  {name:20} {wall:7.1f} s wall  {cpu:7.1f} s CPU   ({said})")
                old = best.get(name, (float("inf"), float("inf")))
                best[name] = (min(old[0], wall), min(old[1], cpu))
        audio = audio_seconds(tmp / "o0")
        for i in (1, 2):
            other = audio_seconds(tmp / f"o{i}")
            assert abs(other - audio) < 0.01 * audio, f"{other:.0f} s of audio, not {audio:.0f}"
        (local_w, local_c), (start_w, start_c), (run_w, run_c) = best.values()
        print(f"\nAudio: {audio / 60:.1f} min, {audio / opts.count:.0f} s per article.")
        print("Overhead of the cluster against -j 2 (target: at most +15%):")
        print(f"  reader starting it:  wall {start_w / local_w - 1:+.1%}, "
              f"CPU {start_c / local_c - 1:+.1%}")
        print(f"  a running cluster:   wall {run_w / local_w - 1:+.1%}, "
              f"CPU {run_c / local_c - 1:+.1%}")
        print("Per article (CPU seconds): "
              f"{local_c / opts.count:.2f} with -j 2, {run_c / opts.count:.2f} on the running "
              f"cluster; wall x 2 cores: {local_w * 2 / opts.count:.2f} and "
              f"{run_w * 2 / opts.count:.2f}.")
        rtf = audio / run_c
        night = NIGHT_ARTICLES * ARTICLE_SECONDS
        print(f"\nSizing on paper: {NIGHT_ARTICLES} articles of {ARTICLE_SECONDS // 60} min "
              f"({night / 3600:.0f} h of audio) in one hour, one core per worker, at the "
              "running cluster's CPU cost per article:")
        for label, factor in ((f"{opts.engine} (measured)", rtf),
                              ("neural voice (given)", opts.neural_rtf)):
            overhead = 1.0 if factor == rtf else run_c / local_c
            core_hours = night / factor / HOUR * overhead
            print(f"  {label:22} at {factor:5.0f}x real time per core: "
                  f"{core_hours:6.1f} core-hours -> {math.ceil(core_hours)} workers")
    finally:
        cluster.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
