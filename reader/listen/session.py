"""``reader read`` as a library function: one article, spoken, driven by key presses.

``listen`` wires the pieces together: the source is loaded and parsed, the terminal is
checked, the audio output opened, sentences rendered ahead (``reader.speech.render``), and
``reader.listen.player.Player`` runs until the listener quits, the article ends or a
signal arrives. Whatever ends it, the place is saved (``reader.listen.state``), the audio
device is closed and the terminal settings are restored.

The parts live beside this module: ``speech`` (what is heard), ``player`` (the
commands), ``terminal`` (the keys), ``audio`` (the device), ``state`` (the place) and
``events`` (the events file and the signals).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from reader.errors import AudioError
from reader.listen.audio import Output
from reader.listen.events import EventLog, Interrupted, signals_stop_session
from reader.listen.player import Player
from reader.listen.speech import RenderedSpeech
from reader.listen.state import Place, forget_place, load_place, save_place
from reader.listen.terminal import KeyReader, Terminal
from reader.parse.confidence import doubt
from reader.pipeline import Prepared, prepare
from reader.sources import Source
from reader.speech.profiles import VoiceProfile, profile_for

#: The interpreter's thread switch interval while a session plays (seconds).
SWITCH_INTERVAL = 0.001


@contextmanager
def _quick_thread_switches():
    # The audio callback is Python and needs the GIL every 10 ms period; the default
    # 5 ms switch interval lets the render thread hold it for most of a period, and the
    # sound stutters. The setting is process-wide, so it holds only for the session and
    # the caller's value is put back after it.
    old = sys.getswitchinterval()
    sys.setswitchinterval(min(old, SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(old)


@dataclass(frozen=True)
class Outcome:
    """How a listening session ended."""

    reason: str
    """``quit``, ``end``, ``hangup``, ``sleep`` (the sleep timer), or the name of the
    signal (``SIGTERM``...)."""
    exit_code: int
    """0 for quit, end and sleep; 128 + the signal's number for a signal."""
    where: str
    """Where the listener stopped, in words."""
    saved: bool
    """Whether the place was kept for next time."""


# -- the session -------------------------------------------------------------------------


def listen(
    source: str | Prepared,
    *,
    voice: str | None = None,
    engine: str | None = None,
    rate: int | None = None,
    audio: str = "default",
    from_start: bool = False,
    events: str | Path | None = None,
    lexicons: tuple[str, ...] = (),
    stdin: Any = None,
    echo: Callable[[str], None] = print,
    feedback: str = "both",
    show_text: bool = False,
    sleep: float | None = None,
    default_rate: int | None = None,
) -> Outcome:
    """Read ``source`` (a path, ``-``, a URL, or an article already ``prepare``d) aloud,
    driven by key presses on ``stdin`` (a terminal). When standard input carries the
    article (``-``), keys come from the controlling terminal (``/dev/tty``).

    ``feedback`` (``speech``, ``text`` or ``both``) is how keys are confirmed;
    ``show_text`` prints each sentence as it starts; ``sleep`` stops reading at the end
    of the paragraph playing that many seconds from now. The rate is ``rate``, else the
    one the listener had in this article, else ``default_rate`` (their preference).

    Raises ``TerminalError`` when there is no terminal to read keys from, ``AudioError``
    when no sound device can be opened (before anything is spoken), and the usual
    source, parse, voice and engine errors.
    """
    prepared = source if isinstance(source, Prepared) else prepare(source)
    loaded, sentences = prepared.source, prepared.sentences
    place = None if from_start else load_place(prepared.key)
    if place is not None and not (
        place.sentence < len(sentences) and sentences[place.sentence].block == place.block
    ):
        place = None  # the article changed since: its old place means nothing now
    profile = profile_for(voice, engine, rate or default_rate, tuple(lexicons))
    if not rate and place is not None and place.rate:
        # The rate kept with the place, within what this voice speaks (a place saved at
        # 800 with espeak-ng resumes at Piper's 600, rather than failing).
        profile = profile.with_rate(place.rate)
    ux = {"feedback": feedback, "show_text": show_text, "sleep": sleep}

    with _quick_thread_switches():
        return _session(
            prepared, place, profile, audio, events, stdin, echo, ux,
            controlling=stdin is None and loaded.name == "-",
        )  # fmt: skip


