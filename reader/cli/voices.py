"""``reader voices`` and ``reader doctor``: what reader can speak with, and what is missing.

Also ``voice_options``, the ``--voice/--engine/--rate`` options for commands that speak.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from importlib.metadata import version

import click

from reader.errors import ReaderError
from reader.speech.engines import available_engines, engine_problem, engine_status, get_engine
from reader.speech.profiles import MAX_RATE, MIN_RATE, VoiceProfile, list_profiles


def voice_options(f: Callable) -> Callable:
    """Add ``--voice``, ``--engine`` and ``--rate``; pass them on to ``profile_for``."""
    f = click.option(
        "--rate",
        type=click.IntRange(MIN_RATE, MAX_RATE),
        help="Speaking rate in words per minute, overriding the profile's.",
    )(f)
    f = click.option(
        "--engine",
        metavar="NAME",
        help="Speech engine, overriding the profile's (see: reader voices).",
    )(f)
    f = click.option(
        "--voice",
        metavar="NAME|PATH",
        help="Voice profile: a name (see: reader voices) or a .toml file.",
    )(f)
    return f


def _profile_line(p: VoiceProfile) -> str:
    engines = p.engine if len(p.engines) == 1 else f"{p.engine} (prefers {', '.join(p.engines)})"
    return f"{p.name}: {p.rate} words a minute, engine {engines}. {p.description} From {p.source}."


@click.command()
@click.option(
    "--all", "show_all", is_flag=True, help="List voices in every language, not only English."
)
@click.option("--engine", metavar="NAME", help="List only this engine's voices.")
def voices(show_all: bool, engine: str | None) -> None:
    """List the voice profiles and each speech engine's voices."""
    if engine is None:
        click.echo("Voice profiles (use with --voice NAME):")
        for p in list_profiles():
            click.echo(f"  {_profile_line(p)}")
    for name in [engine] if engine else available_engines():
        problem = None if engine else engine_problem(name)
        if problem:
            click.echo(f"Engine {name}: not available. {problem}")
            continue
        e = get_engine(name)  # an unknown or broken --engine raises EngineError here
        try:
            found = e.voices()
            variants = e.variants()  # espeak-ng's voice variants; most engines have none
        finally:
            e.close()
        shown = [v for v in found if show_all or _english(v.id, v.languages)]
        extra = f", {len(found) - len(shown)} more with --all" if len(shown) < len(found) else ""
        click.echo(f"Engine {name}: {_n(len(found), 'voice')}{extra}:")
        for v in shown:
            langs = f" ({', '.join(v.languages)})" if v.languages else ""
            click.echo(f"  {v.id}: {v.name}{langs}")
        if variants:
            click.echo(f"Engine {name}: variants, added as VOICE+VARIANT: {', '.join(variants)}")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _english(vid: str, languages: tuple[str, ...]) -> bool:
    return any(x.lower().startswith("en") for x in languages) or "/en" in vid or vid == "silence"


@click.command()
@click.option(
    "--lang",
    "langs",
    multiple=True,
    metavar="CODE",
    help="Also say which voice reads this language (repeatable), e.g. --lang de.",
)
def doctor(langs: tuple[str, ...]) -> None:
    """Check which speech engines and audio outputs work here, and what to install."""
    from reader.language import check_code

    langs = tuple(check_code(c) for c in langs)  # an unknown code: one Error line, first
    click.echo(
        f"reader {version('reader')}, Python {platform.python_version()} "
        f"on {platform.system()} {platform.machine()}."
    )
    fixes: list[str] = []
    working = set()
    for name in available_engines():
        st = engine_status(name)
        if st.ok:
            working.add(name)
            click.echo(
                f"Engine {name}: works, {_n(st.voices, 'voice')}, {st.seconds:.2f} s to start "
                f"and speak a test phrase. {st.detail}."
            )
        else:
            click.echo(f"Engine {name}: does not work: {st.detail}")
            fixes.append(f"engine {name}: {st.detail}")
    try:
        profiles = list_profiles()
    except ReaderError as e:
        profiles = []
        click.echo(f"Voice profiles: one does not load. {e}")
        fixes.append(str(e))
    for p in profiles:
        state = "ready" if p.engine in working else "cannot speak: its engine does not work"
        click.echo(f"Voice profile {p.name}: engine {p.engine}, {state}.")
    default = next((p for p in profiles if p.name == "default"), None)
    if default is not None and default.engine in working:
        _report_languages(default, langs)
    _report_outputs(fixes)
    if fixes:
        click.echo(f"{_n(len(fixes), 'problem')} to fix:")
        for fix in fixes:
            click.echo(f"  {fix}")
    else:
        click.echo("Everything works.")
    if "pyttsx3" not in working:
        sys.exit(1)


def _report_languages(profile: VoiceProfile, langs: tuple[str, ...]) -> None:
    """Which voice reads each language with ``profile`` (every language its engine has
    a voice of, and each ``--lang`` asked about)."""
    from reader.language import name
    from reader.speech.render import open_engine

    engine, resolved = open_engine(profile)
    engine.close()
    english = resolved.settings_for("paragraph").voice
    spoken = {
        c: v
        for c in sorted({x.split("-")[0].lower() for v in resolved.catalog for x in v.languages})
        if (v := resolved.voice_for(c))
    }
    shown = ", ".join(f"{name(c)} {spoken[c]}" for c in ("de", "fr", "es") if c in spoken)
    click.echo(
        f"Languages: profile {profile.name} reads {len(spoken) + 1} languages each with its "
        f"own {profile.engine} voice (English {english}{', ' + shown if shown else ''}, ...)."
    )
    for code in langs:
        voice = resolved.voice_for(code)
        if voice is not None:
            said = f"voice {voice}"
        elif resolved.speaks(code):  # English: the profile's own voice
            said = f"voice {english}"
        else:
            said = f"no voice of its own: the default voice {english}"
        click.echo(f"Language {code} ({name(code)}): {said}.")


def _report_outputs(fixes: list[str]) -> None:
    from reader.listen.audio import list_outputs  # the only module that talks to miniaudio

    any_sound = False
    for out in list_outputs():
        if out.available:
            any_sound = any_sound or out.name != "null"
            click.echo(f"Audio output {out.name}: works ({out.detail.rstrip('.')}).")
        else:
            click.echo(f"Audio output {out.name}: not available ({out.detail.rstrip('.')}).")
    if not any_sound:
        fixes.append(
            "no sound output works: reader read needs a sound device or a sound server "
            "(PulseAudio or PipeWire); reader export works without one."
        )
