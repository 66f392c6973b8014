"""reader export --cluster: the batch on a Dask cluster gives the local batch's files."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import main
from reader.export.batch import MANIFEST

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed", reason="needs the cluster extra (dask)")

PARAGRAPHS = (
    "The council met on Tuesday evening to discuss the state of the roads. "
    "Several members said the repairs had waited too long.",
    "A vote on the budget is expected next month. The mayor asked residents to "
    "send their views before then.",
)


def make_articles(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(n):
        p = folder / f"story{i:02d}.txt"
        body = "\n\n".join(PARAGRAPHS[: 1 + i % 2])
        p.write_text(f"Council story number {i}\n\n{body}\n", encoding="utf-8")
        paths.append(p)
    return paths


@pytest.fixture(scope="module")
def cluster():
    """A scheduler with 2 worker processes of one thread each, as a service runs one."""
    local = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    yield local
    local.close()


def export(sources: Path, out: Path, *extra: str) -> tuple[int, str]:
    res = CliRunner().invoke(
        main, ["export", str(sources), "--out-dir", str(out), "--engine", "silent", *extra]
    )
    return res.exit_code, res.output


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != MANIFEST}


def test_twenty_articles_give_the_files_of_the_local_batch(cluster, tmp_path):
    make_articles(tmp_path / "in", 20)
    code, local_out = export(tmp_path / "in", tmp_path / "local", "-j", "2", "--timing", "srt")
    assert code == 0, local_out
    code, out = export(tmp_path / "in", tmp_path / "dask", "--cluster",
                       cluster.scheduler_address, "--timing", "srt")
    assert code == 0, out
    assert out.splitlines()[-1] == "20 sources: 20 written, 0 up to date, 0 failed."
    assert len([ln for ln in out.splitlines() if " Wrote " in ln]) == 20
    local, remote = files(tmp_path / "local"), files(tmp_path / "dask")
    assert len(local) == 40 and local == remote  # same audio, chapters, tags and timing
    # A rerun skips what is up to date, as the local batch does; --gather writes the same.
    code, out = export(tmp_path / "in", tmp_path / "dask", "--cluster", cluster.scheduler_address,
                       "--timing", "srt")
    assert out.splitlines()[-1] == "20 sources: 0 written, 20 up to date, 0 failed."
    code, out = export(tmp_path / "in", tmp_path / "gathered", "--cluster",
                       cluster.scheduler_address, "--timing", "srt", "--gather")
    assert code == 0 and files(tmp_path / "gathered") == local, out


def test_a_failing_source_fails_once_with_its_reason(cluster, tmp_path):
    sources = make_articles(tmp_path / "in", 4)
    sources[2].write_bytes(b"\x00\x01\x02 not text \xff\xfe" * 50)
    code, out = export(tmp_path / "in", tmp_path / "out", "--cluster", cluster.scheduler_address)
    assert code == 1
    failed = [ln for ln in out.splitlines() if "Failed:" in ln]
    assert len(failed) == 1 and "story02.txt" in failed[0] and "worker" not in failed[0]
    assert out.splitlines()[-1] == "4 sources: 3 written, 0 up to date, 1 failed."


def test_a_worker_killed_mid_batch_loses_nothing(cluster, tmp_path):
    make_articles(tmp_path / "in", 20)
    out_dir = tmp_path / "out"
    with distributed.Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_when_busy() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = list(out_dir.glob("*.mp3")) if out_dir.exists() else []
            parts = list(out_dir.glob(".*.part")) if out_dir.exists() else []
            if len(done) >= 3 and parts:  # a worker is writing an article now
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    code, out = export(tmp_path / "in", out_dir, "--cluster", cluster.scheduler_address)
    killer.join()
    assert killed, "the batch ended before a worker could be killed"
    assert code == 0, out
    assert out.splitlines()[-1] == "20 sources: 20 written, 0 up to date, 0 failed."
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == sorted([MANIFEST] + [f"story{i:02d}.mp3" for i in range(20)])  # no .part
    make_articles(tmp_path / "in2", 20)
    code, _ = export(tmp_path / "in2", tmp_path / "local", "-j", "2")
    assert files(tmp_path / "local") == files(out_dir)  # none partial


def test_pyttsx3_speech_on_the_cluster_matches_the_local_batch(cluster, tmp_path):
    from mutagen.mp3 import MP3

    make_articles(tmp_path / "in", 4)
    args = ["--engine", "pyttsx3", "--timing", "srt"]
    runner = CliRunner()
    runs = (("local", ["-j", "2"]), ("dask", ["--cluster", cluster.scheduler_address]))
    for where, extra in runs:
        res = runner.invoke(main, ["export", str(tmp_path / "in"), "--out-dir",
                                   str(tmp_path / where), *args, *extra])
        assert res.exit_code == 0, res.output
    for i in range(4):
        a, b = (MP3(tmp_path / w / f"story{i:02d}.mp3") for w in ("local", "dask"))
        assert a.info.length == pytest.approx(b.info.length, abs=0.03) and a.info.length > 2
        # espeak-ng's output differs by a sample or so from run to run, even locally.
        ca, cb = (sorted((c.element_id, c.sub_frames["TIT2"].text[0], c.start_time, c.end_time)
                         for c in m.tags.getall("CHAP")) for m in (a, b))
        assert [c[:2] for c in ca] == [c[:2] for c in cb] and ca
        for x, y in zip(ca, cb, strict=True):
            assert abs(x[2] - y[2]) <= 30 and abs(x[3] - y[3]) <= 30
        tags = [{k: str(v) for k, v in m.tags.items() if k[:4] in ("TIT2", "TPE1", "TALB")}
                for m in (a, b)]
        assert tags[0] == tags[1] and tags[0]
        srt = [(tmp_path / w / f"story{i:02d}.srt").read_text().count("-->")
               for w in ("local", "dask")]
        assert srt[0] == srt[1] > 0


def test_unreachable_scheduler_is_one_error_line_and_writes_nothing(tmp_path):
    make_articles(tmp_path / "in", 2)
    start = time.monotonic()
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("reader")), "export", str(tmp_path / "in"), "--out-dir",
         str(tmp_path / "out"), "--engine", "silent", "--cluster", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, timeout=60,
    )
    assert time.monotonic() - start < 10
    assert proc.returncode != 0 and proc.stdout == ""
    assert proc.stderr.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_the_local_batch_does_not_import_dask(tmp_path):
    make_articles(tmp_path / "in", 3)
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from reader.cli import main\n"
        f"r = CliRunner().invoke(main, ['export', {str(tmp_path / 'in')!r}, '--out-dir', "
        f"{str(tmp_path / 'out')!r}, '--engine', 'silent', '-j', '2'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'dask' not in sys.modules and 'distributed' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "out").glob("*.mp3"))) == 3


def long_article(paragraphs: int, seed: int = 0) -> str:
    """An article whose sentences all differ: none is a repeat that the parser drops as
    boilerplate or that a cache makes quick."""
    paras = [" ".join(f"Item {seed}-{p * 10 + k} of the report was read by {p + k} people."
                      for k in range(10)) for p in range(paragraphs)]
    return f"A long report {seed}\n\n" + "\n\n".join(paras) + "\n"


def test_an_article_past_the_time_limit_fails_and_leaves_no_part(cluster, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long00.txt").write_text(long_article(400))
    make_articles(tmp_path / "short", 1)
    (tmp_path / "short" / "story00.txt").rename(tmp_path / "in" / "story00.txt")
    start = time.monotonic()
    code, out = export(tmp_path / "in", tmp_path / "out", "--cluster", cluster.scheduler_address,
                       "--time-limit", "1", "--engine", "pyttsx3")
    assert time.monotonic() - start < 30
    assert code == 1
    failed = [ln for ln in out.splitlines() if "Failed:" in ln]
    assert len(failed) == 1 and "long00.txt" in failed[0] and "time limit of 1 s" in failed[0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [MANIFEST, "story00.mp3"]


@pytest.mark.timeout(420)
def test_ctrl_c_cancels_the_cluster_and_leaves_nothing_partial(tmp_path):
    (tmp_path / "in").mkdir()
    for i in range(20):
        (tmp_path / "in" / f"long{i:02d}.txt").write_text(long_article(40, i))
    out_dir = tmp_path / "out"
    reader = str(Path(sys.executable).with_name("reader"))
    proc = subprocess.Popen(
        [reader, "export", str(tmp_path / "in"), "--out-dir", str(out_dir), "--engine",
         "pyttsx3", "--cluster", "local:2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    # About 10 s here; minutes on a machine busy with other suites, and the test is about
    # what happens once some articles are done.
    deadline = time.monotonic() + 300
    mp3s: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        mp3s = list(out_dir.glob("*.mp3")) if out_dir.exists() else []
        if len(mp3s) >= 2:  # two done, others mid-article
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    out, _ = proc.communicate(timeout=60)
    assert mp3s, f"no article was written within 300 s: {out}"
    assert proc.returncode == 130, out
    assert "Traceback" not in out
    summary = [ln for ln in out.splitlines() if ln.startswith("20 sources:")]
    written = int(summary[0].split(": ")[1].split(" written")[0])
    assert 1 <= written < 20 and "not done" in summary[0]
    names = sorted(p.name for p in out_dir.iterdir())
    assert not [n for n in names if n.endswith(".part")]
    assert len(names) == written + 1  # the manifest and exactly the files said written


def test_workers_that_cannot_import_reader_are_one_error_line(tmp_path):
    make_articles(tmp_path / "in", 2)
    scheduler = distributed.LocalCluster(n_workers=0, dashboard_address=":0")
    # A real Dask worker in an interpreter where reader cannot be imported, as on a
    # machine where only Dask was installed.
    worker_code = (
        "import sys; sys.modules['reader'] = None\n"
        "from distributed.cli.dask_worker import main\n"
        f"sys.argv = ['dask-worker', {scheduler.scheduler_address!r}, '--nthreads', '1',"
        " '--no-nanny', '--no-dashboard']\n"
        "main()\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", worker_code], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        start = time.monotonic()
        reader = str(Path(sys.executable).with_name("reader"))
        proc = subprocess.run(
            [reader, "export", str(tmp_path / "in"), "--out-dir", str(tmp_path / "out"),
             "--engine", "silent", "--cluster", scheduler.scheduler_address],
            capture_output=True, text=True, timeout=60,
        )
        assert time.monotonic() - start < 10
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        scheduler.close()
    assert proc.returncode != 0 and proc.stdout == "", proc.stderr
    assert proc.stderr.startswith("Error: the cluster's workers cannot run reader"), proc.stderr
    assert "pip install 'reader[cluster]'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_podcast_from_the_cluster_is_the_local_one(cluster, tmp_path):
    make_articles(tmp_path / "in", 6)
    feeds = []
    runs = (("local", ["-j", "2"]), ("dask", ["--cluster", cluster.scheduler_address]))
    for where, extra in runs:
        code, out = export(tmp_path / "in", tmp_path / where, "--podcast", *extra)
        assert code == 0, out
        xml = (tmp_path / where / "feed.xml").read_text(encoding="utf-8")
        # The dates (and so the order of the episodes) are those of the run, even
        # between two local runs; everything else must match.
        xml = re.sub(r"<(pubDate|lastBuildDate)>[^<]*<", "<\\1><", xml)
        items = re.findall(r"<item>.*?</item>", xml, flags=re.S)
        feeds.append((re.sub(r"<item>.*?</item>", "", xml, flags=re.S), sorted(items)))
    assert feeds[0] == feeds[1] and len(feeds[0][1]) == 6
    local, remote = files(tmp_path / "local"), files(tmp_path / "dask")
    assert {k: v for k, v in local.items() if k != "feed.xml"} == {
        k: v for k, v in remote.items() if k != "feed.xml"
    }
