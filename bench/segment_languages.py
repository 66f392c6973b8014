"""Sentence splitting per language: case accuracy of reader (``split_sentences`` with
the language's rules) next to pySBD's, on JSON case files ``[{"text", "expected"}]``.

    python bench/segment_languages.py DATA/multi_*.json [--peer-python PY]

The language of a file is the part of its name after the last ``_`` (``multi_de.json``:
``de``). ``--peer-python`` names an interpreter that has pySBD installed; pySBD runs
there, one process per file, with ``pysbd.Segmenter(language=LANG, clean=False)``.
A case counts when the sentence lists are equal after collapsing white space.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from reader.segment import split_sentences

_PEER = """
import json, sys
import pysbd
lang, path = sys.argv[1], sys.argv[2]
try:
    seg = pysbd.Segmenter(language=lang, clean=False)
except ValueError:
    print("null"); sys.exit()
cases = json.load(open(path, encoding="utf-8"))
print(json.dumps([seg.segment(c["text"]) for c in cases]))
"""


def norm(s: str) -> str:
    return " ".join(s.split())


def score(cases: list[dict], produced: list[list[str]]) -> int:
    return sum(
        [norm(x) for x in out if norm(x)] == [norm(x) for x in c["expected"]]
        for c, out in zip(cases, produced, strict=True)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--peer-python", help="an interpreter with pySBD installed")
    a = ap.parse_args()
    total = [0, 0, 0, 0]
    print(f"{'lang':6} {'cases':>5} {'reader':>14} {'pySBD':>14}")
    for path in a.files:
        lang = path.stem.rsplit("_", 1)[-1]
        cases = json.loads(path.read_text(encoding="utf-8"))
        ours = score(cases, [split_sentences(c["text"], lang) for c in cases])
        peer = "-"
        if a.peer_python:
            out = subprocess.run(
                [a.peer_python, "-c", _PEER, lang, str(path)], capture_output=True, text=True
            )
            got = json.loads(out.stdout or "null") if out.returncode == 0 else None
            if got is not None:
                n = score(cases, got)
                peer = f"{n}/{len(cases)} {n / len(cases):.2f}"
                total[2] += n
                total[3] += len(cases)
        total[0] += ours
        total[1] += len(cases)
        mine = f"{ours}/{len(cases)} {ours / len(cases):.2f}"
        print(f"{lang:6} {len(cases):5} {mine:>14} {peer:>14}")
    print(f"{'all':6} {total[1]:5} {f'{total[0]}/{total[1]}':>14}"
          f" {f'{total[2]}/{total[3]} (its languages)' if total[3] else '-':>14}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
