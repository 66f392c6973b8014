"""Benchmark ``reader export`` against ``espeak-ng -w``; prints figures side by side.

    python bench/export.py [--quick]

1. A 5,000-word text (the seed's body repeated) to WAV, with all cores and with -j 1,
   next to ``espeak-ng -w`` on the same text (target: <= 1.5x and <= 2.5x its time).
2. The same text to MP3: real-time factor (target: >= 150x).
3. 40 articles into a folder, -j 2 against -j 1 (target: speed-up >= 1.7).
4. A 100,000-word text to MP3: peak memory of the whole process tree (target: <= 200 MB).

Every run is a real ``reader`` process with the default voice (pyttsx3), timed from
start to exit, best of ``REPEAT``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READER = str(Path(sys.executable).with_name("reader"))
REPEAT = 3


def seed_body() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from reader import parse_source

    article = parse_source(str(ROOT / "reader" / "data" / "mali.html"))
    return [b.text for b in article.blocks if b.kind == "paragraph"]


def text_of(words: int, title: str = "A long read") -> str:
    """The seed's body repeated to ``words`` words. Each copy of a paragraph starts
    "Part N." so the parser does not drop the copies as repeated boilerplate."""
    body, paras, n, part = seed_body(), [title], 0, 0
    while n < words:
        part += 1
        for p in body:
            paras.append(f"Part {part}. {p}")
            n += len(paras[-1].split())
            if n >= words:
                break
    return "\n\n".join(paras) + "\n"


def timed(cmd: list[str], repeat: int = REPEAT, before=None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """(RSS of ``pid``, RSS of ``pid`` and all its descendants), in kB."""

    def rss(p: int) -> int:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def children(p: int) -> list[int]:
        out = []
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
        return out

    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss(p)
        todo += children(p)
    return rss(pid), total


def peak_memory(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; (seconds, peak MB of the main process, peak MB of the process tree)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main_peak = tree_peak = 0
    while proc.poll() is None:
        m, tr = tree_rss_kb(proc.pid)
        main_peak, tree_peak = max(main_peak, m), max(tree_peak, tr)
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with status {proc.returncode}")
    return time.perf_counter() - t, main_peak / 1024, tree_peak / 1024


def row(name: str, value: str, target: str, ok: bool | None) -> None:
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"{name:<46} {value:>14}   {target:<14} {mark}")


def main() -> None:
    quick = "--quick" in sys.argv
    big_words = 20_000 if quick else 100_000
    espeak = shutil.which("espeak-ng")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        d = Path(tmp)
        text = d / "long.txt"
        text.write_text(text_of(5000), encoding="utf-8")
        words = len(text.read_text().split())
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"reader export benchmark: {words} words, {cores} cores, best of {REPEAT}")
        print(f"load average before: {load} (other work on the machine skews ratios)\n")

        def export(out: str, *extra: str) -> list[str]:
            return [READER, "export", str(text), "-o", str(d / out), "--force", "-q", *extra]

        t_all = timed(export("all.wav"))
        t_one = timed(export("one.wav", "-j", "1"))
        audio = wav_seconds(d / "all.wav")
        t_mp3 = timed(export("all.mp3"))
        if espeak:
            t_esp = timed([espeak, "-w", str(d / "espeak.wav"), "-f", str(text)])
            esp_audio = wav_seconds(d / "espeak.wav")
        print(f"{'figure':<46} {'value':>14}   {'target':<14}")
        if espeak:
            row("espeak-ng -w (whole text, one process)", f"{t_esp:.2f} s", "", None)
            row(
                "  its audio / real-time factor",
                f"{esp_audio:.0f} s {esp_audio / t_esp:.0f}x",
                "",
                None,
            )
        row(f"reader export -> WAV, default (-j {cores})", f"{t_all:.2f} s", "", None)
        row("reader export -> WAV, -j 1", f"{t_one:.2f} s", "", None)
        row(
            "  its audio / real-time factor (default)",
            f"{audio:.0f} s {audio / t_all:.0f}x",
            "",
            None,
        )
        if espeak:
            row(
                "  WAV default / espeak-ng",
                f"{t_all / t_esp:.2f}x",
                "<= 1.5x",
                t_all / t_esp <= 1.5,
            )
            row("  WAV -j 1 / espeak-ng", f"{t_one / t_esp:.2f}x", "<= 2.5x", t_one / t_esp <= 2.5)
        row("reader export -> MP3, default", f"{t_mp3:.2f} s", "", None)
        from mutagen.mp3 import MP3

        mp3_audio = MP3(d / "all.mp3").info.length
        row(
            "  its audio / real-time factor",
            f"{mp3_audio:.0f} s {mp3_audio / t_mp3:.0f}x",
            "",
            None,
        )
        row(
            "  MP3 real-time factor",
            f"{mp3_audio / t_mp3:.0f}x",
            ">= 150x",
            mp3_audio / t_mp3 >= 150,
        )

        # 40 articles into a folder.
        src = d / "articles"
        src.mkdir()
        seed = (ROOT / "reader" / "data" / "mali.txt").read_text(encoding="utf-8")
        for i in range(40):
            (src / f"a{i:02d}.txt").write_text(f"Story {i}\n\n{seed}", encoding="utf-8")
        out = d / "out"

        def clean() -> None:
            shutil.rmtree(out, ignore_errors=True)

        batch = [READER, "export", str(src), "--out-dir", str(out), "-q"]
        t_b1 = timed(batch + ["-j", "1"], repeat=2, before=clean)
        t_b2 = timed(batch + ["-j", "2"], repeat=2, before=clean)
        row("40 articles -> MP3, -j 1", f"{t_b1:.2f} s", "", None)
        row("40 articles -> MP3, -j 2", f"{t_b2:.2f} s", "", None)
        made = len(list(out.glob("*.mp3")))
        row("  files written", f"{made}", "40", made == 40)
        row("  speed-up -j 2 / -j 1", f"{t_b1 / t_b2:.2f}x", ">= 1.7x", t_b1 / t_b2 >= 1.7)

        # Memory on a long text.
        big = d / "big.txt"
        big.write_text(text_of(big_words), encoding="utf-8")
        secs, main_mb, tree_mb = peak_memory(
            [READER, "export", str(big), "-o", str(d / "big.mp3"), "-q"]
        )
        length = MP3(d / "big.mp3").info.length
        row(f"{big_words} words -> MP3 ({length / 3600:.1f} h of audio)", f"{secs:.1f} s", "", None)
        row("  peak memory, main process", f"{main_mb:.0f} MB", "<= 200 MB", main_mb <= 200)
        row("  peak memory, whole process tree", f"{tree_mb:.0f} MB", "", None)
        if not quick:
            row("  (real-time factor)", f"{length / secs:.0f}x", "", None)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nload average after: {load}")


if __name__ == "__main__":
    main()
