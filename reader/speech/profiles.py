"""Voice profiles: how an article sounds, as data in ``voices/*.toml``.

A profile names an engine (with fallbacks), a voice per engine (with fallbacks), a base
rate in words per minute, pitch, volume, the pauses after a sentence, a paragraph and a
headline, and per-role adjustments for headline, summary, caption and body. Profiles
are validated once, when loaded: an unknown key or a bad value raises ``VoiceError``
naming the file and the key. Whether a voice exists depends on the engine, so that is
checked by ``VoiceProfile.resolve(engine)`` when an engine is opened.

Profiles come from, in order: a path ending ``.toml``; the user's config directory
(``platformdirs.user_config_dir("reader")/voices/NAME.toml``); the shipped profiles.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from reader.errors import EngineError, VoiceError
from reader.speech.engines.base import (
    Engine,
    VoiceInfo,
    VoiceSettings,
    available_engines,
    engine_max_rate,
    engine_problem,
)
from reader.spoken.settings import SpokenSettings, spoken_settings

DEFAULT_PROFILE = "default"
MIN_RATE, MAX_RATE = 80, 900
"""reader's range of rates in words per minute: espeak-ng's slowest, and as fast as expert
listeners go (above 450 espeak-ng speeds its own audio up). An engine may stop lower
(``Engine.max_rate``: Piper at 600); ``VoiceProfile.max_rate`` is a profile's top."""

#: Roles a profile can tune; every block kind maps to one (``ROLE_OF``).
ROLES = ("headline", "summary", "caption", "body")
ROLE_OF = {
    "headline": "headline",
    "summary": "summary",
    "caption": "caption",
    "paragraph": "body",
    "subheading": "body",
    "list_item": "body",
    "quote": "body",
    "table": "body",
}
_TOP_KEYS = {"description", "engine", "voice", "rate", "pitch", "volume", "pauses", "roles",
             "spoken"}  # fmt: skip
_PAUSE_KEYS = ("sentence", "paragraph", "headline")
_ROLE_KEYS = {"rate_scale", "pitch", "volume", "voice", "announce"}


@dataclass(frozen=True)
class Role:
    """Adjustments for one role, applied on top of the profile's base settings."""

    rate_scale: float = 1.0
    """Multiplies the profile's rate, so changing the rate keeps roles in proportion."""
    pitch: int | None = None
    """0-100; ``None`` keeps the profile's pitch."""
    volume: float | None = None
    """0.0-1.0; ``None`` keeps the profile's volume."""
    voices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per engine, voice ids to try in order; empty keeps the profile's voice."""
    announce: str | None = None
    """Words spoken before the first sentence of a block in this role."""


@dataclass(frozen=True)
class Pauses:
    """Silence in seconds added after each unit (not part of the sentence's audio)."""

    sentence: float = 0.35
    paragraph: float = 0.8
    headline: float = 1.2


