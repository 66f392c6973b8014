"""A batch export on a Dask distributed cluster: the one module that imports Dask.

``Cluster`` connects (or starts ``local:N``, a cluster of N worker processes with one
thread each), checks the workers before anything is written, and runs one task per
article: ``reader.export.batch.export_one``, the function the local batch runs, so the
files are the same. Planning (names, the manifest, up-to-date skipping) and reporting
stay in ``run_batch``; this module only runs the work it is given.

Where outputs are written:

- by default the workers write into the output folder, which they must share with the
  client at the same path, through ``safefile`` (a hidden temporary file renamed at the
  end), so a worker killed mid-article leaves a ``.part`` file and never half a file
  under the real name;
- with ``gather`` a task writes into its worker's own scratch folder and returns the
  bytes, which the client writes (atomically too): for workers that share no folder.

Faults: a worker that dies loses its task, which Dask runs again on another worker
(``distributed.scheduler.allowed-failures`` times); the parts it left are removed when
the batch ends. A source that fails (a ``ReaderError``) is an outcome, never an
exception, so it fails once with its reason. A task past ``time_limit`` stops itself
at its next sentence (its own cleanup runs) and fails; Ctrl-C cancels every task, stops
those running the same way, and removes their parts.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from reader.errors import ExportError
from reader.export.batch import BatchSource, SourceOutcome, export_one, source_name
from reader.export.exporter import ExportOptions, timing_path_for

#: Seconds to reach the scheduler and hear from its workers before saying what to fix.
CONNECT_SECONDS = 5.0
#: Seconds a stopped task is given to clean up before the client removes its parts.
STOP_GRACE = 5.0

Work = list[tuple[BatchSource, Path]]


class TaskStopped(BaseException):
    """Raised by a running task on itself when told to stop (time limit, Ctrl-C), at the
    next sentence it has written. A ``BaseException`` so that ``export_one`` does not turn
    it into an outcome, and ``safefile`` still removes the task's temporary files."""


# Worker side: the tasks this worker process runs now, so they can be told to stop. A
# task stops itself between two sentences: raising into its thread from outside
# (``PyThreadState_SetAsyncExc``) is found by thread id, which a thread being started
# shares with its parent for a moment, so it could stop the wrong thread.
_running: dict[threading.Event, str] = {}  # a running task's stop -> its output path
_lock = threading.Lock()


