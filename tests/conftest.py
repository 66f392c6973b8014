"""Shared fixtures: the bundled seed article and its expected outline, a local HTTP server."""

from __future__ import annotations

import http.server
import json
import signal
import threading
from pathlib import Path

import pytest

from tests.support import Handler

# A shell starts a background job with Ctrl-C (SIGINT) ignored, and a program started
# with SIGINT ignored keeps it so: the tests that press Ctrl-C on reader would then see
# it go on. The tests' children get the default back (a Python handler is not inherited
# across exec; "ignored" is).
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "reader" / "data"
SEED_EXPECTED = Path(__file__).resolve().parent / "data" / "mali.expected.json"


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_html() -> Path:
    return DATA / "mali.html"


@pytest.fixture(scope="session")
def seed_txt() -> Path:
    return DATA / "mali.txt"


@pytest.fixture(scope="session")
def server():
    """A local HTTP server (see ``tests.support.Handler`` for its routes); its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