@dataclass(frozen=True)
class VoiceProfile:
    """A validated voice profile. Immutable: ``with_rate`` and friends return new ones."""

    name: str
    """The file's stem, e.g. ``default``."""
    source: str
    """Where it was loaded from, for error messages."""
    engines: tuple[str, ...]
    """Engines to try, in order of preference."""
    engine: str
    """The first of ``engines`` that is installed (or the first, to report why not)."""
    rate: int
    """Words per minute of body text."""
    pitch: int = 50
    volume: float = 1.0
    voices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per engine, voice ids to try in order; none means the engine's default voice."""
    pauses: Pauses = field(default_factory=Pauses)
    roles: tuple[tuple[str, Role], ...] = ()
    description: str = ""
    spoken: SpokenSettings = field(default_factory=SpokenSettings)
    """Lexicons and announcements for the words said (``[spoken]``, reader.spoken)."""
    languages: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    """Per language code, per engine, voice ids to try in order (``[voice.de]``)."""
    catalog: tuple[VoiceInfo, ...] = ()
    """The engine's voices, filled by ``resolve``: each other language's default voice
    comes from here, so every language the engine knows is read by its own voice."""

    # -- what consumers ask -------------------------------------------------------------

    def role(self, kind: str) -> Role:
        """The role settings for a block kind (or a role name)."""
        name = ROLE_OF.get(kind, kind)
        return dict(self.roles).get(name, Role())

    @property
    def max_rate(self) -> int:
        """The fastest rate of this profile's engine, within reader's range."""
        return min(MAX_RATE, engine_max_rate(self.engine) or MAX_RATE)

    def settings_for(self, kind: str, language: str | None = None) -> VoiceSettings:
        """The engine settings for a block of this kind in ``language`` (a BCP 47 tag;
        ``None`` or English: the profile's own voice). Another language is read by
        ``voice_for(language)`` (with the role's espeak-ng variant, "+f3"), or by the
        profile's voice when no voice speaks it."""
        role = self.role(kind)
        rate = _clamp_rate(round(self.rate * role.rate_scale), self.max_rate)
        voice = _first(dict(role.voices).get(self.engine)) or _first(
            dict(self.voices).get(self.engine)
        )
        own = self.voice_for(language)
        if own is not None:
            variant = (voice or "").partition("+")[2]
            voice = f"{own}+{variant}" if variant and "+" not in own else own
        return VoiceSettings(
            voice=voice,
            rate=rate,
            pitch=self.pitch if role.pitch is None else role.pitch,
            volume=self.volume if role.volume is None else role.volume,
        )

    def voice_for(self, language: str | None) -> str | None:
        """The voice that reads ``language`` with this profile's engine: the profile's
        ``[voice.LANG]`` entry, else the engine's own voice of that language (its exact
        tag, such as ``pt-br``, first). ``None`` for English (the profile's voice reads
        it), for no language, and when no voice of the engine speaks it."""
        from reader.language import normalize

        code = normalize(language)
        if code is None or code == "en":
            return None
        have = {v.id.lower(): v.id for v in self.catalog}
        for vid in dict(dict(self.languages).get(code, ())).get(self.engine, ()):
            if vid.lower().partition("+")[0] in have or not self.catalog:
                return vid
        return _default_voice(self.catalog, language or code, code)

    def speaks(self, language: str | None) -> bool:
        """Whether a voice of ``language`` reads it (English always is)."""
        from reader.language import normalize

        code = normalize(language)
        return code in (None, "en") or self.voice_for(language) is not None

    def announcement(self, kind: str) -> str | None:
        """What is said before a block of this kind, e.g. ``"Image caption:"``."""
        return self.role(kind).announce

    def fallback(self, why: bool = True) -> str | None:
        """When the profile's first engine is not installed: which engine speaks
        instead (and ``why``), to say once where speech starts. ``None`` otherwise."""
        wanted = self.engines[0]
        if self.engine == wanted:
            return None
        said = f"Voice {self.name}: speaking with {self.engine} instead of {wanted}"
        reason = engine_problem(wanted) if why else None
        return f"{said}: {reason}" if reason else said

    def fallback_told(self) -> tuple[str, str] | None:
        """The fallback as a session tells it: (said, printed with why), or ``None``."""
        short, full = self.fallback(why=False), self.fallback()
        return (short, full) if short and full else None

    def pause_after(self, kind: str, end_of_block: bool) -> float:
        """Seconds of silence after a sentence of a block of this kind."""
        if not end_of_block:
            return self.pauses.sentence
        if kind == "headline":
            return self.pauses.headline
        return self.pauses.paragraph

    # -- derived profiles ---------------------------------------------------------------

    def with_rate(self, wpm: int) -> VoiceProfile:
        """The same profile at another body rate; roles keep their proportions and the
        pauses shrink or grow with the rate, so the rhythm stays the same."""
        wpm = _clamp_rate(int(wpm), self.max_rate)
        k = self.rate / wpm
        pauses = Pauses(*(round(getattr(self.pauses, p) * k, 3) for p in _PAUSE_KEYS))
        return replace(self, rate=wpm, pauses=pauses)

    def with_engine(self, name: str) -> VoiceProfile:
        """The same profile spoken by another engine (its default voice unless the
        profile names one for it). Raises ``EngineError`` for an unknown engine."""
        known = available_engines()
        if name not in known:
            raise EngineError(
                f"unknown speech engine {name!r}.", f"Known engines: {', '.join(known)}."
            )
        return replace(self, engines=(name,), engine=name)

    def resolve(self, engine: Engine) -> VoiceProfile:
        """This profile with each voice list narrowed to the first voice ``engine`` has.
        Raises ``VoiceError`` naming the file and key when none of a list exists."""
        have = {v.id.lower() for v in engine.voices()}
        kinds = {v.lower() for v in engine.variants()}

        def known(vid: str) -> bool:
            base, plus, variant = vid.lower().partition("+")  # espeak-ng's VOICE+VARIANT
            return base in have and (not plus or variant in kinds)

        def pick(ids: tuple[str, ...], key: str) -> tuple[str, ...]:
            for vid in ids:
                if known(vid):
                    return (vid,)
            likely = sorted(have, key=lambda v: ("/en" not in v and not v.startswith("en"), v))
            shown = ", ".join(likely[:8]) + (", ..." if len(have) > 8 else "")
            raise VoiceError(
                f"{self.source}: {key}: no voice {', '.join(map(repr, ids))} in engine "
                f"{engine.name!r}.",
                f"Its voices: {shown} (see: reader voices).",
            )

        name = engine.name
        voices = tuple(
            (e, pick(ids, f"voice.{e}") if e == name else ids) for e, ids in self.voices
        )
        roles = tuple(
            (
                r,
                replace(
                    role,
                    voices=tuple(
                        (e, pick(ids, f"roles.{r}.voice.{e}") if e == name else ids)
                        for e, ids in role.voices
                    ),
                ),
            )
            for r, role in self.roles
        )
        return replace(self, voices=voices, roles=roles, catalog=tuple(engine.voices()))


