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


def _ci_commands() -> list[str]:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    return [line.strip() for line in ci.splitlines() if line.strip()]


def test_ci_runs_the_readme_commands_step_by_step():
    """A new user's two commands are what CI runs (on a clean clone): each `a && b && c`
    one-liner as its steps, one line each and in order, so any failing step fails CI."""
    setup, tests = _readme_commands()
    assert "python3 -m venv" in setup  # works where the system Python is externally managed
    lines = _ci_commands()
    for one_liner in (setup, tests):
        steps = one_liner.split(" && ")
        starts = [i for i, line in enumerate(lines) if line == steps[0]]
        assert any(lines[i : i + len(steps)] == steps for i in starts), one_liner


def test_ci_has_one_command_per_line():
    """Under `set -e` a failure on the left of `&&` does not stop the script."""
    assert [line for line in _ci_commands() if "&&" in line.split("#")[0]] == []


def test_no_bundled_row_is_placed_at_street_level_as_the_readme_says():
    """README: the bundled data was built offline, so rows with a street sit at their ZIP or
    city. (It used to give a count of such rows that had gone stale.)"""
    from tests.conftest import bundled_clinics

    assert "no bundled row is placed at street level" in README
    assert [c.id for c in bundled_clinics() if c.precision == "street"] == []


def test_every_setting_is_in_the_readme_with_its_environment_variable():
    from clinicfinder.config import KEYS

    for key, setting in KEYS.items():
        assert re.search(rf"^\| `{key}` \| `{setting.env}` \|", README, re.M), key
