"""Sentences -> audio: ahead of the listener in the background, or all of them for export.

``Renderer`` serves a player: one worker thread owns one engine (pyttsx3 is not
thread-safe), renders the sentences asked for next, and keeps a bounded LRU cache.
``render_all`` serves an exporter: every sentence in order, rendered on several
processes, streamed so memory stays bounded.

A sentence's audio never includes the pause after it; callers add
``profile.pause_after(kind, end_of_block)``.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterator, Sequence

import numpy as np

from reader.errors import EngineError, ReaderError
from reader.model import Article, Audio, Sentence
from reader.speech.engines.base import Engine, Interrupted, VoiceSettings, get_engine
from reader.speech.profiles import VoiceProfile


def speech_text(article: Article, sentence: Sentence, profile: VoiceProfile) -> str:
    """The words actually spoken for ``sentence``: its text as a person reads it
    (``reader.spoken``: numbers, money, dates, abbreviations, lexicons), preceded by the
    role's announcement (e.g. "Image caption:") when it is the first sentence of its block."""
    from reader.spoken import sentence_words

    said = sentence_words(article, sentence, profile.spoken)
    kind = article.blocks[sentence.block].kind
    announce = profile.announcement(kind)
    if announce and sentence.index == 0:
        return f"{announce} {said}"
    return said


def synthesize_sentence(
    engine: Engine, article: Article, sentence: Sentence, profile: VoiceProfile
) -> Audio:
    """One sentence through ``engine`` with the settings of its block's role.
    ``profile`` should already be ``resolve``d against ``engine``."""
    return engine.synthesize(
        speech_text(article, sentence, profile), sentence_settings(article, sentence, profile)
    )


def sentence_settings(article: Article, sentence: Sentence, profile: VoiceProfile) -> VoiceSettings:
    """The engine settings ``sentence`` is spoken with: its block's role, in its block's
    language (``VoiceProfile.settings_for``)."""
    kind = article.blocks[sentence.block].kind
    return profile.settings_for(kind, article.language_of(sentence.block))


def sentence_pieces(
    engine: Engine, article: Article, sentence: Sentence, profile: VoiceProfile
) -> Iterator[Audio]:
    """``synthesize_sentence`` piece by piece (``Engine.synthesize_pieces``): the
    pieces, joined, are the sentence's audio."""
    text = speech_text(article, sentence, profile)
    return engine.synthesize_pieces(text, sentence_settings(article, sentence, profile))


def open_engine(profile: VoiceProfile) -> tuple[Engine, VoiceProfile]:
    """Create the profile's engine and the profile resolved against its voices."""
    engine = get_engine(profile.engine)
    try:
        return engine, profile.resolve(engine)
    except BaseException:
        engine.close()
        raise


class Rendering:
    """One sentence's audio as it is rendered: pieces are appended until it is ``done``.

    Readers (the audio thread) may read ``samples`` at any time: the array is replaced,
    never changed in place, and ``done`` is set only after the last samples are in, so a
    reader that sees ``done`` and then reads ``samples`` has them all.
    """

    def __init__(self) -> None:
        self.sample_rate: int | None = None
        """Samples per second; ``None`` until the first piece arrives."""
        self.samples: np.ndarray = np.zeros(0, np.int16)
        self.done = False
        """No more samples will come (also after an error or a cut)."""
        self.error: ReaderError | None = None
        self.cut = False
        """Given up before the end (the listener moved elsewhere): render it again."""

    @property
    def has_audio(self) -> bool:
        return len(self.samples) > 0

    @property
    def duration(self) -> float:
        """Seconds rendered so far (all of it once ``done``)."""
        return len(self.samples) / self.sample_rate if self.sample_rate else 0.0

    def audio(self) -> Audio:
        """What has been rendered, as one ``Audio``."""
        return Audio(self.sample_rate or Engine.sample_rate, self.samples)

    def add(self, audio: Audio) -> None:
        """Append a piece (the renderer's side)."""
        if self.sample_rate is None:
            self.sample_rate = audio.sample_rate
        samples = np.asarray(audio.samples, dtype=np.int16)
        if audio.sample_rate != self.sample_rate:  # an engine never mixes rates; be safe
            samples = _resample(samples, audio.sample_rate, self.sample_rate)
        self.samples = np.concatenate([self.samples, samples]) if self.has_audio else samples

    def finish(self, error: ReaderError | None = None, cut: bool = False) -> None:
        """No more pieces: all of it, or an ``error``, or ``cut`` short."""
        self.error, self.cut = error, cut
        self.done = True