# -- loading ----------------------------------------------------------------------------


def config_dir() -> Path:
    """The user's config directory for reader (``$XDG_CONFIG_HOME/reader`` on Linux):
    voice profiles, lexicons and the preferences file live there."""
    import platformdirs  # imported here only: the one place reader asks for config dirs

    return Path(platformdirs.user_config_dir("reader"))


def user_voices_dir() -> Path:
    """Where user profiles live: ``<user config dir>/reader/voices``."""
    return config_dir() / "voices"


def _shipped() -> dict[str, Any]:
    return {
        p.name[:-5]: p for p in files("reader._voices").iterdir() if p.name.endswith(".toml")
    }


def load_profile(name_or_path: str | None = None) -> VoiceProfile:
    """Load and validate a profile by name (user's, then shipped) or by ``.toml`` path."""
    name = name_or_path or DEFAULT_PROFILE
    if name.endswith(".toml"):
        path = Path(name).expanduser()
        if not path.is_file():
            raise VoiceError(f"voice profile file {name} does not exist.")
        return parse_profile(_read(path, str(path)), path.stem, str(path))
    if "/" in name or "\\" in name:
        raise VoiceError(f"voice profile {name!r}: a path must end in .toml.")
    user = user_voices_dir() / f"{name}.toml"
    if user.is_file():
        return parse_profile(_read(user, str(user)), name, str(user))
    shipped = _shipped()
    if name in shipped:
        return parse_profile(_read(shipped[name], f"{name}.toml"), name, f"{name}.toml")
    known = ", ".join(sorted(set(shipped) | _user_names()))
    raise VoiceError(
        f"no voice profile named {name!r}.",
        f"Profiles: {known}; or give a path to a .toml file.",
    )


def profile_for(
    voice: str | None = None,
    engine: str | None = None,
    rate: int | None = None,
    lexicons: tuple[str, ...] = (),
) -> VoiceProfile:
    """The profile a ``--voice/--engine/--rate/--lexicon`` command line asks for."""
    profile = load_profile(voice)
    if lexicons:
        profile = replace(profile, spoken=profile.spoken.with_lexicons(lexicons))
    if engine:
        profile = profile.with_engine(engine)
    if rate:
        top = profile.max_rate
        if not MIN_RATE <= rate <= top:
            engine = f" with engine {profile.engine}" if top < MAX_RATE else ""
            raise VoiceError(
                f"--rate {rate}: the rate must be {MIN_RATE} to {top} words per minute{engine}."
            )
        profile = profile.with_rate(rate)
    return profile


