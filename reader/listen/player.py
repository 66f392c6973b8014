"""The listening state machine behind ``reader read``: commands in, audio and events out.

No terminal code lives here: ``Player.run`` takes anything with ``get(timeout)``
returning ``(key name, time)`` or ``None`` (``reader.listen.terminal.KeyReader`` in real
use), and maps keys to commands with ``reader.listen.commands.KEYMAP``. Audio goes to a
``reader.listen.sequencer.Sequencer``; speech comes from a ``Speech`` (sentence clips rendered
ahead, plus short spoken phrases for feedback).

Every state change is one printed line (``echo``) and one event (``log``), and is
confirmed in speech where its result is not heard at once: "Paused", "Rate 225",
"Paragraph 3 of 7". A spoken confirmation interrupts the sentence, which then goes on
from where it stopped.

Positions: ``sentence`` is the index into the article's sentence list; events also give
``block`` (index into ``Article.blocks``), ``kind`` and ``paragraph`` (1-based number of
a body block, ``None`` for headline, summary and captions).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from reader.listen.commands import KEYMAP, help_lines, key_for
from reader.listen.navigation import ArticleMap
from reader.listen.sequencer import Sequencer
from reader.listen.state import Place
from reader.model import Article, Audio, Sentence
from reader.speech.profiles import rate_step

#: How far into a sentence ``previous`` still means "the sentence before".
PREVIOUS_WINDOW = 2.0
#: How often the loop looks at audio news while no key arrives.
TICK = 0.01


class Speech(Protocol):
    """Where the player's audio comes from."""

    @property
    def rate(self) -> int:
        """Words a minute of body text now."""
        ...

    def sentence(self, i: int) -> Audio:
        """Sentence ``i`` as spoken at the current rate (blocking; cached)."""
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
    ) -> None:
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
        self.mode = "playing"  # playing | paused | finding
        self.done: str | None = None  # why the session ended: quit, end, a signal name
        self.finding = ""
        self.last_find = ""
        # What follows the phrase playing (resume | play | end | stay); None: a sentence plays.
        self._after: str | None = None
        self._resume_mode = "playing"  # the mode to go back to when find ends
        self._clip_block: int | None = None
        self._offset = 0.0  # where to go on in the current sentence after a phrase
        self._clip: Audio | None = None  # the current sentence's audio, kept across phrases
        self._clip_rate = 0  # the rate it was rendered at
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

        Returns why it stopped: ``quit`` or ``end``.
        """
        self.event("start", sentences=len(self.sentences), rate=self.speech.rate, pid=os.getpid())
        if self.notice:
            shown, said = key_for("whole_page")
            self.echo(f"{self.notice} Press {shown} to hear all of the page's text.")
            self.event("warning", text=self.notice)
            if resumed:
                self.event("resumed")
            self.interject(f"{self.notice} Press {said} to hear all of the page's text.",
                           then="play")
        elif resumed:
            text = f"Resuming at {self.where_text().lower()}"
            self.echo(f"{text}. Press g for the first paragraph, or ? for the keys.")
            self.event("resumed")
            self.interject(text, then="play")
        elif self.whole_page:
            self.echo(f"Reading all of the page's text: {len(self.map.blocks)} blocks. "
                      "Press ? for the keys, q to quit.")
            self.interject("Reading all of the page's text", then="play")
        else:
            self.echo(f"Reading {self.article.title}. Press ? for the keys, q to quit.")
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
        for what, t, clip in self.audio.news():
            if what == "stopped":
                self.event("audio_stopped", t)
            elif what == "started":
                self.event("audio_started", t, clip=clip)
            elif what == "ended":
                self._ended(t)

    def _ended(self, t: float) -> None:
        if self._after is not None:  # a phrase finished; "stay" stays set until play()
            after = self._after
            if after == "resume":
                self.play(offset=self._offset, audio=self._clip)
            elif after == "play":
                self.play()
            elif after == "end":
                self.done = "end"
            return
        self.event("sentence_end", t)
        if self.cur + 1 >= len(self.sentences):
            self.event("end")
            self.echo("End of article.")
            self.interject("End of article", then="end")
            return
        self.cur += 1
        self.play()

    # -- audio ------------------------------------------------------------------------

    def stop(self) -> float:
        """Silence whatever plays; returns how far into it playback had got."""
        return self.audio.stop()

    def play(self, offset: float = 0.0, audio: Audio | None = None) -> None:
        """Play the current sentence from ``offset`` seconds (its kept clip if given)."""
        self.mode = "playing"
        self._after = None
        prev_block = self._clip_block
        if audio is not None and self._clip_rate != self.speech.rate:
            # The rate changed since the clip was made: the rest of the sentence is heard
            # at the new rate, from the same words.
            audio, offset = self.speech.at_rate(self.cur, audio, offset, self._clip_rate)
        clip = audio if audio is not None else self.speech.sentence(self.cur)
        self._clip, self._clip_block = clip, self.sentences[self.cur].block
        self._clip_rate = self.speech.rate
        pause = self.speech.pause_after(self.cur)
        samples = np.concatenate([clip.samples, np.zeros(int(pause * clip.sample_rate), np.int16)])
        self.audio.play(Audio(clip.sample_rate, samples), "sentence", offset)
        self.event(
            "play",
            offset=round(offset, 3),
            duration=round(clip.duration, 3),
            rate=self.speech.rate,
            text=self.sentences[self.cur].text,
            **self._said(),
        )
        self.speech.prefetch(self.cur + 1)
        if prev_block != self._clip_block:
            self._checkpoint(self.place())
            if prev_block is not None:
                self.event("block")

    def _said(self) -> dict:
        """``{"said": words}`` when what is spoken differs from the sentence's text."""
        said = getattr(self.speech, "said", None)
        words = said(self.cur) if callable(said) else None
        return {"said": words} if words and words != self.sentences[self.cur].text else {}

    def interject(self, text: str, then: str = "resume") -> None:
        """Say ``text`` now; afterwards ``resume`` the sentence where it stopped, ``play``
        the current sentence from its start, ``end`` the session, or ``stay`` silent."""
        self._after = then
        audio = self.speech.phrase(text)
        self.audio.play(audio, "phrase")
        self.event("say", text=text, duration=round(audio.duration, 3))

    # -- keys and commands --------------------------------------------------------------

    def key(self, name: str, t: float | None = None) -> None:
        if self.mode == "finding":
            self.event("key", t, key=name, command="find_input")
            self._find_input(name)
            return
        command = KEYMAP.get(name)
        self.event("key", t, key=name, command=command)
        if command is None:
            self.echo(f"The key {name} does nothing. Press ? for the keys.")
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
        self.echo((line or text) + ".")
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
            self.echo("Resumed.")
            self.event("resume")
            self.play(offset=self._offset, audio=self._clip)
            return
        self._hold()
        self.mode = "paused"
        self.echo("Paused. Press space to go on.")
        self.event("pause", offset=round(self._offset, 3))
        self.interject("Paused", then="stay")

    def cmd_next(self) -> None:
        if self.cur + 1 >= len(self.sentences):
            self._confirm("Last sentence")
            return
        self.echo(f"Next sentence: {self.where_text(self.cur + 1)}.")
        self._jump(self.cur + 1)

    def cmd_previous(self) -> None:
        into = self._offset if self.mode != "playing" or self._after else self.audio.position
        self.event("previous", into=round(into, 3))
        if into < PREVIOUS_WINDOW and self.cur > 0:
            self.echo(f"Previous sentence: {self.where_text(self.cur - 1)}.")
            self._jump(self.cur - 1)
        else:
            self.echo("Start of the sentence.")
            self._jump(self.cur)

    def _to(self, i: int) -> None:
        """Jump to sentence ``i``, the start of a block, saying which block it is."""
        self.echo(f"{self.where_text(i)}.")
        self._jump(i, say=self.where_text(i))

    def cmd_next_paragraph(self) -> None:
        i = self.map.next_block(self.cur)
        if i is None:
            self._confirm("Last paragraph")
        else:
            self._to(i)

    def cmd_previous_paragraph(self) -> None:
        i = self.map.previous_block(self.cur)
        if i is None:
            self._confirm("First paragraph")
        else:
            self._to(i)

    def cmd_first_paragraph(self) -> None:
        self._to(self.map.first_body())

    def cmd_last_paragraph(self) -> None:
        self._to(self.map.first_body(last=True))

    def cmd_repeat(self) -> None:
        self.echo("Repeat.")
        self._jump(self.cur)

    def _go_to_kind(self, kind: str, missing: str) -> None:
        found = self.map.of_kind(kind)
        if not found:
            self._confirm(missing)
            return
        self.echo(f"{self.where_text(found[0])}.")
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
            self.echo(f"Rate {rate} words a minute.")
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
        self.echo(text + ".")
        self.event("back_to_bookmark", target=self.bookmark)
        self._jump(self.bookmark, say=text)

    def cmd_help(self) -> None:
        lines = help_lines()
        for keys, what in lines:
            self.echo(f"{keys}: {what}")
        spoken = ". ".join(f"{keys}, {what}" for keys, what in lines)
        self._hold()
        self.interject("Keys. " + spoken, then="resume" if self.mode == "playing" else "stay")

    def cmd_whole_page(self) -> None:
        if self.whole_page:
            self._confirm("Already reading all of the page's text")
            return
        self.stop()
        self.event("whole_page")
        self.done = "whole_page"  # the session reads the page again, all of it

    def cmd_quit(self) -> None:
        self.stop()
        self.event("quit")
        self.done = "quit"

    def cmd_find(self) -> None:
        self._hold()
        self._resume_mode = self.mode
        self.mode = "finding"
        self.finding = ""
        self.echo("Find: type the text, then Enter. Escape cancels.")
        self.interject("Find", then="stay")

    def _find_input(self, name: str) -> None:
        if name == "escape":
            self.mode = self._resume_mode
            self._confirm("Find cancelled")
        elif name == "backspace":
            self.finding = self.finding[:-1]
        elif name == "space":
            self.finding += " "
        elif name == "enter":
            self._find_go(self.finding.strip() or self.last_find)
        elif len(name) == 1:
            self.finding += name

    def _find_go(self, text: str) -> None:
        self.mode = self._resume_mode
        if not text:
            self._confirm("Nothing to find")
            return
        self.last_find = text
        i = self.map.find(text, after=self.cur)
        if i is not None:
            self.event("find", query=text, target=i, found=True)
            where = self.where_text(i)
            self.echo(f'Found "{text}": {where}, sentence {self.sentences[i].index + 1}.')
            self._jump(i, say=f"Found, {where.lower()}")
            return
        self.event("find", query=text, found=False)
        self._confirm(f"Not found: {text}", f'"{text}" not found')
