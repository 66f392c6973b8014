"""The language of an article and of each of its blocks; the only module that imports
the language detector (``py3langid``).

An article's language comes from what the page declares (``<html lang>``, the
``Content-Language`` header or meta tag, ``og:locale``, JSON-LD ``inLanguage``), checked
against its text: a declaration the text clearly contradicts loses, and a page that
declares nothing gets the language of its text. A block gets a language of its own only
when it is long enough to judge and the detector is sure it is another language (a
French quotation in an English article); a few words never switch.

Callers may rely on: codes are lower-case ISO 639-1 primary subtags (``de``, ``fr``)
where one exists, else the tag's primary subtag; ``None`` means unknown. Nothing here
touches the network, and the detector's model loads on the first text judged.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from reader.errors import ReaderError
from reader.model import Article

#: Letters a text needs before the detector's word is taken over a declaration.
ARTICLE_MIN_LETTERS = 60
#: Letters a part of a text (a block) needs to be judged at all.
PART_MIN_LETTERS = 20
#: A declaration loses when less than this share of the text's letters is in its
#: language and more than ``OTHER_ABOVE`` in one other language.
DECLARED_BELOW = 0.25
OTHER_ABOVE = 0.6
#: A declaration whose language holds less than this share of the text is wrong
#: whenever one language holds ``OTHER_ABOVE / 2`` of it.
DECLARED_ABSENT = 0.05
#: Letters (and words) a block needs before it may have a language of its own.
BLOCK_MIN_LETTERS = 40
BLOCK_MIN_WORDS = 6
#: Probability the detector must give a block's own language, and how far the article's
#: language must fall behind it, for the block to switch.
BLOCK_SURE = 0.97
BLOCK_ARTICLE_BELOW = 0.02
#: Characters of one block the detector reads: its language is settled well before
#: (py3langid reads text byte by byte in Python, so a page's time grows with them).
BLOCK_READ_CHARS = 600
#: Characters of an article's blocks the detector reads in all (about 100 long
#: paragraphs): past them blocks are read in the article's language, so time stays
#: bounded on huge pages.
DETECT_CHARS = 60_000

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
#: Old or alternative codes to the one the detector and espeak-ng use.
_ALIASES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "nb": "no", "nn": "no", "mo": "ro"}
#: Three-letter codes of languages that have a two-letter one.
_THREE = {"eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
          "ita": "it", "por": "pt", "nld": "nl", "dut": "nl", "rus": "ru", "pol": "pl",
          "ind": "id", "jpn": "ja", "zho": "zh", "chi": "zh", "ara": "ar", "tur": "tr"}  # fmt: skip
_NOT_A_LANGUAGE = {"und", "mul", "zxx", "mis", "xx", "x"}
_NOT_LETTER = re.compile(r"[\W\d_]+")


def normalize(tag: Any) -> str | None:
    """The language code of a BCP 47 tag or locale (``en-US``, ``fr_FR``, ``deu``), or
    ``None`` for anything that is not one (empty, ``und``, ``x-default``, junk)."""
    if not isinstance(tag, str):
        return None
    m = _TAG.match(tag.strip())
    if not m:
        return None
    code = m.group(1).lower()
    if code in _NOT_A_LANGUAGE:
        return None
    code = _THREE.get(code, code)
    return _ALIASES.get(code, code)


@dataclass(frozen=True)
class Guess:
    """The detector's word on a text: its best language and how sure it is (0 to 1)."""

    code: str
    probability: float
    ranked: tuple[tuple[str, float], ...] = ()
    """The best few languages with their probabilities, best first."""

    def of(self, code: str) -> float:
        """The probability it gives ``code`` (0 when not among the best few)."""
        return next((p for c, p in self.ranked if c == code), 0.0)


_lock = threading.Lock()
_identifier: Any = None


def _detector() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            _identifier = _load_identifier()
    return _identifier