def list_profiles() -> list[VoiceProfile]:
    """Every profile, shipped and user's (a user's profile replaces a shipped one of the
    same name), sorted by name. A broken user file raises ``VoiceError``."""
    names = set(_shipped()) | _user_names()
    return [load_profile(n) for n in sorted(names)]


def _user_names() -> set[str]:
    d = user_voices_dir()
    return {p.stem for p in d.glob("*.toml")} if d.is_dir() else set()


#: Largest voice profile read. A profile is a few hundred bytes; anything near this is
#: not a profile, and reading it would only cost time and memory.
MAX_PROFILE_BYTES = 64 * 1024


def _read(path: Any, source: str) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_PROFILE_BYTES + 1)
        if len(raw) > MAX_PROFILE_BYTES:
            raise VoiceError(
                f"{source}: larger than {MAX_PROFILE_BYTES // 1024} KB, too large for a "
                "voice profile.",
                "A profile needs only the keys README lists.",
            )
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise VoiceError(f"{source}: not valid TOML ({e}).") from None
    except RecursionError:
        raise VoiceError(f"{source}: not valid TOML (nested too deeply).") from None
    except (OSError, UnicodeDecodeError) as e:
        raise VoiceError(f"{source}: cannot read it ({e}).") from None


def parse_profile(data: dict[str, Any], name: str, source: str) -> VoiceProfile:
    """Validate the TOML ``data`` of a profile; errors name ``source`` and the key."""
    v = _Validator(source)
    v.keys(data, _TOP_KEYS, "")
    engines = v.names(data.get("engine", "pyttsx3"), "engine")
    known = set(available_engines())
    for e in engines:
        if e not in known:
            v.fail("engine", f"unknown engine {e!r} (known: {', '.join(sorted(known))})")
    engine = next((e for e in engines if engine_problem(e) is None), engines[0])
    voice_d = data.get("voice", {})
    languages: list[tuple[str, tuple]] = []
    if isinstance(voice_d, dict):  # [voice.de]: a language's voices, per engine
        from reader.language import normalize

        for key in [k for k, x in voice_d.items() if isinstance(x, dict)]:
            code = normalize(key)
            if code is None or key in known:
                v.fail(f"voice.{key}", "must be a language code (de, fr, pt-br) or an engine")
            else:
                languages.append((code, v.voices(voice_d[key], f"voice.{key}", engines)))
        voice_d = {k: x for k, x in voice_d.items() if not isinstance(x, dict)}
    voices = v.voices(voice_d, "voice", engines)
    pauses_d = data.get("pauses", {})
    v.table(pauses_d, "pauses")
    v.keys(pauses_d, set(_PAUSE_KEYS), "pauses.")
    pauses = Pauses(
        **{k: v.number(pauses_d[k], f"pauses.{k}", 0.0, 10.0) for k in _PAUSE_KEYS if k in pauses_d}
    )
    roles_d = data.get("roles", {})
    v.table(roles_d, "roles")
    v.keys(roles_d, set(ROLES), "roles.")
    roles = []
    for r, rd in roles_d.items():
        key = f"roles.{r}"
        v.table(rd, key)
        v.keys(rd, _ROLE_KEYS, key + ".")
        announce = rd.get("announce")
        if announce is not None and (not isinstance(announce, str) or not announce.strip()):
            v.fail(f"{key}.announce", "must be non-empty text")
        roles.append(
            (
                r,
                Role(
                    rate_scale=v.number(rd.get("rate_scale", 1.0), f"{key}.rate_scale", 0.5, 2.0),
                    pitch=None if "pitch" not in rd else v.int(rd["pitch"], f"{key}.pitch", 0, 100),
                    volume=None
                    if "volume" not in rd
                    else v.number(rd["volume"], f"{key}.volume", 0.0, 1.0),
                    voices=v.voices(rd.get("voice", {}), f"{key}.voice", engines),
                    announce=announce.strip() if announce else None,
                ),
            )
        )
    description = data.get("description", "")
    if not isinstance(description, str):
        v.fail("description", "must be text")
    return VoiceProfile(
        name=name,
        source=source,
        engines=engines,
        engine=engine,
        rate=v.int(data.get("rate", 175), "rate", MIN_RATE, MAX_RATE),
        pitch=v.int(data.get("pitch", 50), "pitch", 0, 100),
        volume=v.number(data.get("volume", 1.0), "volume", 0.0, 1.0),
        voices=voices,
        languages=tuple(languages),
        pauses=pauses,
        roles=tuple(roles),
        description=description,
        spoken=spoken_settings(
            data.get("spoken", {}), source, user_voices_dir().parent / "lexicons"
        ),
    )


