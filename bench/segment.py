"""Sentence segmentation: start-up to the first sentence, and time against input size.

    python bench/segment.py [--runs 7] [--peers PEERS_PYTHON]

1. Start-up: wall time from spawning a fresh interpreter until it prints the first
   sentence of a 10,000-word article, measured two ways: with NLTK's Punkt imported up
   front (``reader.segment.punkt.load_nltk()``; reader imports only NLTK's Punkt module,
   not nltk/__init__), and as the library runs by default, where NLTK's code is imported
   at the first period that needs Punkt's own decision. Against ``python -c pass`` and,
   with --peers, ``import nltk`` and pySBD doing the same job. Medians of --runs runs.
2. Linear time: split_sentences on 1, 2 and 4 MB of news prose, and on 1, 2 and 4 MB
   without any punctuation; M chars/s should stay flat.

Accuracy and throughput against pySBD, NLTK, blingfire and syntok come from
the shared sentence-boundary harness; this script only covers what that one does not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PARAGRAPHS = [
    "The city council voted 7 to 2 on Tuesday to approve a $48.5 million plan to repair the "
    "Riverside Bridge, which has been closed to heavy trucks since March. Mayor Ellen Park said "
    'work would begin in the spring. "We cannot wait another year," she told reporters outside '
    "City Hall. Opponents argued that the cost had nearly doubled since the first estimate "
    "in 2021.",
    "Dr. Samuel Okafor, a transport engineer at the state university, said the bridge carried "
    "about "
    "32,000 vehicles a day before the restrictions. He estimated that detours were adding 15 to 20 "
    "minutes to many commutes. The council will review bids at its next meeting on Feb. 14 at "
    "6:30 p.m. in the U.S. Capitol annex, officials said.",
    "Elsewhere, inflation eased to 2.9 percent in January, down from 3.4 percent a month earlier. "
    "Food prices rose 0.3% while energy costs fell for the third month in a row. Is a rate cut "
    'coming? "Absolutely," said Ms. Grace Lin of the No. 2 bank... Markets closed 0.4% higher.',
]

FIRST_SENTENCE = """
import sys
from reader.segment import iter_spans, punkt
if sys.argv[2] == "preload":
    punkt.load_nltk()
text = open(sys.argv[1], encoding="utf-8").read()
a, b = next(iter(iter_spans(text)))
print(text[a:b], flush=True)
print("NLTK loaded at the first sentence:", punkt.tokenizer()._nltk is not None)
"""

PEER_FIRST = {
    "import nltk (peers)": "import nltk, sys; print('x', flush=True)",
    "pySBD first sentence (peers)": (
        "import sys, pysbd; t = open(sys.argv[1], encoding='utf-8').read(); "
        "print(pysbd.Segmenter(language='en', clean=False).segment(t[:2000])[0], flush=True)"
    ),
}


def article(words: int) -> str:
    out, n = [], 0
    while n < words:
        for p in PARAGRAPHS:
            out.append(p)
            n += len(p.split())
    return "\n\n".join(out)


def spawn_until_line(argv: list[str]) -> tuple[float, str]:
    """Seconds from spawning ``argv`` until it prints its first line, and what it
    printed after that line."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert proc.stdout is not None
    proc.stdout.readline()
    t = time.perf_counter() - t0
    rest = proc.communicate()[0].decode("utf-8", "replace").strip()
    return t, rest


def median_ms(argv: list[str], runs: int) -> tuple[float, str]:
    spawn_until_line(argv)  # warm the file cache and bytecode
    results = [spawn_until_line(argv) for _ in range(runs)]
    return 1000 * statistics.median(t for t, _ in results), results[-1][1]


def startup(runs: int, peers: str | None) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(article(10_000))
    try:
        base, _ = median_ms([sys.executable, "-c", "pass"], runs)
        print(f"python -c pass                         {base:7.1f} ms")
        for how, label in (("preload", "NLTK Punkt imported first"), ("lazy", "NLTK when needed")):
            ours, note = median_ms([sys.executable, "-c", FIRST_SENTENCE, f.name, how], runs)
            print(
                f"reader first sentence, {label:25} {ours:7.1f} ms"
                f"  (+{ours - base:.1f} ms; budget +150 ms; {note})"
            )
        if peers:
            peer_base, _ = median_ms([peers, "-c", "pass"], runs)
            for name, code in PEER_FIRST.items():
                t, _ = median_ms([peers, "-c", code, f.name], runs)
                print(
                    f"{name:38} {t:7.1f} ms"
                    f"  (+{t - peer_base:.1f} ms over the peers' python -c pass)"
                )
    finally:
        os.unlink(f.name)


def linear() -> None:
    sys.path.insert(0, str(ROOT))
    from reader.segment import split_sentences

    split_sentences("Warm up. Now.")
    prose = "\n\n".join(PARAGRAPHS)
    no_punct = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
    for name, unit in (("news prose", prose), ("no punctuation", no_punct)):
        for mb in (1, 2, 4):
            n = mb * 1_000_000
            text = (unit * (n // len(unit) + 1))[:n]
            t0 = time.perf_counter()
            count = len(split_sentences(text))
            dt = time.perf_counter() - t0
            print(
                f"{name:15} {mb} MB: {dt:6.3f} s  {n / dt / 1e6:5.2f} M chars/s  {count} sentences"
            )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--peers", help="python of the peers venv, to time import nltk and pySBD too")
    ap.add_argument("--no-linear", action="store_true")
    a = ap.parse_args()
    startup(a.runs, a.peers)
    if not a.no_linear:
        linear()


if __name__ == "__main__":
    main()
