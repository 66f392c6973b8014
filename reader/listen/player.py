"""The listening state machine behind ``reader read``: commands in, audio and events out.

No terminal code lives here: ``Player.run`` takes anything with ``get(timeout)``
returning ``(key name, time)`` or ``None`` (``reader.listen.terminal.KeyReader`` in real
use), and maps keys to commands with ``reader.listen.commands.KEYMAP``. Audio goes to a
``reader.listen.sequencer.Sequencer``; speech comes from a ``Speech`` (sentence clips rendered
ahead, plus short spoken phrases for feedback).

Every state change is one event (``log``) and, as the ``feedback`` channels say, one
printed line (``echo``; event ``print``) and a spoken confirmation where its result is
not heard at once: "Paused", "Rate 225", "Paragraph 3 of 7". A spoken confirmation
interrupts the sentence, which then goes on from where it stopped; with text feedback
alone nothing interrupts it (a screen reader has the terminal to itself). Reaching a
table prints its size and the key that skips it (its first sentence says the size).

Positions: ``sentence`` is the index into the article's sentence list; events also give
``block`` (index into ``Article.blocks``), ``kind`` and ``name`` (the block's name, as
every command says it: "Paragraph 3 of 7", "Headline"; ``reader.structure``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from typing import Any, Protocol

from reader.listen.audio import RETRY
from reader.listen.commands import KEYMAP, help_lines, key_for, key_said
from reader.listen.navigation import ArticleMap
from reader.listen.sequencer import Sequencer
from reader.listen.state import Place
from reader.model import Article, Audio, Sentence
from reader.safe import for_terminal
from reader.speech.profiles import rate_step

#: How far into a sentence ``previous`` still means "the sentence before".
PREVIOUS_WINDOW = 2.0
#: How often the loop looks at audio news while no key arrives.
TICK = 0.01
#: What the sleep timer key steps through, in seconds (0: off).
SLEEP_STEPS = (0, 15 * 60, 30 * 60, 60 * 60)
#: Seconds a sentence may take to render before the listener is told ("Preparing").
PREPARING_AFTER = 1.0
PREPARING = "Preparing"


class Speech(Protocol):
    """Where the player's audio comes from."""

    @property
    def rate(self) -> int:
        """Words a minute of body text now."""
        ...

    def sentence(self, i: int) -> Audio:
        """Sentence ``i`` as spoken at the current rate (blocking; cached)."""
        ...

    def stream(self, i: int) -> Any:
        """Sentence ``i``'s audio without waiting: a ``reader.speech.render.Rendering``
        (``has_audio``, ``done``, ``error``, ``cut``, ``duration``) that fills as it is
        rendered."""
        ...

    def prefetch(self, i: int) -> None:
        """Start rendering sentence ``i`` and a few after it, in the background."""
        ...

    def phrase(self, text: str) -> Audio:
        """Short feedback such as "Paused", in the body voice at the current rate."""
        ...

    def pause_after(self, i: int) -> float:
        """Seconds of silence after sentence ``i`` when reading on."""
        ...

    def set_rate(self, wpm: int) -> None:
        """Speak sentences rendered from now on at ``wpm`` words a minute."""
        ...

    @property
    def max_rate(self) -> int:
        """The fastest rate the voice speaks."""
        ...

    def at_rate(self, i: int, clip: Audio, offset: float, rate_then: int) -> tuple[Audio, float]:
        """Sentence ``i`` at the current rate and where in it to go on, given its ``clip``
        rendered at ``rate_then`` and ``offset`` seconds into it (the same words)."""
        ...