def _resample(samples: np.ndarray, rate: int, to: int) -> np.ndarray:
    n = int(round(len(samples) * to / rate))
    x = np.linspace(0, len(samples) - 1, n)
    return np.interp(x, np.arange(len(samples)), samples).astype(np.int16)


#: Sentences after the wanted one that the renderer prepares (``Renderer.prefetch``).
AHEAD = 3
#: How many of those get their first piece rendered before the rest of the wanted
#: sentence: a listener who skips on then hears the next sentence at once (with the
#: neural voice, 1 gave a key-to-sound median of 88 ms, 2 gave 15 ms; a first piece is
#: about 1.2 s of speech and renders in 0.1-0.3 s, so the wanted sentence keeps ahead).
FIRST_AHEAD = 2


_ONE_PIECE = Engine.synthesize_pieces


class _Job:
    """A sentence being rendered piece by piece: its pieces still to come."""

    def __init__(self, generation: int, pieces: Iterator[Audio], rendering: Rendering):
        self.generation = generation
        self.pieces = pieces
        self.rendering = rendering


class Renderer:
    """Renders sentences of one article ahead of the listener, in a background thread.

    Use as a context manager, or call ``close()``. ``stream(i)`` asks for sentence ``i``
    first and returns its ``Rendering`` at once, filling as the engine speaks (an engine
    that renders by pieces, such as Piper, gives the first audio before the sentence is
    done); ``audio(i)`` blocks until sentence ``i`` is ready; ``prefetch(i)`` asks for it
    and the next few without waiting.

    Asking with ``stream`` or ``audio`` makes a sentence the wanted one. The worker
    renders one piece at a time, choosing each time: the wanted sentence's first piece,
    then the first piece of the next ``FIRST_AHEAD`` sentences asked for, then the rest
    of the wanted one, then the rest in order. Work for sentences behind the wanted one
    or far past it is dropped, and a piece being rendered for one of them is interrupted
    (``Engine.interrupt``).
    """

    def __init__(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        profile: VoiceProfile,
        *,
        cache_size: int = 32,
    ) -> None:
        self.article = article
        self.sentences = list(sentences)
        self._profile = profile
        self._cache_size = max(1, cache_size)
        # Renderings done, being rendered, or handed out and waiting.
        self._cache: OrderedDict[int, Rendering] = OrderedDict()
        self._queue: deque[int] = deque()  # sentences with work left, in order asked
        self._jobs: dict[int, _Job] = {}  # those started, between two pieces
        self._busy: int | None = None
        self._wanted: int | None = None
        self._engine: Engine | None = None  # the worker's, for ``interrupt``
        self._generation = 0
        self.cost = 0.0
        """Seconds of work per second of speech, the most of the last few sentences (0
        before any): about how long rendering a sentence again would take. The most, as
        an engine may answer from a cache of its own (Piper's unstretched audio)."""
        self._closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="reader-render", daemon=True)
        self._thread.start()

    # -- the caller's side --------------------------------------------------------------

    @property
    def profile(self) -> VoiceProfile:
        return self._profile

    def stream(self, i: int) -> Rendering:
        """Sentence ``i``'s ``Rendering``, at once; it jumps the queue. A failed one
        carries its ``error`` (asking again renders it again)."""
        self._check_index(i)
        with self._cond:
            return self._request(i)

    def _request(self, i: int) -> Rendering:
        if self._closed:
            raise EngineError("the renderer is closed.")
        if self._wanted != i:
            self._wanted = i
            self._drop_outside(i, i + AHEAD)
        r = self._cache.get(i)
        if r is not None and not r.cut:
            self._cache.move_to_end(i)
            if r.error is not None:
                del self._cache[i]  # reported once; asked again, it is rendered again
            elif not r.done:
                self._queue_first(i)
            return r
        r = Rendering()
        self._store(i, r)
        self._queue_first(i)
        return r

    def _drop_outside(self, lo: int, hi: int) -> None:
        """Give up the work for sentences outside ``lo``..``hi`` (the listener left)."""
        for j in [j for j in self._queue if not lo <= j <= hi]:
            self._queue.remove(j)
            self._cut(j)
        if self._busy is not None and not lo <= self._busy <= hi and self._engine is not None:
            self._engine.interrupt()

    def _cut(self, j: int) -> None:
        job = self._jobs.pop(j, None)
        r = self._cache.get(j)
        if j != self._busy:
            if job is not None:
                job.rendering.finish(cut=True)
            if r is not None and not r.done and not r.has_audio:
                return  # handed out, not started: kept, rendered when asked again
            if r is not None and not r.done:
                r.finish(cut=True)
            if r is not None and r.cut:
                del self._cache[j]

    def _queue_first(self, i: int) -> None:
        if i in self._queue:
            self._queue.remove(i)
        self._queue.appendleft(i)
        self._cond.notify_all()

    def _store(self, i: int, r: Rendering) -> None:
        self._cache[i] = r
        self._cache.move_to_end(i)
        while len(self._cache) > self._cache_size:
            j, old = next(iter(self._cache.items()))
            if not old.done:
                break  # never drop work still to do; the cache shrinks again later
            self._cache.popitem(last=False)

    def audio(self, i: int, timeout: float | None = None) -> Audio:
        """Sentence ``i``'s audio, rendering it first if needed (it jumps the queue).
        Raises the engine's ``ReaderError``, or ``EngineError`` after ``timeout`` s."""
        self._check_index(i)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            r = self._request(i)
            while True:
                if self._closed:
                    raise EngineError("the renderer is closed.")
                if r.done and r.error is not None:
                    if self._cache.get(i) is r:
                        del self._cache[i]
                    raise r.error
                if r.done and not r.cut:
                    return r.audio()
                if r.cut:
                    r = self._request(i)
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise EngineError(
                        f"speech for sentence {i + 1} was not ready after {timeout:g} s."
                    )
                self._cond.wait(left)

    def prefetch(self, i: int, ahead: int = AHEAD) -> None:
        """Schedule sentences ``i`` .. ``i + ahead`` (those not ready yet), in order."""
        self._check_index(i)
        with self._cond:
            for j in range(i, min(len(self.sentences), i + ahead + 1)):
                r = self._cache.get(j)
                if (r is None or r.cut or not r.done) and j not in self._queue:
                    if r is None or not r.done or r.cut:
                        self._queue.append(j)
            self._cond.notify_all()

    def ready(self, i: int) -> bool:
        """Whether sentence ``i`` is rendered whole, now."""
        with self._cond:
            r = self._cache.get(i)
            return r is not None and r.done and r.error is None and not r.cut

    def cancel(self) -> None:
        """Drop the work not started yet (a piece being rendered finishes)."""
        with self._cond:
            for j in list(self._queue):
                self._queue.remove(j)
                self._cut(j)

    def set_profile(self, profile: VoiceProfile) -> None:
        """Speak from now on with ``profile``: the cache and any queued or running work
        rendered with the old one are dropped; ask again with ``audio``/``prefetch``.
        The wanted sentence, if it has begun to play, is finished with the old one; one
        handed out and not started yet is rendered with the new one."""
        with self._cond:
            self._profile = profile
            self._generation += 1
            keep = {
                j: r for j, r in self._cache.items()
                if not r.done and (j == self._wanted or not r.has_audio)
            }  # fmt: skip
            for j in list(self._queue):
                if j not in keep:
                    self._queue.remove(j)
                    self._cut(j)
            self._cache.clear()
            self._cache.update(keep)
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the worker and release the engine. Safe to call twice."""
        with self._cond:
            self._closed = True
            self._queue.clear()
            if self._engine is not None:
                self._engine.interrupt()
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)  # a synthesis is bounded; the thread is a daemon

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_index(self, i: int) -> None:
        if not 0 <= i < len(self.sentences):
            raise IndexError(f"sentence {i} out of range 0..{len(self.sentences) - 1}")

    # -- the worker's side --------------------------------------------------------------

    def _pick(self) -> int | None:
        """The sentence to render a piece of next (see the class's doc)."""
        if not self._queue:
            return None
        w = self._wanted if self._wanted in self._queue else None
        wr = self._cache.get(w) if w is not None else None
        if w is not None and (wr is None or not wr.has_audio):
            return w
        for j in [j for j in self._queue if j != w][:FIRST_AHEAD]:
            if j not in self._jobs:
                return j
        return w if w is not None else self._queue[0]

    def _run(self) -> None:
        engine: Engine | None = None
        resolved: tuple[int, VoiceProfile] | None = None  # (generation, profile)
        try:
            # Start the engine now, before anything is asked: the first sentence is
            # then ready sooner. A failure here is reported by the first job.
            with self._cond:
                generation, profile = self._generation, self._profile
            try:
                engine, rp = open_engine(profile)
                resolved = (generation, rp)
            except Exception:
                engine = None
            while True:
                with self._cond:
                    picked = None
                    while not self._closed and (picked := self._pick()) is None:
                        self._cond.wait()
                    if self._closed or picked is None:
                        return
                    i = picked
                    job = self._jobs.pop(i, None)
                    if job is None:
                        r = self._cache.get(i)
                        if r is None or r.done:
                            r = Rendering()
                            self._store(i, r)
                    else:
                        r = job.rendering
                    self._busy = i
                    generation, profile = self._generation, self._profile
                error: ReaderError | None = None
                cut = finished = False
                piece: Audio | None = None
                began = time.monotonic()
                try:
                    if job is None:
                        if engine is None or engine.name != profile.engine:
                            if engine is not None:
                                engine.close()
                                engine = None
                            engine, rp = open_engine(profile)
                            resolved = (generation, rp)
                        elif resolved is None or resolved[0] != generation:
                            resolved = (generation, profile.resolve(engine))
                        job = _Job(
                            generation,
                            sentence_pieces(engine, self.article, self.sentences[i], resolved[1]),
                            r,
                        )
                    with self._cond:
                        self._engine = engine
                    piece = next(job.pieces, None)
                    if piece is None:
                        finished = True
                    else:
                        # An engine that speaks in one piece is done with it: say so with
                        # the audio, so that its length is known when it starts to play.
                        kind = type(engine)
                        finished = getattr(kind, "synthesize_pieces", None) is _ONE_PIECE
                        with self._cond:
                            r.add(piece)
                            if finished:
                                r.finish()
                            self._cond.notify_all()
                except Interrupted:
                    cut = True
                except ReaderError as e:
                    error = e
                except Exception as e:  # an engine bug: report it, keep serving
                    error = EngineError(f"speech engine failed ({type(e).__name__}: {e}).")
                if piece is not None and piece.duration > 0:
                    cost = (time.monotonic() - began) / piece.duration
                    self.cost = max(cost, 0.8 * self.cost)
                with self._cond:
                    self._busy = None
                    self._engine = None
                    wanted_range = self._wanted is None or 0 <= i - self._wanted <= AHEAD
                    if not (cut or error or finished) and i in self._queue and wanted_range:
                        assert job is not None
                        self._jobs[i] = job  # more pieces to come, when its turn is next
                    else:
                        if not (error or finished):
                            cut = True
                        if i in self._queue:
                            self._queue.remove(i)
                        if not r.done:
                            r.finish(error, cut)
                        stale = job is not None and job.generation != self._generation
                        if (cut or stale) and self._cache.get(i) is r:
                            del self._cache[i]  # not for now: rendered again when asked
                    self._cond.notify_all()
        finally:
            if engine is not None:
                engine.close()


# -- export: everything, in order, on all cores ------------------------------------------

_BATCH = 4  # sentences per task: enough to hide the pickling, small enough to stream
_worker_state: dict = {}


def render_all(
    article: Article,
    sentences: Sequence[Sentence],
    profile: VoiceProfile,
    *,
    jobs: int | None = None,
) -> Iterator[Audio]:
    """Every sentence's audio, in order. Renders on ``jobs`` processes (default: one per
    core) and streams: at most about ``4 * jobs`` batches are held at once."""
    sentences = list(sentences)
    jobs = max(1, jobs or os.cpu_count() or 1)
    jobs = min(jobs, max(1, len(sentences) // _BATCH))
    if jobs == 1:
        from reader.speech.workers import check_stop

        engine, rp = open_engine(profile)
        try:
            for s in sentences:
                check_stop()  # a worker asked to stop stops between sentences
                yield synthesize_sentence(engine, article, s, rp)
        finally:
            engine.close()
        return
    yield from _render_parallel(article, sentences, profile, jobs)


def _render_parallel(
    article: Article, sentences: list[Sentence], profile: VoiceProfile, jobs: int
) -> Iterator[Audio]:
    from concurrent.futures.process import BrokenProcessPool

    from reader.speech import workers

    batches = [(a, min(a + _BATCH, len(sentences))) for a in range(0, len(sentences), _BATCH)]
    window = 4 * jobs
    pool = workers.process_pool(jobs, _worker_init, (article, sentences, profile))
    finished = False
    try:
        pending: deque = deque()
        todo = iter(batches)
        for b in todo:
            pending.append(workers.submit(pool, _worker_render, *b))
            if len(pending) >= window:
                break
        while pending:
            try:
                result = pending.popleft().result()
            except BrokenProcessPool:
                raise EngineError(
                    "a speech worker process died.", "Try again with --jobs 1."
                ) from None
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(workers.submit(pool, _worker_render, *nxt))
            if isinstance(result, tuple):  # (error class, message, hint)
                cls, message, hint = result
                raise cls(message, hint)
            for sr, data in result:
                yield Audio(sr, data)
        finished = True
    finally:
        # Cut short (Ctrl-C, an error, the consumer gone): stop the workers now.
        workers.close(pool, interrupted=not finished)


def _worker_init(article: Article, sentences: list[Sentence], profile: VoiceProfile) -> None:
    _worker_state.update(article=article, sentences=sentences, profile=profile)


def _worker_render(a: int, b: int):
    from reader.speech.workers import check_stop

    st = _worker_state
    try:
        if "engine" not in st:
            from reader.speech.workers import on_exit

            st["engine"], st["resolved"] = open_engine(st["profile"])
            on_exit(st["engine"].close)  # its temporary files go with the worker
        out = []
        for s in st["sentences"][a:b]:
            check_stop()
            audio = synthesize_sentence(st["engine"], st["article"], s, st["resolved"])
            out.append((audio.sample_rate, audio.samples))
        return out
    except ReaderError as e:  # exceptions with a hint do not pickle whole; send the parts
        return (type(e), e.message, e.hint)
    except Exception as e:
        return (EngineError, f"speech engine failed ({type(e).__name__}: {e}).", None)
