"""M4B audiobooks (AAC in MP4, with chapters); the only module that imports av.

PyAV (the ``av`` wheel, which carries FFmpeg's libraries) encodes as audio arrives
and writes the chapters and tags itself. Without it, the ``ffmpeg`` program does the
same in two steps: encode from a pipe, then add chapters with a stream copy.
"""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np

from reader.errors import ExportError
from reader.export.tags import Tags
from reader.export.timeline import Timeline

AAC_BITRATE = 64_000


def m4b_backend() -> str:
    """``"av"`` or ``"ffmpeg"``: how M4B will be written. ``ExportError`` if neither works."""
    try:
        import av  # noqa: F401
    except ImportError:
        if shutil.which("ffmpeg"):
            return "ffmpeg"
        raise ExportError(
            "M4B export needs FFmpeg: neither the av package nor the ffmpeg program is installed.",
            "Run: pip install av",
        ) from None
    return "av"


def open_m4b_sink(path: Path, sample_rate: int, tags: Tags):
    """A sink for ``path`` through PyAV, else the ffmpeg program; ``ExportError`` if neither."""
    if m4b_backend() == "ffmpeg":
        return FfmpegM4bSink(path, sample_rate, tags)
    return AvM4bSink(path, sample_rate, tags)


def _metadata(tags: Tags) -> dict[str, str]:
    meta = {"title": tags.title, "album": tags.title, "genre": "Audiobook"}
    if tags.artist:
        meta["artist"] = tags.artist
    if tags.comment:
        meta["comment"] = tags.comment
    if tags.language:
        meta["language"] = tags.language
    return meta


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


class FfmpegM4bSink:
    """AAC through the ffmpeg program: PCM on a pipe, then chapters added by a stream copy."""

    delay = 0

    def __init__(self, path: Path, sample_rate: int, tags: Tags) -> None:
        self.path = path
        self.tags = tags
        self._audio = path.with_name(path.name + ".aac.m4a")
        self._meta = path.with_name(path.name + ".ffmeta")
        self._proc = subprocess.Popen(
            ["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(sample_rate), "-ac", "1",
             "-i", "-", "-c:a", "aac", "-b:a", str(AAC_BITRATE), "-f", "ipod", str(self._audio)],
            stdin=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip

    def write(self, pcm: np.ndarray) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write(pcm.astype("<i2", copy=False).tobytes())

    def _check(self, proc: subprocess.CompletedProcess | subprocess.Popen, err: bytes) -> None:
        if proc.returncode:
            lines = err.decode(errors="replace").strip().splitlines() or ["no message"]
            raise ExportError(f"ffmpeg failed to write {self.path.name}: {lines[-1]}")

    def close(self, timeline: Timeline) -> None:
        try:
            _, err = self._proc.communicate()
            self._check(self._proc, err)
            self._meta.write_text(_ffmetadata(self.tags, timeline), encoding="utf-8")
            done = subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-i", str(self._audio), "-i", str(self._meta),
                 "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-c", "copy",
                 "-f", "ipod", str(self.path)],
                capture_output=True,
            )  # fmt: skip
            self._check(done, done.stderr)
        finally:
            self._cleanup()

    def abort(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        self._audio.unlink(missing_ok=True)
        self._meta.unlink(missing_ok=True)


def _escape(value: str) -> str:
    for ch in "\\=;#\n":
        value = value.replace(ch, "\\" + ch)
    return value


def _ffmetadata(tags: Tags, timeline: Timeline) -> str:
    lines = [";FFMETADATA1"]
    lines += [f"{k}={_escape(v)}" for k, v in _metadata(tags).items()]
    for c in timeline.chapters:
        lines += ["[CHAPTER]", f"TIMEBASE=1/{timeline.sample_rate}", f"START={c.start}",
                  f"END={c.end}", f"title={_escape(c.title)}"]  # fmt: skip
    return "\n".join(lines) + "\n"
