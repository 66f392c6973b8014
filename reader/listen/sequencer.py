"""One clip at a time on a sound output, and the news of it on the caller's thread.

The audio thread calls back when a clip starts, ends or is stopped; ``Sequencer`` queues
that news and hands it out from ``news()`` on the thread that runs the player, so the
player's state is only ever touched by one thread. A clip replaced before its news is
read makes no news: only the clip playing now can end.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any


class Sequencer:
    """Plays clips on ``output`` (a ``reader.listen.audio.Output``), one at a time."""

    def __init__(self, output: Any) -> None:
        self.output = output
        self._token = 0  # which play() the audio thread's news is about
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        watch = getattr(output, "watch", None)
        if watch is not None:
            box = self._inbox
            watch(lambda what, t: box.put((what, 0, t, None)))

    def play(self, audio: Any, clip: str, offset: float = 0.0, tail: float = 0.0) -> None:
        """Play ``audio`` (an ``Audio`` or a source still filling, see ``Output.play``)
        from ``offset`` seconds, then ``tail`` seconds of silence, replacing what plays;
        ``clip`` names it in the news (``sentence`` or ``phrase``)."""
        self._token += 1
        token, box = self._token, self._inbox
        self.output.play(
            audio,
            offset=offset,
            tail=tail,
            on_start=lambda t: box.put(("started", token, t, clip)),
            on_end=lambda t: box.put(("ended", token, t, clip)),
        )

    def stop(self) -> float:
        """Silence whatever plays; returns how far into it playback had got."""
        box = self._inbox
        return self.output.stop(on_stopped=lambda t: box.put(("stopped", 0, t, None)))

    @property
    def playing(self) -> bool:
        """Whether a clip is playing now (it may have run out with its news unread)."""
        return bool(self.output.playing)

    @property
    def position(self) -> float:
        """Seconds into the clip playing now."""
        return float(self.output.position)

    def news(self) -> Iterator[tuple[str, float, str | None]]:
        """``(what, time, clip)`` for each piece of news since the last call, without
        waiting: ``started`` and ``ended`` of the clip playing now (news of a clip since
        replaced is dropped), ``stopped`` (clip ``None``) whenever the device stops, and
        ``lost`` and ``back`` (clip ``None``) when the sound device goes away and returns."""
        while True:
            try:
                what, token, t, clip = self._inbox.get_nowait()
            except queue.Empty:
                return
            if token == 0 or token == self._token:
                yield what, t, clip