class Player:
    """Navigation over one article's sentences, with playback and feedback."""

    def __init__(
        self,
        article: Article,
        sentences: list[Sentence],
        speech: Speech,
        output: Any,
        *,
        start: int = 0,
        bookmark: int | None = None,
        log: Callable[[dict], None] | None = None,
        echo: Callable[[str], None] = print,
        checkpoint: Callable[[Place], object] | None = None,
        notice: str | None = None,
        whole_page: bool = False,
        feedback: str = "both",
        show_text: bool = False,
        sleep: float | None = None,
        fallback: tuple[str, str] | None = None,
        intro: str | None = None,
        queue: tuple[int, int] | None = None,
    ) -> None:
        """``feedback``: ``speech``, ``text`` or ``both`` (how confirmations reach the
        listener); ``show_text``: print each sentence as it starts; ``sleep``: seconds
        after which reading stops at the end of a paragraph; ``fallback``: the voice's
        engine fallback (said, printed), told once before the first sentence."""
        self.map = ArticleMap(article, sentences)
        self.article = article
        self.sentences = sentences
        self.speech = speech
        self.output = output
        self.cur = min(max(0, start), len(sentences) - 1)
        self.bookmark = bookmark
        self._log = log or (lambda event: None)
        # Called with the place at each new block, so that even a kill -9 or a power
        # cut loses at most one paragraph.
        self._checkpoint = checkpoint or (lambda place: None)
        self.echo = echo
        # Said before the first sentence: reader's doubt that it found the article.
        self.notice = notice
        self.whole_page = whole_page  # reading all of the page's text already
        self.speaks = feedback in ("speech", "both")
        self.prints = feedback in ("text", "both")
        self.show_text = show_text
        self.fallback = fallback
        self._sleep_for = 0.0
        self._sleep_at: float | None = None
        if sleep:
            self._set_sleep(sleep)
        self._help_full_next = False  # ? right after ? gives the full list
        # In a queue of articles (reader.listen.queue): what is said first ("Article 2
        # of 12: ..."), and this article's index and the queue's length.
        self.intro = intro
        self.queue = queue
        self.mode = "playing"  # playing | paused | finding
        self.done: str | None = None  # why the session ended: quit, end, a signal name
        self.finding = ""
        self.last_find = ""
        # What follows the phrase playing (resume | play | end | stay); None: a sentence plays.
        self._after: str | None = None
        self._resume_mode = "playing"  # the mode to go back to when find ends
        self._clip_block: int | None = None
        self._offset = 0.0  # where to go on in the current sentence after a phrase
        # The current sentence's audio (an Audio or a Rendering), kept across phrases.
        self._clip: Any = None
        self._clip_rate = 0  # the rate it was rendered at
        # A sentence asked to play whose audio is not rendered yet: (offset, since when).
        self._pending: tuple[float, float] | None = None
        self._announced: Any = None  # the clip "Preparing" was said for
        self._warmed: Any = None
        self.audio = Sequencer(output)

    # -- where we are ---------------------------------------------------------------

    def position(self, i: int | None = None) -> dict:
        return self.map.position(self.cur if i is None else i)

    def place(self) -> Place:
        return Place(self.cur, self.sentences[self.cur].block, self.speech.rate, self.bookmark)

    def where_text(self, i: int | None = None) -> str:
        """Where sentence ``i`` is, in words: "Paragraph 3 of 7" or "Image caption 1 of 2"."""
        return self.map.describe(self.cur if i is None else i)

    # -- the loop -------------------------------------------------------------------

    def event(self, name: str, t: float | None = None, **extra: Any) -> None:
        when = time.time() if t is None else t
        self._log({"time": when, "event": name, **self.position(), **extra})

    def run(self, keys: Any, *, resumed: bool = False) -> str:
        """Read until quit, the end of the article, or an exception (a signal).

        Returns why it stopped: ``quit``, ``end``, ``hangup``, ``whole_page``, or in a
        queue ``next_article``, ``previous_article`` or ``article_list``.
        """
        self.event("start", sentences=len(self.sentences), rate=self.speech.rate, pid=os.getpid())
        if self.fallback:
            self._print(self.fallback[1] + ".")
            self.event("fallback", text=self.fallback[1])
        first = [self.fallback[0]] if self.fallback else []  # said before the first sentence
        # A language no installed voice speaks: said once, in English, before the article.
        lacking = getattr(self.speech, "language_notice", lambda: None)()
        if lacking:
            self._print(lacking)
            self.event("warning", text=lacking)
            first.append(lacking.rstrip("."))
        if self.intro:
            self._print(f"{self.intro}.")
            first.append(self.intro)
        if self.notice:
            shown, said = key_for("whole_page")
            self._print(f"{self.notice} Press {shown} to hear all of the page's text.")
            self.event("warning", text=self.notice)
            if resumed:
                self.event("resumed")
            first.append(f"{self.notice} Press {said} to hear all of the page's text.")
        elif resumed:
            text = f"Resuming at {self.where_text().lower()}"
            self._print(f"{text}. Press g for the first paragraph, or ? for the keys.")
            self.event("resumed")
            first.append(text)
        elif self.whole_page:
            self._print(f"Reading all of the page's text: {len(self.map.blocks)} blocks. "
                        "Press ? for the keys, q to quit.")
            first.append("Reading all of the page's text")
        elif not self.intro:
            self._print(f"Reading {self.article.title}. Press ? for the keys, q to quit.")
        if first:
            self.interject(". ".join(first), then="play")
        else:
            self.play()
        while self.done is None:
            got = keys.get(TICK)
            if got is not None:
                self.key(*got)
            self._drain()
            if getattr(keys, "closed", False) and self.done is None:
                self.done = "hangup"  # the terminal went away: stop, keeping the place
        self.output.stop()
        return self.done

    def _drain(self) -> None:
        if self._pending is not None:
            self._start()
        for what, t, clip in self.audio.news():
            if what == "stopped":
                self.event("audio_stopped", t)
            elif what == "started":
                self.event("audio_started", t, clip=clip)
            elif what == "ended":
                self._ended(t)
            elif what == "lost":
                self._device_lost(t)
            elif what == "back":
                self._device_back(t)

    def _device_lost(self, t: float) -> None:
        # The output dropped the clip and keeps trying to open the device again; keys
        # go on working meanwhile (q quits, the place is saved as ever).
        self.event("device_lost", t)
        # Printed whatever the feedback channels: with no sound device it is the only one.
        self.echo(f"Sound device lost. Trying again every {RETRY:g} seconds; q quits.")

    def _device_back(self, t: float) -> None:
        self.event("device_back", t)
        self._print("Sound is back.")
        if self.mode == "playing":  # from the start of the interrupted sentence
            self.interject("Sound is back", then="play")

    def _ended(self, t: float) -> None:
        if self._after is not None:  # a phrase finished; "stay" stays set until play()
            self._continue(self._after)
            return
        self.event("sentence_end", t)
        if self.cur + 1 >= len(self.sentences):
            self.event("end")
            self._print("End of article.")
            self.interject("End of article", then="end")
            return
        self.cur += 1
        new_block = self.sentences[self.cur].block != self.sentences[self.cur - 1].block
        if new_block and self._sleep_due():
            # The timer ran out during the paragraph just ended: stop here, and keep the
            # next paragraph's start as the place.
            self.event("sleep_stop")  # the command prints where it stopped, once
            self.interject("Sleep timer. Stopped at the end of the paragraph", then="sleep")
            return
        self.play()

    def _continue(self, after: str) -> None:
        """Do what was to follow a phrase: ``resume``, ``play``, ``end``, ``sleep``, ``stay``."""
        self._after = after  # "stay" stays set until play()
        if after == "resume":
            self.play(offset=self._offset, audio=self._clip)
        elif after == "play":
            self.play()
        elif after in ("end", "sleep"):
            self.done = after

    # -- audio ------------------------------------------------------------------------

    def stop(self) -> float:
        """Silence whatever plays (or is about to); returns how far into it playback had
        got."""
        self._pending = None
        return self.audio.stop()

    def play(self, offset: float = 0.0, audio: Any = None) -> None:
        """Play the current sentence from ``offset`` seconds (its kept clip if given).
        Never waits for rendering: a sentence not rendered yet starts from the loop as
        soon as its first audio is there."""
        self.mode = "playing"
        self._after = None
        if audio is not None and self._clip_rate != self.speech.rate:
            # The rate changed since the clip was made: the rest of the sentence is heard
            # at the new rate, from the same words.
            if getattr(audio, "done", True):
                whole = audio if isinstance(audio, Audio) else audio.audio()
                audio, offset = self.speech.at_rate(self.cur, whole, offset, self._clip_rate)
            else:  # still rendering at the old rate: the sentence again, at the new one
                audio, offset = None, 0.0
        self._clip = audio if audio is not None else self.speech.stream(self.cur)
        self._clip_rate = self.speech.rate
        self._pending = (offset, time.monotonic())
        self._start()

    def _start(self) -> None:
        """Start the pending sentence if its audio has begun to come; say "Preparing"
        once when it has kept the listener waiting ``PREPARING_AFTER`` seconds."""
        if self._pending is None or self._after not in (None, "preparing"):
            return
        clip = self._clip
        if getattr(clip, "cut", False):  # given up by the renderer: ask again
            clip = self._clip = self.speech.stream(self.cur)
        error = getattr(clip, "error", None)
        if error is not None:
            self._pending = None
            raise error
        if not (getattr(clip, "done", True) or clip.has_audio):
            offset, since = self._pending
            if self._warmed is not clip:  # ready before it is needed
                self._warmed = clip
                warm = getattr(self.speech, "warm", None)
                if warm is not None:
                    warm(PREPARING)
            if self._announced is not clip and time.monotonic() - since >= PREPARING_AFTER:
                self._announced = clip
                self._print("Preparing.")
                self.event("preparing")
                self.interject(PREPARING, then="preparing")  # cut short by the sentence
            return
        offset, _ = self._pending
        self._pending = None
        self._after = None
        prev_block = self._clip_block
        self._clip_block = self.sentences[self.cur].block
        pause = self.speech.pause_after(self.cur)
        self.audio.play(clip, "sentence", offset, tail=pause)
        done = getattr(clip, "done", True)
        self.event(
            "play",
            offset=round(offset, 3),
            duration=round(clip.duration, 3) if done else None,
            rate=self.speech.rate,
            text=self.sentences[self.cur].text,
            **self._said(),
            **getattr(self.speech, "voice", lambda i: {})(self.cur),
        )
        if self.show_text and offset == 0.0:
            # One line per sentence, whatever breaks the text had: a braille display shows
            # the sentence being spoken, and nothing in it can drive the terminal.
            self.echo(for_terminal(re.sub(r"\s+", " ", self.sentences[self.cur].text).strip()))
        self.speech.prefetch(self.cur + 1)
        if prev_block != self._clip_block:
            self._checkpoint(self.place())
            if prev_block is not None:
                self.event("block")
            shape = self.map.table_shape(self.cur)
            if shape:
                shown, _ = key_for("skip_table")
                self._print(f"{self.where_text()}, {shape}. Press {shown} to skip it.")
                self.event("table", shape=shape)

    def _said(self) -> dict:
        """``{"said": words}`` when what is spoken differs from the sentence's text."""
        said = getattr(self.speech, "said", None)
        words = said(self.cur) if callable(said) else None
        return {"said": words} if words and words != self.sentences[self.cur].text else {}

    def interject(self, text: str, then: str = "resume") -> None:
        """Say ``text`` now; afterwards ``resume`` the sentence where it stopped, ``play``
        the current sentence from its start, ``end`` the session (or ``sleep``: end it
        for the sleep timer), or ``stay`` silent (``preparing``: stay, until the pending
        sentence starts). Without speech feedback nothing is said and what follows comes
        at once."""
        if not self.speaks:
            self._continue(then)
            return
        self._after = then
        soon = getattr(self.speech, "phrase_soon", None)
        audio = soon(text) if soon is not None else self.speech.phrase(text)
        self.audio.play(audio, "phrase")  # a phrase still rendering plays when it is there
        done = getattr(audio, "done", True)
        self.event("say", text=text, duration=round(audio.duration, 3) if done else None,
                   **getattr(self.speech, "phrase_voice", lambda: {})())  # fmt: skip

    # -- keys and commands --------------------------------------------------------------

    def _print(self, line: str) -> None:
        """Print a feedback line where text feedback is on (event ``print``)."""
        if self.prints:
            self.echo(line)
            self.event("print", text=line)

    def key(self, name: str, t: float | None = None) -> None:
        if self.mode == "finding":
            self.event("key", t, key=name, command="find_input")
            self._find_input(name)
            return
        command = KEYMAP.get(name)
        self.event("key", t, key=name, command=command)
        if command != "help":
            self._help_full_next = False
        if command is None:
            self._confirm(
                f"{key_said(name)} does nothing. Question mark for the keys",
                f"The key {name} does nothing. Press ? for the keys",
            )
            return
        getattr(self, "cmd_" + command)()

    def _hold(self) -> None:
        """Stop the sentence, remembering where, before a spoken confirmation."""
        if self.mode == "playing" and self._after is None:
            self._offset = self.stop()
        else:
            self.stop()

    def _confirm(self, text: str, line: str | None = None) -> None:
        """Print and say ``text``, then go on with the sentence (or stay paused)."""
        self._print((line or text) + ".")
        if not self.speaks:
            if self.mode == "playing" and self._after == "stay":
                self._continue("resume")  # held for find: the sentence goes on
            return  # nothing to say: the sentence plays on untouched
        self._hold()
        self.interject(text, then="resume" if self.mode == "playing" else "stay")

    def _jump(self, i: int, say: str | None = None) -> None:
        self.stop()
        self.cur = i
        self._offset = 0.0
        self._clip = None  # the kept clip belonged to the sentence we left
        if say:
            self.mode = "playing"
            self.speech.prefetch(i)  # rendered while the announcement plays
            self.interject(say, then="play")
        else:
            self.play()

    def cmd_pause(self) -> None:
        if self.mode == "paused":
            self._print("Resumed.")
            self.event("resume")
            self.play(offset=self._offset, audio=self._clip)
            return
        self._hold()
        self.mode = "paused"
        self._print("Paused. Press space to go on.")
        self.event("pause", offset=round(self._offset, 3))
        self.interject("Paused", then="stay")

    def cmd_next(self) -> None:
        if self.cur + 1 >= len(self.sentences):
            self._confirm("Last sentence")
            return
        self._print(f"Next sentence: {self.where_text(self.cur + 1)}.")
        self._jump(self.cur + 1)

    def cmd_previous(self) -> None:
        into = self._offset if self.mode != "playing" or self._after else self.audio.position
        self.event("previous", into=round(into, 3))
        if into < PREVIOUS_WINDOW and self.cur > 0:
            self._print(f"Previous sentence: {self.where_text(self.cur - 1)}.")
            self._jump(self.cur - 1)
        else:
            self._print("Start of the sentence.")
            self._jump(self.cur)

    def _to(self, i: int) -> None:
        """Jump to sentence ``i``, the start of a block, saying which block it is."""
        self._print(f"{self.where_text(i)}.")
        self._jump(i, say=self.where_text(i))

    def cmd_next_paragraph(self) -> None:
        i = self.map.next_block(self.cur)
        if i is None:
            self._confirm(f"{self.where_text()} is the last block")
        else:
            self._to(i)

    def cmd_previous_paragraph(self) -> None:
        i = self.map.previous_block(self.cur)
        if i is None:
            self._confirm(f"{self.where_text()} is the first block")
        else:
            self._to(i)

    def cmd_next_heading(self) -> None:
        i = self.map.next_heading(self.cur)
        if i is None:
            self._confirm("No heading after this")
        else:
            self._to(i)

    def cmd_previous_heading(self) -> None:
        i = self.map.previous_heading(self.cur)
        if i is None:
            self._confirm("No heading before this")
        else:
            self._to(i)

    def cmd_skip_table(self) -> None:
        if self.map.table_shape(self.cur) is None:
            self._confirm("Not in a table")
            return
        i = self.map.next_block(self.cur)
        if i is None:
            self._confirm("The table is the last block")
            return
        text = f"Table skipped, {self.where_text(i)}"
        self._print(text + ".")
        self.event("skip_table", target=i)
        self._jump(i, say=text)

    def cmd_first_paragraph(self) -> None:
        self._to(self.map.first_body())

    def cmd_last_paragraph(self) -> None:
        self._to(self.map.first_body(last=True))

    def cmd_repeat(self) -> None:
        self._print("Repeat.")
        self._jump(self.cur)

    def _go_to_kind(self, kind: str, missing: str) -> None:
        found = self.map.of_kind(kind)
        if not found:
            self._confirm(missing)
            return
        self._print(f"{self.where_text(found[0])}.")
        self._jump(found[0])  # heard at once: nothing to say first

    def cmd_headline(self) -> None:
        self._go_to_kind("headline", "No headline")

    def cmd_summary(self) -> None:
        self._go_to_kind("summary", "No summary")

    def cmd_caption(self) -> None:
        i = self.map.next_of_kind(self.cur, "caption")
        if i is None:
            self._confirm("No image captions")
        else:
            self._to(i)

    def _rate(self, faster: bool) -> None:
        rate = rate_step(self.speech.rate, faster, self.speech.max_rate)
        if rate == self.speech.rate:
            self._confirm(f"Rate {rate}, the {'fastest' if faster else 'slowest'}")
            return
        self.speech.set_rate(rate)
        self.event("rate", rate=rate)
        if self.mode == "playing" and self._after is None:
            # Heard at once: the sentence goes on at the new rate from where it was, so
            # the change is its own confirmation (a phrase first would delay it). A
            # sentence that has just run out is followed by the next, at the new rate.
            self._print(f"Rate {rate} words a minute.")
            if self.audio.playing and self._clip is not None:
                self.play(offset=self.stop(), audio=self._clip)
            return
        self._confirm(f"Rate {rate}", f"Rate {rate} words a minute")
        self.speech.prefetch(self.cur + 1)

    def cmd_faster(self) -> None:
        self._rate(True)

    def cmd_slower(self) -> None:
        self._rate(False)

    def cmd_where(self) -> None:
        text = self.map.where(self.cur, self.speech.rate)
        self.event("where", text=text)
        self._confirm(text)

    def cmd_bookmark(self) -> None:
        self.bookmark = self.cur
        self.event("bookmark")
        self._confirm(f"Bookmark set, {self.where_text().lower()}")

    def cmd_back_to_bookmark(self) -> None:
        if self.bookmark is None:
            self._confirm("No bookmark. Press b to set one")
            return
        text = f"Back to bookmark, {self.where_text(self.bookmark).lower()}"
        self._print(text + ".")
        self.event("back_to_bookmark", target=self.bookmark)
        self._jump(self.bookmark, say=text)

    def cmd_help(self) -> None:
        # The essential keys first; ? again (the next key) gives every key.
        full, self._help_full_next = self._help_full_next, not self._help_full_next
        lines = help_lines(short=not full)
        self.event("help", full=full)
        for keys, what in lines:
            self._print(f"{keys}: {what}")
        spoken = ". ".join(f"{keys}, {what}" for keys, what in lines)
        if not full:
            self._print("Press ? again for all the keys.")
            spoken += ". Question mark again for all the keys"
        if not self.speaks:
            return
        self._hold()
        self.interject(("All keys. " if full else "Keys. ") + spoken,
                       then="resume" if self.mode == "playing" else "stay")

    def cmd_whole_page(self) -> None:
        if self.whole_page:
            self._confirm("Already reading all of the page's text")
            return
        self.stop()
        self.event("whole_page")
        self.done = "whole_page"  # the session reads the page again, all of it

    # -- the sleep timer ------------------------------------------------------------------

    def _set_sleep(self, seconds: float) -> None:
        self._sleep_for = seconds
        self._sleep_at = time.monotonic() + seconds if seconds else None

    def _sleep_due(self) -> bool:
        return self._sleep_at is not None and time.monotonic() >= self._sleep_at

    def sleep_left(self) -> float | None:
        """Seconds until the sleep timer runs out (a little more than 0 once it has),
        or ``None`` when it is off: for a player that takes over from this one."""
        if self._sleep_at is None:
            return None
        return max(self._sleep_at - time.monotonic(), 0.001)

    def cmd_sleep(self) -> None:
        """Step the sleep timer through off, 15, 30 and 60 minutes (from any other
        setting, to the next step above it)."""
        seconds = next((s for s in SLEEP_STEPS if s > self._sleep_for), 0)
        self._set_sleep(seconds)
        self.event("sleep", seconds=seconds)
        if seconds:
            self._confirm(
                f"Sleep timer {seconds // 60} minutes",
                f"Sleep timer: {seconds // 60} minutes, then reading stops at the end of "
                "the paragraph",
            )
        else:
            self._confirm("Sleep timer off")

    def _leave_article(self, why: str, step: int = 0) -> None:
        """End this player so the queue goes to another article (or its list)."""
        if self.queue is None:
            self._confirm("Only one article")
            return
        k, n = self.queue
        if not 0 <= k + step < n:
            self._confirm("Last article" if step > 0 else "First article")
            return
        self.stop()
        self.event(why)
        self.done = why

    def cmd_next_article(self) -> None:
        self._leave_article("next_article", 1)

    def cmd_previous_article(self) -> None:
        self._leave_article("previous_article", -1)

    def cmd_article_list(self) -> None:
        self._leave_article("article_list")

    def cmd_quit(self) -> None:
        self.stop()
        self.event("quit")
        self.done = "quit"

    def cmd_find(self) -> None:
        self._hold()
        self._resume_mode = self.mode
        self.mode = "finding"
        self.finding = ""
        self._print("Find: type the text, then Enter. Escape cancels.")
        self.interject("Find", then="stay")

    def _find_input(self, name: str) -> None:
        # Each key is echoed, as a terminal echoes typing: the listener hears (or reads)
        # what they typed, and a wrong letter is caught before Enter.
        if name == "escape":
            self.mode = self._resume_mode
            self._confirm("Find cancelled")
        elif name == "backspace":
            if self.finding:
                gone, self.finding = self.finding[-1], self.finding[:-1]
                self._echo_typed(f"Deleted {key_said(gone)}", gone)
            else:
                self._echo_typed("Nothing to delete", "")
        elif name == "enter":
            self._find_go(self.finding.strip() or self.last_find)
        elif name == "space" or len(name) == 1:
            char = " " if name == "space" else name
            self.finding += char
            self._echo_typed(key_said(name), char)
        else:
            self._echo_typed(f"{key_said(name)} does nothing here. Enter finds, Escape cancels",
                             "")

    def _echo_typed(self, said: str, char: str) -> None:
        """Say and print one key typed into find; the query stays in the event."""
        self.event("find_echo", text=said, char=char, query=self.finding)
        self._print(said)
        if self.speaks:
            self.stop()
            self.interject(said, then="stay")

    def _find_go(self, text: str) -> None:
        self.mode = self._resume_mode
        if not text:
            self._confirm("Nothing to find")
            return
        self.last_find = text
        # The query is read back before the result, so a mistyped one is heard.
        self._print(f'Searching for "{text}".')
        asked = f"Searching for {text}. "
        i = self.map.find(text, after=self.cur)
        if i is not None:
            self.event("find", query=text, target=i, found=True)
            where = self.where_text(i)
            self._print(f'Found "{text}": {where}, sentence {self.sentences[i].index + 1}.')
            self._jump(i, say=f"{asked}Found, {where.lower()}")
            return
        self.event("find", query=text, found=False)
        self._confirm(f"{asked}Not found", f'"{text}" not found')
