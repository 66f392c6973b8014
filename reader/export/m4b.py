"""M4B audiobooks (AAC in MP4, with chapters); the only module that imports av.

PyAV (the ``av`` wheel, which carries FFmpeg's libraries) encodes as audio arrives
and writes the chapters and tags itself. It is the ``m4b`` extra, not a dependency: at
about 100 MB it would be most of an install that only M4B needs.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from reader.errors import ExportError
from reader.export.tags import Tags
from reader.export.timeline import Timeline

AAC_BITRATE = 64_000


#: How to get M4B export: the av wheel (FFmpeg's libraries, about 100 MB) is an extra.
INSTALL = "Install it with: pip install 'reader[m4b]'"


def check_m4b() -> None:
    """Raise ``ExportError`` (with what to install) when M4B cannot be written here."""
    try:
        import av  # noqa: F401
    except ImportError:
        raise ExportError(
            "M4B export needs the av package, which is not installed.", INSTALL
        ) from None


def open_m4b_sink(path: Path, sample_rate: int, tags: Tags) -> AvM4bSink:
    """A sink that writes ``path`` through PyAV; ``ExportError`` without it."""
    check_m4b()
    return AvM4bSink(path, sample_rate, tags)


def _metadata(tags: Tags) -> dict[str, str]:
    return {**tags.present(), "album": tags.title, "genre": "Audiobook"}


class AvM4bSink:
    """AAC through PyAV; the MP4 edit list hides the encoder's priming, so no delay."""

    delay = 0

    def __init__(self, path: Path, sample_rate: int, tags: Tags) -> None:
        import av

        self._av = av
        self.sample_rate = sample_rate
        self._pts = 0
        self._out = av.open(str(path), "w", format="ipod")
        self._out.metadata.update(_metadata(tags))
        self._stream = self._out.add_stream("aac", rate=sample_rate)
        self._stream.layout = "mono"
        self._stream.bit_rate = AAC_BITRATE
        if tags.iso639_2:  # the track's language (the MP4 media header's), ISO 639-2
            self._stream.metadata["language"] = tags.iso639_2[0]

    def write(self, pcm: np.ndarray) -> None:
        if not len(pcm):
            return
        frame = self._av.AudioFrame.from_ndarray(
            np.ascontiguousarray(pcm, dtype=np.int16).reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = self.sample_rate
        frame.pts = self._pts
        frame.time_base = Fraction(1, self.sample_rate)
        self._pts += len(pcm)
        for packet in self._stream.encode(frame):
            self._out.mux(packet)

    def close(self, timeline: Timeline) -> None:
        for packet in self._stream.encode(None):
            self._out.mux(packet)
        base = Fraction(1, timeline.sample_rate)
        self._out.set_chapters(
            [
                {
                    "id": n,
                    "start": c.start,
                    "end": c.end,
                    "time_base": base,
                    "metadata": {"title": c.title},
                }
                for n, c in enumerate(timeline.chapters, 1)
            ]
        )
        self._out.close()

    def abort(self) -> None:
        try:
            self._out.close()
        except Exception:  # the file is being thrown away
            pass
