"""The engine contract: a third-party engine, registered by entry point like any
package would, gets every hook's default, and one that runs a thread of its own is
never forked into render workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reader.errors import EngineError
from reader.pipeline import prepare
from reader.speech import workers
from reader.speech.engines.base import Engine, get_engine, unsafe_engines_created
from reader.speech.profiles import profile_for
from reader.speech.render import render_all

ENGINE = '''
"""A third-party engine with a thread of its own, standing for a native synthesis thread."""

import json
import os
import threading

import numpy as np

from reader.model import Audio
from reader.speech.engines.base import Engine

#: The process that last created an engine: a forked child inherits it, a spawned one not.
created_in = None


class ThreadedEngine(Engine):
    name = "threaded"
    sample_rate = 16000  # not reader's default: the rate must come from the engine

    def __init__(self):
        global created_in
        inherited, created_in = created_in, os.getpid()
        with open(os.environ["THREADED_ENGINE_LOG"], "a") as log:
            log.write(json.dumps({"pid": os.getpid(), "inherited": inherited}) + "\\n")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._spin, daemon=True).start()

    def _spin(self):
        # Holds the lock most of the time, as a busy native thread holds its own: a forked
        # child inherits it held, with no thread left to release it, and hangs.
        while not self._stop.is_set():
            with self._lock:
                self._stop.wait(0.002)

    def synthesize(self, text, settings):
        with self._lock:
            return Audio(self.sample_rate, np.full(100 * len(text.split()), 500, np.int16))

    def close(self):
        self._stop.set()


class NotAnEngine:
    def synthesize(self, text, settings):
        return None
'''


@pytest.fixture
def third_party(tmp_path, monkeypatch):
    """``threaded`` and ``stray`` installed as a package would be: a module and a
    dist-info folder with an entry_points.txt, on sys.path (and so in spawned workers)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "threaded_engine.py").write_text(ENGINE, encoding="utf-8")
    info = site / "threaded_engine-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: threaded-engine\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[reader.engines]\n"
        "threaded = threaded_engine:ThreadedEngine\n"
        "stray = threaded_engine:NotAnEngine\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(site))
    log = tmp_path / "engines.jsonl"
    monkeypatch.setenv("THREADED_ENGINE_LOG", str(log))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), *sys.path]))
    return log


def test_every_hook_has_a_default():
    class Minimal(Engine):
        pass

    e = Minimal()
    assert (e.voices(), e.variants(), Minimal.problem(), e.close()) == ([], [], None, None)
    assert isinstance(e.describe(), str) and e.sample_rate > 0
    assert Minimal.fork_safe is False  # safe unless the engine says otherwise
    with pytest.raises(NotImplementedError):
        e.synthesize("Hello.", None)  # type: ignore[arg-type]


def test_an_entry_point_that_is_not_an_engine_is_refused(third_party):
    with pytest.raises(EngineError, match="not a reader engine"):
        get_engine("stray")


@pytest.mark.slow
def test_a_threaded_third_party_engine_is_never_forked(third_party, seed_html):
    prepared = prepare(str(seed_html))
    engine = get_engine("threaded")  # created here first, as a listener's phrase engine is
    try:
        assert "threaded_engine.ThreadedEngine" in unsafe_engines_created()
        assert workers.start_method() == "spawn"
        audio = list(
            render_all(
                prepared.article, prepared.sentences, profile_for(engine="threaded"), jobs=2
            )
        )
    finally:
        engine.close()
    assert len(audio) == len(prepared.sentences)
    assert {a.sample_rate for a in audio} == {16000}
    rows = [json.loads(line) for line in third_party.read_text().splitlines()]
    in_workers = [r for r in rows if r["pid"] != os.getpid()]
    assert in_workers, "the workers made engines of their own"
    assert all(r["inherited"] is None for r in in_workers), "a worker was forked from us"


CHOICE = (
    "import sys; from reader.speech import workers; from reader.speech.engines.base import "
    "get_engine; [get_engine(n) for n in sys.argv[1:]]; print(workers.start_method())"
)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="fork is the default only on Linux")
def test_a_fork_safe_engine_keeps_fork_and_an_unsafe_one_turns_it_off(third_party):
    def choice(*engines: str) -> str:
        r = subprocess.run(
            [sys.executable, "-c", CHOICE, *engines], capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    assert choice("silent") == "fork"
    assert choice("silent", "threaded") == "spawn"

