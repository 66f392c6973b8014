"""Worker processes for speech: the one place that chooses fork or spawn, and the one
place that decides how workers live and die.

Fork starts workers at once and shares the parsed article for free; but a speech engine
created in this process may have started a native thread (espeak-ng's synthesis thread,
onnxruntime's pools) that a forked child inherits half-alive, and the child hangs. So
workers are forked only while no engine whose class is not ``Engine.fork_safe`` has
been created in this process, and where fork exists; otherwise they are spawned (fresh
interpreters, a little slower to start). Whether an engine is safe is declared by the
engine itself, so a third-party engine gets the right answer without reader knowing
its name.

How a worker lives:

- Ctrl-C is the parent's: a worker ignores SIGINT (a terminal sends it to the whole
  process group), so the parent alone decides to stop, and the pool's pipes are never
  cut mid-message (which deadlocked the pool's shutdown).
- SIGTERM stops the task a worker is running by raising ``KeyboardInterrupt`` in it, so
  the task's own cleanup runs (``safefile`` removes its temporary files); an idle
  worker ignores it and ends with the pool. ``stop(pool)`` shuts the pool down, sends
  SIGTERM to every worker, waits ``STOP_GRACE`` seconds, then kills what is left.
- A worker whose parent is gone (killed, or its terminal closed) exits within
  ``WATCH_SECONDS``, after running what ``on_exit`` registered (an engine's temporary
  folder is removed), instead of holding pipes open forever.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from reader.speech.engines.base import unsafe_engines_created

#: Seconds between a worker's checks that its parent is still there.
WATCH_SECONDS = 0.5
#: Seconds ``stop`` gives running tasks to clean up before their workers are killed.
STOP_GRACE = 5.0

_cleanups: list[Callable[[], object]] = []
_busy = False
_stop_asked = False


def start_method() -> str:
    """``fork`` or ``spawn``, as the module docstring explains."""
    if unsafe_engines_created() or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork"


def process_pool(
    jobs: int, initializer: Callable[..., Any] | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes started the safe way (``start_method``) and
    living as the module docstring says. Submit work with ``submit``."""
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(start_method()),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )


def submit(pool: ProcessPoolExecutor, fn: Callable[..., Any], *args: Any) -> Future:
    """``pool.submit(fn, *args)``, marked as a task so SIGTERM stops it cleanly."""
    return pool.submit(_task, fn, *args)


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now: no new task starts, running tasks are asked to stop (and clean
    up), and workers still alive after ``STOP_GRACE`` seconds are killed."""
    # ProcessPoolExecutor has no public way to reach its workers; ``_processes`` has
    # held them (pid -> Process) since Python 3.2.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive() and p.pid is not None:
            try:
                os.kill(p.pid, signal.SIGTERM)
            except OSError:
                pass
    deadline = time.monotonic() + STOP_GRACE
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1.0)
    pool.shutdown(wait=True, cancel_futures=True)


def close(pool: ProcessPoolExecutor, interrupted: bool) -> None:
    """End ``pool`` after use: a normal shutdown, or ``stop`` when the work was cut
    short (an exception, Ctrl-C)."""
    if interrupted:
        stop(pool)
    else:
        pool.shutdown(wait=True, cancel_futures=True)


def on_exit(fn: Callable[[], object]) -> None:
    """Run ``fn`` once when this worker process ends, however it ends (normally, or
    because its parent is gone). In the main process it runs at interpreter exit."""
    done: list[bool] = []

    def once() -> None:
        if not done:
            done.append(True)
            fn()

    _cleanups.append(once)
    multiprocessing.util.Finalize(None, once, exitpriority=10)


# -- inside a worker -------------------------------------------------------------------


def _start_worker(
    parent: int, initializer: Callable[..., Any] | None, initargs: tuple
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def check_stop() -> None:
    """Raise ``KeyboardInterrupt`` in a worker asked to stop. Long tasks call it between
    steps: a signal that lands while native code calls back into Python (espeak-ng's
    synthesis callback) is swallowed there, and this is where it is raised again."""
    if _stop_asked:
        raise KeyboardInterrupt


def _task(fn: Callable[..., Any], *args: Any) -> Any:
    global _busy, _stop_asked
    _busy, _stop_asked = True, False
    try:
        return fn(*args)
    finally:
        _busy = False


def _on_sigterm(signum: int, frame: object) -> None:
    # A running task unwinds and removes its temporary files. An idle worker carries on:
    # it may be sending a result, and dying halfway would leave the pool reading half a
    # message forever; the pool's own end-of-work message ends it a moment later.
    global _stop_asked
    if _busy:
        _stop_asked = True
        raise KeyboardInterrupt


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    _run_cleanups()
    os._exit(1)


def _run_cleanups() -> None:
    for fn in _cleanups:
        try:
            fn()
        except Exception:  # noqa: S110 (a worker on its way out: nothing to report to)
            pass
