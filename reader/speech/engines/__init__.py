"""Speech engines: text plus voice settings in, PCM audio out.

Engines are found through the ``reader.engines`` entry-point group, the same way a
third-party engine registers itself; the built-in ones are declared in pyproject.toml.
"""

from __future__ import annotations

from reader.speech.engines.base import (
    Engine,
    EngineStatus,
    VoiceInfo,
    VoiceSettings,
    available_engines,
    engine_problem,
    engine_status,
    get_engine,
)

__all__ = [
    "Engine",
    "VoiceInfo",
    "EngineStatus",
    "VoiceSettings",
    "available_engines",
    "engine_problem",
    "engine_status",
    "get_engine",
]
