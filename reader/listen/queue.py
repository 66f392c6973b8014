"""``reader read`` of several articles (a feed, a list, a folder): one queue that plays on.

Each article is read by its own ``reader.listen.player.Player``, announced first
("Article 2 of 12: <headline>"); when it ends the queue goes on to the next article not
yet finished. ``N`` and ``P`` end the player to go to the next or previous article,
``l`` to the article list: its entries are said one by one (Down and Up move, Enter
goes to the one said, Escape goes back). Each article keeps its own resume place
(``reader.listen.state``, by its key as a single ``reader read`` would), and the queue
keeps which articles were finished and which one was playing. Articles are loaded ahead,
a few at once (``reader.feeds.resolve``); an entry that cannot be fetched or parsed is
said and skipped, never a stop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any

from reader.errors import ReaderError
from reader.feeds import Background, Item, Reading, resolve
from reader.listen.audio import Output
from reader.listen.events import EventLog, signals_stop_session
from reader.listen.player import TICK, Player
from reader.listen.sequencer import Sequencer
from reader.listen.session import Outcome, _quick_thread_switches, until_stopped
from reader.listen.speech import RenderedSpeech
from reader.listen.state import (
    Place,
    QueueState,
    forget_place,
    load_place,
    load_queue,
    save_place,
    save_queue,
)
from reader.listen.terminal import KeyReader, Terminal
from reader.parse.confidence import doubt
from reader.pipeline import Prepared, prepare
from reader.speech.profiles import VoiceProfile, profile_for
from reader.speech.render import open_engine

#: Articles loaded ahead of the one playing (and kept behind it, for ``P``).
AHEAD = 2
#: Keys of the article list (the list is a mode of its own, like find's text entry).
LIST_NEXT = ("down", "n", "right", "]")
LIST_PREVIOUS = ("up", "p", "left", "[")
LIST_BACK = ("escape", "l")
LIST_QUIT = ("q",)


def listen_queue(
    reading: Reading,
    name: str,
    *,
    voice: str | None = None,
    engine: str | None = None,
    rate: int | None = None,
    audio: str = "default",
    from_start: bool = False,
    whole_page: bool = False,
    events: str | Path | None = None,
    lexicons: tuple[str, ...] = (),
    stdin: Any = None,
    echo: Callable[[str], None] = print,
    feedback: str = "both",
    show_text: bool = False,
    sleep: float | None = None,
    language: str | None = None,
) -> Outcome:
    """Read every article of ``reading`` in turn, driven by key presses (``listen``'s
    keys, and ``N``, ``P``, ``l``). ``name`` identifies the queue between runs (the
    sources as given). ``from_start`` starts at the first article and ignores every
    saved place. ``feedback``, ``show_text`` and ``sleep`` are ``listen``'s (the sleep
    timer runs across articles); ``language`` forces every article's language. Raises
    what ``listen`` raises before anything is spoken."""
    profile = profile_for(voice, engine, rate, tuple(lexicons))
    output = Output(audio)  # first: no sound device is the error most worth telling
    queue = None
    log = None
    reason, code = "quit", 0
    try:
        log = EventLog(events)
        controlling = stdin is None and any(i.ref == "-" for i in reading.items)
        terminal = Terminal(stdin, controlling=controlling)
        queue = Queue(reading, name, profile, output, log, echo,
                      from_start=from_start, whole_page=whole_page, feedback=feedback,
                      show_text=show_text, sleep=sleep, language=language)
        with _quick_thread_switches(), signals_stop_session(), terminal:
            keys = KeyReader(terminal.fd)
            try:
                reason, code = until_stopped(lambda: queue.run(keys), output, queue.event)
            finally:
                terminal.restore()
                queue.keep(reason)
    finally:
        output.close()
        if queue is not None:
            queue.close()
        if log is not None:
            log.close()
    return Outcome(reason, code, queue.where() if queue else "the start", reason != "end")


class Queue:
    """The articles of a reading, played one after another on one output."""

    def __init__(
        self,
        reading: Reading,
        name: str,
        profile: VoiceProfile,
        output: Any,
        log: Callable[[dict], None],
        echo: Callable[[str], None],
        *,
        from_start: bool = False,
        whole_page: bool = False,
        feedback: str = "both",
        show_text: bool = False,
        sleep: float | None = None,
        language: str | None = None,
    ) -> None:
        self.items = reading.items
        self.language = language
        self.name = name
        self.profile = profile
        self.output = output
        self._log = log
        self.speaks = feedback in ("speech", "both")
        self.echo = echo if feedback in ("text", "both") else (lambda line: None)
        self.feedback = feedback
        self.show_text = show_text
        self.sleep = sleep
        self.from_start = from_start
        self.whole_page = whole_page
        saved = QueueState() if from_start else load_queue(name)
        refs = {i.ref for i in self.items}
        self.finished = [r for r in saved.finished if r in refs]
        self.resume_at = saved.current if saved.current in refs else None
        self.cur = 0
        self.titles: dict[int, str] = {}
        self.broken: dict[int, str] = {}
        self.player: Player | None = None
        self._told = profile.fallback_told()  # the engine fallback, said once a queue
        self.prepared: Prepared | None = None
        self._pool = Background(AHEAD)
        self._loads: dict[tuple[int, bool], Future] = {}
        self._phrases: _Phrases | None = None

    # -- bookkeeping ------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.items)

    def event(self, name: str, **extra: Any) -> None:
        self._log({"time": time.time(), "event": name, "article": self.cur + 1,
                   "articles": self.total, **extra})

    def title(self, i: int) -> str:
        item = self.items[i]
        if i in self.titles:
            return self.titles[i]
        if item.title:
            return item.title
        return item.ref if "://" in item.ref else Path(item.ref).name or item.ref

    def where(self) -> str:
        head = f"article {self.cur + 1} of {self.total}"
        if self.player is None:
            return head
        p = self.player
        return f"{head}, {p.where_text().lower()}, sentence {p.sentences[p.cur].index + 1}"

    def keep(self, reason: str) -> None:
        """Save the queue's state, and the place in the article playing when a signal
        cut it short (on any ending)."""
        if self.player is not None and self.prepared is not None and reason != "end":
            save_place(self.prepared.key, self.player.place())
        current = None if reason == "end" else self.items[self.cur].ref
        save_queue(self.name, QueueState(tuple(self.finished), current))
        self.event("saved" if reason != "end" else "forgotten")

    def close(self) -> None:
        self._pool.close()
        if self.player is not None:
            self.player.speech.close()  # type: ignore[attr-defined]
        if self._phrases is not None:
            self._phrases.close()

    # -- loading ------------------------------------------------------------------------

    def _load(self, i: int, whole_page: bool) -> Future:
        key = (i, whole_page)
        if key not in self._loads:
            item = self.items[i]
            self._loads[key] = self._pool.submit(_prepare, item, whole_page, self.language)
        return self._loads[key]

    def prepared_at(self, i: int) -> Prepared:
        """Article ``i`` loaded and segmented (waits for it); raises why it cannot be."""
        got = self._load(i, self.whole_page).result()
        for k in [k for k in self._loads if abs(k[0] - i) > AHEAD]:
            del self._loads[k]  # a long queue keeps only the articles around this one
        for j in range(i + 1, min(i + 1 + AHEAD, self.total)):
            self._load(j, self.whole_page)
        return got

    # -- the queue ----------------------------------------------------------------------

    def _first(self) -> int:
        refs = [i.ref for i in self.items]
        if self.resume_at is not None:
            return refs.index(self.resume_at)
        return next((k for k, r in enumerate(refs) if r not in self.finished), 0)

    def _next_unfinished(self, i: int) -> int | None:
        order = list(range(i + 1, self.total)) + list(range(0, i))
        return next((k for k in order if self.items[k].ref not in self.finished
                     and k not in self.broken), None)

    def run(self, keys: Any) -> str:
        """Play until quit, the end of the queue, or an exception (a signal)."""
        self.cur = self._first()
        self.event("queue", titles=[self.title(k) for k in range(self.total)])
        self.echo(f"{self.total} articles. N next article, P previous, l the list, "
                  "? the keys, q to quit.")
        step = 1
        while True:
            try:
                prepared = self.prepared_at(self.cur)
            except Exception as e:  # a broken entry is skipped, never a stop
                why = str(e) if isinstance(e, ReaderError) else (
                    f"internal error ({type(e).__name__}: {e})")
                self.broken[self.cur] = why
                text = f"Article {self.cur + 1} of {self.total} cannot be read, so it is skipped"
                self.echo(f"{text}: {why}")
                self.event("skipped", ref=self.items[self.cur].ref, reason=why)
                stop = self._say(keys, text)
                if stop is not None:
                    return stop
                nxt: int | None = self.cur + step
                if nxt is not None and not 0 <= nxt < self.total:
                    # Past either end: on to the articles still to hear, if any.
                    nxt = self._next_unfinished(self.cur)
                if nxt is None:
                    return self._end(keys)
                self.cur = nxt
                continue
            reason = self._play(prepared, keys)
            if reason == "end":
                ref = self.items[self.cur].ref
                self.finished = [r for r in self.finished if r != ref] + [ref]
                save_queue(self.name, QueueState(tuple(self.finished), None))
                self.event("finished", title=self.title(self.cur))
                after = self._next_unfinished(self.cur)
                if after is None:
                    return self._end(keys)
                self.cur, step = after, 1
            elif reason in ("next_article", "previous_article"):
                step = 1 if reason == "next_article" else -1
                self.cur += step
            elif reason == "article_list":
                choice = self._list(keys)
                if isinstance(choice, str):
                    return choice
                self.cur, step = choice, 1
            else:
                return reason

    def _play(self, prepared: Prepared, keys: Any) -> str:
        """Read article ``self.cur`` with its own player; its place kept as it ends."""
        self.titles[self.cur] = prepared.article.title
        place = None if self.from_start else _valid(load_place(prepared.key), prepared)
        intro = f"Article {self.cur + 1} of {self.total}: {prepared.article.title}"
        self.event("article", title=prepared.article.title, ref=self.items[self.cur].ref)
        reason = self._player(prepared, place, intro).run(keys, resumed=place is not None)
        while reason == "whole_page":  # A: all of this page's text, its own place
            self._forget_or_keep(reason)
            prepared = _prepare(self.items[self.cur], True, self.language)
            reason = self._player(prepared, None, None).run(keys)
        self._forget_or_keep(reason)
        self.prepared = None  # its place is dealt with: ``keep`` leaves it alone
        return reason

    def _player(self, prepared: Prepared, place: Place | None, intro: str | None) -> Player:
        sleep = self.player.sleep_left() if self.player is not None else self.sleep
        if self.player is not None:
            self.player.speech.close()  # type: ignore[attr-defined]
        speech = RenderedSpeech(prepared.article, prepared.sentences, self.profile)
        speech.prefetch(place.sentence if place else 0)
        self.prepared = prepared
        self.player = Player(
            prepared.article, prepared.sentences, speech, self.output,
            start=place.sentence if place else 0,
            bookmark=place.bookmark if place else None,
            log=self._log, echo=self.echo,
            checkpoint=partial(save_place, prepared.key),
            notice=None if prepared.whole_page else doubt(prepared.article),
            whole_page=prepared.whole_page,
            intro=intro, queue=(self.cur, self.total),
            feedback=self.feedback, show_text=self.show_text, fallback=self._told,
            sleep=sleep,  # the sleep timer runs on from one article to the next
        )  # fmt: skip
        self._told = None
        return self.player

    def _forget_or_keep(self, reason: str) -> None:
        assert self.player is not None and self.prepared is not None
        self.profile = self.profile.with_rate(self.player.speech.rate)  # + and - carry on
        if reason == "end":
            forget_place(self.prepared.key)
        else:
            save_place(self.prepared.key, self.player.place())

    def _end(self, keys: Any) -> str:
        text = f"End of the list: {len(self.finished)} of {self.total} articles finished"
        self.echo(text + ".")
        self.event("queue_end", finished=len(self.finished))
        return self._say(keys, text) or "end"

    # -- speaking outside an article -----------------------------------------------------

    def phrases(self) -> _Phrases:
        if self._phrases is None:
            self._phrases = _Phrases(self.profile)
        return self._phrases

    def _say(self, keys: Any, text: str) -> str | None:
        """Say ``text`` and wait for it to end; ``quit`` or ``hangup`` if the listener
        quit meanwhile (other keys wait their turn). Nothing is said without speech
        feedback."""
        if not self.speaks:
            return None
        seq = Sequencer(self.output)
        seq.play(self.phrases().say(text, self.profile.rate), "phrase")
        self.event("say", text=text)
        while True:
            got = keys.get(TICK)
            if got is not None and got[0] in ("q", "escape"):
                seq.stop()
                self.event("quit")
                return "quit"
            if getattr(keys, "closed", False):
                return "hangup"
            if any(what == "ended" for what, _, _ in seq.news()):
                return None

    def _list(self, keys: Any) -> int | str:
        """The article list: entries said one after another from the current one.
        Returns the article chosen (Enter; the current one for Escape) or why to stop."""
        at = k = self.cur
        seq = Sequencer(self.output)
        self.echo(f"Article list, {self.total} articles: Down for the next, Up for the "
                  "previous, Enter to go to the one said, Escape to go back.")
        self.event("list", at=at + 1)

        def say(text: str, event: str | None = None) -> None:
            if self.speaks:
                seq.play(self.phrases().say(text, self.profile.rate), "phrase")
            if event:
                self.event(event, entry=k + 1, text=text)

        def entry(n: int) -> str:
            state = (", finished" if self.items[n].ref in self.finished else "") + (
                ", cannot be read" if n in self.broken else "")
            return f"{n + 1} of {self.total}: {self.title(n)}{state}"

        say(f"Article list. {entry(k)}", "list_entry")
        self.echo(entry(k))
        while True:
            got = keys.get(TICK)
            if got is not None:
                key = got[0]
                self.event("key", key=key, command="article_list")
                if key == "enter":
                    seq.stop()
                    self.event("jump", target=k + 1, title=self.title(k))
                    self.echo(f"Going to article {k + 1}.")
                    return k
                if key in LIST_BACK:
                    seq.stop()
                    self.event("list_closed")
                    self.echo("Back to the article.")
                    return at
                if key in LIST_QUIT:
                    seq.stop()
                    self.event("quit")
                    return "quit"
                move = 1 if key in LIST_NEXT else -1 if key in LIST_PREVIOUS else 0
                if move and 0 <= k + move < self.total:
                    k += move
                    say(entry(k), "list_entry")
                    self.echo(entry(k))
                elif move:
                    say("Last article" if move > 0 else "First article")
            if getattr(keys, "closed", False):
                return "hangup"
            if any(what == "ended" for what, _, _ in seq.news()) and k + 1 < self.total:
                k += 1  # said one by one, until the listener chooses
                say(entry(k), "list_entry")
                self.echo(entry(k))


def _prepare(item: Item, whole_page: bool, language: str | None = None) -> Prepared:
    return prepare(resolve(item), whole_page=whole_page, language=language)


def _valid(place: Place | None, prepared: Prepared) -> Place | None:
    """``place`` when the article still segments as it did when the place was saved."""
    sentences = prepared.sentences
    if place is not None and place.sentence < len(sentences) and (
        sentences[place.sentence].block == place.block
    ):
        return place
    return None


class _Phrases:
    """Short spoken lines outside any article (a skipped entry, the list)."""

    def __init__(self, profile: VoiceProfile) -> None:
        self._engine, self._resolved = open_engine(profile)

    def say(self, text: str, rate: int):
        settings = self._resolved.with_rate(rate).settings_for("paragraph")
        return self._engine.synthesize(text, settings)

    def close(self) -> None:
        self._engine.close()
