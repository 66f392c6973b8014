"""What espeak-ng would say for a text, as phonemes: for checking spoken text, not speech.

Uses the libespeak-ng reader already loads (``reader.speech.engines.espeak_library``) and its
``espeak_TextToPhonemes``, so it runs wherever reader speaks with espeak-ng. espeak-ng is
one synthesiser per process, so this must not run in a process that speaks through
pyttsx3: ``phonemes_apart`` runs it in a child process (``python -m reader.spoken.phonemes``).
"""

from __future__ import annotations

import ctypes
import json
import re
import subprocess
import sys
from collections.abc import Sequence

_CHARS_UTF8 = 1
_IPA = 0x02
_SYNCHRONOUS = 2
_lib: ctypes.CDLL | None = None
_voice: str | None = None
# Stress, syllable and pause marks, clause breaks and spaces: what differs between
# "forty-five" and "forty five" without changing the sounds.
_MARKS = re.compile(r"[ˈˌ\s|_.‿-]")


def _library(voice: str) -> ctypes.CDLL:
    global _lib, _voice
    if _lib is None:
        from reader.speech.engines import espeak_library

        lib = ctypes.CDLL(espeak_library.load().path)
        if lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0) <= 0:
            raise RuntimeError("espeak-ng did not start")
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.c_int,
            ctypes.c_int,
        ]
        _lib = lib
    if voice != _voice:
        if _lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise RuntimeError(f"espeak-ng has no voice {voice!r}")
        _voice = voice
    return _lib


def phonemes(text: str, voice: str = "gmw/en-us") -> str:
    """espeak-ng's IPA for ``text``, clause by clause, joined by `` | ``."""
    lib = _library(voice)
    buf = ctypes.create_string_buffer(text.encode("utf-8"))
    ptr = ctypes.c_void_p(ctypes.addressof(buf))
    out = []
    while ptr.value:
        got = lib.espeak_TextToPhonemes(ctypes.byref(ptr), _CHARS_UTF8, _IPA)
        if got:
            out.append(got.decode("utf-8"))
    return " | ".join(x.strip() for x in out if x.strip())


def sounds(text: str, voice: str = "gmw/en-us") -> str:
    """``phonemes`` without stress, pauses and word breaks: equal for two texts that
    sound the same word for word."""
    # ᵻ and ɪ: espeak-ng reduces "eleven" as a word, not as digits; the same vowel to an ear
    return _MARKS.sub("", phonemes(text, voice)).replace("ᵻ", "ɪ")


def phonemes_apart(texts: Sequence[str], voice: str = "gmw/en-us") -> list[str]:
    """``sounds`` of each text, computed in a child process (safe beside pyttsx3)."""
    r = subprocess.run(
        [sys.executable, "-m", "reader.spoken.phonemes", voice],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(r.stdout)


if __name__ == "__main__":
    voice_name = sys.argv[1] if len(sys.argv) > 1 else "gmw/en-us"
    json.dump([sounds(t, voice_name) for t in json.load(sys.stdin)], sys.stdout)
