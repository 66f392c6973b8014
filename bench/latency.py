"""Key press to sound: how fast ``reader read`` stops a sentence and starts the next.

    python bench/latency.py [--presses 50] [--audio pulse|null] [--engine E]

Drives the real program in a pseudo-terminal with the default engine (pyttsx3, real
synthesis, rendered ahead) and presses ``n`` (next sentence) ``--presses`` times at
irregular intervals, starting 1 s after the first sentence starts (once start-up has
settled); at the last sentence it presses ``h`` (headline) instead. For each
press it reads the program's event log and measures, from the moment the byte was
written to the terminal:

- key -> old audio stopped: the first device callback that no longer hands out the old
  sentence (``audio_stopped``), target <= 30 ms;
- key -> new audio started: the first callback that hands out the new sentence
  (``audio_started``), target <= 100 ms (with ``--engine piper``, the neural voice:
  <= 30 ms and <= 300 ms median, see ``TARGETS``).

Both are measured where the program hands audio to the sound system; the backend then
holds at most ``reader.listen.audio.PERIODS x PERIOD_MS`` more (printed). With PulseAudio
installed the bench starts a private server with a null sink (as docs/facts.md describes)
and plays into it, so the audio path is a real, paced sound server; otherwise it uses
``--audio null``. The issue names no peer for this measure; docs/facts.md's figures for
pyttsx3's own playback (``stop()`` blocked 10.9 s of a 12 s utterance) and simpleaudio
(200-300 ms to stop) are printed as the reference points.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.listen.audio import PERIOD_MS, PERIODS  # noqa: E402
from tests.readpty import Session, start_pulse, stop_pulse  # noqa: E402


def measure(tmp: Path, presses: int, audio: str, engine: str, env: dict | None) -> dict:
    s = Session(tmp, "--engine", engine, "--audio", audio, "--from-start", env=env)
    current = s.wait("play")["sentence"]
    s.wait("audio_started")
    # Start-up (rendering ahead, the phrase engine) competes for the 2 cores; the
    # presses measure listening, so they begin once it has settled.
    time.sleep(1.0)
    stops, starts, arrivals = [], [], []
    n_sentences = s.events()[0]["sentences"]
    try:
        for _ in range(presses):
            time.sleep(random.uniform(0.15, 0.35))  # mid-sentence, off the callback beat
            key = "n" if current + 1 < n_sentences else "h"
            pressed = time.time()
            s.child.send(key)
            k = s.wait("key")
            # The new sentence's first audio; its "play" and the old sound's stop come
            # before it (a sentence still rendering plays once its first piece is there).
            started = s.wait("audio_started", clip="sentence")
            between = [e for e in s.events() if pressed <= e["time"] <= started["time"]]
            play = [e for e in between if e["event"] == "play"][-1]
            stopped = next(e for e in between if e["event"] == "audio_stopped")
            current = play["sentence"]
            if started["time"] - pressed > 0.03:  # say what was going on, for the record
                gap = [e for e in s.events() if pressed - 1 <= e["time"] <= started["time"]]
                print(f"slow press ({(started['time'] - pressed) * 1000:.0f} ms):", file=sys.stderr)
                for e in gap:
                    print(f"  {(e['time'] - pressed) * 1000:8.1f} ms {e['event']} "
                          f"{e['sentence']} {e.get('clip', '')}", file=sys.stderr)
            arrivals.append(k["time"] - pressed)
            stops.append(stopped["time"] - pressed)
            starts.append(started["time"] - pressed)
        s.child.send("q")
        s.finish()
    finally:
        if s.child.isalive():
            s.child.terminate(force=True)
    return {"n": len(stops), "arrive": arrivals, "stop": stops, "start": starts}


#: Per engine: key -> old audio stopped and key -> new audio started, in ms, and whether
#: the maximum or the median must meet them. The neural voice renders a sentence's first
#: piece after the key (it cannot render ahead as fast as keys skip), so its start target
#: is the issue's 300 ms median; espeak-ng's sentences are rendered ahead.
TARGETS = {"pyttsx3": (30, 100, "max"), "piper": (30, 300, "median")}


def ms(xs: list[float]) -> tuple[float, float]:
    return statistics.median(xs) * 1000, max(xs) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--presses", type=int, default=50)
    ap.add_argument("--audio", choices=("pulse", "null"), default=None)
    ap.add_argument("--engine", default="pyttsx3", help="pyttsx3, or piper (the neural voice)")
    args = ap.parse_args()
    random.seed(6)
    with tempfile.TemporaryDirectory(prefix="reader-latency-") as tmp:
        tmp = Path(tmp)
        env = None
        if args.audio in (None, "pulse"):
            (tmp / "pulse").mkdir()
            env = start_pulse(tmp / "pulse")
            if env is None and args.audio == "pulse":
                print("PulseAudio is not available; use --audio null.")
                return 1
        audio = "pulse" if env else "null"
        try:
            r = measure(tmp, args.presses, audio, args.engine, env)
        finally:
            if env:
                stop_pulse(env)
    buffer = PERIOD_MS * PERIODS
    print(f"reader read, {r['n']} key presses, engine {args.engine}, audio {audio}")
    print(f"{'measure':36} {'median ms':>10} {'max ms':>8} {'target ms':>10}  met")
    stop_target, start_target, by = TARGETS.get(args.engine, TARGETS["pyttsx3"])
    rows = [
        ("key -> program has the key", r["arrive"], None),
        ("key -> old audio stopped", r["stop"], stop_target),
        ("key -> new audio started", r["start"], start_target),
    ]
    ok = True
    print(f"(target met by the {by})")
    for name, xs, target in rows:
        med, mx = ms(xs)
        met = "" if target is None else ("yes" if (mx if by == "max" else med) <= target else "NO")
        ok &= met != "NO"
        print(f"{name:36} {med:10.1f} {mx:8.1f} {target or '':>10}  {met}")
    print(f"(plus at most {buffer} ms queued in the backend: {PERIODS} periods of {PERIOD_MS} ms)")
    print("reference (docs/facts.md): pyttsx3 say()+stop(): 10,900 ms to stop;")
    print("                      simpleaudio stop: 200-300 ms; miniaudio device stop: 6-11 ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
