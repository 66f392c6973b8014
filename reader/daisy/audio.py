"""How long an audio file in a DAISY book plays, read with the standard library.

DAISY 2.02 books hold MP3 or WAV. For MP3 this counts the frames a decoder plays
(each MPEG-1 Layer III frame is 1152 samples, MPEG-2/2.5 576), skipping ID3 tags and a
Xing/Info header frame, so the length is exact, not estimated from the bit rate; it
agrees with FFmpeg's decoded length for reader's files. WAV comes from its header.
"""

from __future__ import annotations

import wave
from pathlib import Path

# Bit rates in kbit/s by [MPEG-1?][index]; sample rates by version bits; Layer III only.
_BITRATES = {
    True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def audio_length(path: str | Path) -> float | None:
    """Seconds of audio in the MP3 or WAV file at ``path``; None if it is neither."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError:
        return None
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        try:
            with wave.open(str(p)) as w:
                rate = w.getframerate()
                return w.getnframes() / rate if rate > 0 else None
        except (wave.Error, EOFError):
            return None
    return _mp3_length(data)


def _mp3_length(data: bytes) -> float | None:
    pos = 0
    while data[pos : pos + 3] == b"ID3" and len(data) >= pos + 10:  # ID3v2, maybe more than one
        size = 0
        for b in data[pos + 6 : pos + 10]:
            size = (size << 7) | (b & 0x7F)
        pos += 10 + size + (10 if data[pos + 5] & 0x10 else 0)
    samples = frames = 0
    rate = None
    while pos + 4 <= len(data):
        h = int.from_bytes(data[pos : pos + 4], "big")
        version, layer = (h >> 19) & 3, (h >> 17) & 3
        bitrate_index, rate_index = (h >> 12) & 15, (h >> 10) & 3
        if (
            (h >> 21) != 0x7FF
            or version == 1
            or layer != 1
            or bitrate_index in (0, 15)
            or rate_index == 3
        ):
            break  # not a Layer III frame: the audio has ended (e.g. an ID3v1 tag)
        mpeg1 = version == 3
        rate = _RATES[version][rate_index]
        kbps = _BITRATES[mpeg1][bitrate_index]
        length = (144 if mpeg1 else 72) * kbps * 1000 // rate + ((h >> 9) & 1)
        if pos + length > len(data):
            break  # a truncated last frame does not play
        if frames or not _is_info_frame(data[pos : pos + length]):
            samples += 1152 if mpeg1 else 576
        frames += 1
        pos += length
    return samples / rate if rate and samples else None


def _is_info_frame(frame: bytes) -> bool:
    """A Xing/Info header frame carries no audio; LAME-aware decoders skip it."""
    return b"Xing" in frame[:64] or b"Info" in frame[:64]
