"""``reader export``: articles to audio files with chapters and sentence timing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from reader.cli.feeds import feed_options, gather_reading
from reader.cli.spoken import lang_option, lexicon_option
from reader.cli.voices import voice_options
from reader.errors import ExportError
from reader.safe import for_terminal


def _spoken_length(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def warn(warning: str | None, where: str = "") -> None:
    """Say on standard error, whatever the progress mode, that a source's text may not
    be its article (``reader.parse.confidence.doubt``), and what to do about it."""
    if warning:
        click.echo(
            for_terminal(
                f"Warning: {where}{warning} Use --whole-page to export all of the page's text."
            ),
            err=True,
        )


def _tell_fallback(voice: str | None, engine: str | None) -> None:
    """Say once, on standard error, which engine speaks when the voice's own is missing."""
    from reader.speech.profiles import load_profile

    if engine:
        return  # an engine asked for by name is used or refused, never replaced
    told = load_profile(voice).fallback()
    if told:
        click.echo(for_terminal(f"Warning: {told}."), err=True)


@click.command("export")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="The audio file to write (one SOURCE)."
)
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path),
    help="A folder to write one file per SOURCE into (created if missing).",
)
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    help="mp3, m4b, wav, flac, ogg, daisy (a DAISY 2.02 book: -o DIR or -o FILE.zip), or "
    "epub (an EPUB 3 book that reads itself aloud: -o BOOK.epub). "
    "Default: from -o's extension; mp3 with --out-dir.",
)
@click.option("--timing", metavar="KIND", help="Also write sentence timing: srt, vtt, lrc or json.")
@voice_options
@lexicon_option
@lang_option
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Processes to use. Default: all cores."
)
@click.option("--force", is_flag=True, help="Replace existing files and redo up-to-date ones.")
@click.option(
    "--whole-page",
    is_flag=True,
    help="Export all of a web page's visible text, not just the article reader finds in it.",
)
@click.option(
    "--accessible",
    is_flag=True,
    help="Progress as plain lines every few seconds, no bar (also READER_ACCESSIBLE=1, or "
    'progress = "plain" in the preferences file).',
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@feed_options
@click.option(
    "--podcast",
    is_flag=True,
    help="With --out-dir: also write feed.xml, a podcast feed of the folder's MP3s "
    "(with JSON chapters), updated on each export.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="With --podcast: the address the folder is served from (default: relative links).",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="With --out-dir: run on a Dask cluster, the scheduler at ADDRESS "
    "(tcp://host:8786), or local:N for N local worker processes. Needs "
    "pip install 'reader[cluster]'; workers write into --out-dir, shared at the same path.",
)
@click.option(
    "--gather",
    is_flag=True,
    help="With --cluster: workers send the files back and this machine writes them "
    "(for workers that share no folder).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=1800,
    show_default=True,
    metavar="SECONDS",
    help="With --cluster: an article that takes longer fails.",
)
def export(
    sources: tuple[str, ...],
    output: Path | None,
    out_dir: Path | None,
    fmt: str | None,
    timing: str | None,
    voice: str | None,
    engine: str | None,
    rate: int | None,
    lexicons: tuple[str, ...],
    jobs: int | None,
    force: bool,
    whole_page: bool,
    lang: str | None,
    accessible: bool,
    quiet: bool,
    limit: int | None,
    since: str | None,
    podcast: bool,
    base_url: str | None,
    cluster: str | None,
    gather: bool,
    time_limit: float,
) -> None:
    """Export SOURCE... as audio with chapters (headline, captions, paragraphs).

    SOURCE may be a file, -, a URL, a glob, a folder, a text file of URLs, an RSS or
    Atom feed, or an OPML file of feeds.
    Files appear only when complete; an existing file is kept unless --force.
    With --out-dir, outputs newer than their source are skipped, a failed source
    does not stop the others, and the exit status is 1 if any failed.
    """
    from reader.export import ExportOptions
    from reader.export.progress import choose_mode
    from reader.preferences import load_preferences

    if (output is None) == (out_dir is None):
        raise click.UsageError("give exactly one of -o FILE or --out-dir DIR.")
    prefs = load_preferences()
    voice, rate = voice or prefs.voice, rate or prefs.rate
    if (podcast or base_url) and (out_dir is None or (fmt or "mp3").lower() != "mp3"):
        raise click.UsageError("--podcast and --base-url go with --out-dir and MP3 files.")
    if base_url and not re.match(r"^https?://[^\s/]+(/\S*)?$", base_url):
        raise click.UsageError("--base-url takes an http(s) address, such as "
                               "https://example.org/news.")
    options = ExportOptions(
        format=fmt,
        timing=timing,
        voice=voice,
        engine=engine,
        rate=rate,
        force=force,
        jobs=jobs,
        lexicons=lexicons,
        whole_page=whole_page,
        language=lang,
    )
    if (cluster or gather) and (out_dir is None or (fmt or "").lower() in ("daisy", "epub")):
        raise click.UsageError("--cluster and --gather go with --out-dir, one file per SOURCE.")
    if gather and not cluster:
        raise click.UsageError("--gather goes with --cluster.")
    plain = accessible or prefs.progress == "plain"
    mode = choose_mode(sys.stderr, accessible=plain, quiet=quiet)
    _tell_fallback(voice, engine)
    reading = gather_reading(sources, limit, since)
    from reader.cli.books import book_format, export_book

    if kind := book_format(fmt, output):  # one DAISY or EPUB book of every SOURCE
        return export_book(kind, reading, output, out_dir, options, mode)
    if output is not None:
        item = reading.items[0]
        if len(sources) != 1 or reading.from_feed or len(reading.items) != 1 or (
            item.source is None and item.ref != sources[0]
        ):
            raise click.UsageError("-o takes one article; use --out-dir for several.")
        _export_single(item.source or item.ref, output, options, mode)
    else:
        assert out_dir is not None
        batch = [i.source or i.ref for i in reading.items if i.error is None]
        failed = [(i.ref, i.error) for i in reading.items if i.error is not None]
        where = (cluster, gather, time_limit) if cluster else None
        if not _export_batch(batch, out_dir, options, mode, reading if podcast else None,
                             base_url, failed, where):
            sys.exit(1)


def _export_single(source, output: Path, options, mode: str) -> None:
    from reader.export import export_source
    from reader.export.progress import Progress
    from reader.pipeline import prepare

    progress = Progress(f"Exporting {output.name}", mode)
    try:
        if not isinstance(source, str):  # a page already fetched to see what it was
            source = prepare(source, whole_page=options.whole_page)
        result = export_source(source, output, options, progress=progress)
    finally:
        progress.end()
    warn(result.warning)
    if mode != "quiet":
        from reader.export.encoders import CHAPTERED

        extra = f" Timing: {result.timing_path}." if result.timing_path else ""
        chapters = (
            f"{len(result.timeline.chapters)} chapters"
            if result.format in CHAPTERED
            else f"no chapters ({result.format.upper()} files cannot hold them)"
        )
        click.echo(
            f"Wrote {result.path}: {_spoken_length(result.duration)}, {chapters}, "
            f"{len(result.timeline.cues)} sentences.{extra}"
        )


def _export_batch(
    sources: list,
    out_dir: Path,
    options,
    mode: str,
    podcast=None,
    base_url: str | None = None,
    failed: list | None = None,
    cluster: tuple[str, bool, float] | None = None,
) -> bool:
    """Export into ``out_dir`` (and, given ``podcast``, the ``Reading`` the sources came
    from, update its podcast feed); ``failed`` lists (source, why) found unreadable
    already; ``cluster`` is (address, gather, time limit) to run on Dask. False when
    any source failed."""
    from reader.export.encoders import format_for

    fmt = format_for(Path(f"x.{options.format or 'mp3'}"), options.format or "mp3")
    if not sources:
        raise ExportError("no sources to export.", "Name files, folders, globs or URLs.")
    runner = None
    if cluster is not None:  # reached and checked before anything is written
        from reader.export.cluster import Cluster

        address, gather, time_limit = cluster
        runner = Cluster(address, out_dir, gather=gather, time_limit=time_limit).open()
    try:
        return _export_into(sources, out_dir, fmt, options, mode, podcast, base_url,
                            failed, runner)
    finally:
        if runner is not None:
            runner.close()


def _export_into(sources, out_dir, fmt, options, mode, podcast, base_url, failed,
                 runner) -> bool:
    from reader.export.batch import SourceOutcome, run_batch
    from reader.export.safefile import os_error

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise os_error(e, out_dir / "x") from None
    failed = failed or []
    total, seen = len(sources) + len(failed), 0

    def report(o: SourceOutcome) -> None:
        nonlocal seen
        seen += 1
        where = f"[{seen}/{total}]"
        if o.status == "failed":
            click.echo(for_terminal(f"{where} Failed: {o.source}: {o.message}"), err=True)
        elif o.warning:
            warn(o.warning, f"{where} {o.source}: ")
        if o.status != "failed" and mode != "quiet":
            what = "Wrote" if o.status == "written" else "Up to date:"
            length = f" ({_spoken_length(o.duration)})" if o.status == "written" else ""
            click.echo(for_terminal(f"{where} {what} {o.output}{length}"), err=True)

    outcomes: list[SourceOutcome] = []

    def keep(o: SourceOutcome) -> None:
        outcomes.append(o)
        report(o)

    def summary(stopped: bool) -> None:
        counts = {s: sum(o.status == s for o in outcomes) for s in ("written", "skipped", "failed")}
        if mode != "quiet" or counts["failed"] or stopped:
            rest = f", {total - len(outcomes)} not done" if stopped else ""
            click.echo(
                f"{total} sources: {counts['written']} written, {counts['skipped']} up to date, "
                f"{counts['failed']} failed{rest}."
            )

    for source, why in failed:
        keep(SourceOutcome(source, None, "failed", why))
    try:
        run_batch(sources, out_dir, fmt, options, jobs=options.jobs, report=keep,
                  runner=runner)
    except KeyboardInterrupt:
        summary(stopped=True)  # what was done is said, even when stopped
        raise
    summary(stopped=False)
    if podcast is not None:
        from reader.export.podcast import update_podcast

        feed = update_podcast(out_dir, podcast, outcomes, base_url)
        if mode != "quiet":
            click.echo(for_terminal(f"Podcast feed {feed.path}: {feed.episodes} episodes."))
    return not any(o.status == "failed" for o in outcomes)
