"""EPUB 3 export: its size and time next to the MP3 export of the same article.

    python bench/epub.py [SOURCE...]      # default: the bundled seed article

1. Each SOURCE with the default voice (pyttsx3): ``reader export -o x.mp3``,
   ``reader export -o x.epub`` and ``reader export --format daisy -o x.zip``, best of
   ``REPEAT`` (the books reuse the MP3 export, so the ratio is the cost of laying out
   and packing the book); file sizes in bytes and the books' overhead over the MP3.
2. epubcheck on the EPUB (Debian's, run with java), when installed: its verdict and time.

No other article reader exports EPUB with media overlays, so there is no peer to
compare with.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READER = str(Path(sys.executable).with_name("reader"))
SEED = str(ROOT / "reader" / "data" / "mali.html")
REPEAT = 3


def run(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([READER, *args], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"reader {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return time.perf_counter() - start


def best(*args: str) -> float:
    return min(run(*args) for _ in range(REPEAT))


def epubcheck(path: Path) -> tuple[float, str] | None:
    found = shutil.which("epubcheck")
    if found is None or shutil.which("java") is None:
        return None
    start = time.perf_counter()
    done = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                           str(Path(found).resolve()), str(path)],
                          capture_output=True, text=True)
    lines = [ln for ln in (done.stdout + done.stderr).splitlines()
             if ln.startswith(("Messages:", "No errors", "ERROR", "WARNING"))]
    return time.perf_counter() - start, " | ".join(lines)


def main() -> None:
    sources = sys.argv[1:] or [SEED]
    print(f"Default voice (pyttsx3), best of {REPEAT}; sizes in bytes")
    print(f"{'source':<24} {'MP3 s':>7} {'EPUB s':>7} {'DAISY s':>8} "
          f"{'MP3 bytes':>10} {'EPUB bytes':>11} {'+EPUB':>7} {'DAISY zip':>10}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for source in sources:
            mp3, epub, daisy = tmp / "x.mp3", tmp / "x.epub", tmp / "x.zip"
            t_mp3 = best("export", source, "-o", str(mp3), "--force", "-q")
            t_epub = best("export", source, "-o", str(epub), "--force", "-q")
            t_daisy = best("export", source, "--format", "daisy", "-o", str(daisy), "--force",
                           "-q")
            sizes = [p.stat().st_size for p in (mp3, epub, daisy)]
            print(f"{Path(source).name[:24]:<24} {t_mp3:7.2f} {t_epub:7.2f} {t_daisy:8.2f} "
                  f"{sizes[0]:10d} {sizes[1]:11d} {sizes[1] - sizes[0]:7d} {sizes[2]:10d}")
            print(f"{'':<24} EPUB/MP3 time {t_epub / t_mp3:.2f}x, size "
                  f"{sizes[1] / sizes[0]:.3f}x; DAISY/MP3 time {t_daisy / t_mp3:.2f}x")
            checked = epubcheck(epub)
            if checked is None:
                print(f"{'':<24} epubcheck: not installed")
            else:
                print(f"{'':<24} epubcheck ({checked[0]:.1f} s): {checked[1]}")


if __name__ == "__main__":
    main()
