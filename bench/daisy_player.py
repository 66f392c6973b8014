"""Play a DAISY book in Debian's daisy-player and show that it plays and navigates.

    python bench/daisy_player.py BOOK_FOLDER
    python bench/daisy_player.py ARTICLE.html     # exported first: reader export --format daisy

daisy-player (Debian package ``daisy-player``, 13.0) is a curses program, so it runs in
a private tmux server; its sound goes to a private PulseAudio server with one null sink,
recorded from the sink's monitor with ``parec``. The script then

1. presses Enter (play) and waits for daisy-player's stream to appear among the sink's
   inputs (``pactl list short sink-inputs``);
2. finds the audio the sink received in the book's own MP3 files (cross-correlation of
   the last two seconds recorded) and names the section whose clips hold it;
3. moves to the next section (cursor-down, Enter), two sections on (down, down, Enter)
   and back to the previous one (cursor-up, Enter), with ``l`` first so that the cursor
   steps through every level's sections; after each, checks which section's audio
   reaches the sink, that it plays from that section's start, and where the cursor is.

daisy-player reads /proc/asound/cards at start and exits when it is missing, as it is
in containers. The script does not touch the book for that: it builds a small
LD_PRELOAD library (with ``cc``) that shows daisy-player a one-card file instead of the
missing one, and selects the PulseAudio output (``-d 0:pulseaudio``; Debian's build has
no SoX ALSA handler). ``-i`` skips bookmarks, so every run starts at the first section.

Needs: daisy-player, tmux, pulseaudio, pulseaudio-utils (parec, pactl), a C compiler.
Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

RATE = 22050  # what parec records (mono, 16 bit); the books are rendered at this rate too
LOUD = 300  # RMS of 16-bit samples above which a 100 ms window holds speech
SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Containers have no /proc/asound: show daisy-player $FAKE_ASOUND_CARDS instead. */
static const char *swap(const char *path) {
    const char *fake = getenv("FAKE_ASOUND_CARDS");
    return path && fake && strcmp(path, "/proc/asound/cards") == 0 ? fake : path;
}
FILE *fopen(const char *path, const char *mode) {
    FILE *(*real)(const char *, const char *) = dlsym(RTLD_NEXT, "fopen");
    return real(swap(path), mode);
}
FILE *fopen64(const char *path, const char *mode) {
    FILE *(*real)(const char *, const char *) = dlsym(RTLD_NEXT, "fopen64");
    return real(swap(path), mode);
}
int open(const char *path, int flags, ...) {
    int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, "open");
    va_list ap; va_start(ap, flags); mode_t m = va_arg(ap, int); va_end(ap);
    return real(swap(path), flags, m);
}
int open64(const char *path, int flags, ...) {
    int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, "open64");
    va_list ap; va_start(ap, flags); mode_t m = va_arg(ap, int); va_end(ap);
    return real(swap(path), flags, m);
}
"""
CARDS = " 0 [Pulse          ]: PulseAudio - PulseAudio sound server\n" \
        "                      PulseAudio null sink\n"


def say(line: str) -> None:
    print(line, flush=True)


