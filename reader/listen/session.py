"""``reader read`` as a library function: one article, spoken, driven by key presses.

``listen`` wires the pieces together: the source is loaded and parsed, the terminal is
checked, the audio output opened, sentences rendered ahead (``reader.render``), and
``reader.listen.player.Player`` runs until the listener quits, the article ends or a
signal arrives. Whatever ends it, the place is saved (``reader.listen.state``), the audio
device is closed and the terminal settings are restored.

Feedback phrases ("Paused", "Rate 225") are spoken by a second engine in this process,
at the listener's current rate, and cached.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reader.errors import AudioError, ExportError
from reader.listen.audio import Output
from reader.listen.player import Player
from reader.listen.state import forget_place, load_place, save_place
from reader.listen.terminal import KeyReader, Terminal
from reader.model import Article, Audio, Sentence
from reader.pipeline import Prepared, prepare
from reader.render import Renderer, open_engine
from reader.voices import VoiceProfile, load_profile

#: Seconds to wait for a sentence's speech before giving up (the engine hangs).
RENDER_TIMEOUT = 30.0
SIGNALS: dict[int, str] = {
    signal.SIGINT: "SIGINT",
    signal.SIGTERM: "SIGTERM",
    signal.SIGHUP: "SIGHUP",
}


class Interrupted(BaseException):
    """A signal asked the session to stop (raised from the signal handler)."""

    def __init__(self, signum: int) -> None:
        super().__init__(SIGNALS.get(signum, str(signum)))
        self.signum = signum


@dataclass(frozen=True)
class Outcome:
    """How a listening session ended."""

    reason: str
    """``quit``, ``end``, ``hangup``, or the name of the signal (``SIGTERM``...)."""
    exit_code: int
    """0 for quit and end; 128 + the signal's number for a signal."""
    where: str
    """Where the listener stopped, in words."""
    saved: bool
    """Whether the place was kept for next time."""


# -- speech: the renderer for sentences, a second engine for phrases -------------------


class RenderedSpeech:
    """``reader.listen.player.Speech`` over a ``Renderer``, with cached feedback phrases."""

    def __init__(self, article: Article, sentences: list[Sentence], profile: VoiceProfile):
        self.article = article
        self.sentences = sentences
        self.profile = profile
        self.renderer = Renderer(article, sentences, profile)
        self._phrases: OrderedDict[tuple[str, int], Audio] = OrderedDict()
        self._engine, self._resolved = open_engine(profile)

    @property
    def rate(self) -> int:
        return self.profile.rate

    def sentence(self, i: int) -> Audio:
        return self.renderer.audio(i, timeout=RENDER_TIMEOUT)

    def prefetch(self, i: int) -> None:
        if 0 <= i < len(self.sentences):
            self.renderer.prefetch(i)

    def pause_after(self, i: int) -> float:
        s = self.sentences[i]
        last = i + 1 >= len(self.sentences) or self.sentences[i + 1].block != s.block
        return self.profile.pause_after(self.article.blocks[s.block].kind, last)

    def set_rate(self, wpm: int) -> None:
        self.profile = self.profile.with_rate(wpm)
        self.renderer.set_profile(self.profile)

    def phrase(self, text: str) -> Audio:
        key = (text, self.rate)
        if key in self._phrases:
            self._phrases.move_to_end(key)
            return self._phrases[key]
        settings = self._resolved.with_rate(self.rate).settings_for("paragraph")
        audio = self._engine.synthesize(text, settings)
        self._phrases[key] = audio
        while len(self._phrases) > 64:
            self._phrases.popitem(last=False)
        return audio

    def close(self) -> None:
        self.renderer.close()
        self._engine.close()


# -- events file and signals ---------------------------------------------------------


class EventLog:
    """One JSON object per line, flushed at once so other programs can follow it."""

    def __init__(self, path: str | Path | None) -> None:
        self._file: IO[str] | None = None
        self._lock = threading.Lock()
        if path is not None:
            try:
                self._file = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed in close)
            except OSError as e:
                raise ExportError(
                    f"cannot write the events file {path} ({e.strerror}).",
                    "Give a path in a folder you can write to.",
                ) from None

    def __call__(self, event: dict) -> None:
        if self._file is None:
            return
        with self._lock:
            self._file.write(json.dumps(event, ensure_ascii=False) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@contextmanager
def _signals_stop_session() -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        for s in SIGNALS:  # one stop is enough: ignore repeats while the place is saved
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    saved = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, old in saved.items():
            signal.signal(s, old)


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
    stdin: Any = None,
    echo: Callable[[str], None] = print,
) -> Outcome:
    """Read ``source`` (a path, ``-``, a URL, or an article already ``prepare``d) aloud,
    driven by key presses on ``stdin`` (a terminal). When standard input carries the
    article (``-``), keys come from the controlling terminal (``/dev/tty``).

    Raises ``TerminalError`` when there is no terminal to read keys from, ``AudioError``
    when no sound device can be opened (before anything is spoken), and the usual
    source, parse, voice and engine errors.
    """
    prepared = source if isinstance(source, Prepared) else prepare(source)
    loaded, article, sentences = prepared.source, prepared.article, prepared.sentences
    place = None if from_start else load_place(loaded.key)
    if place is not None and not (
        place.sentence < len(sentences) and sentences[place.sentence].block == place.block
    ):
        place = None  # the article changed since: its old place means nothing now
    profile = load_profile(voice)
    if engine:
        profile = profile.with_engine(engine)
    if rate:
        profile = profile.with_rate(rate)
    elif place is not None and place.rate:
        profile = profile.with_rate(place.rate)

    # The audio callback is Python and needs the GIL every 10 ms period; the default
    # 5 ms switch interval lets the render thread hold it for most of a period.
    sys.setswitchinterval(0.001)
    output = Output(audio)  # first: no sound device is the error most worth telling
    speech = None
    player = None
    log = None
    reason, code = "quit", 0
    try:
        log = EventLog(events)
        # Checks that it is a terminal, changes nothing yet.
        terminal = Terminal(stdin, controlling=stdin is None and loaded.name == "-")
        speech = RenderedSpeech(article, sentences, profile)
        speech.prefetch(place.sentence if place else 0)
        player = Player(
            article,
            sentences,
            speech,
            output,
            start=place.sentence if place else 0,
            bookmark=place.bookmark if place else None,
            log=log,
            echo=echo,
            checkpoint=lambda place: save_place(loaded.key, place),
        )
        with _signals_stop_session(), terminal:
            try:
                reason = player.run(KeyReader(terminal.fd), resumed=place is not None)
            except Interrupted as e:
                reason, code = str(e), 128 + e.signum
                output.stop()
                player.event("interrupted", signal=reason)
            except KeyboardInterrupt:
                reason, code = "SIGINT", 130
                output.stop()
                player.event("interrupted", signal=reason)
            finally:
                terminal.restore()
                if reason == "end":
                    forget_place(loaded.key)
                else:
                    save_place(loaded.key, player.place())
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
    source: str, export_to: str | None, *, force: bool = False, **options: Any
) -> Outcome | Path:
    """``listen``; where no sound device opens and ``export_to`` is given, export the
    same prepared article there (replacing an existing file only with ``force``)."""
    prepared = prepare(source)
    try:
        return listen(prepared, **options)
    except AudioError:
        if export_to is None:
            raise
    from reader.export import ExportOptions, export_prepared

    result = export_prepared(
        prepared,
        export_to,
        ExportOptions(
            voice=options.get("voice"),
            engine=options.get("engine"),
            rate=options.get("rate"),
            force=force,
        ),
    )
    return result.path