def until_stopped(run: Callable[[], str], output: Output, event: Callable[..., Any]):
    """``(run(), 0)``, or where a signal stopped it, the signal's name and exit code
    (``SIGINT`` 130, else 128 + its number) with the sound stopped and ``interrupted``
    told to ``event``: how a session and a queue end alike."""
    try:
        return run(), 0
    except Interrupted as e:
        reason, code = str(e), 128 + e.signum
    except KeyboardInterrupt:
        reason, code = "SIGINT", 130
    output.stop()
    event("interrupted", signal=reason)
    return reason, code


def _session(
    prepared: Prepared,
    place: Place | None,
    profile: VoiceProfile,
    audio: str,
    events: str | Path | None,
    stdin: Any,
    echo: Callable[[str], None],
    ux: dict[str, Any],
    *,
    controlling: bool,
) -> Outcome:
    key, article, sentences = prepared.key, prepared.article, prepared.sentences
    output = Output(audio)  # first: no sound device is the error most worth telling
    speech = None
    player = None
    log = None
    reason, code = "quit", 0
    try:
        log = EventLog(events)
        # Checks that it is a terminal, changes nothing yet.
        terminal = Terminal(stdin, controlling=controlling)

        told = profile.fallback_told()

        def reading(prepared: Prepared, speech: RenderedSpeech, place: Place | None) -> Player:
            """A player over ``prepared`` from ``place`` (None: the top)."""
            nonlocal told
            speech.prefetch(place.sentence if place else 0)
            made = Player(
                prepared.article,
                prepared.sentences,
                speech,
                output,
                start=place.sentence if place else 0,
                bookmark=place.bookmark if place else None,
                log=log,
                echo=echo,
                checkpoint=partial(save_place, prepared.key),
                notice=None if prepared.whole_page else doubt(prepared.article),
                whole_page=prepared.whole_page,
                fallback=told,
                **ux,
            )
            told = None  # said once a session, not again for the whole page
            return made

        speech = RenderedSpeech(article, sentences, profile)
        player = reading(prepared, speech, place)
        with signals_stop_session(), terminal:
            keys = KeyReader(terminal.fd)

            def listen_all() -> str:
                nonlocal prepared, key, sentences, speech, player
                assert speech is not None and player is not None
                reason = player.run(keys, resumed=place is not None)
                while reason == "whole_page":  # the listener pressed A: all of the page
                    save_place(key, player.place())
                    ux["sleep"] = player.sleep_left()  # the timer runs on over the page
                    prepared = prepare(
                        prepared.source, whole_page=True, language=prepared.language
                    )
                    key, sentences = prepared.key, prepared.sentences
                    speech.close()
                    speech = RenderedSpeech(prepared.article, sentences, profile)
                    player = reading(prepared, speech, None)
                    reason = player.run(keys)
                return reason

            try:
                # The player reading when a signal comes tells the event log.
                reason, code = until_stopped(
                    listen_all, output, lambda *a, **k: player.event(*a, **k)
                )
            finally:
                terminal.restore()
                if reason == "end":
                    forget_place(key)
                else:
                    save_place(key, player.place())
                player.event("saved" if reason != "end" else "forgotten")
    finally:
        output.close()
        if speech is not None:
            speech.close()
        if log is not None:
            log.close()
    where = player.where_text().lower() if player else "the start"
    s = sentences[player.cur] if player else sentences[0]
    return Outcome(reason, code, f"{where}, sentence {s.index + 1}", reason != "end")


def read_or_export(
    source: str | Source, export_to: str | None, *, force: bool = False, **options: Any
) -> Outcome | Path:
    """``listen``; where no sound device opens and ``export_to`` is given, export the
    same prepared article there (replacing an existing file only with ``force``)."""
    prepared = prepare(
        source, whole_page=options.pop("whole_page", False), language=options.pop("language", None)
    )
    try:
        return listen(prepared, **options)
    except AudioError:
        if export_to is None:
            raise
    from reader.export import ExportOptions, export_source

    result = export_source(
        prepared,
        export_to,
        ExportOptions(
            voice=options.get("voice"),
            engine=options.get("engine"),
            rate=options.get("rate") or options.get("default_rate"),
            lexicons=tuple(options.get("lexicons", ())),
            force=force,
        ),
    )
    return result.path
