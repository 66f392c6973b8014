"""Fast rates, measured from the audio: pyttsx3 against espeak-ng's own binary, and Piper
time-stretched with the words an offline recogniser still finds in it.

    python bench/rates.py --page FILE [--espeak-rates 450 600 800] [--piper-rates 300 450 600]

``FILE`` is an article page (the seed: ``mali.html`` of the development data). Text: the
page's body paragraphs, as reader reads them (its sentences, the words it says).

1. pyttsx3 at each ``--espeak-rates`` rate through reader's default profile at that
   rate, the pauses it puts between sentences and paragraphs included (they shrink with
   the rate): words of the text over the length of the whole reading, next to
   ``espeak-ng -s RATE`` (Debian's binary, its own pauses) on the same words in one
   call, and the ratio of the two durations.
2. Piper at its own pace (``length_scale`` 1) and at each ``--piper-rates`` rate
   through the neural profile (above ``NATIVE_TOP`` its audio is time-stretched with
   pedalboard): words a minute as in 1, and the word error rate of pocketsphinx (its
   bundled US English model; ``pip install -e '.[bench]'``) against the words said,
   sentence by sentence. Two figures per rate: the recogniser as it is (``asr``), and
   with its frame rate scaled by the speed-up (``asr-scaled``: frames of 10 ms at the
   voice's own pace become frames of 10/k ms), which hears the fast speech at the pace
   it was trained on, so what remains is what the stretching lost, not the recogniser's
   own limit on fast speech (a phone must last 3 frames).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def body_of(page: Path):
    from reader import parse_source
    from reader.segment import segment_article

    article = parse_source(str(page))
    sentences = segment_article(article)
    return article, [s for s in sentences if article.blocks[s.block].kind == "paragraph"]


def reading(article, body, profile) -> tuple[list, float]:
    """(each sentence's audio, seconds of the whole reading with the player's pauses)."""
    from reader.speech.render import render_all

    audios = list(render_all(article, body, profile, jobs=1))
    seconds = 0.0
    for i, (s, a) in enumerate(zip(body, audios, strict=True)):
        last = i + 1 == len(body) or body[i + 1].block != s.block
        seconds += a.duration + (profile.pause_after("paragraph", last) if i + 1 < len(body) else 0)
    return audios, seconds


def espeak_seconds(text: str, rate: int) -> float:
    """Length of ``espeak-ng -s rate`` reading ``text``, trimmed of silence at both ends."""
    from reader.model import Audio
    from reader.speech.engines.base import trim_silence

    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "in.txt"), os.path.join(d, "out.wav")
        Path(src).write_text(text, encoding="utf-8")
        subprocess.run(
            ["espeak-ng", "-v", "en-us", "-s", str(rate), "-f", src, "-w", out], check=True
        )
        with wave.open(out) as w:
            rate_hz = w.getframerate()
            samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return trim_silence(Audio(rate_hz, samples)).duration


def spoken_text(article, body, profile) -> str:
    """The words reader says for ``body``, one paragraph a line, for espeak-ng."""
    from reader.speech.render import speech_text

    lines: list[list[str]] = []
    for i, s in enumerate(body):
        if i == 0 or body[i - 1].block != s.block:
            lines.append([])
        lines[-1].append(speech_text(article, s, profile))
    return "\n\n".join(" ".join(x) for x in lines) + "\n"


def pyttsx3_vs_espeak(article, body, rates: list[int]) -> None:
    from reader.speech.profiles import load_profile

    words = sum(len(s.text.split()) for s in body)
    have_cli = shutil.which("espeak-ng") is not None
    print(f"1. pyttsx3 (reader, default profile) vs espeak-ng -s, {words} words of body text,")
    print("   pauses included; target: within 10% of the asked rate, durations within 10%")
    for rate in rates:
        profile = load_profile().with_engine("pyttsx3").with_rate(rate)
        _, seconds = reading(article, body, profile)
        wpm = words / seconds * 60
        line = f"   {rate}: reader {wpm:.0f} wpm ({(wpm - rate) / rate:+.1%}) in {seconds:.1f} s"
        if have_cli:
            e = espeak_seconds(spoken_text(article, body, profile), rate)
            ewpm = words / e * 60
            line += (
                f"; espeak-ng -s {rate}: {ewpm:.0f} wpm ({(ewpm - rate) / rate:+.1%}) in "
                f"{e:.1f} s; durations reader/espeak-ng {seconds / e:.3f}"
            )
        else:
            line += "; espeak-ng binary not found (Debian: apt-get install espeak-ng)"
        print(line, flush=True)


# -- Piper and the recogniser ------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("-", " "))


def _edits(ref: list[str], hyp: list[str]) -> int:
    """Word-level edit distance (substitutions, deletions, insertions)."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


