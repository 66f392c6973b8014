"""Audio sinks that encode PCM as it arrives; the only module that imports lameenc and soundfile.

A sink is opened on a (temporary) path once the sample rate is known, takes int16
mono arrays through ``write`` and, at ``close``, receives the finished timeline to
store chapters and tags. ``delay`` is how many samples a decoder plays before the
first sample written (MP3's encoder plus decoder delay), so timing can be shifted to
match what listeners hear. ``abort`` releases resources after a failure; the safe-file
layer removes the files.
"""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from reader.errors import ExportError
from reader.export.tags import Tags, write_id3, write_vorbis_comments
from reader.export.timeline import Timeline

MP3_BITRATE = 64
"""kbit/s: plenty for one voice, and small files."""
MP3_QUALITY = 7
"""LAME quality (0 best .. 9 fastest); 7 is 500x real time here with no audible loss for speech."""
LAME_DELAY = 576 + 529
"""LAME's encoder delay plus the MP3 decoder delay: the silence a decoder plays first
when the file has no gapless (LAME) header, which lameenc does not write."""


class Sink(Protocol):
    delay: int

    def write(self, pcm: np.ndarray) -> None: ...

    def close(self, timeline: Timeline) -> None: ...

    def abort(self) -> None: ...


class WavSink:
    """16-bit mono PCM WAV, through the standard library."""

    delay = 0

    def __init__(self, path: Path, sample_rate: int, tags: Tags) -> None:
        self._wav = wave.open(str(path), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)

    def write(self, pcm: np.ndarray) -> None:
        self._wav.writeframesraw(pcm.astype("<i2", copy=False).tobytes())

    def close(self, timeline: Timeline) -> None:
        self._wav.close()

    def abort(self) -> None:
        try:
            self._wav.close()
        except Exception:  # the file is being thrown away; a second error adds nothing
            pass


class Mp3Sink:
    """CBR MP3 through lameenc, then ID3 tags with chapters through mutagen."""

    delay = LAME_DELAY

    def __init__(self, path: Path, sample_rate: int, tags: Tags) -> None:
        import lameenc  # type: ignore[import-not-found]

        self.path = path
        self.tags = tags
        self._enc = lameenc.Encoder()
        self._enc.set_bit_rate(MP3_BITRATE)
        self._enc.set_in_sample_rate(sample_rate)
        self._enc.set_channels(1)
        self._enc.set_quality(MP3_QUALITY)
        self._file = open(path, "wb")  # noqa: SIM115  (closed in close/abort)

    def write(self, pcm: np.ndarray) -> None:
        self._file.write(self._enc.encode(pcm.astype("<i2", copy=False).tobytes()))

    def close(self, timeline: Timeline) -> None:
        self._file.write(self._enc.flush())
        self._file.close()
        write_id3(self.path, self.tags, timeline)

    def abort(self) -> None:
        self._file.close()


class SoundfileSink:
    """FLAC or Ogg Vorbis through soundfile, then Vorbis comments through mutagen."""

    delay = 0
    CHUNK_SECONDS = 1.0
    """libsndfile's Vorbis encoder crashed on one large write; about 1 s per write is safe."""

    def __init__(self, path: Path, sample_rate: int, tags: Tags, kind: str) -> None:
        import soundfile  # type: ignore[import-untyped]

        self.path = path
        self.tags = tags
        self.kind = kind
        self._chunk = int(sample_rate * self.CHUNK_SECONDS)
        fmt, subtype = ("FLAC", "PCM_16") if kind == "flac" else ("OGG", "VORBIS")
        self._sf = soundfile.SoundFile(
            str(path), "w", samplerate=sample_rate, channels=1, format=fmt, subtype=subtype
        )

    def write(self, pcm: np.ndarray) -> None:
        for i in range(0, len(pcm), self._chunk):
            self._sf.write(pcm[i : i + self._chunk])

    def close(self, timeline: Timeline) -> None:
        self._sf.close()
        write_vorbis_comments(self.path, self.kind, self.tags, timeline)

    def abort(self) -> None:
        try:
            self._sf.close()
        except Exception:  # the file is being thrown away
            pass


def _m4b(path: Path, sample_rate: int, tags: Tags) -> Sink:
    from reader.export.m4b import open_m4b_sink  # av is an extra: imported only for M4B

    return open_m4b_sink(path, sample_rate, tags)


#: Every format ``reader export`` writes, by file extension, and what opens its sink.
#: A new format is a sink class and one line here.
SINKS: dict[str, Callable[[Path, int, Tags], Sink]] = {
    "mp3": Mp3Sink,
    "m4b": _m4b,
    "wav": WavSink,
    "flac": lambda path, rate, tags: SoundfileSink(path, rate, tags, "flac"),
    "ogg": lambda path, rate, tags: SoundfileSink(path, rate, tags, "ogg"),
}
FORMATS = tuple(SINKS)
#: The formats whose files hold chapters (WAV has no place for them).
CHAPTERED = ("mp3", "m4b", "flac", "ogg")


def open_sink(fmt: str, path: Path, sample_rate: int, tags: Tags) -> Sink:
    """A sink writing ``fmt`` (one of ``FORMATS``) to ``path``."""
    if fmt not in SINKS:
        raise ExportError(f"unknown audio format {fmt!r}.", f"Use one of: {', '.join(FORMATS)}.")
    return SINKS[fmt](path, sample_rate, tags)


def _alias(fmt: str) -> str:
    return "m4b" if fmt == "m4a" else fmt


def format_for(path: Path, given: str | None) -> str:
    """The format named by ``given`` or else by ``path``'s extension, checked to be
    writable here (M4B needs the m4b extra), so errors come before any rendering."""
    fmt = _alias((given or path.suffix.lstrip(".")).lower())

    if fmt not in FORMATS:
        what = f"format {given!r}" if given else f"file extension {path.suffix or '(none)'!r}"
        raise ExportError(
            f"unknown audio {what}.", f"Use one of: {', '.join(FORMATS)} (or --format)."
        )
    named = _alias(path.suffix.lstrip(".").lower())
    if given and named in FORMATS and named != fmt:
        raise ExportError(
            f"{path.name} names a {named} file but the format asked for is {fmt}.",
            f"Name the file {path.stem}.{fmt}, or leave out --format.",
        )
    if fmt == "m4b":
        from reader.export.m4b import check_m4b

        check_m4b()
    return fmt
