"""The README and --help keep up with the code: every command, every exit code."""

import re
from pathlib import Path

import pytest
from typer.main import get_command

from clinicfinder.cli.app import app
from clinicfinder.errors import ExitCode

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group=None, prefix=()):
    group = group or get_command(app)
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from commands(command, path)
        else:
            yield path


ALL = sorted(commands())


def test_there_are_commands():
    assert ("near",) in ALL and ("data", "validate") in ALL and len(ALL) >= 12


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_is_in_the_readme(path):
    assert "clinicfinder " + " ".join(path) in README


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_has_help(cli, path):
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: clinicfinder " + " ".join(path))
    if path[0] not in ("config", "cache"):  # one-liners, but each has a sentence
        assert "Example" in result.stdout


@pytest.mark.parametrize("code", list(ExitCode), ids=lambda c: c.name)
def test_every_exit_code_is_documented(code):
    assert re.search(rf"^\| {int(code)} \| ", README, re.M), f"exit code {int(code)} not in README"