class _Validator:
    """Checks values and raises ``VoiceError`` naming the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, why: str) -> None:
        raise VoiceError(f"{self.source}: {key}: {why}.")

    def keys(self, d: dict, allowed: set[str], prefix: str) -> None:
        for k in d:
            if k not in allowed:
                self.fail(prefix + k, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def table(self, d: Any, key: str) -> None:
        if not isinstance(d, dict):
            self.fail(key, "must be a table")

    def number(self, x: Any, key: str, lo: float, hi: float) -> float:
        if isinstance(x, bool) or not isinstance(x, int | float) or not lo <= x <= hi:
            self.fail(key, f"must be a number from {lo:g} to {hi:g}, not {x!r}")
        return float(x)

    def int(self, x: Any, key: str, lo: int, hi: int) -> int:
        if isinstance(x, bool) or not isinstance(x, int) or not lo <= x <= hi:
            self.fail(key, f"must be a whole number from {lo} to {hi}, not {x!r}")
        return int(x)

    def names(self, x: Any, key: str) -> tuple[str, ...]:
        items = [x] if isinstance(x, str) else x
        if not isinstance(items, list) or not items or not all(
            isinstance(i, str) and i.strip() for i in items
        ):
            self.fail(key, f"must be a name or a non-empty list of names, not {x!r}")
        return tuple(i.strip() for i in items)

    def voices(self, x: Any, key: str, engines: tuple[str, ...]) -> tuple:
        """``voice`` is ids for the first engine, or a table of ids per engine."""
        if isinstance(x, str | list):
            return ((engines[0], self.names(x, key)),)
        self.table(x, key)
        self.keys(x, set(available_engines()), key + ".")
        return tuple((e, self.names(ids, f"{key}.{e}")) for e, ids in x.items())


#: Where an engine names a language otherwise than ISO 639-1 (espeak-ng's Mandarin
#: is ``cmn``, its Norwegian ``nb``).
_VOICE_CODES = {"zh": ("zh", "cmn", "yue"), "no": ("no", "nb", "nn")}


def _default_voice(catalog: tuple[VoiceInfo, ...], tag: str, code: str) -> str | None:
    """The engine's voice of a language: one whose tag is ``tag`` exactly (``pt-br``),
    else one of the language itself (``de`` before ``de-ch``), else any of its variants."""
    tag = tag.lower().replace("_", "-")
    codes = _VOICE_CODES.get(code, (code,))
    best: tuple[int, str] | None = None
    for v in catalog:
        for lang in (x.lower().replace("_", "-") for x in v.languages):
            primary = lang.split("-")[0]
            if lang == tag:
                rank = 0
            elif primary in codes and lang in (primary, f"{primary}-{primary}"):
                rank = 1 + codes.index(primary)  # "de", and "fr-fr" before "fr-be"
            elif primary in codes:
                rank = 10 + codes.index(primary)
            else:
                continue
            if best is None or rank < best[0]:
                best = (rank, v.id)
    return best[1] if best else None


def _first(ids: tuple[str, ...] | None) -> str | None:
    return ids[0] if ids else None


def _clamp_rate(wpm: int, top: int = MAX_RATE) -> int:
    return max(MIN_RATE, min(top, wpm))


def rate_step(rate: int, faster: bool, top: int = MAX_RATE) -> int:
    """The rate one ``+`` (``faster``) or ``-`` from ``rate``, within ``MIN_RATE``..``top``:
    steps of 25 below 300 and of 50 from there, landing on a multiple of the step (165
    goes to 175 or 150), so that 80-900 takes about 25 presses, not 33."""
    step = 25 if rate < 300 or (rate == 300 and not faster) else 50
    wpm = (rate // step + 1) * step if faster else (-(-rate // step) - 1) * step
    return _clamp_rate(wpm, top)
