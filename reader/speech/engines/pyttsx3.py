"""The default engine: pyttsx3, used as a synthesiser only (text -> PCM, never played).

On Linux pyttsx3 drives libespeak-ng in its asynchronous retrieval mode. Following the
measurements in docs/facts.md ("pyttsx3 and espeak-ng") this engine: synthesises one
sentence per call; drives the driver directly instead of ``runAndWait`` (whose loop
sleeps 10 ms and returns before synthesis ends); waits for ``finished-utterance`` and
then for espeak's ``IsPlaying()`` to fall to 0 before touching properties again; checks
the frame count (zero frames: retry once, then ``EngineError``); bounds the wait for a
synthesis that never finishes (cancel, retry once, then ``EngineError``); never calls
``say()`` (which plays through aplay); and silences pyttsx3's ``Audio saved to`` print.
espeak-ng is one process-wide synthesiser, so all instances share one lock. This is the
only module importing pyttsx3.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import threading
import time
import wave
from dataclasses import replace

import numpy as np

from reader.errors import EngineError
from reader.model import Audio
from reader.speech.engines import espeak_library
from reader.speech.engines.base import (
    Engine,
    RateCalibration,
    VoiceInfo,
    VoiceSettings,
    trim_silence,
)

_LOCK = threading.Lock()  # espeak-ng (and pyttsx3's driver) is one per process
# pyttsx3.init() hands every caller the same driver, so the settings last applied to it
# are process-wide too: a per-object record would let a second engine's settings leak
# into the first's speech. Read and written only under _LOCK.
_applied: tuple[VoiceSettings, int] | None = None  # (settings as sent, word gap)


ESPEAK_MIN_RATE = 80
"""espeak-ng's slowest rate: asked for less, it speaks at 80."""
WORD_GAP = 7
"""espeak-ng's ``espeakWORDGAP`` parameter (pyttsx3's ``_espeak`` calls it EMPHASIS):
extra silence between words, in steps of 10 ms at the normal speed."""
GAP_STEP = 10
"""Below ``ESPEAK_MIN_RATE`` the calibration's setting goes on as rate 80 plus word gaps:
setting ``80 - GAP_STEP * g`` is rate 80 with word gap ``g``. That is the only way to speak
slower than espeak-ng's floor, and the table measures it like any other setting."""
RATE_CALIBRATION = RateCalibration(
    (
        (40, 70.8), (50, 73.4), (60, 76.0), (70, 78.7), (80, 87.1), (90, 92.7), (100, 102.9),
        (110, 112.9), (120, 122.8), (135, 138.5), (150, 152.9), (175, 177.9), (200, 202.0),
        (225, 226.2), (250, 247.9), (275, 270.1), (300, 292.0), (350, 335.1), (400, 378.4),
        (450, 435.1), (500, 483.9), (550, 532.5), (600, 581.4), (650, 629.3), (700, 677.7),
        (800, 776.1), (900, 873.6), (1000, 973.9),
    )
)  # fmt: skip
"""(setting, words per minute it speaks) for libespeak-ng 1.52 (the espeakng-loader wheel),
voice gmw/en-us: words over the summed trimmed audio of 40 paragraphs (2102 words) of news
prose from the Zyte article-extraction benchmark, not the seed. The setting is espeak-ng's
rate from 80 up, and rate 80 plus word gaps below (``GAP_STEP``). espeak-ng overshoots
slow rates and undershoots fast ones (rate 80: 87 wpm; 450: 435). Above 450 espeak-ng
speeds its audio up itself (its built-in sonic speed-up), and the table goes on the same way
(800: 776). Regenerate with
``python bench/calibrate_rate.py --engine pyttsx3``."""


def _quiet(*args: object, **kwargs: object) -> None:
    """Replaces ``print`` inside pyttsx3's espeak driver: it prints on every save."""


