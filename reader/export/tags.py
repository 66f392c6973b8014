"""Tags and chapters inside audio files; the only module that imports mutagen.

MP3 gets ID3v2.4 frames (TIT2 title, TPE1 artist, COMM comment, TLAN languages as
ISO 639-2 codes, the article's first) and its chapters as CHAP frames listed in order
by one top-level CTOC. FLAC and Ogg Vorbis get Vorbis comments (one ``LANGUAGE`` per
language), with chapters in the common ``CHAPTERnnn`` / ``CHAPTERnnnNAME`` convention.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.export.timeline import Timeline
from reader.export.timing import clock
from reader.model import Article
from reader.sources import shown_url


@dataclass(frozen=True)
class Tags:
    """What a listener's player shows about the file."""

    title: str
    """The headline (or the article's first words when it has none)."""
    artist: str | None = None
    """The byline, else the site."""
    comment: str | None = None
    """Where the article came from: its URL, else the file it was read from."""
    language: str | None = None
    """The article's language tag, e.g. ``en`` or ``de-AT``."""
    others: tuple[str, ...] = ()
    """Languages of blocks in another language than the article's (``fr``), in order."""

    @property
    def iso639_2(self) -> list[str]:
        """Every language as an ISO 639-2 code (``eng``, ``fre``), the article's first:
        what ID3's ``TLAN`` and an MP4 track's language hold."""
        from reader.language import alpha3

        codes = (alpha3(t) for t in (self.language, *self.others))
        return list(dict.fromkeys(c for c in codes if c))

    def present(self) -> dict[str, str]:
        """The tags that have a value, by field name (``title`` first): what every
        format with free-form tags (Vorbis comments, MP4 metadata) writes."""
        fields = {"title": self.title, "artist": self.artist}
        fields |= {"comment": self.comment, "language": self.language}
        return {k: v for k, v in fields.items() if v}


def tags_for(article: Article, source: str | None = None) -> Tags:
    """The tags for an export of ``article`` read from ``source``."""
    # Only what may be shared: a URL without its credentials, a file's name without the
    # folders of the machine it was read on.
    if article.url:
        comment: str | None = shown_url(article.url)
    else:
        comment = Path(source).name if source and source != "-" else None
    others = tuple(dict.fromkeys(b.language for b in article.blocks if b.language))
    return Tags(article.title, article.byline or article.site, comment, article.language, others)


def _ordered_id3():
    """An empty ID3 tag that writes its frames in the order they were added.

    mutagen sorts frames by size, which shuffles the CHAP frames; players that ignore
    the CTOC (FFmpeg-based ones among them) list chapters in file order.
    """
    from mutagen.id3 import ID3
    from mutagen.id3._tags import save_frame

    class OrderedID3(ID3):
        def _write(self, config):  # mutagen's hook for the frame data; see its _tags.py
            return bytearray().join(save_frame(f, config=config) for f in self.values())

    return OrderedID3()


def _ms(timeline: Timeline, samples: int) -> int:
    return int(round(timeline.seconds(samples) * 1000))


def _chapter_id(n: int) -> str:
    return f"ch{n:03d}"


def write_id3(path: Path, tags: Tags, timeline: Timeline) -> None:
    """Add ID3 tags, CHAP frames and a CTOC to the MP3 file at ``path``."""
    from mutagen.id3 import CHAP, COMM, TIT2, TLAN, TPE1

    id3 = _ordered_id3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=[tags.artist]))
    if tags.comment:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    if tags.iso639_2:
        id3.add(TLAN(encoding=3, text=tags.iso639_2))
    ids = [_chapter_id(n) for n in range(1, len(timeline.chapters) + 1)]
    for toc in _tables_of_contents(ids, tags.title):
        id3.add(toc)
    for cid, ch in zip(ids, timeline.chapters, strict=True):
        id3.add(
            CHAP(
                element_id=cid,
                start_time=_ms(timeline, ch.start),
                end_time=_ms(timeline, ch.end),
                # 0xFFFFFFFF: "no byte offset"; players use the times.
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[ch.title])],
            )
        )
    id3.save(str(path), v2_version=4)


CTOC_MAX = 255
"""A CTOC frame counts its children in one byte."""


def _tables_of_contents(ids: list[str], title: str) -> list:
    """One top-level ordered CTOC over ``ids``; past 255 chapters, a top level over
    ordered sub-tables of up to 255 chapters each (ID3 chapter spec, section 4)."""
    from mutagen.id3 import CTOC, TIT2, CTOCFlags

    if not ids:
        return []
    if len(ids) <= CTOC_MAX:
        groups: list[tuple[str, list[str], str]] = []
        top = ids
    else:
        groups = [
            (
                f"toc{k + 1}",
                ids[i : i + CTOC_MAX],
                f"Chapters {i + 1} to {i + len(ids[i : i + CTOC_MAX])}",
            )
            for k, i in enumerate(range(0, len(ids), CTOC_MAX))
        ]
        top = [g[0] for g in groups]
    frames = [
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=top,
            sub_frames=[TIT2(encoding=3, text=[title])],
        )
    ]
    for element_id, children, name in groups:
        frames.append(
            CTOC(
                element_id=element_id,
                flags=CTOCFlags.ORDERED,
                child_element_ids=children,
                sub_frames=[TIT2(encoding=3, text=[name])],
            )
        )
    return frames


def _clock(timeline: Timeline, samples: int) -> str:
    return clock(_ms(timeline, samples) / 1000, ".")


def write_vorbis_comments(path: Path, kind: str, tags: Tags, timeline: Timeline) -> None:
    """Add Vorbis comments and chapters to the FLAC or Ogg Vorbis file at ``path``."""
    from mutagen.flac import FLAC
    from mutagen.oggvorbis import OggVorbis

    audio = FLAC(str(path)) if kind == "flac" else OggVorbis(str(path))
    for name, value in tags.present().items():
        audio[name.upper()] = value
    if tags.others:
        audio["LANGUAGE"] = [x for x in (tags.language, *tags.others) if x]
    for n, ch in enumerate(timeline.chapters, 1):
        audio[f"CHAPTER{n:03d}"] = _clock(timeline, ch.start)
        audio[f"CHAPTER{n:03d}NAME"] = ch.title
    audio.save()


@dataclass(frozen=True)
class Mp3Info:
    """What an MP3 file reader wrote says about itself (``read_mp3``)."""

    title: str
    duration: float
    """Seconds, as a player measures the file."""
    chapters: tuple[tuple[float, str], ...]
    """Each chapter's start in seconds and its title, in order."""


def read_mp3(path: Path) -> Mp3Info:
    """The title, length and chapters of the MP3 file at ``path`` (a podcast feed's
    episode); raises ``OSError`` or ``ValueError`` for a file that is not one."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        audio = MP3(str(path))
    except MutagenError as e:
        raise ValueError(f"{path.name} is not an MP3 file ({e})") from None
    tags = audio.tags
    title = str(tags["TIT2"].text[0]) if tags is not None and "TIT2" in tags else path.stem
    chapters: list[tuple[float, str]] = []
    frames: list = tags.getall("CHAP") if tags is not None else []
    for frame in frames:
        names = [str(sub.text[0]) for sub in frame.sub_frames.getall("TIT2") if sub.text]
        chapters.append((frame.start_time / 1000, names[0] if names else frame.element_id))
    length = audio.info.length if audio.info is not None else 0.0
    return Mp3Info(title, float(length), tuple(sorted(chapters)))
