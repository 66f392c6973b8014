"""Tests about the project itself: its public API, its commands' help, its errors."""

from __future__ import annotations

import inspect
from pathlib import Path

import click
from click.testing import CliRunner

import reader
from reader import errors
from reader.cli import main


def test_all_is_complete():
    public = {
        n for n, v in vars(reader).items() if not n.startswith("_") and not inspect.ismodule(v)
    }
    public -= {"annotations"}
    public |= set(reader._LAZY)
    assert public == set(reader.__all__)
    for name in reader.__all__:
        assert getattr(reader, name) is not None


def test_every_error_is_public():
    tree = {n for n, v in vars(errors).items() if isinstance(v, type) and issubclass(v, Exception)}
    assert tree <= set(reader.__all__)


def test_every_command_has_help():
    runner = CliRunner()
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None, name
        assert command.help, f"{name} has no help text"
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


def test_every_error_has_a_docstring_and_one_base():
    for name, cls in vars(errors).items():
        if isinstance(cls, type) and issubclass(cls, Exception):
            assert cls.__doc__, name
            assert issubclass(cls, errors.ReaderError)



def test_readme_key_list_is_the_command_table():
    from reader.listen.commands import readme_keys

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- keys:")
    start = text.index("\n", start) + 1
    block = text[start : text.index("<!-- /keys -->", start)]
    listed = "\n".join(line.strip() for line in block.strip().splitlines())
    assert listed == readme_keys(), "paste `python -m reader.listen.commands` into README"


def test_readme_layout_names_every_part_of_the_tree():
    root = Path(__file__).resolve().parents[1]
    text = (root / "README.md").read_text(encoding="utf-8")
    layout = text[text.index("## Layout") :]
    parts = [
        f"reader/{p.name}" + ("/" if p.is_dir() else "")
        for p in (root / "reader").iterdir()
        if not p.name.startswith("_") or p.name == "__init__.py"
    ]
    parts += ["voices/", "bench/", "tests/", "docs/", ".ci/run", "constraints.txt"]
    missing = [p for p in parts if "__pycache__" not in p and f"`{p}" not in layout]
    assert not missing, f"README's Layout does not mention {missing}"
