"""The engine interface and the registry that finds engines by name."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from itertools import pairwise
from typing import Protocol, runtime_checkable

from reader.errors import EngineError
from reader.model import Audio

ENTRY_POINT_GROUP = "reader.engines"


@dataclass(frozen=True)
class VoiceSettings:
    """How one piece of text is to be spoken."""

    voice: str | None = None
    """The engine's voice id; ``None`` for the engine's default."""
    rate: int = 175
    """Words per minute."""
    pitch: int = 50
    """0 (lowest) to 100 (highest); 50 is the voice's normal pitch."""
    volume: float = 1.0
    """0.0 to 1.0."""


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@runtime_checkable
class Engine(Protocol):
    """A speech synthesiser. Implementations may be slow to create, so create one per worker."""

    name: str

    def synthesize(self, text: str, settings: VoiceSettings) -> Audio:
        """Speak ``text`` into mono int16 PCM. Raises ``EngineError`` on failure."""
        ...

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine can use."""
        ...

    def close(self) -> None:
        """Release the engine's resources."""
        ...


@dataclass(frozen=True)
class EngineStatus:
    """Whether an engine works here, found by really synthesising a short phrase."""

    name: str
    ok: bool
    detail: str
    """What it uses (library, model) when it works; the error with the fix when not."""
    voices: int = 0
    """How many voices it offers."""
    seconds: float = 0.0
    """Time to create the engine and speak the test phrase."""


def engine_status(name: str, phrase: str = "Testing, one two three.") -> EngineStatus:
    """Create engine ``name``, speak ``phrase`` and report; never raises ``ReaderError``."""
    import time

    from reader.errors import ReaderError

    started = time.perf_counter()
    try:
        engine = get_engine(name)
    except ReaderError as e:
        return EngineStatus(name, False, str(e))
    try:
        audio = engine.synthesize(phrase, VoiceSettings())
        if audio.duration <= 0:
            raise EngineError("it returned no audio for a test phrase.")
        describe = getattr(engine, "describe", None)
        detail = describe() if callable(describe) else "works"
        return EngineStatus(
            name, True, detail, len(engine.voices()), time.perf_counter() - started
        )
    except ReaderError as e:
        return EngineStatus(name, False, str(e))
    except Exception as e:  # a broken engine is a finding, not a crash of the doctor
        return EngineStatus(name, False, f"it failed ({type(e).__name__}: {e}).")
    finally:
        engine.close()


@dataclass(frozen=True)
class RateCalibration:
    """A measured table from an engine's own speed setting to the words per minute it
    really speaks, used backwards: the setting that speaks a wanted rate.

    Engines' speed settings are not linear in words per minute (espeak-ng's ``rate``
    overshoots at slow rates; Piper's pauses do not scale with ``length_scale``), so each
    engine ships points measured on news prose by ``bench/calibrate_rate.py`` and this
    interpolates between them, linearly; beyond the table it scales the nearest point's
    setting in proportion (inversely for a setting that slows speech down)."""

    points: tuple[tuple[float, float], ...]
    """(engine setting, measured words per minute) pairs; words per minute must rise
    strictly along the table, and the setting must strictly rise or strictly fall."""

    def __post_init__(self) -> None:
        pts = sorted(self.points, key=lambda p: p[1])
        steps = {(b[0] > a[0], b[0] == a[0], b[1] == a[1]) for a, b in pairwise(pts)}
        if len(pts) < 2 or steps not in ({(True, False, False)}, {(False, False, False)}):
            raise ValueError(
                "a rate calibration needs 2+ points, words per minute strictly rising and "
                "the setting strictly rising or strictly falling with it"
            )
        object.__setattr__(self, "points", tuple(pts))

    def setting(self, wpm: float) -> float:
        """The engine setting that speaks ``wpm`` words per minute."""
        pts = self.points
        rising = pts[1][0] > pts[0][0]
        if wpm <= pts[0][1] or wpm >= pts[-1][1]:
            s, w = pts[0] if wpm <= pts[0][1] else pts[-1]
            return s * (wpm / w if rising else w / wpm)
        for (s0, w0), (s1, w1) in pairwise(pts):
            if wpm <= w1:
                return s0 + (s1 - s0) * (wpm - w0) / (w1 - w0)
        raise AssertionError("unreachable")


def trim_silence(audio: Audio, threshold: int = 64, margin: float = 0.01) -> Audio:
    """``audio`` without leading and trailing silence (samples at or below ``threshold``),
    keeping ``margin`` seconds at each end so no onset is clipped. Engines use it so that
    the pauses between sentences are the voice profile's alone."""
    import numpy as np

    s = audio.samples
    loud = np.flatnonzero(np.abs(s.astype(np.int32)) > threshold)
    if not len(loud):
        return audio
    keep = int(margin * audio.sample_rate)
    a, b = max(0, int(loud[0]) - keep), min(len(s), int(loud[-1]) + 1 + keep)
    return Audio(audio.sample_rate, s[a:b].copy())


def _entry_points() -> dict:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available_engines() -> list[str]:
    """Names of every registered engine, installed or not."""
    return sorted(_entry_points())


def _factory(name: str):
    eps = _entry_points()
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none (is reader installed with pip?)"
        raise EngineError(f"unknown speech engine {name!r}.", f"Known engines: {known}.")
    try:
        return eps[name].load()
    except Exception as e:  # a broken third-party plugin must not take reader down
        raise EngineError(f"speech engine {name!r} failed to load ({e}).") from None


def get_engine(name: str) -> Engine:
    """Create the engine registered as ``name``. Raises ``EngineError`` if it is unknown,
    not installed or not working (the message says what to install)."""
    return _factory(name)()


def engine_problem(name: str) -> str | None:
    """Why engine ``name`` cannot work here (with what to install), or ``None`` if it
    looks usable. Cheap: it does not start the engine. An engine class may define a
    static ``problem() -> str | None`` for this check."""
    try:
        factory = _factory(name)
    except EngineError as e:
        return str(e)
    check = getattr(factory, "problem", None)
    return check() if callable(check) else None
