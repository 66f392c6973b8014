"""Hostile feeds through the real commands: a feed that is not XML, 10,000 entries, a
feed that points at itself, entries without links, duplicates, a server that stalls.
Each gives clear lines and a non-zero status where nothing could be done, in bounded
time, and leaves no partial file behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.feedsite import Site, rss
from tests.support import send

READER = str(Path(sys.executable).parent / "reader")

pytestmark = pytest.mark.slow


def _run(*args: str, timeout: float = 120, **env: str):
    start = time.monotonic()
    done = subprocess.run(
        [READER, *args], capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL, env={**os.environ, **env},
    )  # fmt: skip
    done.took = time.monotonic() - start  # type: ignore[attr-defined]
    assert "Traceback" not in done.stderr
    return done


def _export(*args: str, **env: str):
    return _run("export", *args, "--engine", "silent", "--rate", "450", "-j", "1", **env)


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith((".part", ".tmp"))
            or p.name.startswith(".") and p.name != ".reader-exports.json"]


@pytest.fixture
def site():
    with Site(articles=3) as s:
        yield s


@pytest.mark.parametrize("body", [b"this is not XML at all", b"<rss><channel><item><title>"])
def test_a_feed_that_is_not_xml(tmp_path, site, body):
    url = site.route("/bad", send(body, "application/rss+xml"))
    for args in (("export", url, "--out-dir", str(tmp_path / "out")),
                 ("read", url, "--audio", "null")):
        done = _run(*args)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1, done.stderr
        assert re.match(r"Error: .*/bad is not a feed reader can read: it is not well-formed XML",
                        lines[0])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_self_links_no_links_and_duplicates_are_said_and_left_out(tmp_path, site):
    url = site.base + "/feed"
    site.feed("/feed", "Gazette", [
        site.item(1), site.item(1), {"title": "Me", "link": url}, {"title": "Nothing"},
        {"title": "Local", "link": "file:///etc/passwd"}, site.item(2),
    ])  # fmt: skip
    out = tmp_path / "out"
    done = _export(url, "--out-dir", str(out))
    assert done.returncode == 0, done.stderr
    notes = [ln for ln in done.stderr.splitlines() if ln.startswith("Note: ")]
    assert len(notes) == 3, done.stderr
    assert "2 sources: 2 written" in done.stdout
    assert sorted(p.name for p in out.glob("*.mp3")) == ["1.mp3", "2.mp3"]
    # A feed of nothing but itself: one error, nothing written.
    site.feed("/self", "Me", [{"title": "Me", "link": site.base + "/self"}])
    done = _export(site.base + "/self", "--out-dir", str(tmp_path / "none"))
    assert done.returncode == 1 and "Error: there are no articles" in done.stderr
    assert not (tmp_path / "none").exists()


def test_a_stalling_server_is_bounded_and_leaves_nothing(tmp_path, site):
    def stall(h):
        time.sleep(30)

    site.route("/stall", stall)
    site.feed("/feed", "Gazette", [site.item(1), {"title": "Slow", "link": site.base + "/stall"}])
    out = tmp_path / "out"
    done = _export(site.base + "/feed", "--out-dir", str(out), READER_TIMEOUT="1")
    assert done.returncode == 1
    assert f"[2/2] Failed: {site.base}/stall: " in done.stderr
    assert "/stall: the server did not answer in time" in done.stderr
    assert "2 sources: 1 written, 0 up to date, 1 failed." in done.stdout
    assert done.took < 20
    assert _leftovers(out) == [] and [p.name for p in out.glob("*.mp3")] == ["1.mp3"]
    # The feed itself stalling: one error line, in bounded time.
    done = _export(site.base + "/stall", "--out-dir", str(tmp_path / "x"), READER_TIMEOUT="1")
    assert done.returncode == 1 and done.took < 20
    assert done.stderr.strip() == f"Error: {site.base}/stall: the server did not answer in " \
        "time. Check your connection and try again."


def test_ten_thousand_entries(tmp_path, site):
    items = [{"title": f"Entry {n}", "link": f"{site.base}/e/{n}", "summary": "A summary."}
             for n in range(10_000)]
    site.route("/big", send(rss("Archive", items), "application/rss+xml"))
    done = _run("read", site.base + "/big", "--limit", "1", "--audio", "null")
    # No terminal here: the feed was read, then reading says it needs a terminal.
    assert done.returncode != 0 and "terminal" in done.stderr, done.stderr
    assert done.took < 60
    t0 = time.monotonic()
    # Peak memory from VmHWM: ru_maxrss would carry pytest's own peak across the exec.
    script = ("import re, time, sys; from reader import feeds; t = time.monotonic(); "
              "r = feeds.gather([sys.argv[1]]); took = round(time.monotonic() - t, 2); "
              "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()); "
              "print(len(r.items), took, int(hwm.group(1)) // 1024)")
    out = subprocess.run([sys.executable, "-c", script, site.base + "/big"], capture_output=True,
                         text=True, timeout=120, check=True).stdout.split()
    items_taken, seconds, peak_mb = int(out[0]), float(out[1]), int(out[2])
    print(f"10,000-entry feed ({len(rss('Archive', items)) // 1024} KB): {seconds} s, "
          f"peak {peak_mb} MB, {items_taken} entries taken (wall {time.monotonic() - t0:.1f} s)")
    assert items_taken == 500 and seconds < 60 and peak_mb < 500
