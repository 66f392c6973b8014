"""Speech synthesis: start-up, per-sentence overhead, throughput, and the neural voice.

    python bench/speech.py [--piper-sentences N] [--first-only]

1. Process start to the first sentence's audio ready (pyttsx3, default profile): a new
   Python process loads the seed, parses, segments and asks a ``Renderer`` for
   sentence 0; timed from ``Popen`` to its "ready" line. Median of ``REPEAT``. Then
   where the time goes, as medians over ``REPEAT`` more processes: interpreter start
   to the first import, reader's imports, parse, segment, profile, and the first
   sentence's synthesis (engine start included). ``--first-only`` runs this item alone.
   Without bytecode caches (``PYTHONDONTWRITEBYTECODE`` and a fresh checkout) every
   module of reader is compiled from source on each run, about a third more work.
2. Overhead per sentence: the cost of one call for a one-word sentence (nearly all
   overhead) and the mean per seed sentence, through reader's engine (driver driven
   directly) and through pyttsx3's public ``save_to_file`` + ``runAndWait`` loop (the
   10 ms sleep docs/facts.md records), made correct with the same completion waits.
3. Throughput of the whole seed, and of the seed five times over (seconds of speech per
   second of work): reader's ``render_all`` on 1 process and on every core (in a fresh
   process, timed after start-up, as export runs it), next to ``espeak-ng -w`` (Debian's
   binary, whole text in one call, including its process start) on the same text in
   the same run, as ratios.
4. The rate is real: words per minute of the seed's body (words over the summed audio
   of its sentences, each trimmed of leading and trailing silence) at 80, 120, 175, 300
   and 450, with reader's rate calibration (bench/calibrate_rate.py) and without it
   (the rate passed to espeak-ng as it is). ``--rate-only`` runs this item alone.
5. Piper (if installed): time to first audio (model load + first sentence), its
   real-time factor over the first N sentences, and words per minute of the seed body
   as in item 4 at 120, 165 (the neural profile's rate) and 300 (``--rate-only`` too).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "reader" / "data" / "mali.html")
REPEAT = 5
SHORT = 50
RATES = (80, 120, 175, 300, 450)

FIRST_AUDIO = f"""
import time
from reader import parse_source
from reader.segment import segment_article
from reader.speech.profiles import load_profile
from reader.speech.render import Renderer
article = parse_source({SEED!r})
sentences = segment_article(article)
with Renderer(article, sentences, load_profile()) as r:
    audio = r.audio(0, timeout=30)
    print("ready", audio.duration, flush=True)
"""


PHASES = f"""
import sys, time
started = time.time() - float(sys.argv[1])  # the interpreter's own start, from Popen
marks = [("interpreter start", time.perf_counter())]
from reader import parse_source
from reader.segment import segment_article
from reader.speech.profiles import load_profile
from reader.speech.render import Renderer
marks.append(("imports", time.perf_counter()))
article = parse_source({SEED!r})
marks.append(("parse", time.perf_counter()))
sentences = segment_article(article)
marks.append(("segment", time.perf_counter()))
profile = load_profile()
marks.append(("profile", time.perf_counter()))
with Renderer(article, sentences, profile) as r:
    r.audio(0, timeout=30)
    marks.append(("first synthesis", time.perf_counter()))