def dask_setup(worker: Any) -> None:
    """Dask preload of ``local:N`` workers: Ctrl-C in the terminal reaches the whole
    process group, but stopping is the client's to decide (it stops each task cleanly)."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: Dask runs preloads there, but be safe
        pass


def _stop_running(outputs: list[str] | None = None) -> int:
    """On a worker: tell the running tasks writing ``outputs`` (all, when None) to stop;
    how many are still running."""
    with _lock:
        targets = [s for s, o in _running.items() if outputs is None or o in outputs]
    for stop in targets:
        stop.set()
    return len(targets)


def probe(marker: str | None) -> dict[str, Any]:
    """On a worker: what it has (reader's version) and whether it sees the file
    ``marker`` the client put in the output folder and can write that folder."""
    shared = None
    if marker is not None:
        folder = os.path.dirname(marker)
        shared = os.path.isfile(marker) and os.access(folder, os.W_OK | os.X_OK)
    return {"reader": reader_version(), "shared": shared}


def reader_version() -> str:
    """The installed reader's version (what the client and its workers must share)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reader")
    except PackageNotFoundError:
        return "?"


def run_task(
    source: BatchSource, output: str, options: ExportOptions, gather: bool, time_limit: float
) -> tuple[SourceOutcome, dict[str, bytes]]:
    """On a worker: export one source. Returns its outcome and, with ``gather``, the
    bytes of the files written (name -> bytes), written nowhere shared."""
    from reader.export.batch import _remove_parts

    stop = threading.Event()
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        stop.set()

    def check(done: int, total: int) -> None:
        if stop.is_set():
            raise TaskStopped

    timer = threading.Timer(time_limit, expire) if time_limit > 0 else None
    scratch = Path(tempfile.mkdtemp(prefix="reader-task-")) if gather else None
    target = scratch / Path(output).name if scratch else Path(output)
    if scratch is None:
        _remove_parts(target, options)  # left by an earlier try on a worker that died
    with _lock:
        _running[stop] = output
    outcome: SourceOutcome | None = None
    try:
        if timer:
            timer.start()
        outcome = export_one(source, target, options, progress=check)
    except TaskStopped:
        pass
    finally:
        if timer:
            timer.cancel()
        with _lock:
            del _running[stop]
    if outcome is None:  # stopped before export_one returned (else: just after; kept)
        limit = f" after the time limit of {time_limit:g} s" if expired.is_set() else ""
        why = f"stopped{limit}." + (" Raise --time-limit for long articles." if limit else "")
        outcome = SourceOutcome(source_name(source), target, "failed", why)
    files: dict[str, bytes] = {}
    try:
        if scratch is not None and outcome.status == "written":
            paths = [target]
            if options.timing:
                paths.append(timing_path_for(target, options.timing))
            files = {p.name: p.read_bytes() for p in paths}
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return replace(outcome, output=Path(output)), files


class Cluster:
    """A connection to a Dask cluster that runs a batch's work (``run_batch(runner=...)``).

    ``address`` is a scheduler's address (``tcp://host:8786``) or ``local:N``. Opening
    it (``with Cluster(...) as runner``) raises one ``ExportError`` saying what to fix
    when the scheduler cannot be reached within ``CONNECT_SECONDS``, when its Dask
    version differs from this one, or when its workers lack reader or (without
    ``gather``) cannot write ``out_dir``.
    """

    def __init__(
        self,
        address: str,
        out_dir: Path,
        *,
        gather: bool = False,
        time_limit: float = 0.0,
    ) -> None:
        self.address = address
        self.out_dir = Path(out_dir).absolute()
        self.gather = gather
        self.time_limit = time_limit
        self._client: Any = None
        self._local: Any = None
        self._marker_path: Path | None = None
        self._made = False

    # -- opening ---------------------------------------------------------------------

    def open(self) -> Cluster:
        """Connect and check; raises ``ExportError`` (closed again) when unusable."""
        try:
            self._open()
        except BaseException:
            self.close()
            raise
        return self

    def __enter__(self) -> Cluster:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> None:
        import logging

        import dask
        from distributed import Client, LocalCluster

        # Dask's own warnings (a version mismatch, a lost connection) would repeat what
        # the one Error line says; its log stays quiet unless something is wrong.
        for name in ("distributed", "distributed.client", "distributed.worker"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        if self.address.startswith("local:"):
            n = self.address.removeprefix("local:")
            if not n.isdigit() or int(n) < 1:
                raise ExportError(
                    f"--cluster {self.address}: local takes a number of workers.",
                    "Write local:2 for two worker processes.",
                )
            # Stack sampling every 10 ms costs a task's thread the GIL; and an article
            # whose worker dies is tried once more, as the local batch does.
            quiet = {"distributed.worker.profile.enabled": False,
                     "distributed.scheduler.allowed-failures": 1}
            try:
                with dask.config.set(quiet):
                        self._local = LocalCluster(
                        n_workers=int(n), threads_per_worker=1, processes=True,
                        dashboard_address=":0", silence_logs=logging.CRITICAL,
                        preload=[__name__],
                    )
            except Exception as e:
                raise ExportError(
                    f"cannot start a local Dask cluster of {n} workers ({type(e).__name__}).",
                    "Try fewer workers, or run reader export with -j instead.",
                ) from None
            address: Any = self._local
        else:
            address = self.address
        start = time.monotonic()
        try:
            self._client = Client(address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as e:
            raise ExportError(
                f"cannot reach the Dask scheduler at {self.address} ({type(e).__name__}).",
                "Check the address and that the scheduler is running (dask scheduler).",
            ) from None
        except ValueError as e:
            raise ExportError(f"--cluster {self.address} is not a scheduler address ({e}).",
                              "Give one such as tcp://host:8786, or local:2.") from None
        except Exception as e:  # something answers there, but not a Dask scheduler
            raise ExportError(
                f"{self.address} does not answer as a Dask scheduler ({type(e).__name__}).",
                "Check the address and port (the scheduler's default port is 8786).",
            ) from None
        self._check(CONNECT_SECONDS - (time.monotonic() - start))

    def _check(self, seconds_left: float) -> None:
        import dask
        import distributed

        client = self._client
        try:
            client.wait_for_workers(1, timeout=max(1.0, seconds_left))
        except (TimeoutError, OSError):
            raise ExportError(
                f"the Dask scheduler at {self.address} has no workers.",
                "Start workers (dask worker ADDRESS) on machines with reader installed.",
            ) from None
        versions = client.get_versions()
        mine = {"dask": dask.__version__, "distributed": distributed.__version__}
        theirs = [("the scheduler", versions.get("scheduler") or {})] + [
            (f"worker {w}", v) for w, v in (versions.get("workers") or {}).items()
        ]
        for who, info in theirs:
            packages = info.get("packages", {}) if isinstance(info, dict) else {}
            for pkg, version in mine.items():
                if packages.get(pkg) not in (None, version):
                    raise ExportError(
                        f"{who} runs {pkg} {packages.get(pkg)}, this machine {version}.",
                        f"Install the same version everywhere (pip install {pkg}=={version}).",
                    )
        marker = None if self.gather else self._marker()
        try:
            found = client.run(probe, marker)
        except Exception as e:  # Dask passes on the worker's error, often wrapped
            text = f"{type(e).__name__}: {e}"
            if "ModuleNotFoundError" in text or "ImportError" in text or "No module" in text:
                raise ExportError(
                    "the cluster's workers cannot run reader (it is not installed there).",
                    "Install reader on every worker: pip install 'reader[cluster]'.",
                ) from None
            raise ExportError(f"the cluster's workers failed reader's check ({text}).",
                              "Look at the workers' logs.") from None
        for worker, info in found.items():
            if info.get("reader") != reader_version():
                raise ExportError(
                    f"worker {worker} runs reader {info.get('reader')}, this machine "
                    f"{reader_version()}.",
                    "Install the same reader on every worker.",
                )
            if info.get("shared") is False:
                raise ExportError(
                    f"worker {worker} does not see the folder {self.out_dir} or cannot "
                    "write to it.",
                    "Share the folder with every worker at the same path, or use --gather.",
                )
        self._drop_marker(keep_folder=True)

    def _marker(self) -> str:
        """Put an empty hidden file in the output folder (made if missing) for the
        workers to look for: a folder of the same name on their own disk is not it."""
        from reader.export.safefile import os_error

        self._made = not self.out_dir.exists()
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            fd, marker = tempfile.mkstemp(prefix=".reader-cluster-", suffix=".check",
                                          dir=self.out_dir)
        except OSError as e:
            raise os_error(e, self.out_dir / "x") from None
        os.close(fd)
        self._marker_path = Path(marker)
        return marker

    def _drop_marker(self, keep_folder: bool) -> None:
        """Remove the marker (and, when the check failed, the folder it made)."""
        marker, self._marker_path = self._marker_path, None
        if marker is None:
            return
        try:
            marker.unlink()
            if not keep_folder and self._made:
                self.out_dir.rmdir()
        except OSError:
            pass

    def close(self) -> None:
        """Disconnect, and stop a ``local:N`` cluster's workers."""
        self._drop_marker(keep_folder=False)
        client, local = self._client, self._local
        self._client = self._local = None
        if client is not None:
            try:
                client.close(timeout=STOP_GRACE)
            except Exception:
                pass
        if local is not None:
            try:
                local.close(timeout=STOP_GRACE)
            except Exception:
                pass

    # -- running ---------------------------------------------------------------------

    def __call__(
        self, work: Work, options: ExportOptions, note: Callable[[SourceOutcome], None]
    ) -> None:
        """Run ``work`` (source, output) on the cluster; ``note`` hears each outcome."""
        from distributed import as_completed

        from reader.export.batch import _remove_parts

        client = self._client
        started = time.time()
        futures: dict[Any, tuple[BatchSource, Path]] = {}
        for source, output in work:
            key = f"reader-export-{os.getpid()}-{len(futures)}"
            future = client.submit(
                run_task, source, str(output.absolute()), options, self.gather,
                self.time_limit, key=key, pure=False,
            )
            futures[future] = (source, output)
        pending = dict(futures)
        try:
            for future in as_completed(futures):
                source, output = futures[future]
                note(self._outcome(future, source, output, options))
                del pending[future]  # after note: a Ctrl-C inside it leaves it to _stop
        finally:
            if pending:  # stopped (Ctrl-C): what finished is kept, the rest removed
                self._stop(pending, options, note, started)
            for _, output in work:
                _remove_parts(output, options)  # what a worker that died left behind

    def _outcome(
        self, future: Any, source: BatchSource, output: Path, options: ExportOptions
    ) -> SourceOutcome:
        try:
            outcome, files = future.result()
            outcome = replace(outcome, output=output)  # as the local batch names it
            return self._write(outcome, files, options) if files else outcome
        except Exception as e:  # KilledWorker: its workers died again and again
            return SourceOutcome(source_name(source), output, "failed", _worker_failure(e))

    def _stop(
        self,
        pending: dict[Any, tuple[BatchSource, Path]],
        options: ExportOptions,
        note: Callable[[SourceOutcome], None],
        started: float,
    ) -> None:
        """Cancel the tasks not done, stop those running and wait for them (at most
        ``STOP_GRACE`` s); note the ones that finished meanwhile, and remove the files
        of any that finished unheard, so the folder holds what the summary says."""
        client = self._client
        outputs = [str(o.absolute()) for _, o in pending.values()]
        try:
            client.cancel([f for f in pending if f.status != "finished"], force=True)
            deadline = time.monotonic() + STOP_GRACE
            while sum(client.run(_stop_running, outputs).values()) and (
                time.monotonic() < deadline
            ):
                time.sleep(0.1)
            for future, (source, output) in list(pending.items()):
                if future.status == "finished":
                    note(self._outcome(future, source, output, options))
                    del pending[future]
        except Exception:
            pass
        if self._local is not None:
            try:  # the workers are ours: gone, none writes after we clean
                self._local.close(timeout=STOP_GRACE)
            except Exception:
                pass
            self._local = None
        for _, output in pending.values():
            paths = [output] + ([timing_path_for(output, options.timing)] if options.timing else [])
            for path in paths:
                try:
                    if path.stat().st_mtime >= started:  # written, but never heard of
                        path.unlink()
                except OSError:
                    pass

    def _write(
        self, outcome: SourceOutcome, files: dict[str, bytes], options: ExportOptions
    ) -> SourceOutcome:
        """Write a gathered task's files beside ``outcome.output``, all or none."""
        from reader.export.safefile import output_set

        assert outcome.output is not None
        folder = outcome.output.parent
        try:
            with output_set(force=True) as outs:
                for name, data in files.items():
                    outs.add(folder / name).write_bytes(data)
        except ExportError as e:
            return replace(outcome, status="failed", message=str(e), duration=0.0)
        return outcome


def _worker_failure(e: Exception) -> str:
    name = type(e).__name__
    if name == "KilledWorker":
        return "the workers running it died, again on every try."
    return f"worker failed ({name}: {e})"
