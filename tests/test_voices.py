"""Voice profiles: the shipped ones, user ones, and validation that names file and key."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reader.errors import EngineError, VoiceError
from reader.speech.engines import get_engine
from reader.speech.profiles import MAX_RATE, ROLE_OF, list_profiles, load_profile, rate_step

SHIPPED = ("default", "clear", "brisk", "neural", "expert")


@pytest.fixture(autouse=True)
def _no_user_profiles(tmp_path, monkeypatch):
    # platformdirs honours XDG_CONFIG_HOME: keep the developer's own profiles out.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_every_shipped_profile_loads_and_covers_every_block_kind():
    names = {p.name for p in list_profiles()}
    assert set(SHIPPED) <= names
    for name in SHIPPED:
        p = load_profile(name)
        for kind in ROLE_OF:
            s = p.settings_for(kind)
            assert 80 <= s.rate <= p.max_rate and 0 <= s.pitch <= 100 and 0 <= s.volume <= 1
            assert p.pause_after(kind, True) >= p.pause_after(kind, False) > 0


def test_profiles_differ_as_their_names_promise():
    default, clear, brisk = load_profile(), load_profile("clear"), load_profile("brisk")
    assert default.name == "default" and default.engine == "pyttsx3"
    assert clear.rate < default.rate < brisk.rate
    assert 270 <= brisk.rate <= 330
    assert clear.pauses.sentence > default.pauses.sentence > brisk.pauses.sentence
    assert clear.pauses.paragraph > default.pauses.paragraph
    assert load_profile("neural").engines[0] == "piper"
    expert = load_profile("expert")
    assert expert.rate == 600 and expert.engine == "pyttsx3"
    assert expert.pauses.sentence < brisk.pauses.sentence


def test_roles_caption_is_announced_and_sounds_different():
    p = load_profile()
    assert p.announcement("caption") == "Image caption:"
    assert p.announcement("paragraph") is None
    assert p.settings_for("caption").pitch != p.settings_for("paragraph").pitch
    assert p.pause_after("headline", True) == p.pauses.headline
    assert p.pause_after("paragraph", True) == p.pauses.paragraph
    assert p.pause_after("headline", False) == p.pauses.sentence


def test_with_rate_keeps_roles_in_proportion_and_rhythm():
    p = load_profile()
    fast = p.with_rate(2 * p.rate)
    assert fast.rate == 2 * p.rate and fast.settings_for("paragraph").rate == fast.rate
    ratio = p.settings_for("headline").rate / p.settings_for("paragraph").rate
    assert fast.settings_for("headline").rate / fast.rate == pytest.approx(ratio, abs=0.01)
    assert fast.pauses.sentence == pytest.approx(p.pauses.sentence / 2, abs=0.001)
    assert p.with_rate(10).rate == 80 and p.with_rate(10_000).rate == MAX_RATE == 900


def test_rate_steps_are_25_below_300_and_50_above_within_the_engines_range():
    up, down = [80], [900]
    while up[-1] < 900:
        up.append(rate_step(up[-1], True))
    while down[-1] > 80:
        down.append(rate_step(down[-1], False))
    assert up[:3] == [80, 100, 125] and up[up.index(300) :][:3] == [300, 350, 400]
    assert down[down.index(300) :][:3] == [300, 275, 250] and down[-1] == 80
    assert {b - a for a, b in itertools.pairwise(up) if a >= 100} == {25, 50}
    assert rate_step(165, True) == 175 and rate_step(165, False) == 150
    assert rate_step(900, True) == 900 and rate_step(80, False) == 80
    assert rate_step(600, True, top=600) == 600  # Piper's top


def test_an_engine_may_stop_below_the_range():
    piper = load_profile("neural").with_engine("piper")
    assert piper.max_rate == 600 and piper.with_rate(900).rate == 600
    assert load_profile().with_engine("silent").max_rate == MAX_RATE


def test_with_engine():
    p = load_profile().with_engine("silent")
    assert p.engine == "silent" and p.settings_for("paragraph").voice is None
    with pytest.raises(EngineError, match="unknown speech engine 'nope'"):
        load_profile().with_engine("nope")


def test_user_profile_replaces_shipped_and_path_loads(tmp_path, monkeypatch):
    user = tmp_path / "config" / "reader" / "voices"
    user.mkdir(parents=True)
    (user / "default.toml").write_text('engine = "silent"\nrate = 222\n')
    (user / "mine.toml").write_text("rate = 150\n")
    assert load_profile().rate == 222 and load_profile().engine == "silent"
    assert "mine" in {p.name for p in list_profiles()}
    other = tmp_path / "other.toml"
    other.write_text("rate = 99\n[pauses]\nsentence = 0.1\n")
    p = load_profile(str(other))
    assert p.rate == 99 and p.pauses.sentence == 0.1 and p.source == str(other)


@pytest.mark.parametrize(
    "toml, key",
    [
        ("speed = 100", "speed"),
        ("rate = 5000", "rate"),
        ('rate = "fast"', "rate"),
        ("rate = true", "rate"),
        ("pitch = 101", "pitch"),
        ("volume = 1.5", "volume"),
        ('engine = "festival"', "engine"),
        ("engine = []", "engine"),
        ("[pauses]\nsentence = -1", "pauses.sentence"),
        ("[pauses]\ncomma = 0.1", "pauses.comma"),
        ("pauses = 3", "pauses"),
        ("[roles.footer]\npitch = 3", "roles.footer"),
        ("[roles.caption]\ncolour = 'red'", "roles.caption.colour"),
        ("[roles.caption]\nrate_scale = 9", "roles.caption.rate_scale"),
        ("[roles.caption]\nannounce = ''", "roles.caption.announce"),
        ("[voice]\nfestival = 'x'", "voice.festival"),
        ("voice = 3", "voice"),
    ],
)
def test_bad_profile_names_file_and_key(tmp_path, toml, key):
    path = tmp_path / "bad.toml"
    path.write_text(toml + "\n")
    with pytest.raises(VoiceError) as e:
        load_profile(str(path))
    assert str(e.value).startswith(f"{path}: {key}:"), str(e.value)


def test_broken_toml_and_missing_profiles(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("rate = [175\n")
    with pytest.raises(VoiceError, match=r"broken\.toml: not valid TOML"):
        load_profile(str(path))
    with pytest.raises(VoiceError, match="does not exist"):
        load_profile(str(tmp_path / "absent.toml"))
    with pytest.raises(VoiceError, match="no voice profile named 'absent'.*default"):
        load_profile("absent")


def test_unknown_voice_is_named_when_resolved_against_the_engine(tmp_path):
    path = tmp_path / "v.toml"
    path.write_text('engine = "silent"\n[roles.caption.voice]\nsilent = ["nope", "also-nope"]\n')
    p = load_profile(str(path))
    engine = get_engine("silent")
    named = r"v\.toml: roles\.caption\.voice\.silent: no voice 'nope'"
    with pytest.raises(VoiceError, match=named):
        p.resolve(engine)
    path.write_text('engine = "silent"\nvoice = ["nope", "silence"]\n')
    resolved = load_profile(str(path)).resolve(engine)
    assert resolved.settings_for("paragraph").voice == "silence"  # the fallback was taken


def test_readme_profile_example_loads(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.toml"
    path.write_text(example)
    p = load_profile(str(path))
    assert p.rate == 190 and p.announcement("caption") == "Image caption:"
