"""The installed entry points, run as real processes from a folder outside the repo."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The console script pip installed beside this interpreter (venv/bin/clinicfinder).
SCRIPT = Path(sys.executable).with_name("clinicfinder")


def run(argv, cwd):
    # os.environ at call time: it carries the isolated config and cache dirs (conftest).
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"no console script at {SCRIPT}")
def test_console_script(tmp_path):
    done = run([str(SCRIPT), "near", "Wichita, KS", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["origin"]["label"] == "Wichita, Kansas" and doc["results"]


def test_python_dash_m(tmp_path):
    done = run([sys.executable, "-m", "clinicfinder", "about", "depression"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Depression" in done.stdout


def test_errors_exit_non_zero_without_a_traceback(tmp_path):
    done = run([sys.executable, "-m", "clinicfinder", "near", "00000"], tmp_path)
    assert done.returncode == 4
    assert done.stderr.startswith("clinicfinder: error:") and "Traceback" not in done.stderr


def test_offline_search_imports_no_network_library(tmp_path):
    """Privacy and start-up: an offline search never loads geopy or requests (nor, for
    JSON, Rich: it is drawn only for people)."""
    code = (
        "import sys\n"
        "from clinicfinder.cli.app import run\n"
        "run(['near', '67202', '--json'])\n"
        "net = {'geopy', 'requests', 'urllib3', 'socket', 'rich'}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in net)\n"
        "print(' '.join(bad), file=sys.stderr)"
    )
    done = run([sys.executable, "-c", code], tmp_path)
    assert done.stderr.strip() == ""
    assert json.loads(done.stdout)["results"]


def test_the_licence_travels_with_the_installed_package():
    """LICENSE (MIT) and the third-party notices are in the installed metadata, as pip
    show and licence scanners read them."""
    from importlib.metadata import distribution

    dist = distribution("clinicfinder")
    assert dist.metadata["License-Expression"] == "MIT AND CC-BY-SA-4.0"
    files = [f for f in dist.files or [] if "licenses/" in str(f)]
    shipped = {str(f).split("licenses/", 1)[-1]: f for f in files}
    assert set(shipped) >= {"LICENSE", "data/LICENSES.md"}
    text = shipped["LICENSE"].read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted" in text
    notices = shipped["data/LICENSES.md"].read_text(encoding="utf-8")
    for source in ("GeoNames", "CC BY 4.0", "zipcodes", "HSDS", "CC BY-SA 4.0", "SAMHSA",
                   "public domain", "Leaflet", "BSD 2-Clause"):  # fmt: skip
        assert source in notices, source


@pytest.mark.parametrize(
    "argv",
    [["near", "67202"], ["about", "depression"], ["regions"], ["--help"]],
    ids=" ".join,
)
def test_what_the_readme_says_is_plain_in_a_pipe_loads_no_rich(tmp_path, argv):
    """README, "Speed": output for people is drawn by our own renderer; Rich is for the
    progress bars only."""
    code = (
        "import sys\n"
        "from clinicfinder.cli.app import run\n"
        f"run({argv!r})\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # 200 wide in a pipe
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.stdout and done.stderr.strip().splitlines()[-1] == "False"
