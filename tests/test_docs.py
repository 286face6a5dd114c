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
    assert "Examples:" in result.stdout
    example = result.stdout.split("Examples:", 1)[1]
    assert "clinicfinder " + " ".join(path) in example


@pytest.mark.parametrize("code", list(ExitCode), ids=lambda c: c.name)
def test_every_exit_code_is_documented(code):
    assert re.search(rf"^\| {int(code)} \| ", README, re.M), f"exit code {int(code)} not in README"


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    return [line for b in blocks[:2] for line in b.splitlines() if line.strip()]


def test_ci_runs_the_readme_commands_verbatim():
    """A new user's two commands are exactly what CI runs (on a clean clone)."""
    setup, tests = _readme_commands()
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv" in setup  # works where the system Python is externally managed
    assert setup in ci.splitlines() and tests in ci.splitlines()
