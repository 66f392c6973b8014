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


def restart_pulse(run, tries: int = 20) -> None:
    """Start the server again in the same runtime folder (the old one may still be
    leaving it)."""
    for _ in range(tries):
        if start_pulse(run) is not None:
            return
        time.sleep(0.25)
    raise AssertionError("PulseAudio did not start again")


def test_losing_the_sound_server_is_told_and_reading_goes_on_when_it_returns(tmp_path, pulse):
    run = tmp_path / "pulse-run"
    s = Session(tmp_path, "--engine", "pyttsx3", "--audio", "pulse", "--from-start", env=pulse)
    try:
        s.wait("play", sentence=1)
        s.wait("audio_started", clip="sentence")
        stop_pulse(pulse)
        gone = time.time()
        lost = s.wait("device_lost")
        print(f"device loss noticed {lost['time'] - gone:.2f} s after the server stopped")
        assert lost["time"] - gone <= 2.0, lost["time"] - gone
        assert lost["sentence"] == 1
        s.child.expect("Sound device lost")
        time.sleep(1.0)  # nothing to open yet: at least one attempt fails
        restart_pulse(run)
        restarted = time.time()
        back = s.wait("device_back")
        print(f"device back {back['time'] - restarted:.2f} s after the server started again")
        assert back["sentence"] == 1
        said = s.wait("say", text="Sound is back")
        # ... then the interrupted sentence again, from its start, into the new server.
        again = s.wait("play", sentence=1)
        assert again["offset"] == 0 and again["time"] > said["time"]
        s.wait("audio_started", clip="sentence")
        # Lost again, q quits at once: the key loop never waits for the device.
        stop_pulse(pulse)
        s.wait("device_lost")
        pressed = time.time()
        quit_ = s.press("q", "quit")
        assert quit_["time"] - pressed < 0.5
        assert s.finish() == 0
    finally:
        if s.child.isalive():
            s.child.terminate(force=True)