phases = [b - a for (_, a), (_, b) in zip(marks, marks[1:], strict=False)]
print(" ".join(f"{{t:.4f}}" for t in [started, *phases]), flush=True)
"""
PHASE_NAMES = ("imports", "parse", "segment", "profile", "first synthesis")


def first_audio_phases() -> list[float]:
    """Median seconds of the interpreter's own start and of each of ``PHASE_NAMES``, over
    ``REPEAT`` fresh processes."""
    rows = []
    for _ in range(REPEAT):
        out = subprocess.run(
            [sys.executable, "-c", PHASES, repr(time.time())], capture_output=True, text=True
        )
        rows.append([float(x) for x in out.stdout.split()])
    return [statistics.median(c) for c in zip(*rows, strict=True)]


def report_first_audio() -> None:
    times = first_audio()
    print(
        f"1. process start to first sentence audio (pyttsx3, seed): median "
        f"{statistics.median(times):.3f} s, best {min(times):.3f} s over {REPEAT} runs "
        f"(target <= 0.35 s; load average {os.getloadavg()[0]:.1f})"
    )
    phases = first_audio_phases()
    shown = ", ".join(
        f"{name} {t * 1000:.0f} ms"
        for name, t in zip(("interpreter start",) + PHASE_NAMES, phases, strict=True)
    )
    print(f"   where it goes (medians): {shown}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("   (PYTHONDONTWRITEBYTECODE is set: modules without a cached .pyc are compiled "
              "from source on every run)")


def first_audio() -> list[float]:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-c", FIRST_AUDIO], stdout=subprocess.PIPE, text=True)
        line = p.stdout.readline()
        times.append(time.perf_counter() - start)
        p.wait()
        assert line.startswith("ready"), line
    return times


def seed():
    from reader import parse_source
    from reader.segment import segment_article

    article = parse_source(SEED)
    return article, segment_article(article)


EMPTY = []  # zero-frame WAVs the public loop produced


def pyttsx3_public(texts: list[str], rate: int) -> float:
    """pyttsx3's own loop, made correct (wait for the end, then for IsPlaying == 0)."""
    import pyttsx3
    from pyttsx3.drivers import _espeak

    engine = pyttsx3.init()
    done = threading.Event()
    token = engine.connect("finished-utterance", lambda name, completed: done.set())
    engine.setProperty("rate", rate)
    path = os.path.join(tempfile.mkdtemp(), "s.wav")
    start = time.perf_counter()
    for text in texts:
        done.clear()
        engine.save_to_file(text, path)
        engine.runAndWait()
        done.wait(10)
        while _espeak.IsPlaying():
            time.sleep(0.0005)
        with wave.open(path) as w:
            if w.getnframes() == 0:
                EMPTY.append(text)
    elapsed = time.perf_counter() - start
    engine.disconnect(token)
    return elapsed


RENDER = f"""
import sys, time
from reader import parse_source
from reader.segment import segment_article
from reader.speech.profiles import load_profile
from reader.speech.render import render_all
article = parse_source({SEED!r})
sentences = segment_article(article) * int(sys.argv[2])
profile = load_profile()
start = time.perf_counter()
audio = sum(a.duration for a in render_all(article, sentences, profile, jobs=int(sys.argv[1])))
print(time.perf_counter() - start, audio)
"""


