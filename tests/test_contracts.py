"""Every import rule ARCHITECTURE.md states is a contract `lint-imports` enforces, and each
contract has teeth: a copy of the package with one deliberate violation fails it.

Each case copies src/clinicfinder into a temporary folder, adds one import, and runs the
real `lint-imports` (with this repository's pyproject.toml) on the copy.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (file in the package, the line added to it, the contract it must break, the import named)
VIOLATIONS = [
    (
        "records/models.py",
        "from clinicfinder import errors",
        "The records import nothing of ours",
        "clinicfinder.records.models -> clinicfinder.errors",
    ),
    (
        "config.py",
        "def _upward():\n    from clinicfinder.search import rank",
        "Layers: the command line on top, the shared records at the bottom",
        "clinicfinder.config -> clinicfinder.search.rank",
    ),
    (
        "userdirs.py",
        "import clinicfinder.clinics.catalog",
        "Layers: the command line on top, the shared records at the bottom",
        "clinicfinder.userdirs -> clinicfinder.clinics.catalog",
    ),
    (
        "cli/app.py",
        "def _fetch():\n    import requests",
        "The command line reaches the network only through online/",
        "clinicfinder.cli.app -> requests",
    ),
    (
        "places/distance.py",
        "def _geocoder():\n    import geopy",
        "The core imports no command-line, output or online code",
        "clinicfinder.places.distance -> geopy",
    ),
    (
        "output/maps.py",
        "def _live():\n    import urllib3",
        "Output never fetches and never parses arguments",
        "clinicfinder.output.maps -> urllib3",
    ),
    (
        "online/fetch.py",
        "def _draw():\n    import rich",
        "Online clients draw nothing and parse no arguments",
        "clinicfinder.online.fetch -> rich",
    ),
    (
        "clinics/catalog.py",
        "def _rank():\n    from clinicfinder.search import rank",
        "Layers: the command line on top, the shared records at the bottom",
        "clinicfinder.clinics.catalog -> clinicfinder.search.rank",
    ),
]


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(root / "src")}  # the copy, before the install
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _copy(root: Path) -> Path:
    package = root / "src" / "clinicfinder"
    shutil.copytree(
        REPO / "src" / "clinicfinder", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    return package


def _verdicts(output: str) -> dict[str, str]:
    return {
        line.rsplit(" ", 1)[0]: line.rsplit(" ", 1)[1]
        for line in output.splitlines()
        if line.endswith((" KEPT", " BROKEN"))
    }


def test_the_unchanged_copy_keeps_every_contract(tmp_path):
    """The baseline: the copy itself passes, so a failure below is the added import's."""
    _copy(tmp_path)
    done = _lint(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    verdicts = _verdicts(done.stdout)
    assert verdicts and set(verdicts.values()) == {"KEPT"}
    assert {v[2] for v in VIOLATIONS} <= set(verdicts)  # every contract above is real


@pytest.mark.parametrize(("module", "line", "contract", "named"), VIOLATIONS)
def test_a_deliberate_violation_breaks_its_contract(tmp_path, module, line, contract, named):
    package = _copy(tmp_path)
    target = package / module
    target.write_text(target.read_text(encoding="utf-8") + "\n\n" + line + "\n", encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0, done.stdout
    assert _verdicts(done.stdout)[contract] == "BROKEN", done.stdout
    assert named in done.stdout, done.stdout


def test_every_rule_architecture_states_has_a_contract():
    """The rules ARCHITECTURE.md lists are the contracts pyproject.toml declares."""
    import tomllib

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]["contracts"]
    names = {c["name"] for c in contracts}
    doc = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in names:
        assert f"*{name}*" in doc, f"ARCHITECTURE.md doesn't name the contract {name!r}"


@pytest.mark.parametrize("library", ["requests", "geopy", "rich"])
def test_a_module_level_import_of_a_slow_library_fails_ruff(tmp_path, library):
    """ruff's TID253 (banned-module-level-imports, from pyproject.toml) rejects the slow
    libraries at module level anywhere in src/, and accepts them inside a function."""
    ruff = Path(sys.executable).with_name("ruff")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    module = tmp_path / "src" / "clinicfinder" / "cli" / "late.py"
    module.parent.mkdir(parents=True)
    module.write_text(f'"""Late."""\n\n\ndef late() -> None:\n    import {library}\n')
    check = [str(ruff), "check", "--no-cache", "--select", "TID253", str(module)]
    inside = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert inside.returncode == 0, inside.stdout
    module.write_text(f'"""Early."""\n\nimport {library}\n')
    early = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert early.returncode == 1 and "TID253" in early.stdout, early.stdout
