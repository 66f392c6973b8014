"""Playback: one open miniaudio device that plays one clip at a time and stops at once.

This is the only module that imports miniaudio. An ``Output`` opens its device once and
keeps it running; the device's callback hands out frames of the current clip, or
silence when there is none. Stopping therefore costs no device restart: the next
callback (one period, 10 ms) already hands out silence, and a new clip starts at the
next callback too. Only the backend's own buffer (``periods`` x ``period_ms``) plays on.

Outputs by name:

- ``default``: the system's sound (PulseAudio, ALSA, ...), never the silent sink;
  no device raises ``AudioError`` suggesting ``reader export``.
- ``pulse`` / ``alsa``: that backend only.
- ``null``: miniaudio's null backend, a silent sink that consumes audio in real time,
  for tests and for machines without sound.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import miniaudio  # type: ignore[import-untyped]
import numpy as np

from reader.errors import AudioError
from reader.listen import OUTPUTS
from reader.model import Audio
from reader.speech.engines.base import Engine

#: The device runs at the engines' usual rate, so most clips need no resampling.
SAMPLE_RATE = Engine.sample_rate
#: One callback period. Stop and start latency is at most this plus the backend buffer.
PERIOD_MS = 10
PERIODS = 2

_BACKENDS = {
    "pulse": [miniaudio.Backend.PULSEAUDIO],
    "alsa": [miniaudio.Backend.ALSA],
    "null": [miniaudio.Backend.NULL],
}

NO_DEVICE_HINT = (
    "Save it as an audio file instead with `reader export SOURCE`, "
    "or use --audio null to run without sound."
)


@dataclass(frozen=True)
class OutputInfo:
    """One playback output and whether it can be opened here."""

    name: str
    """The name ``--audio`` takes."""
    available: bool
    detail: str
    """The backend and device found, or why it cannot be opened."""


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    # ALSA's C library prints a dozen lines to fd 2 when there is no card; the user
    # should see our one-line error instead.
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _open_device(
    name: str, sample_rate: int, period_ms: int, periods: int
) -> miniaudio.PlaybackDevice:
    if name not in OUTPUTS:
        raise AudioError(f"unknown audio output {name!r}.", f"Choose one of: {', '.join(OUTPUTS)}.")
    backends = _BACKENDS.get(name)
    if name == "default":
        # miniaudio's own order, minus the silent sink: "default" must mean sound.
        backends = [
            b
            for b in miniaudio.Backend
            if b not in (miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM)
        ]
    try:
        with _quiet_stderr():
            return miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=sample_rate,
                buffersize_msec=period_ms,
                callback_periods=periods,
                backends=backends,
                app_name="reader",
            )
    except miniaudio.MiniaudioError:
        where = (
            "no sound device found"
            if name == "default"
            else f"the {name} audio output cannot be opened"
        )
        raise AudioError(f"{where}.", NO_DEVICE_HINT) from None


def list_outputs() -> list[OutputInfo]:
    """Every output name with whether it opens on this machine (for ``reader doctor``)."""
    found = []
    for name in OUTPUTS:
        try:
            device = _open_device(name, SAMPLE_RATE, PERIOD_MS, PERIODS)
        except AudioError as e:
            found.append(OutputInfo(name, False, e.message))
            continue
        found.append(OutputInfo(name, True, f"backend {device.backend}"))
        device.close()
    return found


def resample(audio: Audio, rate: int) -> np.ndarray:
    """``audio``'s samples at ``rate`` (linear interpolation; speech tolerates it)."""
    samples = np.asarray(audio.samples, dtype=np.int16)
    if audio.sample_rate == rate or len(samples) == 0:
        return samples
    n = int(round(len(samples) * rate / audio.sample_rate))
    x = np.linspace(0, len(samples) - 1, n)
    return np.interp(x, np.arange(len(samples)), samples).astype(np.int16)


class _Clip:
    """A clip being played: its samples, the read position and its callbacks."""

    def __init__(self, samples: np.ndarray, pos: int, on_start, on_end) -> None:
        self.samples = samples
        self.pos = pos
        self.on_start = on_start
        self.on_end = on_end
        self.started = False


class Output:
    """An open playback device that plays one clip at a time.

    ``play`` replaces whatever is playing; ``stop`` silences it. Callbacks given to
    ``play`` run on the audio thread with the wall-clock time the first frames of the
    clip were handed to the device (``on_start``) or the clip ran out (``on_end``);
    they must only hand the news on (for example put it in a queue).
    """

    def __init__(
        self,
        name: str = "default",
        *,
        sample_rate: int = SAMPLE_RATE,
        period_ms: int = PERIOD_MS,
        periods: int = PERIODS,
    ) -> None:
        self.name = name
        self.sample_rate = sample_rate
        self._lock = threading.Lock()
        self._clip: _Clip | None = None
        self._stop_pending: Callable[[float], None] | None = None
        self._device = _open_device(name, sample_rate, period_ms, periods)
        self.backend: str = self._device.backend
        generator = self._frames()
        next(generator)
        try:
            with _quiet_stderr():
                self._device.start(generator)
        except miniaudio.MiniaudioError:
            self._device.close()
            raise AudioError(
                f"the {name} audio output cannot be started.", NO_DEVICE_HINT
            ) from None

    def play(
        self,
        audio: Audio,
        *,
        offset: float = 0.0,
        on_start: Callable[[float], None] | None = None,
        on_end: Callable[[float], None] | None = None,
    ) -> None:
        """Play ``audio`` from ``offset`` seconds, replacing anything playing."""
        samples = resample(audio, self.sample_rate)
        pos = min(len(samples), max(0, int(offset * self.sample_rate)))
        with self._lock:
            self._clip = _Clip(samples, pos, on_start, on_end)

    def stop(self, on_stopped: Callable[[float], None] | None = None) -> float:
        """Silence the current clip; returns how far into it playback had got, in seconds.

        ``on_stopped`` is called from the audio thread when the device is first handed
        silence instead of the clip.
        """
        with self._lock:
            clip, self._clip = self._clip, None
            if clip is not None and on_stopped is not None:
                self._stop_pending = on_stopped
        return 0.0 if clip is None else clip.pos / self.sample_rate

    @property
    def position(self) -> float:
        """Seconds into the current clip; 0.0 when nothing plays."""
        clip = self._clip
        return 0.0 if clip is None else clip.pos / self.sample_rate

    @property
    def playing(self) -> bool:
        return self._clip is not None

    def close(self) -> None:
        with self._lock:
            self._clip = None
        self._device.close()

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _frames(self):
        """The device callback: the next ``required`` frames of the clip, or silence."""
        required = yield b""
        while True:
            out = np.zeros(required, dtype=np.int16)
            started = ended = stopped = None
            with self._lock:
                clip = self._clip
                if self._stop_pending is not None:
                    stopped, self._stop_pending = self._stop_pending, None
                if clip is not None:
                    chunk = clip.samples[clip.pos : clip.pos + required]
                    out[: len(chunk)] = chunk
                    clip.pos += len(chunk)
                    if not clip.started:
                        clip.started = True
                        started = clip.on_start
                    if clip.pos >= len(clip.samples):
                        self._clip = None
                        ended = clip.on_end
            now = time.time()
            for callback in (stopped, started, ended):
                if callback is not None:
                    callback(now)
            required = yield out
