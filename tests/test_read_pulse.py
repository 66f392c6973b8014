"""End to end through a real sound server: reader read plays real pyttsx3 speech into a
PulseAudio null sink, recorded with parec; a key press stops the sentence.

Starts its own PulseAudio daemon (as docs/facts.md describes) in a private runtime folder
and kills it afterwards. Skipped where PulseAudio is not installed (CI installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import time

import numpy as np
import pytest

from tests.readpty import Session, start_pulse, stop_pulse

pytestmark = [
    pytest.mark.audio,
    pytest.mark.speech,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("pulseaudio") and shutil.which("parec")),
        reason="needs PulseAudio and parec (Debian: pulseaudio pulseaudio-utils)",
    ),
]
RATE = 22050
WINDOW = 0.02  # seconds per loudness window
LOUD = 300  # RMS above this is speech; the null sink records digital silence as 0


@pytest.fixture
def pulse(tmp_path):
    """A PulseAudio server with one null sink, private to this test."""
    env = start_pulse(tmp_path / "pulse-run")
    if env is None:
        pytest.skip("PulseAudio did not start")
    try:
        yield env
    finally:
        stop_pulse(env)


def loud_windows(raw: bytes) -> np.ndarray:
    samples = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float64)
    n = int(RATE * WINDOW)
    frames = samples[: len(samples) // n * n].reshape(-1, n)
    return np.sqrt((frames**2).mean(axis=1)) > LOUD


def test_speech_plays_into_pulseaudio_and_stops_on_a_key(tmp_path, pulse):
    recording = tmp_path / "sink.raw"
    with open(recording, "wb") as out:
        parec = subprocess.Popen(
            [
                "parec",
                "-d",
                "nullsink.monitor",
                "--raw",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
            ],  # fmt: skip
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=pulse,
        )
        try:
            time.sleep(1.0)  # parec loses the first moments of a recording
            s = Session(tmp_path, "--engine", "pyttsx3", "--audio", "pulse", env=pulse)
            try:
                headline = s.wait("play", sentence=0)
                s.wait("audio_started", clip="sentence")
                body = s.wait("play", sentence=1)  # reached by reading on
                s.wait("audio_started", clip="sentence")
                time.sleep(1.5)
                paused = s.press(" ", "pause")
                said = s.wait("say", text="Paused")
                time.sleep(2.0)  # silence is what should follow
                s.press("q", "quit")
                assert s.finish() == 0
            finally:
                if s.child.isalive():
                    s.child.terminate(force=True)
            time.sleep(0.3)
        finally:
            parec.terminate()
            parec.wait(10)

    loud = loud_windows(recording.read_bytes())
    voiced = loud.sum() * WINDOW
    # Sentence audio was played: the headline and part of the first paragraph.
    assert voiced > 0.5 * headline["duration"] + 0.5
    # ... and stopped on the key: far less than the whole sentence was heard.
    heard_of_body = paused["offset"]
    assert body["duration"] > heard_of_body + 2.0, "the sentence is too short to tell"
    bound = headline["duration"] + heard_of_body + said["duration"] + 0.5
    print(f"voiced {voiced:.2f} s, bound {bound:.2f} s, whole sentence {body['duration']:.2f} s")
    assert voiced < bound, (voiced, bound)
    # Silence after "Paused": nothing more of the sentence played.
    last_loud = np.flatnonzero(loud)[-1]
    assert (len(loud) - 1 - last_loud) * WINDOW > 1.5
