"""Resume places: kept per article key, atomic, and harmless when damaged."""

from __future__ import annotations

from reader.listen.state import Place, forget_place, load_place, save_place, state_dir


def test_round_trip_per_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert str(state_dir()).startswith(str(tmp_path))
    assert load_place("https://example.org/a") is None
    save_place("https://example.org/a", Place(sentence=7, block=3, rate=225, bookmark=2))
    save_place("sha256:abc", Place(sentence=1, block=1))
    got = load_place("https://example.org/a")
    assert (got.sentence, got.block, got.rate, got.bookmark) == (7, 3, 225, 2)
    assert load_place("sha256:abc").sentence == 1
    assert not list(state_dir().glob("*.tmp"))
    forget_place("https://example.org/a")
    assert load_place("https://example.org/a") is None
    forget_place("https://example.org/a")  # twice is fine


def test_damaged_file_means_no_place(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path = save_place("k", Place(sentence=1, block=0))
    path.write_text("{not json", encoding="utf-8")
    assert load_place("k") is None
