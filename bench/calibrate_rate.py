"""Measure the words per minute each engine really speaks at a grid of its own speed
settings, on news prose that is not the seed, and print the calibration tables that
reader/speech/engines/pyttsx3.py and reader/speech/engines/piper.py ship.

    python bench/calibrate_rate.py --data DIR [--engine pyttsx3|piper|both] [--check]

Corpus: the first paragraph of 40 to 150 words (English prose ending in a full stop) of
each of the first ``ARTICLES`` articles, in file order, of the WCXB ground truth's
``main_content`` (``DIR/wcxb/ground-truth/*.json``, or the AEB set's
``DIR/aeb/ground-truth.json`` with ``--corpus aeb``); the seed article
(reader/data/mali.html) is not among them. Each paragraph is split into sentences by
reader's own splitter, as the reader speaks them.

Measurement (the same as tests/test_engines.py and bench/speech.py item 4): words (split
on whitespace) over the summed duration of every sentence's audio, each trimmed of its
leading and trailing silence by the engine; pauses between sentences are not counted.
pyttsx3 runs with its calibration off (the setting is espeak-ng's ``rate``, or below 80
rate 80 plus word gaps), with the default profile's body voice; piper with
``length_scale`` set directly.

``--check`` then measures the calibrated engine on the same corpus at 80-450 wpm.
"""

from __future__ import annotations

import argparse
import glob
import json
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 40
# Below 80 (espeak-ng's slowest rate) a setting is rate 80 plus word gaps (see pyttsx3.py).
PYTTSX3_GRID = (40, 50, 60, 70, 80, 90, 100, 110, 120, 135, 150, 175, 200)
PYTTSX3_GRID += (225, 250, 275, 300, 350, 400, 450, 500, 550, 600, 650, 700, 800, 900, 1000)
PIPER_GRID = (2.4, 2.0, 1.6, 1.3, 1.1, 1.0, 0.85, 0.7, 0.6, 0.5, 0.42)
PIPER_ARTICLES = 24  # piper is ~9x real time on 2 cores: a smaller share of the corpus
CHECK = (80, 120, 165, 175, 300, 450)


def _texts(source: str, data_dir: Path) -> list[str]:
    """Body texts of ``source``, in file order."""
    if source == "aeb":
        data = json.loads((data_dir / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
        return [data[k]["articleBody"] for k in sorted(data)]
    files = sorted(glob.glob(str(data_dir / "wcxb" / "ground-truth" / "*.json")))
    return [
        json.loads(Path(f).read_text(encoding="utf-8"))["ground_truth"]["main_content"]
        for f in files
    ]


def corpus(data_dir: Path, source: str = "aeb", articles: int = ARTICLES) -> list[list[str]]:
    """Sentences of one prose paragraph from each of the first ``articles`` usable texts."""
    from reader.segment import split_sentences

    seed = (ROOT / "reader" / "data" / "mali.txt").read_text(encoding="utf-8")
    out: list[list[str]] = []
    for text in _texts(source, data_dir):
        for para in text.split("\n"):
            para = " ".join(para.split())
            words = para.split()
            ascii_share = sum(c.isascii() for c in para) / max(1, len(para))
            english = sum(w.lower() in {"the", "and", "of", "to", "a", "in"} for w in words)
            if (
                40 <= len(words) <= 150
                and para.endswith(".")
                and ascii_share > 0.98
                and english >= 4
                and para[:60] not in seed
            ):
                out.append([s.strip() for s in split_sentences(para) if s.strip()])
                break
        if len(out) == articles:
            break
    return out


def wpm(speak, paragraphs: list[list[str]]) -> float:
    """Words per minute of speech: words over the summed (trimmed) sentence audio."""
    words = seconds = 0.0
    for sentences in paragraphs:
        for s in sentences:
            words += len(s.split())
            seconds += speak(s).duration
    return words / seconds * 60


def pyttsx3_points(paragraphs: list[list[str]], calibrated: bool, grid) -> list[tuple]:
    from reader.speech.engines import get_engine
    from reader.speech.profiles import load_profile

    engine = get_engine("pyttsx3")
    if not calibrated:
        engine.calibration = None
    base = load_profile().resolve(engine).settings_for("paragraph")
    try:
        return [
            (r, wpm(lambda s, r=r: engine.synthesize(s, replace(base, rate=r)), paragraphs))
            for r in grid
        ]
    finally:
        engine.close()


def piper_points(paragraphs: list[list[str]], calibrated: bool, grid) -> list[tuple]:
    from reader.speech.engines import VoiceSettings, get_engine

    engine = get_engine("piper")
    try:
        if calibrated:
            return [
                (r, wpm(lambda s, r=r: engine.synthesize(s, VoiceSettings(rate=r)), paragraphs))
                for r in grid
            ]
        return [(x, wpm(lambda s, x=x: engine.speak(s, x, 1.0), paragraphs)) for x in grid]
    finally:
        engine.close()


def table_of(name: str, points: list[tuple]) -> None:
    """Print the measured points and the table to paste into the engine's module."""
    for s, w in points:
        if name == "piper":
            setting = f"length_scale {s:g}"
        elif s >= 80:
            setting = f"setting {s:g} (espeak-ng rate {s:g})"
        else:
            setting = f"setting {s:g} (espeak-ng rate 80, word gap {(80 - s) / 10:g})"
        print(f"   {setting} -> {w:.1f} wpm")
    table = ", ".join(f"({s:g}, {w:.1f})" for s, w in points)
    print(f"   table: ({table})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data",
        type=Path,
        required=True,
        metavar="DIR",
        help="the extraction data folder (holding aeb/ and wcxb/ ground truth)",
    )
    ap.add_argument("--engine", choices=("pyttsx3", "piper", "both"), default="pyttsx3")
    ap.add_argument("--corpus", choices=("aeb", "wcxb"), default="aeb")
    ap.add_argument("--check", action="store_true", help="also measure the calibrated engine")
    ap.add_argument("--check-only", action="store_true", help="only measure the calibrated engine")
    args = ap.parse_args()
    engines = ("pyttsx3", "piper") if args.engine == "both" else (args.engine,)
    for name in engines:
        measure = pyttsx3_points if name == "pyttsx3" else piper_points
        grid = PYTTSX3_GRID if name == "pyttsx3" else PIPER_GRID
        articles = ARTICLES if name == "pyttsx3" else PIPER_ARTICLES
        paragraphs = corpus(args.data, args.corpus, articles)
        words = sum(len(s.split()) for p in paragraphs for s in p)
        print(f"{name}: {len(paragraphs)} paragraphs, {words} words of {args.corpus} prose")
        if not args.check_only:
            table_of(name, measure(paragraphs, False, grid))
        if args.check or args.check_only:
            checked = measure(paragraphs, True, CHECK)
            shown = ", ".join(f"{r} -> {w:.1f} ({(w - r) / r:+.1%})" for r, w in checked)
            print(f"   calibrated, asked -> measured: {shown}")


if __name__ == "__main__":
    main()