#: The model's arrays, as py3langid 0.4 stores them in its ``model.npz.xz``.
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _load_identifier() -> Any:
    """py3langid's identifier with calibrated probabilities. Its model ships LZMA-packed,
    and unpacking it costs 1-2 s at every start, so the unpacked arrays are kept in the
    user's cache folder and mapped from there (0.1 s); anything amiss with that copy
    falls back to py3langid's own loader."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        return _from_cache(LanguageIdentifier, MODEL_DIR / MODEL_FILE)
    except (OSError, ValueError, KeyError, TypeError):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _from_cache(identifier: Any, packed: Any) -> Any:
    import io
    import lzma
    import os
    from array import array
    from importlib.metadata import version

    import numpy as np
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("reader")) / f"py3langid-{version('py3langid')}"
    if not all((folder / f"{name}.npy").is_file() for name in _ARRAYS):
        # Unpacked whole: the npz is a zip file, and seeking in an LZMA stream restarts it.
        unpacked = io.BytesIO(lzma.decompress(Path(packed).read_bytes()))
        with np.load(unpacked, allow_pickle=False) as data:
            arrays = {name: data[name] for name in _ARRAYS}
        del unpacked
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        for name, value in arrays.items():
            np.save(tmp / f"{name}.npy", value, allow_pickle=False)
        try:
            tmp.rename(folder)  # whole or not at all; another process may have won
        except OSError:
            for f in tmp.iterdir():
                f.unlink()
            tmp.rmdir()
    a = {n: np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in _ARRAYS}

    def plain(x: Any) -> array:
        out = array({2: "H", 4: "I", 8: "L"}[x.dtype.itemsize])
        out.frombytes(np.ascontiguousarray(x).tobytes())
        return out

    found = identifier(
        np.asarray(a["ptc"]), np.asarray(a["pc"]), a["classes"].tolist(), plain(a["nextmove"]),
        a["out_feat"].tolist(), norm_probs=True, tk_row=plain(a["nextmove_row"]),
    )  # fmt: skip
    # The state machine for detect_many straight from the arrays, not from the lists
    # py3langid made of them (its rows pre-shifted by 8 bits as it shifts them).
    _machine_of[:] = [(
        found, np.asarray(found.tk_nextmove), np.asarray(a["nextmove_row"], np.intp) << 8,
        np.asarray(a["out_feat"], np.intp),
    )]  # fmt: skip
    return found


@functools.lru_cache(maxsize=4096)
def letters(text: str) -> int:
    """How many letters ``text`` has (digits, marks and punctuation are no evidence).
    Cached: a page's blocks are counted by several checks."""
    return len(text) - sum(map(len, _NOT_LETTER.findall(text)))


def detect(text: str) -> Guess | None:
    """The detector's best guess for ``text``; ``None`` when it has no letters."""
    return detect_many([text])[0]


@functools.lru_cache(maxsize=512)
def _code(label: str) -> str | None:
    """``normalize`` of one of the detector's labels (few, and met on every text)."""
    return normalize(label)


def detect_many(texts: Sequence[str]) -> list[Guess | None]:
    """``detect`` of each text, the same answers to the last digit, found together: the
    detector's state machine runs over all the texts' bytes at once in numpy
    (``_scores``) instead of byte by byte in Python, 5-10 times faster on a page."""
    out: list[Guess | None] = [None] * len(texts)
    todo = [i for i, t in enumerate(texts) if letters(t)]
    if not todo:
        return out
    identifier = _detector()
    scores = _scores(identifier, [texts[i] for i in todo])
    tops = (
        [identifier.rank(texts[i])[:5] for i in todo] if scores is None
        else _tops(identifier, scores)
    )  # fmt: skip
    for i, top in zip(todo, tops, strict=True):
        ranked = tuple((code, float(p)) for c, p in top if (code := _code(c)))
        if ranked:
            out[i] = Guess(ranked[0][0], ranked[0][1], ranked)
    return out


#: Bytes that settle the detector's state: it is an Aho-Corasick machine over byte
#: n-grams of at most this length, so its state after any byte is the one it reaches
#: from the start over the bytes just before. ``_states`` checks each state it finds.
_WINDOW = 6
_machine_of: list[tuple[Any, ...]] = []
_PARTS = ("tk_nextmove", "_rowbase", "tk_output", "nb_ptc", "nb_pc", "nb_classes",
          "_encode", "_decide", "_norm_probs", "_alias_pairs")  # fmt: skip