class Book:
    """The book's sections in NCC order, each with its audio clips."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        ncc = ET.parse(folder / "ncc.html").getroot()
        self.sections: list[tuple[str, list[tuple[str, float, float]]]] = []
        for a in ncc.iter("{http://www.w3.org/1999/xhtml}a"):
            smil = ET.parse(folder / a.get("href", "").split("#")[0]).getroot()
            clips = [(au.get("src", ""), _npt(au.get("clip-begin")), _npt(au.get("clip-end")))
                     for au in smil.iter("audio")]
            self.sections.append(("".join(a.itertext()).strip(), clips))
        import miniaudio

        self.audio = {}
        for src in sorted({c[0] for _, clips in self.sections for c in clips}):
            d = miniaudio.decode_file(str(folder / src), miniaudio.SampleFormat.SIGNED16, 1, RATE)
            self.audio[src] = np.frombuffer(d.samples, dtype=np.int16).astype(np.float32)

    def locate(self, snippet: np.ndarray) -> tuple[int, str, float, float] | None:
        """(section index, audio file, seconds into it, match strength) of ``snippet``."""
        best = None
        x = snippet - snippet.mean()
        for src, track in self.audio.items():
            n = 1 << int(np.ceil(np.log2(len(track) + len(x))))
            corr = np.fft.irfft(np.fft.rfft(track, n) * np.conj(np.fft.rfft(x, n)), n)
            corr = corr[: len(track) - len(x)]
            power = np.concatenate(([0.0], np.cumsum(track.astype(np.float64) ** 2)))
            energy = np.sqrt(np.maximum(power[len(x) : len(x) + len(corr)] - power[: len(corr)],
                                        0.0))
            norm = float(np.linalg.norm(x)) + 1e-9
            # Normalised correlation (at most 1); windows of near silence cannot match.
            score = np.where(energy > 0.1 * norm, corr / (energy * norm + 1e-9), 0.0)
            at = int(np.argmax(score))
            if best is None or score[at] > best[3]:
                best = (src, at / RATE, at, float(score[at]))
        if best is None:
            return None
        src, seconds, _, strength = best
        for k, (_, clips) in enumerate(self.sections):
            if any(s == src and b <= seconds < e for s, b, e in clips):
                return k, src, seconds, strength
        return None


def _npt(value: str | None) -> float:
    return float((value or "0").removeprefix("npt=").rstrip("s"))


class Rig:
    """A private PulseAudio server, a parec recording and a tmux server, torn down on exit."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = dict(os.environ, HOME=str(tmp), XDG_RUNTIME_DIR=str(tmp / "run"))
        self.env.pop("PULSE_SERVER", None)
        (tmp / "run").mkdir()
        self.recording = tmp / "sink.raw"
        self.parec: subprocess.Popen | None = None
        self.socket = f"daisy-player-bench-{os.getpid()}"
        self.pulse = False

    def __enter__(self) -> Rig:
        subprocess.run(["pulseaudio", "--start", "--exit-idle-time=-1", "-n",
                        "--load=module-native-protocol-unix",
                        "--load=module-null-sink sink_name=nullsink"],
                       env=self.env, check=True, capture_output=True, timeout=30)
        self.pulse = True
        self.parec = subprocess.Popen(
            ["parec", "-d", "nullsink.monitor", "--raw", "--format=s16le", f"--rate={RATE}",
             "--channels=1", "--latency-msec=50"],
            stdout=open(self.recording, "wb"), stderr=subprocess.DEVNULL, env=self.env)
        return self

    def __exit__(self, *exc) -> None:
        self.tmux("kill-server", check=False)
        if self.parec is not None:
            self.parec.terminate()
            self.parec.wait(timeout=10)
        if self.pulse:
            subprocess.run(["pulseaudio", "--kill"], env=self.env, capture_output=True,
                           timeout=30)

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              env=self.env, capture_output=True, text=True, timeout=30)
        if check and done.returncode:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p").splitlines()

    def cursor_row(self) -> int:
        """daisy-player keeps the cursor on the current item's line, one item a line."""
        return int(self.tmux("display", "-p", "#{cursor_y}").strip())

    def sink_inputs(self) -> list[str]:
        out = subprocess.run(["pactl", "list", "short", "sink-inputs"], env=self.env,
                             capture_output=True, text=True, timeout=30).stdout
        return [line for line in out.splitlines() if line.strip()]

    def recorded(self, seconds: float) -> np.ndarray:
        data = self.recording.read_bytes()
        data = data[: len(data) // 2 * 2][-int(seconds * RATE) * 2 :]
        return np.frombuffer(data, dtype="<i2").astype(np.float32)


def wait_for(what: str, check, timeout: float = 20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = check()
        if got:
            return got
        time.sleep(0.1)
    raise SystemExit(f"FAIL: {what} within {timeout:.0f} s")


def export_book(source: str, out: Path) -> Path:
    reader = Path(sys.executable).with_name("reader")
    subprocess.run([str(reader), "export", source, "--format", "daisy", "-o", str(out), "-q"],
                   check=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", help="a DAISY 2.02 book folder, or an article to export as one")
    parser.add_argument("--wait", type=float, default=2.5,
                        help="seconds to listen after each key (default 2.5)")
    args = parser.parse_args()
    missing = [t for t in ("daisy-player", "tmux", "pulseaudio", "parec", "pactl", "cc")
               if shutil.which(t) is None]
    if missing:
        say(f"SKIP: missing {', '.join(missing)} (Debian: daisy-player tmux pulseaudio "
            "pulseaudio-utils gcc)")
        return 2
    version = subprocess.run(["daisy-player", "-h"], capture_output=True, text=True)
    first = (version.stdout + version.stderr).strip().splitlines()[:1]
    with tempfile.TemporaryDirectory(prefix="daisy-player-bench-") as name:
        tmp = Path(name)
        folder = Path(args.book)
        if not (folder / "ncc.html").is_file():
            folder = export_book(args.book, tmp / "book")
            say(f"Exported {args.book} as a DAISY book (reader export --format daisy)")
        book = Book(folder)
        total = sum(e - b for _, clips in book.sections for _, b, e in clips)
        say(f"{first[0] if first else 'daisy-player'}; book: {len(book.sections)} sections, "
            f"{total:.1f} s of audio")
        shim = tmp / "fakecards.so"
        (tmp / "fakecards.c").write_text(SHIM, encoding="utf-8")
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(shim), str(tmp / "fakecards.c"),
                        "-ldl"], check=True)
        (tmp / "cards").write_text(CARDS, encoding="utf-8")
        say("/proc/asound/cards: " + ("present" if Path("/proc/asound/cards").exists() else
                                      "missing; daisy-player sees a one-card file (LD_PRELOAD)"))
        failures = 0
        with Rig(tmp) as rig:
            command = (f"env LD_PRELOAD={shim} FAKE_ASOUND_CARDS={tmp / 'cards'} "
                       f"daisy-player -i -d 0:pulseaudio {folder} 2>{tmp / 'stderr.txt'}; "
                       "sleep 600")
            rig.tmux("new-session", "-d", "-x", "100", "-y", "30", command)
            wait_for("daisy-player lists the book",
                     lambda: any("total length" in line for line in rig.screen()))
            items = [line for line in rig.screen()[2:] if line.strip()]
            say(f"daisy-player lists {len(items)} items; first: {items[0].strip()[:60]!r}")
            first_row = rig.cursor_row()
            rig.tmux("send-keys", "l")  # navigate every level: sections, not only articles
            wait_for("level 2", lambda: any("level: 2 of" in line for line in rig.screen()))
            start = time.monotonic()
            rig.tmux("send-keys", "Enter")
            inputs = wait_for("a stream from daisy-player at the sink", rig.sink_inputs)
            say(f"Enter: a stream reached the null sink after {time.monotonic() - start:.1f} s: "
                f"{inputs[0]}")
            steps = ((["Enter"], "Enter (play the first section)", 0),
                     (["Down", "Enter"], "Down, Enter (next section)", 1),
                     (["Down", "Down", "Enter"], "Down, Down, Enter (two sections on)", 2),
                     (["Up", "Enter"], "Up, Enter (previous section)", -1))
            for keys, label, step in steps:
                # The cursor follows the item playing, so "next" counts from where it is.
                before = rig.cursor_row() - first_row
                for key in keys if step else []:  # the first Enter is already pressed
                    rig.tmux("send-keys", key)
                    time.sleep(0.2)
                pressed = time.monotonic()
                landed = rig.cursor_row() - first_row
                expected = before + step
                time.sleep(args.wait)
                snippet = rig.recorded(1.5)
                windows = snippet[: len(snippet) // 2205 * 2205].reshape(-1, 2205)
                rms = float(np.sqrt((windows**2).mean(axis=1)).max()) if len(windows) else 0.0
                found = book.locate(snippet) if rms > LOUD else None
                since = 0.0
                if found is not None:
                    start_of = min(b for src, b, _ in book.sections[found[0]][1] if src == found[1])
                    since = found[2] - start_of
                # The section the cursor landed on, heard from its start: played from
                # there, not reached by reading on.
                listened = time.monotonic() - pressed
                ok = (found is not None and found[0] == expected and landed == expected
                      and since <= listened + 0.5)
                failures += not ok
                where = (f"section {found[0] + 1} ({book.sections[found[0]][0][:40]!r}), "
                         f"{since:.1f} s after its start (match {found[3]:.2f})"
                         if found else "no speech of the book found")
                say(f"{'PASS' if ok else 'FAIL'} {label}: from section {before + 1} the cursor "
                    f"lands on section {landed + 1}; sink level {rms:.0f} RMS; the sink hears "
                    f"{where}")
            rig.tmux("send-keys", "q")
            time.sleep(0.5)
            errors = (tmp / "stderr.txt").read_text(errors="replace").strip()
            if errors:
                say(f"daisy-player's standard error: {' | '.join(errors.splitlines()[:3])}")
        say("All checks passed." if not failures else f"{failures} check(s) failed.")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
