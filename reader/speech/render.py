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

from reader.errors import EngineError, ReaderError
from reader.model import Article, Audio, Sentence
from reader.speech.engines.base import Engine, get_engine
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
    kind = article.blocks[sentence.block].kind
    return engine.synthesize(speech_text(article, sentence, profile), profile.settings_for(kind))


def open_engine(profile: VoiceProfile) -> tuple[Engine, VoiceProfile]:
    """Create the profile's engine and the profile resolved against its voices."""
    engine = get_engine(profile.engine)
    try:
        return engine, profile.resolve(engine)
    except BaseException:
        engine.close()
        raise


class Renderer:
    """Renders sentences of one article ahead of the listener, in a background thread.

    Use as a context manager, or call ``close()``. ``audio(i)`` blocks until sentence
    ``i`` is ready; ``prefetch(i)`` asks for it and the next few without waiting.
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
        self._cache: OrderedDict[int, Audio] = OrderedDict()
        self._errors: dict[int, ReaderError] = {}
        self._queue: deque[int] = deque()
        self._busy: int | None = None
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

    def audio(self, i: int, timeout: float | None = None) -> Audio:
        """Sentence ``i``'s audio, rendering it first if needed (it jumps the queue).
        Raises the engine's ``ReaderError``, or ``EngineError`` after ``timeout`` s."""
        self._check_index(i)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if self._closed:
                    raise EngineError("the renderer is closed.")
                if i in self._cache:
                    self._cache.move_to_end(i)
                    return self._cache[i]
                if i in self._errors:
                    raise self._errors.pop(i)
                if self._busy != i:
                    if i in self._queue:
                        self._queue.remove(i)
                    self._queue.appendleft(i)
                    self._cond.notify_all()
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise EngineError(
                        f"speech for sentence {i + 1} was not ready after {timeout:g} s."
                    )
                self._cond.wait(left)

    def prefetch(self, i: int, ahead: int = 3) -> None:
        """Schedule sentences ``i`` .. ``i + ahead`` (those not ready yet), in order."""
        self._check_index(i)
        with self._cond:
            for j in range(i, min(len(self.sentences), i + ahead + 1)):
                if j not in self._cache and j != self._busy and j not in self._queue:
                    self._queue.append(j)
            self._cond.notify_all()

    def ready(self, i: int) -> bool:
        """Whether sentence ``i`` is in the cache now."""
        with self._cond:
            return i in self._cache

    def cancel(self) -> None:
        """Drop the work not started yet (the sentence being rendered finishes)."""
        with self._cond:
            self._queue.clear()

    def set_profile(self, profile: VoiceProfile) -> None:
        """Speak from now on with ``profile``: the cache and any queued or running work
        rendered with the old one are dropped; ask again with ``audio``/``prefetch``."""
        with self._cond:
            self._profile = profile
            self._generation += 1
            self._cache.clear()
            self._errors.clear()
            self._queue.clear()
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the worker and release the engine. Safe to call twice."""
        with self._cond:
            self._closed = True
            self._queue.clear()
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
                    while not self._queue and not self._closed:
                        self._cond.wait()
                    if self._closed:
                        return
                    i = self._queue.popleft()
                    self._busy = i
                    generation, profile = self._generation, self._profile
                audio: Audio | None = None
                error: ReaderError | None = None
                began = time.monotonic()
                try:
                    if engine is None or engine.name != profile.engine:
                        if engine is not None:
                            engine.close()
                            engine = None
                        engine, rp = open_engine(profile)
                        resolved = (generation, rp)
                    elif resolved is None or resolved[0] != generation:
                        resolved = (generation, profile.resolve(engine))
                    audio = synthesize_sentence(
                        engine, self.article, self.sentences[i], resolved[1]
                    )
                except ReaderError as e:
                    error = e
                except Exception as e:  # an engine bug: report it, keep serving
                    error = EngineError(f"speech engine failed ({type(e).__name__}: {e}).")
                if audio is not None and audio.duration > 0:
                    cost = (time.monotonic() - began) / audio.duration
                    self.cost = max(cost, 0.8 * self.cost)
                with self._cond:
                    self._busy = None
                    if generation == self._generation:
                        if error is not None:
                            self._errors[i] = error
                        elif audio is not None:
                            self._cache[i] = audio
                            self._cache.move_to_end(i)
                            while len(self._cache) > self._cache_size:
                                self._cache.popitem(last=False)
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
