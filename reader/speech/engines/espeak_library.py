"""Find and load libespeak-ng for pyttsx3 on Linux, preferring the ``espeakng-loader`` wheel.

pyttsx3's espeak driver loads ``libespeak-ng.so.1`` by name. Loading the wheel's copy
first makes the dynamic linker hand that copy to pyttsx3 (it matches the soname of an
already-loaded library), so reader speaks after ``pip install`` alone; a system
libespeak-ng is the fallback. It is loaded RTLD_LOCAL on purpose: with RTLD_GLOBAL its
symbols interpose on the espeak-ng that piper links statically, and piper segfaults.
This is the only module that imports ``espeakng_loader``.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from reader.errors import EngineError

INSTALL_HINT = (
    "Reinstall reader with pip (it brings the espeakng-loader wheel), "
    "or install the system library: sudo apt install libespeak-ng1."
)


@dataclass(frozen=True)
class EspeakLibrary:
    """The libespeak-ng reader loaded."""

    path: str
    """The file, as the dynamic linker mapped it (from /proc/self/maps when possible)."""
    origin: str
    """``"wheel"`` (espeakng-loader) or ``"system"``."""
    data_path: str | None
    """The espeak-ng-data directory set in ``ESPEAK_DATA_PATH``, for the wheel."""


_loaded: EspeakLibrary | None = None


def candidates() -> Iterator[tuple[str, str, str | None]]:
    """(library, origin, data path) to try, best first. The system's library is looked
    for only when the wheel's is not taken: ``find_library`` runs ``ldconfig`` in a
    subprocess, which cost as much as loading the library at start-up."""
    tried = set()
    try:
        import espeakng_loader  # type: ignore[import-untyped]

        wheel = espeakng_loader.get_library_path()
        tried.add(wheel)
        yield wheel, "wheel", espeakng_loader.get_data_path()
    except Exception:  # not installed, or its data directory is missing
        pass
    import ctypes.util

    found = ctypes.util.find_library("espeak-ng")
    for name in (found, "libespeak-ng.so.1", "/usr/local/lib/libespeak-ng.so.1"):
        if name and name not in tried:
            tried.add(name)
            yield name, "system", None


def load() -> EspeakLibrary:
    """Load the best libespeak-ng once per process; raise ``EngineError`` if there is none."""
    global _loaded
    if _loaded is not None:
        return _loaded
    tried = []
    for lib, origin, data in candidates():
        try:
            ctypes.CDLL(lib)
        except OSError:
            tried.append(lib)
            continue
        if data:
            # The wheel's library must read the wheel's data: a mismatched data
            # directory (e.g. Debian's) can crash it.
            os.environ["ESPEAK_DATA_PATH"] = data
        elif "espeakng_loader" in os.environ.get("ESPEAK_DATA_PATH", ""):
            del os.environ["ESPEAK_DATA_PATH"]  # inherited from a parent using the wheel
        _loaded = EspeakLibrary(mapped_path(lib), origin, data)
        return _loaded
    raise EngineError(
        "no espeak-ng library found for pyttsx3 (tried: " + (", ".join(tried) or "nothing") + ").",
        INSTALL_HINT,
    )


def problem() -> str | None:
    """Why no libespeak-ng can be loaded, or ``None``. Loads it if it can."""
    try:
        load()
    except EngineError as e:
        return str(e)
    return None


def mapped_path(hint: str) -> str:
    """The real file of the loaded libespeak-ng, read from /proc/self/maps on Linux."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            for line in f:
                if "libespeak" in line and "/" in line:
                    return line[line.index("/") :].strip()
    except OSError:
        pass
    return os.path.realpath(hint) if os.path.isabs(hint) else hint


def needed() -> bool:
    """pyttsx3 uses espeak-ng only on Linux and other Unix; Windows and macOS have their own."""
    return sys.platform.startswith("linux") or sys.platform.startswith("freebsd")
