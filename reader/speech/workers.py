"""Worker processes for speech: the one place that chooses fork or spawn.

Fork starts workers at once and shares the parsed article for free; but a speech engine
created in this process may have started a native thread (espeak-ng's synthesis thread,
onnxruntime's pools) that a forked child inherits half-alive, and the child hangs. So
workers are forked only while no engine whose class is not ``Engine.fork_safe`` has
been created in this process, and where fork exists; otherwise they are spawned (fresh
interpreters, a little slower to start). Whether an engine is safe is declared by the
engine itself, so a third-party engine gets the right answer without reader knowing
its name.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from reader.speech.engines.base import unsafe_engines_created


def start_method() -> str:
    """``fork`` or ``spawn``, as the module docstring explains."""
    if unsafe_engines_created() or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork"


def process_pool(
    jobs: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes started the safe way (``start_method``)."""
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(start_method()),
        initializer=initializer,
        initargs=initargs,
    )
