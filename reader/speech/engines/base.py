"""The engine interface and the registry that finds engines by name."""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, ClassVar

from reader.errors import EngineError
from reader.model import Audio

ENTRY_POINT_GROUP = "reader.engines"


class Interrupted(Exception):
    """Raised by ``synthesize`` in the thread that runs it after ``Engine.interrupt``."""


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


#: Names of the engine classes not ``fork_safe`` of which this process has made an instance.
_UNSAFE_CREATED: set[str] = set()


class Engine:
    """The engine contract: every hook reader calls on a speech engine, with its default.

    An engine subclasses ``Engine``, overrides ``synthesize`` (and whatever else it
    has), and registers the class under the ``reader.engines`` entry-point group, as
    reader's own engines do in pyproject.toml::

        [project.entry-points."reader.engines"]
        myengine = "mypackage.engine:MyEngine"

    reader calls nothing that is not declared here. Engines may be slow to create, so
    reader creates one per thread or worker process and closes it when done.
    """

    name: str = ""
    """The name it is registered under (``--engine NAME``, a profile's ``engine``)."""
    fork_safe: ClassVar[bool] = False
    """Whether a process that has created this engine may still fork worker processes.
    Leave it false where the engine starts a native thread or keeps a native library's
    state (espeak-ng's synthesis thread, an inference runtime's pools): a forked child
    inherits them half-alive and hangs, so reader spawns fresh workers instead
    (``reader.speech.workers``)."""
    sample_rate: int = 22050
    """Samples per second of the audio ``synthesize`` returns (an engine whose voices
    differ sets it per instance). The one default for the rate in reader."""
    max_rate: ClassVar[int | None] = None
    """The fastest words per minute this engine speaks intelligibly, where that is below
    the top of reader's range (``reader.speech.profiles.MAX_RATE``); ``None``: no lower
    limit of its own. Profiles clamp their rates to it."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Engine:
        if not cls.fork_safe:
            _UNSAFE_CREATED.add(f"{cls.__module__}.{cls.__qualname__}")
        return super().__new__(cls)

    @staticmethod
    def problem() -> str | None:
        """Why the engine cannot work here (with what to install), or ``None`` if it
        looks usable. Called on the class, and cheap: it must not start the engine."""
        return None

    def synthesize(self, text: str, settings: VoiceSettings) -> Audio:
        """Speak ``text`` into mono int16 PCM at ``sample_rate``. Raises ``EngineError``
        on failure."""
        raise NotImplementedError(f"{type(self).__name__} does not synthesize")

    def synthesize_pieces(self, text: str, settings: VoiceSettings) -> Iterator[Audio]:
        """``synthesize`` in pieces, in order, each as soon as it is ready; joined, they
        are ``text``'s audio. An engine that is slow on long text renders short pieces
        so that a listener hears the start sooner; by default, one piece."""
        yield self.synthesize(text, settings)

    def interrupt(self) -> None:
        """From another thread: make a synthesis running now end soon by raising
        ``Interrupted`` (a listener moved on). By default nothing: it finishes."""

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine can use."""
        return []

    def variants(self) -> list[str]:
        """Voice variants that combine with any voice as ``VOICE+VARIANT`` (espeak-ng's
        ``f3``, ``m1``...); none by default."""
        return []

    def describe(self) -> str:
        """What it uses (library and version, model), for ``reader doctor``."""
        return "works"

    def close(self) -> None:
        """Release the engine's resources. Safe to call twice."""


def unsafe_engines_created() -> list[str]:
    """The engine classes, not ``fork_safe``, of which this process has made an instance."""
    return sorted(_UNSAFE_CREATED)


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
        return EngineStatus(
            name, True, engine.describe(), len(engine.voices()), time.perf_counter() - started
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


@dataclass(frozen=True)
class _EntryPoint:
    """One ``reader.engines`` entry point: ``name = module:attribute``."""

    name: str
    value: str

    def load(self) -> Any:
        module, _, attribute = self.value.partition(":")
        found: Any = importlib.import_module(module.strip())
        for part in filter(None, attribute.strip().split(".")):
            found = getattr(found, part)
        return found


_SCANS: dict[tuple[str, ...], dict[str, Any]] = {}


def _entry_points() -> dict[str, Any]:
    """The ``reader.engines`` entry points of the installed distributions, by name.

    Found as ``importlib.metadata`` finds them in the folders on ``sys.path`` (each
    ``*.dist-info`` or ``*.egg-info`` folder's ``entry_points.txt``; the first
    distribution of a name counts) but without importing it: that import (the email
    package, for metadata reader does not read) was a tenth of the time from starting
    ``reader read`` to the first sound. A ``sys.path`` entry that is not a folder (a zip)
    is left to ``importlib.metadata``."""
    key = tuple(sys.path)
    if key not in _SCANS:
        _SCANS[key] = _scan(key)
    return _SCANS[key]


def _scan(path: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    seen: set[str] = set()
    for entry in path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):  # a zip or egg file: the library knows those
                from importlib.metadata import entry_points

                return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if suffix not in ("dist-info", "egg-info") or not dot:
                continue
            dist = re.sub(r"[-_.]+", "_", stem.split("-")[0]).lower()
            info = os.path.join(folder, name)
            if dist in seen or not os.path.isdir(info):
                continue
            seen.add(dist)
            try:
                with open(os.path.join(info, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            found.update(_group(text, ENTRY_POINT_GROUP))
    return found


def _group(text: str, group: str) -> dict[str, _EntryPoint]:
    """The entry points of ``group`` in an ``entry_points.txt``."""
    out: dict[str, _EntryPoint] = {}
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            out[name.strip()] = _EntryPoint(name.strip(), value.strip())
    return out


def available_engines() -> list[str]:
    """Names of every registered engine, installed or not."""
    return sorted(_entry_points())


def _factory(name: str) -> type[Engine]:
    eps = _entry_points()
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none (is reader installed with pip?)"
        raise EngineError(f"unknown speech engine {name!r}.", f"Known engines: {known}.")
    try:
        factory = eps[name].load()
    except Exception as e:  # a broken third-party plugin must not take reader down
        raise EngineError(f"speech engine {name!r} failed to load ({e}).") from None
    if not (isinstance(factory, type) and issubclass(factory, Engine)):
        raise EngineError(
            f"speech engine {name!r} ({eps[name].value}) is not a reader engine.",
            "Its class must subclass reader.speech.engines.Engine.",
        )
    return factory


def get_engine(name: str) -> Engine:
    """Create the engine registered as ``name``. Raises ``EngineError`` if it is unknown,
    not installed or not working (the message says what to install)."""
    engine = _factory(name)()
    engine.name = name
    return engine


@functools.cache
def engine_max_rate(name: str) -> int | None:
    """Engine ``name``'s own fastest rate (``Engine.max_rate``), or ``None`` for none or
    an engine that cannot be loaded. Cheap: it loads the class, not the engine."""
    try:
        return _factory(name).max_rate
    except EngineError:
        return None


def engine_problem(name: str) -> str | None:
    """Why engine ``name`` cannot work here (with what to install), or ``None`` if it
    looks usable. Cheap: it does not start the engine (``Engine.problem``)."""
    try:
        factory = _factory(name)
    except EngineError as e:
        return str(e)
    return factory.problem()
