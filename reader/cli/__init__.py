"""The ``reader`` command: thin click commands over the library.

Each command parses its options, calls one library function and reports. Errors
reader raises on purpose print as one line, ``Error: ...``, and exit non-zero; any
other exception prints one line too, with a traceback only under ``--debug``.
"""

from __future__ import annotations

import signal
import sys

import click

from reader.errors import ReaderError

#: Each command and where it lives, imported only when it runs (or --help lists it):
#: a listener waits for the first word, and every command need not load every library.
COMMANDS = {
    "doctor": "reader.cli.voices:doctor",
    "export": "reader.cli.export:export",
    "outline": "reader.cli.outline:outline",
    "read": "reader.cli.read:read",
    "sentences": "reader.cli.sentences:sentences",
    "validate-daisy": "reader.cli.daisy:validate_daisy_command",
    "voices": "reader.cli.voices:voices",
}


def _stop_on_signals() -> None:
    """SIGTERM and a closed terminal (SIGHUP) stop a command the way Ctrl-C does:
    temporary files are removed, workers stopped and the command says "Stopped." (a
    listening session puts its own handlers in place while it plays)."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, handler)


class ReaderGroup(click.Group):
    """A group that loads its commands lazily and turns exceptions into one plain line
    and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        module, name = COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command) and command.name == cmd_name
        return command

    def invoke(self, ctx: click.Context):
        from reader.safe import TerminalSafe, for_terminal

        _stop_on_signals()
        # Whatever a command prints (article text, names, server messages) reaches the
        # terminal without the characters that could drive it. Standard error is not
        # wrapped (Python's own last words, such as an interrupted callback, go there,
        # and a filter in Python would be cut by the very signal they report); what
        # reader writes there passes ``for_terminal`` where it is written.
        if not isinstance(sys.stdout, TerminalSafe):
            sys.stdout = TerminalSafe(sys.stdout)  # type: ignore[assignment]
        try:
            return super().invoke(ctx)
        except ReaderError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(for_terminal(f"Error: {e}"), err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()  # the reader of our output went away; nothing to say
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as e:  # a bug: still one line, with how to report it
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                for_terminal(
                    f"Error: internal error ({type(e).__name__}: {e}). "
                    "Run again with --debug for details and report it."
                ),
                err=True,
            )
            ctx.exit(70)


@click.group(cls=ReaderGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.version_option(package_name="reader")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Listen to news articles: parse, segment, speak and export them.

    SOURCE is always a path to an HTML or text file, - for standard input, or an
    http(s) URL.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
