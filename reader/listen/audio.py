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

Losing the device: when the sound server goes away (a Bluetooth headset drops, PulseAudio
stops), miniaudio neither raises nor calls its stop callback; the device's callback simply
stops coming. A watch thread notices a silence of ``LOST_AFTER`` seconds in the
callbacks, drops the clip, reports ``lost`` and tries to open the same output again at
once and then every ``RETRY`` seconds, reporting ``back`` when it plays again.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

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
#: Seconds without a device callback after which the device counts as lost.
LOST_AFTER = 1.0
#: Seconds a newly started device may take to ask for its first frames (a PulseAudio
#: server just started took 1.6 s).
START_GRACE = 5.0
#: Seconds between attempts to open the output again once it is lost.
RETRY = 3.0
#: How often the watch thread looks.
WATCH_PERIOD = 0.1

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


class _Fixed:
    """A whole ``Audio`` as a clip source (see ``Output.play``)."""

    done = True

    def __init__(self, audio: Audio) -> None:
        self.sample_rate = audio.sample_rate
        self.samples = audio.samples


class _Clip:
    """A clip being played: its source, the read position, the silence after it and its
    callbacks. A source that is not ``done`` may still grow; the callback hands out
    silence while it waits for more (and the clip does not start before its first
    samples)."""

    def __init__(self, source: Any, rate: int, pos: int, tail: int, on_start, on_end) -> None:
        self.source = source
        self.rate = rate
        self.samples = np.zeros(0, np.int16)
        self.done = False
        self._seen: Any = None
        self.tail = tail
        self.refresh()
        self.pos = min(pos, self.end) if self.done else pos
        self.on_start = on_start
        self.on_end = on_end
        self.started = False

    def refresh(self) -> None:
        """Take up the samples the source has now (read ``done`` first: see
        ``reader.speech.render.Rendering``)."""
        done = bool(self.source.done)
        raw = self.source.samples
        if raw is not self._seen:
            self._seen = raw
            rate = self.source.sample_rate or self.rate
            self.samples = resample(Audio(rate, raw), self.rate)
        self.done = done

    @property
    def end(self) -> int:
        return len(self.samples) + (self.tail if self.done else 0)


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
        self._config = (period_ms, periods)
        self._lock = threading.Lock()
        self._clip: _Clip | None = None
        self._stop_pending: Callable[[float], None] | None = None
        self._listeners: list[Callable[[str, float], None]] = []
        self.lost = False
        self._device: miniaudio.PlaybackDevice | None = self._start_device()
        self.backend: str = self._device.backend
        self._closing = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="reader-audio-watch", daemon=True)
        self._watcher.start()

    def _start_device(self) -> miniaudio.PlaybackDevice:
        """A new device for this output, started; ``AudioError`` when it cannot be."""
        device = _open_device(self.name, self.sample_rate, *self._config)
        generator = self._frames()
        next(generator)
        # The callback's heartbeat: None until the first callback, which may take a while.
        self._heard: float | None = None
        self._started_at = time.monotonic()
        try:
            with _quiet_stderr():
                device.start(generator)
        except miniaudio.MiniaudioError:
            device.close()
            raise AudioError(
                f"the {self.name} audio output cannot be started.", NO_DEVICE_HINT
            ) from None
        return device

    def watch(self, listener: Callable[[str, float], None]) -> None:
        """Call ``listener(what, time)`` from the watch thread when the device is ``lost``
        and when it is ``back``; like the clip callbacks it must only hand the news on."""
        self._listeners.append(listener)

    def play(
        self,
        audio: Any,
        *,
        offset: float = 0.0,
        tail: float = 0.0,
        on_start: Callable[[float], None] | None = None,
        on_end: Callable[[float], None] | None = None,
    ) -> None:
        """Play ``audio`` from ``offset`` seconds, then ``tail`` seconds of silence,
        replacing anything playing. ``audio`` is an ``Audio``, or a source still being
        filled (``sample_rate``, ``samples`` replaced as it grows, ``done``), such as
        ``reader.speech.render.Rendering``: it plays as far as it has got."""
        source = audio if hasattr(audio, "done") else _Fixed(audio)
        rate = self.sample_rate
        clip = _Clip(source, rate, max(0, int(offset * rate)), int(tail * rate), on_start, on_end)
        with self._lock:
            self._clip = clip

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
        self._closing.set()
        if threading.current_thread() is not self._watcher:
            self._watcher.join(timeout=2)
        with self._lock:
            self._clip = None
            device, self._device = self._device, None
        if device is not None:
            device.close()

    # -- the watch thread -------------------------------------------------------------

    def _silent_too_long(self, now: float) -> bool:
        heard = self._heard
        if heard is None:
            return now - self._started_at > START_GRACE
        return now - heard > LOST_AFTER

    def _watch(self) -> None:
        tick = time.monotonic()
        while not self._closing.wait(WATCH_PERIOD):
            now = time.monotonic()
            # A late tick means this thread, too, waited (for the GIL, or the machine was
            # suspended): the callback's silence proves nothing then; look again next tick.
            late, tick = now - tick > 5 * WATCH_PERIOD, now
            if late or not self._silent_too_long(now):
                continue
            self._lose()
            if not self._reopen():
                return

    def _tell(self, what: str) -> None:
        now = time.time()
        for listener in list(self._listeners):
            listener(what, now)

    def _lose(self) -> None:
        with self._lock:
            self._clip = None
            self._stop_pending = None
            device, self._device = self._device, None
            self.lost = True
        if device is not None:
            with contextlib.suppress(Exception), _quiet_stderr():
                device.close()
        self._tell("lost")

    def _reopen(self) -> bool:
        """Open the output again, at once and then every ``RETRY`` s; False if closed first."""
        while not self._closing.is_set():
            try:
                device = self._start_device()
            except AudioError:
                self._closing.wait(RETRY)
                continue
            with self._lock:
                if not self._closing.is_set():
                    self._device, self.backend = device, device.backend
                    self.lost = False
                    device = None
            if device is not None:  # closed meanwhile
                device.close()
                return False
            self._tell("back")
            return True
        return False

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _frames(self):
        """The device callback: the next ``required`` frames of the clip, or silence."""
        required = yield b""
        while True:
            self._heard = time.monotonic()
            out = np.zeros(required, dtype=np.int16)
            started = ended = stopped = None
            with self._lock:
                clip = self._clip
                if self._stop_pending is not None:
                    stopped, self._stop_pending = self._stop_pending, None
                if clip is not None:
                    if not clip.done:
                        clip.refresh()
                    chunk = clip.samples[clip.pos : clip.pos + required]
                    out[: len(chunk)] = chunk
                    # Past the samples: the tail's silence, once the source is done.
                    n = min(required, max(0, clip.end - clip.pos))
                    clip.pos += n
                    if not clip.started and n:
                        clip.started = True
                        started = clip.on_start
                    if clip.done and clip.pos >= clip.end:
                        self._clip = None
                        ended = clip.on_end
            now = time.time()
            for callback in (stopped, started, ended):
                if callback is not None:
                    callback(now)
            required = yield out
