"""How often espeak-ng says a news phrase right, with and without reader's spoken text.

For every case of a table (category, text as printed, what a person says), the text is
phonemised by espeak-ng twice: as printed (raw espeak-ng) and as reader's spoken-text
stage rewrites it. A case is right when its phonemes equal those of what a person says
(stress and pauses aside). Then the stage's throughput on news text.

    python bench/spoken.py [--table tests/data/spoken-en.tsv] [--text FILE ...] [-v]

Phonemes come from the libespeak-ng reader loads (the espeakng-loader wheel), voice
gmw/en-us, the default profile's. ``--text`` takes news text files, or ground-truth
JSON files (``articleBody`` fields, or WCXB's ``ground_truth.main_content``); the
default is the bundled sample article. The text is repeated to about 5 MB.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.spoken import speaker  # noqa: E402
from reader.spoken.phonemes import sounds  # noqa: E402


def read_table(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            category, text, said = line.split("\t")
            rows.append((category, text, said))
    return rows


def read_text(path: Path) -> str:
    """A text file, or the article bodies of a ground-truth JSON file (``articleBody``)."""
    if path.suffix != ".json":
        return path.read_text(encoding="utf-8")
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("ground_truth"), dict):  # WCXB
        return str(data["ground_truth"].get("main_content") or "")
    items = data.values() if isinstance(data, dict) else data
    return "\n".join(i.get("articleBody", "") for i in items if isinstance(i, dict))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table", type=Path, default=ROOT / "tests" / "data" / "spoken-en.tsv")
    ap.add_argument("--text", type=Path, nargs="+", action="extend", help="news text files")
    ap.add_argument("--voice", default="gmw/en-us")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the cases reader misses")
    args = ap.parse_args()

    say = speaker("en")
    rows = read_table(args.table)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for category, text, said in rows:
        want = sounds(said, args.voice)
        ours = say(text).text
        mine = sounds(ours, args.voice) == want
        raw = sounds(text, args.voice) == want
        per[category][0] += 1
        per[category][1] += mine
        per[category][2] += raw
        if not mine:
            misses.append((category, text, ours, said))
    total = [sum(v[i] for v in per.values()) for i in range(3)]
    print(f"Phonemes equal to what a person says ({args.table.name}, voice {args.voice}):")
    print(f"  {'category':<13} {'cases':>5}  {'reader':>7}  {'espeak-ng':>9}")
    for cat, (n, mine, raw) in per.items():
        print(f"  {cat:<13} {n:>5}  {mine / n:>7.0%}  {raw / n:>9.0%}")
    n, mine, raw = total
    print(f"  {'all':<13} {n:>5}  {mine / n:>7.1%}  {raw / n:>9.1%}   ({mine} and {raw} of {n})")
    if args.verbose:
        for category, text, ours, said in misses:
            print(f"  MISS {category}: {text!r}\n       reader: {ours!r}\n       person: {said!r}")

    texts = args.text or [ROOT / "reader" / "data" / "mali.txt"]
    sample = "\n".join(read_text(p) for p in texts)
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    from reader.segment import split_sentences

    sentences = [s for ln in lines for s in split_sentences(ln)]
    chars = sum(len(s) for s in sentences)
    reps = max(1, 5_000_000 // max(1, chars))
    work = sentences * reps
    total_chars = chars * reps
    changed = sum(say(s).text != s for s in sentences)
    # CPU time as well as wall time: on a shared machine the wall clock mostly measures
    # the other processes.
    cpu = wall = float("inf")
    for _ in range(3):
        c0, w0 = time.process_time(), time.perf_counter()
        for s in work:
            say(s)
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    print(
        f"Throughput: {total_chars / cpu / 1e6:.1f} M characters per CPU second "
        f"({total_chars / wall / 1e6:.1f} M/s wall clock); {len(work)} sentences, "
        f"{total_chars / 1e6:.1f} M characters, best of 3; "
        f"{changed} of {len(sentences)} distinct sentences rewritten"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
