"""DAISY 2.02 export: its cost over a plain MP3 export, validation, and clip accuracy.

    python bench/daisy.py

1. The seed article with the default voice (pyttsx3): ``reader export -o x.mp3`` and
   ``reader export --format daisy -o book`` side by side (the DAISY book reuses the MP3
   export, so the ratio is the cost of laying out the book), best of ``REPEAT``.
2. ``reader validate-daisy`` on that book, and on a book of three articles.
3. Clip accuracy: every sentence's own audio (from a WAV export of the same article) is
   looked for in the book's MP3, decoded by FFmpeg, near its clip-begin; prints the
   largest and median distance (target: <= 20 ms for every sentence).

No other article reader exports DAISY books, so there is no peer to compare with.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import wave
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
READER = str(Path(sys.executable).with_name("reader"))
SEED = str(ROOT / "reader" / "data" / "mali.html")
REPEAT = 3
SECOND = """<html><head><title>Rains return</title></head><body><article>
<h1>Rains return to the Sahel</h1><p>Farmers in the Sahel welcomed early rains this week.
Wells that had run dry are filling again.</p><p>Forecasters expect a normal season. They
warned that floods remain possible.</p></article></body></html>"""
THIRD = "A short note about the market.\n\nPrices held steady on Monday. Traders expect calm."


def run(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([READER, *args], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"reader {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return time.perf_counter() - start


def best(*args: str) -> float:
    return min(run(*args) for _ in range(REPEAT))


def clip_errors_ms(source: str, tmp: Path) -> list[float]:
    """Distance from each clip-begin to where its sentence's audio really is, in ms."""
    sys.path.insert(0, str(ROOT))
    from reader import parse_source
    from reader.daisy.book import write_daisy
    from reader.daisy.validate import parse_clock
    from reader.export import ExportOptions, export_article

    article = parse_source(source)
    options = ExportOptions(jobs=1)
    ref_wav = export_article(article, tmp / "ref.wav", options)
    book = write_daisy([(article, source)], tmp / "acc", options)
    sr = ref_wav.timeline.sample_rate
    with wave.open(str(ref_wav.path)) as w:
        ref = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(book.path / "a001.mp3"), "-f",
                          "s16le", "-ac", "1", "-ar", str(sr), "-"],
                         capture_output=True, check=True).stdout
    dec = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    begins = [parse_clock(a.get("clip-begin"))
              for smil in sorted(book.path.glob("s*.smil"))
              for a in ET.parse(smil).getroot().iter("audio")]
    errors, window = [], sr // 4
    for cue, begin in zip(ref_wav.timeline.cues, begins, strict=True):
        speech = ref[cue.start:cue.end]
        at = int(round(begin * sr))
        lo = max(0, at - window)
        corr = np.correlate(dec[lo:at + window + len(speech)], speech, mode="valid")
        errors.append(abs(lo + int(np.argmax(corr)) - at) / sr * 1000)
    return errors


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        mp3 = best("export", SEED, "-o", str(tmp / "seed.mp3"), "--force", "-q")
        book = tmp / "book"
        daisy = best("export", SEED, "--format", "daisy", "-o", str(book), "--force", "-q")
        print("1. Seed article, default voice (pyttsx3), best of", REPEAT)
        print(f"   reader export -o seed.mp3          {mp3:6.2f} s")
        print(f"   reader export --format daisy       {daisy:6.2f} s   "
              f"({daisy / mp3:.2f}x the MP3)")
        check = best("validate-daisy", str(book))
        out = subprocess.run([READER, "validate-daisy", str(book)], capture_output=True, text=True)
        print("2. reader validate-daisy")
        print(f"   seed book: {check:.2f} s: {out.stdout.strip()}")
        (tmp / "rains.html").write_text(SECOND, encoding="utf-8")
        (tmp / "market.txt").write_text(THIRD, encoding="utf-8")
        three = tmp / "three"
        sources = [SEED, str(tmp / "rains.html"), str(tmp / "market.txt")]
        t3 = run("export", *sources, "--format", "daisy", "-o", str(three), "-q")
        out = subprocess.run([READER, "validate-daisy", str(three)], capture_output=True, text=True)
        print(f"   three articles (export {t3:.2f} s): {out.stdout.strip()}")
        errors = []
        for n, source in enumerate(sources):
            (tmp / f"acc{n}").mkdir()
            errors += clip_errors_ms(source, tmp / f"acc{n}")
        print("3. Clip-begin against the sentence's audio found in the decoded MP3")
        print(f"   {len(errors)} sentences: max {max(errors):.1f} ms, "
              f"median {statistics.median(errors):.1f} ms (target <= 20 ms)")


if __name__ == "__main__":
    main()