def render_fresh(jobs: int, copies: int) -> tuple[float, float]:
    """(wall, audio seconds) of render_all in a new process, as ``reader export`` runs it
    (a fresh process forks its workers; one that already holds an engine spawns them)."""
    out = subprocess.run(
        [sys.executable, "-c", RENDER, str(jobs), str(copies)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall, audio = map(float, out.stdout.split())
    return wall, audio


def espeak_binary(text: str, rate: int) -> tuple[float, float]:
    """(wall seconds, audio seconds) of ``espeak-ng -w`` on ``text``."""
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "in.txt"), os.path.join(d, "out.wav")
        Path(src).write_text(text, encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            ["espeak-ng", "-v", "en-us", "-s", str(rate), "-f", src, "-w", out], check=True
        )
        wall = time.perf_counter() - start
        with wave.open(out) as w:
            return wall, w.getnframes() / w.getframerate()


def rate_is_real(article, sentences, profile) -> None:
    from reader.speech.engines.pyttsx3 import Pyttsx3Engine
    from reader.speech.render import render_all

    body = [s for s in sentences if article.blocks[s.block].kind == "paragraph"]
    words = sum(len(s.text.split()) for s in body)
    calibration = Pyttsx3Engine.calibration
    rows = {}
    try:
        for label, table in (("calibrated", calibration), ("uncalibrated", None)):
            Pyttsx3Engine.calibration = table
            measured = []
            for rate in RATES:
                seconds = sum(
                    a.duration for a in render_all(article, body, profile.with_rate(rate), jobs=1)
                )
                wpm = words / seconds * 60
                measured.append(f"{rate} -> {wpm:.1f} ({(wpm - rate) / rate:+.1%})")
            rows[label] = ", ".join(measured)
    finally:
        Pyttsx3Engine.calibration = calibration
    print(f"4. pyttsx3 words per minute asked -> measured on the seed body ({words} words):")
    for label, shown in rows.items():
        print(f"   {label}: {shown}")


def piper_rate(article, sentences) -> None:
    from reader.speech.engines import engine_problem
    from reader.speech.profiles import load_profile
    from reader.speech.render import render_all

    if engine_problem("piper") is not None:
        return
    body = [s for s in sentences if article.blocks[s.block].kind == "paragraph"]
    words = sum(len(s.text.split()) for s in body)
    measured = []
    for rate in (120, 165, 300):
        profile = load_profile("neural").with_rate(rate)
        seconds = sum(a.duration for a in render_all(article, body, profile, jobs=1))
        wpm = words / seconds * 60
        measured.append(f"{rate} -> {wpm:.1f} ({(wpm - rate) / rate:+.1%})")
    print(f"5. piper words per minute asked -> measured on the seed body: {', '.join(measured)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--piper-sentences", type=int, default=10)
    ap.add_argument("--rate-only", action="store_true", help="only item 4")
    ap.add_argument("--first-only", action="store_true", help="only item 1")
    args = ap.parse_args()
    from reader.speech.profiles import load_profile

    if args.first_only:
        report_first_audio()
        return
    if args.rate_only:
        rate_is_real(*seed(), load_profile())
        piper_rate(*seed())
        return

    report_first_audio()

    from reader.speech.engines import get_engine
    from reader.speech.render import speech_text

    article, sentences = seed()
    profile = load_profile()
    body = [s.text for s in sentences]
    engine = get_engine("pyttsx3")
    settings = profile.settings_for("paragraph")
    engine.synthesize("Warm up.", settings)
    short = ["Yes."] * SHORT
    start = time.perf_counter()
    for t in short:
        engine.synthesize(t, settings)
    reader_short = (time.perf_counter() - start) / SHORT
    start = time.perf_counter()
    for t in body:
        engine.synthesize(t, settings)
    reader_body = (time.perf_counter() - start) / len(body)
    engine.close()
    public_short = pyttsx3_public(short, settings.rate) / SHORT
    public_body = pyttsx3_public(body, settings.rate) / len(body)
    print(
        f"2. cost of one synthesis call: a one-word sentence ('Yes.', {SHORT} calls) "
        f"{reader_short * 1000:.1f} ms with reader's engine vs {public_short * 1000:.1f} ms "
        f"with pyttsx3's runAndWait loop ({public_short / reader_short:.1f}x); a seed "
        f"sentence on average {reader_body * 1000:.1f} ms vs {public_body * 1000:.1f} ms"
    )
    print(f"   (the runAndWait loop returned {len(EMPTY)} zero-frame WAVs in {SHORT + len(body)})")

    text = " ".join(speech_text(article, s, profile) for s in sentences)
    for copies in (1, 5):
        e_wall, e_audio = espeak_binary(" ".join([text] * copies), profile.rate)
        rows = [("espeak-ng -w on the whole text (Debian's binary)", e_wall, e_audio)]
        for jobs in sorted({1, os.cpu_count() or 1}):
            wall, audio = render_fresh(jobs, copies)
            rows.append((f"reader render_all, jobs={jobs}, sentence by sentence", wall, audio))
        base = e_audio / e_wall
        label = "the seed" if copies == 1 else f"the seed {copies} times over"
        print(f"3. {label} ({copies * len(text.split())} words), seconds of speech per second:")
        for name, wall, audio in rows:
            speed = audio / wall
            print(
                f"   {name}: {wall:.3f} s for {audio:.1f} s = {speed:.0f}x real time, "
                f"{speed / base:.2f} of espeak-ng's speed"
            )

    rate_is_real(article, sentences, profile)

    from reader.speech.engines import engine_problem

    if engine_problem("piper") is not None:
        print("5. piper: not installed (pip install 'reader[neural]')")
        return
    neural = load_profile("neural")
    code = (
        "import time; t = time.perf_counter()\n"
        "from reader.speech.engines import get_engine, VoiceSettings\n"
        "e = get_engine('piper')\n"
        "loaded = time.perf_counter() - t\n"
        f"a = e.synthesize({sentences[0].text!r}, VoiceSettings(rate={neural.rate}))\n"
        "print(time.perf_counter() - t, loaded)\n"
    )
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    inner, loaded = map(float, out.stdout.split())
    piper = get_engine("piper")
    few = sentences[: args.piper_sentences]
    start = time.perf_counter()
    audio = sum(
        a.duration for a in (piper.synthesize(s.text, neural.settings_for("body")) for s in few)
    )
    elapsed = time.perf_counter() - start
    print(
        f"5. piper: first audio {inner:.2f} s after import (model load {loaded:.2f} s, then the "
        f"first sentence {inner - loaded:.2f} s), "
        f"{wall:.2f} s from process start; real-time factor {elapsed / audio:.3f} "
        f"({audio / elapsed:.1f}x real time) over {len(few)} sentences, {audio:.1f} s of speech"
    )
    piper_rate(article, sentences)
    if shutil.which("espeak-ng") is None:
        print("   (espeak-ng binary not found: row 3's baseline is missing)")


if __name__ == "__main__":
    main()