def _machine(identifier: Any) -> tuple[Any, ...] | None:
    """The detector's transition table, row offsets and outputs as numpy arrays (made
    once); ``None`` for a detector not built as py3langid 0.4 builds it."""
    import numpy as np

    if _machine_of and _machine_of[0][0] is identifier:
        return _machine_of[0]
    if not all(hasattr(identifier, part) for part in _PARTS):
        return None
    try:
        found = (
            identifier,
            np.asarray(identifier.tk_nextmove),  # a view of py3langid's array, no copy
            np.asarray(identifier._rowbase, dtype=np.intp),
            np.asarray(identifier.tk_output, dtype=np.intp),
        )
    except (TypeError, ValueError):
        return None
    _machine_of[:] = [found]
    return found


def _scores(identifier: Any, texts: Sequence[str]) -> Any:
    """The detector's scores of each text (a row each), exactly as its ``rank`` computes
    them (the same features, counted in the same order, the same sums); ``None`` when
    this detector cannot be read so (``rank`` is then asked text by text)."""
    import numpy as np

    machine = _machine(identifier)
    if machine is None:
        return None
    _, nextmove, rowbase, output = machine
    encoded = [identifier._encode(t) for t in texts]
    lengths = np.fromiter(map(len, encoded), np.intp, len(encoded))
    data = np.frombuffer(b"".join(encoded), np.uint8).astype(np.intp)
    starts = np.cumsum(lengths) - lengths
    pos = np.arange(len(data)) - np.repeat(starts, lengths)  # offset in its own text
    states = _states(nextmove, rowbase, data, pos)
    features = output[states]
    found = features >= 0
    owner = np.repeat(np.arange(len(texts)), lengths)[found]
    rows = len(identifier.nb_ptc)
    keys, first, counts = np.unique(
        owner * rows + features[found], return_index=True, return_counts=True
    )
    order = np.argsort(first, kind="stable")  # each text's features as first met
    keys, counts = keys[order], counts[order].astype(np.float32)
    bounds = np.searchsorted(keys // rows, np.arange(len(texts) + 1))
    # The model's rows for the features met, made float32 once for all the texts: the
    # very values matmul would make of them, text by text.
    used, rank_of = np.unique(keys % rows, return_inverse=True)
    table = identifier.nb_ptc[used].astype(np.float32)
    logs = np.log1p(counts)
    scores = np.empty((len(texts), len(identifier.nb_pc)), np.float32)
    bare = []
    for k in range(len(texts)):
        a, b = bounds[k], bounds[k + 1]
        if a == b:
            bare.append(k)
        else:
            scores[k] = logs[a:b] @ table[rank_of[a:b]]
    scores += identifier.nb_pc
    _normalize(identifier, scores, lengths)
    for k in bare:  # no feature: py3langid's own answer for it
        scores[k] = identifier._decide(texts[k])
    return scores


def _states(nextmove: Any, rowbase: Any, data: Any, pos: Any) -> Any:
    """The machine's state after each byte of ``data``, which holds texts one after
    another (``pos``: each byte's offset in its text; every text starts at state 0)."""
    import numpy as np

    states = np.zeros(len(data), np.intp)
    for k in range(_WINDOW - 1, 0, -1):  # the byte k before each position, oldest first
        step = nextmove[rowbase[states[k:]] + data[:-k]]
        np.copyto(states[k:], step, where=pos[k:] >= k)
    states = nextmove[rowbase[states] + data]
    # Each state must follow from the one before it: then they are the machine's walk.
    before = np.concatenate(([0], states[:-1]))
    before[pos == 0] = 0
    wrong = np.flatnonzero(nextmove[rowbase[before] + data] != states)
    if len(wrong):  # a machine of longer n-grams than _WINDOW: walked byte by byte
        state = 0
        for i in range(len(data)):
            state = int(nextmove[rowbase[0 if pos[i] == 0 else state] + data[i]])
            states[i] = state
    return states


def _normalize(identifier: Any, scores: Any, lengths: Any) -> None:
    """py3langid's ``_decide`` on raw scores, a text a row: probabilities, aliases folded.
    Element by element as it computes them, so each row is what it gives that text."""
    import numpy as np

    if identifier._norm_probs:
        scale = [1.0 / math.sqrt(n or 1) for n in lengths.tolist()]
        scores *= np.array(scale, np.float32)[:, None]
        np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
    for i, j in identifier._alias_pairs:
        if identifier._norm_probs:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        else:
            scores[:, i] = np.maximum(scores[:, i], scores[:, j])
            scores[:, j] = float(np.finfo(np.float32).min)


def _tops(identifier: Any, scores: Any, n: int = 5) -> list[list[tuple[str, float]]]:
    """The first ``n`` of ``rank`` for each row: labels by score, best first, ties in
    model order, a label met again (an alias's folded column) skipped."""
    import numpy as np

    classes = identifier.nb_classes
    order = np.argsort(-scores, axis=1, kind="stable")[:, : n + len(identifier._alias_pairs)]
    out = []
    for columns, values in zip(
        order.tolist(), np.take_along_axis(scores, order, axis=1).tolist(), strict=True
    ):
        top: dict[str, float] = {}
        for i, value in zip(columns, values, strict=True):
            top.setdefault(classes[i], value)
            if len(top) == n:
                break
        out.append(list(top.items()))
    return out


def choose(declared: Iterable[Any], text: str) -> str | None:
    """The language of an article whose page declares ``declared`` (best first) and
    whose text is ``text`` (paragraphs apart by blank lines): see ``choose_from``."""
    parts = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return choose_from(declared, parts, _guesses(parts))


def choose_from(
    declared: Iterable[Any], parts: Sequence[str], guesses: Sequence[Guess | None]
) -> str | None:
    """The language of an article from its declarations and its parts' guesses: each
    part votes for its language with its letters (a part the detector is unsure of, with
    fewer). The first valid declaration stands unless the text holds too little of it
    (``DECLARED_BELOW``) and another language most of it (``OTHER_ABOVE``): then the text
    wins. Where declarations disagree, the one the text holds most of; with none, the
    text's language, when it has ``ARTICLE_MIN_LETTERS`` letters. A quotation, however
    long, never makes a page another language's."""
    tags = [c for c in (normalize(d) for d in declared) if c]
    first = tags[0] if tags else None
    votes: dict[str, float] = {}
    total = 0
    for part, guess in zip(parts, guesses, strict=True):
        n = letters(part)
        total += n
        if guess is not None:
            votes[guess.code] = votes.get(guess.code, 0.0) + n * min(1.0, 2 * guess.probability)
    if total < ARTICLE_MIN_LETTERS or not votes:
        return first
    top = max(votes, key=lambda c: votes[c])
    share = {c: v / total for c, v in votes.items()}
    if first is None:
        return top if share[top] >= OTHER_ABOVE / 2 else None
    if top in tags and share[top] > share.get(first, 0.0):
        return top  # declarations disagree with each other: the text picks one
    if share.get(first, 0.0) < DECLARED_BELOW and share[top] >= OTHER_ABOVE:
        return top  # the text contradicts the declaration: the text wins
    if share.get(first, 0.0) < DECLARED_ABSENT and share[top] >= OTHER_ABOVE / 2:
        return top  # hardly a word of the declared language: the declaration is wrong
    return first


def _guess(text: str) -> Guess | None:
    return _guesses([text])[0]


def _guesses(texts: Sequence[str]) -> list[Guess | None]:
    """Each text's guess from its first ``BLOCK_READ_CHARS`` (cut at a word); ``None``
    for a text with fewer than ``PART_MIN_LETTERS`` letters there."""
    read = []
    for text in texts:
        if len(text) > BLOCK_READ_CHARS:  # cut at a word
            cut = text.rfind(" ", 0, BLOCK_READ_CHARS)
            text = text[: cut if cut > 0 else BLOCK_READ_CHARS]
        read.append(text if letters(text) >= PART_MIN_LETTERS else "")
    return detect_many(read)  # "" has no letters: None


def block_language(text: str, article: str | None) -> str | None:
    """The language of one block when it clearly differs from the ``article``'s, else
    ``None`` (the block is read in the article's language)."""
    return _own(text, _guess(text), article)


def _own(text: str, guess: Guess | None, article: str | None) -> str | None:
    if len(text.split()) < BLOCK_MIN_WORDS or letters(text) < BLOCK_MIN_LETTERS:
        return None
    if guess is None or guess.code == article:
        return None
    if guess.probability >= BLOCK_SURE and (
        article is None or guess.of(article) < BLOCK_ARTICLE_BELOW
    ):
        return guess.code
    return None


def languages_of(texts: Sequence[str], article: str | None) -> list[str | None]:
    """``block_language`` of each text, in order."""
    return [block_language(t, article) for t in texts]


def settle(article: Article, declared: Iterable[Any] = ()) -> Article:
    """``article`` with its language settled from the page's ``declared`` languages and
    its text (``choose``), and each block that is clearly in another language marked
    with that language (``block_language``). The article keeps the declared tag (with
    its region, ``en-GB``) when the text agrees with it."""
    # As BCP 47 writes them: og:locale's "fr_FR" is "fr-FR" in DAISY, ID3 and events.
    tags = [t.strip().replace("_", "-") for t in declared if isinstance(t, str) and normalize(t)]
    texts = [b.text for b in article.blocks]
    judged = 0
    budget = DETECT_CHARS
    for t in texts:  # a page of endless text is judged by its first DETECT_CHARS
        if budget <= 0:
            break
        judged += 1
        budget -= min(len(t), BLOCK_READ_CHARS)
    guesses = _guesses(texts[:judged]) + [None] * (len(texts) - judged)
    code = choose_from(tags, texts, guesses)
    tag = next((t for t in tags if normalize(t) == code), code)
    blocks = tuple(
        replace(b, language=own)
        if b.language is None and (own := _own(b.text, g, code)) is not None
        else b
        for b, g in zip(article.blocks, guesses, strict=True)
    )
    return replace(article, language=tag, blocks=blocks)


# -- names and codes ---------------------------------------------------------------------


@functools.cache
def _table() -> dict[str, tuple[str, str]]:
    """code -> (ISO 639-2/B code, English name), from ``reader/data/languages.tsv``."""
    path = files("reader").joinpath("data", "languages.tsv")
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, alpha3, name = line.split("\t")
            out[code] = (alpha3 or code, name)
    return out


def name(code: str | None) -> str:
    """The English name of a language (``de``: "German"); the code itself when unknown."""
    c = normalize(code) or ""
    return _table().get(c, ("", code or "an unknown language"))[1]


def alpha3(code: str | None) -> str | None:
    """The ISO 639-2 (bibliographic) code of a language, as ID3's ``TLAN`` wants
    (``de``: ``ger``); ``None`` when unknown."""
    c = normalize(code)
    if c is None:
        return None
    return _table().get(c, (c if len(c) == 3 else "",))[0] or None


def check_code(code: str) -> str:
    """``code`` as a known language code (``--lang``): ``de``, ``de-AT``, ``deu`` and
    ``ger`` are German. Raises ``ReaderError`` listing close matches otherwise."""
    c = normalize(code)
    if c and c in _table():
        return code.strip().replace("_", "-")
    table = _table()
    by_name = {n.lower(): k for k, (_, n) in table.items()}
    close = difflib.get_close_matches((c or code).lower(), list(table), n=4, cutoff=0.5)
    close += [by_name[n] for n in difflib.get_close_matches(code.lower(), list(by_name), n=3)]
    shown = ", ".join(f"{k} ({table[k][1]})" for k in dict.fromkeys(close))
    raise ReaderError(
        f"unknown language code {code!r}.",
        f"Close matches: {shown}." if shown else "Give an ISO 639-1 code such as de, fr or es.",
    )


def forced(article: Article, code: str) -> Article:
    """``article`` read wholly in language ``code`` (``--lang``): no block keeps a
    language of its own."""
    blocks = tuple(replace(b, language=None) for b in article.blocks)
    return replace(article, language=check_code(code), blocks=blocks)