class Recogniser:
    """pocketsphinx's US English model, one decoder per frame rate."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder  # type: ignore[import-untyped]

        self._cls = Decoder
        self._decoders: dict[int, object] = {}

    def words(self, audio, frate: int = 100) -> list[str]:
        from reader.listen.audio import resample

        if frate not in self._decoders:
            self._decoders[frate] = self._cls(samprate=16000, frate=frate, loglevel="FATAL")
        d = self._decoders[frate]
        d.start_utt()
        d.process_raw(resample(audio, 16000).tobytes(), full_utt=True)
        d.end_utt()
        hyp = d.hyp()
        return _words(hyp.hypstr if hyp else "")


def wer(rec: Recogniser, said: list[str], audios: list, frate: int = 100) -> float:
    errors = total = 0
    for text, audio in zip(said, audios, strict=True):
        ref = _words(text)
        errors += _edits(ref, rec.words(audio, frate))
        total += len(ref)
    return errors / max(1, total)


def piper(article, body, rates: list[int]) -> None:
    from reader.speech.engines import engine_problem, get_engine
    from reader.speech.engines.piper import NATIVE_TOP, RATE_CALIBRATION
    from reader.speech.profiles import load_profile
    from reader.speech.render import speech_text

    why = engine_problem("piper")
    if why:
        print(f"2. Piper: skipped ({why})")
        return
    try:
        rec = Recogniser()
    except ImportError:
        print("2. Piper: skipped (pocketsphinx is not installed: pip install -e '.[bench]')")
        return
    base = load_profile("neural").with_engine("piper")
    said = [speech_text(article, s, base) for s in body]
    words = sum(len(s.text.split()) for s in body)
    engine = get_engine("piper")
    try:
        start = time.perf_counter()
        own = [engine.speak(t, 1.0, 1.0) for t in said]
        own_secs = sum(a.duration for a in own)
        own_wpm = words / own_secs * 60
        print(
            f"2. Piper, {words} words of body text; WER of pocketsphinx against the words said "
            f"(rendered in {time.perf_counter() - start:.0f} s at its own pace)"
        )
        print(
            f"   its own pace (length_scale 1): {own_wpm:.0f} wpm without pauses, "
            f"asr WER {wer(rec, said, own):.1%}",
            flush=True,
        )
    finally:
        engine.close()
    for rate in rates:
        profile = base.with_rate(rate)
        audios, seconds = reading(article, body, profile)
        wpm = words / seconds * 60
        how = (
            f"length_scale {RATE_CALIBRATION.setting(rate):.2f}"
            if rate <= NATIVE_TOP
            else f"{NATIVE_TOP} stretched x{rate / NATIVE_TOP:.2f}"
        )
        k = (words / sum(a.duration for a in audios) * 60) / own_wpm
        print(
            f"   {rate} ({how}): {wpm:.0f} wpm with pauses ({(wpm - rate) / rate:+.1%}); "
            f"asr WER {wer(rec, said, audios):.1%}, asr-scaled (x{k:.2f}) "
            f"{wer(rec, said, audios, int(round(100 * k))):.1%}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--page", type=Path, required=True, help="an article page (the seed)")
    ap.add_argument("--espeak-rates", type=int, nargs="+", default=[450, 600, 800])
    ap.add_argument("--piper-rates", type=int, nargs="+", default=[300, 450, 600])
    args = ap.parse_args()
    if not args.page.is_file():
        sys.exit(f"Error: no page {args.page}.")
    article, body = body_of(args.page)
    pyttsx3_vs_espeak(article, body, args.espeak_rates)
    piper(article, body, args.piper_rates)


if __name__ == "__main__":
    main()
