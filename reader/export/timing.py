"""Timing files: one cue per sentence, as SRT, WebVTT, LRC or JSON.

Times come from ``Timeline`` sample counts, so they match the audio to the sample
(LRC, which counts hundredths of a second, to within 5 ms).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from reader.export.timeline import Timeline
from reader.model import Article
from reader.safe import json_text

TIMING_FORMATS = ("srt", "vtt", "lrc", "json")


def clock(seconds: float, decimal: str | None = None) -> str:
    """``HH:MM:SS`` (whole seconds, rounded), or with ``decimal`` ``HH:MM:SS`` then
    ``decimal`` and milliseconds: SRT takes ``,``; WebVTT and chapter marks take ``.``.
    The one clock format of every file reader writes and every time it prints."""
    if decimal is None:
        s = int(round(seconds))
        return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{decimal}{ms:03d}"


def _one_line(text: str) -> str:
    # A blank line ends a cue in SRT and VTT; "-->" inside text would start a new timing.
    return " ".join(text.split()).replace("-->", "→")


#: In SRT, players take ``<b>``, ``<i>``, ``<font ...>`` as markup and drop unknown
#: tags; a word joiner after ``<`` keeps the text as written and makes no tag.
_SRT_TAG = re.compile(r"<(?=[A-Za-z/!])")


def _srt_text(text: str) -> str:
    return _SRT_TAG.sub("<\u2060", _one_line(text))


def _vtt_text(text: str) -> str:
    # WebVTT cue text is markup with HTML's three escapes.
    return html.escape(_one_line(text), quote=False)


def _subtitles(
    timeline: Timeline, decimal: str, id_prefix: str, escape: Callable[[str], str]
) -> list[str]:
    """SRT and WebVTT cues differ in the decimal sign, the cue id and the escaping."""
    out = []
    for n, cue in enumerate(timeline.cues, 1):
        start = clock(timeline.seconds(cue.start), decimal)
        end = clock(timeline.seconds(cue.end), decimal)
        out.append(f"{id_prefix}{n}\n{start} --> {end}\n{escape(cue.text)}\n")
    return out


def srt(timeline: Timeline, article: Article) -> str:
    return "\n".join(_subtitles(timeline, ",", "", _srt_text))


def vtt(timeline: Timeline, article: Article) -> str:
    return "\n".join(["WEBVTT\n", *_subtitles(timeline, ".", "s", _vtt_text)])


def lrc(timeline: Timeline, article: Article) -> str:
    out = []
    if article.headline:
        out.append(f"[ti:{_one_line(article.headline)}]")
    artist = article.byline or article.site
    if artist:
        out.append(f"[ar:{_one_line(artist)}]")
    for cue in timeline.cues:
        cs = int(round(timeline.seconds(cue.start) * 100))
        m, cs = divmod(cs, 6000)
        out.append(f"[{m:02d}:{cs // 100:02d}.{cs % 100:02d}]{_one_line(cue.text)}")
    return "\n".join(out) + "\n"


def as_json(timeline: Timeline, article: Article) -> str:
    def sec(samples: int) -> float:
        return round(timeline.seconds(samples), 3)

    data = {
        "title": article.title,
        "language": article.language,
        "duration": sec(timeline.total),
        "sample_rate": timeline.sample_rate,
        "chapters": [
            {
                "block": c.block,
                "kind": c.kind,
                "title": c.title,
                "start": sec(c.start),
                "end": sec(c.end),
            }
            for c in timeline.chapters
        ],
        "cues": [
            {
                "block": c.block,
                "sentence": c.index,
                "start": sec(c.start),
                "end": sec(c.end),
                "text": c.text,
            }
            | ({"language": lang} if (lang := article.blocks[c.block].language) else {})
            for c in timeline.cues
        ],
    }
    return json_text(data, indent=1) + "\n"


WRITERS: dict[str, Callable[[Timeline, Article], str]] = {
    "srt": srt,
    "vtt": vtt,
    "lrc": lrc,
    "json": as_json,
}


def render_timing(kind: str, timeline: Timeline, article: Article) -> str:
    """The timing file of ``kind`` (one of ``TIMING_FORMATS``) as text."""
    return WRITERS[kind](timeline, article)
