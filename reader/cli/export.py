"""``reader export``: articles to audio files with chapters and sentence timing."""

from __future__ import annotations

import sys
from pathlib import Path

import click

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
    help="mp3, m4b, wav, flac, ogg, or daisy (a DAISY 2.02 book: -o DIR or -o FILE.zip). "
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
    "--accessible", is_flag=True, help="Progress as plain lines every few seconds, no bar."
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
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
) -> None:
    """Export SOURCE... as audio with chapters (headline, captions, paragraphs).

    SOURCE may be a file, -, a URL, a glob, a folder, or a text file of URLs.
    Files appear only when complete; an existing file is kept unless --force.
    With --out-dir, outputs newer than their source are skipped, a failed source
    does not stop the others, and the exit status is 1 if any failed.
    """
    from reader.export import ExportOptions
    from reader.export.batch import expand_sources
    from reader.export.progress import choose_mode

    if (output is None) == (out_dir is None):
        raise click.UsageError("give exactly one of -o FILE or --out-dir DIR.")
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
    mode = choose_mode(sys.stderr, accessible=accessible, quiet=quiet)
    if (fmt or "").lower() == "daisy":  # one DAISY book of every SOURCE: reader/cli/daisy.py
        from reader.cli.daisy import export_daisy_book

        return export_daisy_book(list(sources), output, out_dir, options, mode)
    if output is not None:
        if len(sources) != 1 or (expanded := expand_sources(list(sources))) != list(sources):
            raise click.UsageError("-o takes one SOURCE; use --out-dir for several.")
        _export_single(expanded[0], output, options, mode)
    else:
        assert out_dir is not None
        if not _export_batch(expand_sources(list(sources)), out_dir, options, mode):
            sys.exit(1)


def _export_single(source: str, output: Path, options, mode: str) -> None:
    from reader.export import export_source
    from reader.export.progress import Progress

    progress = Progress(f"Exporting {output.name}", mode)
    try:
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


def _export_batch(sources: list[str], out_dir: Path, options, mode: str) -> bool:
    """Export into ``out_dir``; False when any source failed."""
    from reader.export.batch import SourceOutcome, run_batch
    from reader.export.encoders import format_for
    from reader.export.safefile import os_error

    fmt = format_for(Path(f"x.{options.format or 'mp3'}"), options.format or "mp3")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise os_error(e, out_dir / "x") from None
    if not sources:
        raise ExportError("no sources to export.", "Name files, folders, globs or URLs.")
    total, seen = len(sources), 0

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

    try:
        run_batch(sources, out_dir, fmt, options, jobs=options.jobs, report=keep)
    except KeyboardInterrupt:
        summary(stopped=True)  # what was done is said, even when stopped
        raise
    summary(stopped=False)
    return not any(o.status == "failed" for o in outcomes)
