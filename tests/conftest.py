"""Shared fixtures: the bundled seed article and its expected outline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