class Pyttsx3Engine(Engine):
    """pyttsx3 as a synthesiser. Create it in the thread that will use it."""

    name = "pyttsx3"
    fork_safe = False  # espeak-ng runs a synthesis thread that does not survive a fork
    sample_rate = 22050
    """espeak-ng's output rate (the WAV pyttsx3 writes carries it too)."""
    time_limit = 10.0
    """Seconds a synthesis may take (plus 0.05 s per character) before it is cancelled."""
    calibration: RateCalibration | None = RATE_CALIBRATION
    """Words per minute -> espeak-ng's rate setting; ``None`` passes the rate through
    unchanged (``bench/calibrate_rate.py`` measures that way). Only the espeak-ng driver
    is calibrated: native drivers take the rate as it is."""

    @staticmethod
    def problem() -> str | None:
        if importlib.util.find_spec("pyttsx3") is None:
            return "pyttsx3 is not installed. Reinstall reader: pip install reader."
        if espeak_library.needed():
            return espeak_library.problem()
        return None

    def __init__(self) -> None:
        # pyttsx3.init() caches one driver per process without a lock: two threads
        # creating engines at once could start espeak-ng twice.
        with _LOCK:
            self._start()

    def _start(self) -> None:
        self.library = espeak_library.load() if espeak_library.needed() else None
        try:
            import pyttsx3  # type: ignore[import-untyped]
        except Exception as e:  # ImportError, or pyttsx3 failing to load its driver
            raise EngineError(
                f"pyttsx3 cannot start ({e}).", "Reinstall reader: pip install reader."
            ) from None
        try:
            self._engine = pyttsx3.init()
        except Exception as e:
            raise EngineError(f"pyttsx3 cannot start its speech driver ({e}).") from None
        self._driver = self._engine.proxy._driver
        self._espeak = None
        if type(self._driver).__module__.endswith("drivers.espeak"):
            from pyttsx3.drivers import _espeak, espeak  # type: ignore[import-untyped]

            espeak.print = _quiet  # module global shadows the builtin for that module only
            self._espeak = _espeak
        # Driving the driver directly uses private names of pyttsx3 2.99. Its public loop
        # is no fallback: there, rate changes after the first runAndWait are ignored
        # (measured: 4 of 4), so a pyttsx3 without them is refused, clearly.
        if self._espeak is not None and not all(
            hasattr(self._driver, a) for a in ("_start_synthesis", "save_to_file", "_onSynth")
        ):
            raise EngineError(
                f"this pyttsx3 ({getattr(pyttsx3, '__version__', '?')}) drives espeak-ng in a "
                "way reader does not know.",
                "Install the version reader was tested with: pip install 'pyttsx3==2.99'.",
            )
        self._direct = self._espeak is not None
        self._done = threading.Event()
        self._token = self._engine.connect("finished-utterance", self._finished)
        self._dir = tempfile.mkdtemp(prefix="reader-pyttsx3-")
        self._wav = os.path.join(self._dir, "sentence.wav")

    # -- the Engine contract -------------------------------------------------------------

    def synthesize(self, text: str, settings: VoiceSettings) -> Audio:
        if not text.strip():
            return Audio(self.sample_rate, np.zeros(0, dtype=np.int16))
        with _LOCK:
            for attempt in (1, 2):
                try:
                    audio = self._synthesize_once(text, settings)
                except TimeoutError:
                    self._cancel()
                    if attempt == 2:
                        raise EngineError(
                            f"pyttsx3 did not finish speaking {_short(text)!r} in time, twice."
                        ) from None
                    continue
                if len(audio.samples):
                    return trim_silence(audio)
                _forget_settings()  # re-apply the properties before the retry
            raise EngineError(f"pyttsx3 returned no audio for {_short(text)!r}, twice.")
        raise AssertionError("unreachable")

    def describe(self) -> str:
        """Which synthesiser pyttsx3 drives; for espeak-ng, which library file."""
        if self.library is None:
            return f"pyttsx3 driver {type(self._driver).__module__.rsplit('.', 1)[-1]}"
        where = {"wheel": "the espeakng-loader wheel", "system": "the system"}[self.library.origin]
        version, _ = self._info()
        return f"espeak-ng {version} from {where}: {self.library.path}"

    def variants(self) -> list[str]:
        """espeak-ng voice variants, usable as ``VOICE+VARIANT`` (e.g. ``gmw/en-us+f3``)."""
        if self._espeak is None:
            return []
        _, data = self._info()
        folder = os.path.join(data, "voices", "!v")
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []

    def _info(self) -> tuple[str, str]:
        """(version, data directory) as the loaded libespeak-ng reports them."""
        import ctypes

        assert self._espeak is not None
        info = self._espeak.dll.espeak_Info
        info.restype = ctypes.c_char_p
        info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        path = ctypes.c_char_p()
        with _LOCK:
            version = info(ctypes.byref(path)) or b"?"
        return version.decode(), (path.value or b"").decode()

    def voices(self) -> list[VoiceInfo]:
        with _LOCK:
            found = self._engine.getProperty("voices")
        return [
            VoiceInfo(str(v.id), str(v.name or v.id), tuple(str(x) for x in (v.languages or ())))
            for v in found
        ]

    def close(self) -> None:
        # A synthesis cut short (Ctrl-C, SIGTERM) may still be writing into our folder:
        # stop it first, or its callback fails on a folder that is gone.
        if self._espeak is not None:
            try:
                if self._espeak.IsPlaying():
                    self._cancel()
                    self._wait_idle(time.monotonic() + 1.0)
            except Exception:  # noqa: S110 (closing: nothing left to tell anyone)
                pass
        try:
            self._engine.disconnect(self._token)
        except Exception:  # pyttsx3 already torn down at exit
            pass
        for name in os.listdir(self._dir) if os.path.isdir(self._dir) else ():
            os.unlink(os.path.join(self._dir, name))
        if os.path.isdir(self._dir):
            os.rmdir(self._dir)

    # -- internals ----------------------------------------------------------------------

    def _finished(self, name: object = None, completed: bool = True) -> None:
        self._done.set()

    def _deadline(self, text: str) -> float:
        return time.monotonic() + self.time_limit + 0.05 * len(text)

    def _driver_rate(self, wpm: int) -> tuple[int, int]:
        """(espeak-ng rate, word gap) that speak ``wpm`` words per minute; with the
        calibration off ``wpm`` is taken as the setting itself."""
        if self._espeak is None:
            return int(wpm), 0
        setting = round(wpm if self.calibration is None else self.calibration.setting(wpm))
        if setting >= ESPEAK_MIN_RATE:
            return setting, 0
        return ESPEAK_MIN_RATE, max(0, round((ESPEAK_MIN_RATE - setting) / GAP_STEP))

    def _apply(self, settings: VoiceSettings) -> None:
        global _applied
        # What is recorded is what the driver gets: two engines may map a rate differently.
        rate, gap = self._driver_rate(settings.rate)
        settings = replace(settings, rate=rate)
        if (settings, gap) == _applied:
            return
        if self._espeak is not None:
            set_ = self._driver.setProperty  # direct: the proxy would queue it for runAndWait
        else:
            set_ = self._engine.setProperty
        if settings.voice:
            try:
                set_("voice", settings.voice)
            except Exception as e:
                raise EngineError(f"pyttsx3 has no voice {settings.voice!r} ({e}).") from None
        set_("rate", int(settings.rate))
        set_("volume", float(settings.volume))
        if self._espeak is not None:
            set_("pitch", int(settings.pitch))
            self._espeak.SetParameter(WORD_GAP, gap, 0)
        _applied = (settings, gap)

    def _synthesize_once(self, text: str, settings: VoiceSettings) -> Audio:
        deadline = self._deadline(text)
        self._wait_idle(deadline)
        self._apply(settings)
        if os.path.exists(self._wav):
            os.unlink(self._wav)
        self._done.clear()
        if self._direct:
            # The driver's own loop (runAndWait) polls every 10 ms; start it directly.
            self._driver.save_to_file(text, self._wav)
            if "[[" in text:  # a lexicon's phonemes: espeak-ng reads [[...]] only when asked
                self._start_with_phonemes(text)
            else:
                self._driver._start_synthesis(text)
        else:  # native drivers (SAPI5, NSSpeechSynthesizer), or no direct way: public API
            self._engine.save_to_file(text, self._wav)
            self._engine.runAndWait()
        if not self._done.wait(max(0.0, deadline - time.monotonic())):
            raise TimeoutError
        self._wait_idle(deadline)
        return _read_wav(self._wav, deadline)

    def _start_with_phonemes(self, text: str) -> None:
        """pyttsx3's ``_start_synthesis`` with espeak-ng's phoneme input on (reader.spoken
        writes [[...]] only from lexicon entries; source text never reaches it as such)."""
        assert self._espeak is not None
        d = self._driver
        d._proxy.setBusy(True)
        d._proxy.notify("started-utterance")
        d._speaking = True
        d._data_buffer = b""
        flags = self._espeak.ENDPAUSE | self._espeak.CHARS_UTF8 | self._espeak.PHONEMES
        self._espeak.Synth(text.encode("utf-8"), flags=flags)

    def _wait_idle(self, deadline: float) -> None:
        """Wait until espeak's synthesis thread is idle: changing properties before that
        gave wrong rates and empty files (docs/facts.md)."""
        if self._espeak is None:
            return
        while self._espeak.IsPlaying():
            if time.monotonic() > deadline:
                raise TimeoutError
            time.sleep(0.0005)

    def _cancel(self) -> None:
        if self._espeak is not None:
            self._espeak.Cancel()
            self._driver._speaking = False
            self._driver._proxy.setBusy(False)
        _forget_settings()


def _forget_settings() -> None:
    global _applied
    _applied = None


def _read_wav(path: str, deadline: float) -> Audio:
    # The WAV is written before finished-utterance fires; native drivers may lag.
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.001)
    try:
        with wave.open(path, "rb") as w:
            rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
            data = w.readframes(w.getnframes())
    except (wave.Error, EOFError, OSError) as e:
        raise EngineError(f"pyttsx3 wrote an unreadable audio file ({e}).") from None
    if width != 2:
        raise EngineError(f"pyttsx3 wrote {8 * width}-bit audio; reader needs 16-bit.")
    samples = np.frombuffer(data, dtype="<i2").astype(np.int16)
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype(np.int16)
    return Audio(rate, samples)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."

