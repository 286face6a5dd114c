"""Broken clinic files, for --data and for data validate; a 50 MB file in flat memory;
several processes sharing the cache at once."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_HEADER = "id,name,city,state,lat,lon,precision,routes,source_url\n"
GOOD_ROW = "a,Example A,Wichita,KS,37.69,-97.34,city,iv,https://example.org/a\n"

# name → (file content, the reason that must be reported, the line it is reported at or None)
BROKEN = {
    "latin-1.csv": (GOOD_HEADER.encode() + "b,Caf\xe9,Wichita,KS,,,,,\n".encode("latin-1"),
                    "not UTF-8", 2),
    "zero-bytes.csv": (b"", "the file is empty", None),
    "blank.csv": (b"\n\n   \n", "the file is empty", None),
    "binary.csv": (bytes(range(256)) * 4, "binary file", None),
    "no-name-column.csv": (b"id,city\nx,Wichita\n", "missing column 'name'", 1),
    "too-many-fields.csv": ((GOOD_HEADER + GOOD_ROW + "b,B,Wichita,KS,,,,,,extra\n").encode(),
                           "more fields", 3),
    "too-few-fields.csv": ((GOOD_HEADER + "b,B\n").encode(), "fewer fields", 2),
    "bad-number.csv": ((GOOD_HEADER + "b,B,Wichita,KS,north,-97,city,,\n").encode(),
                       "not a number", 2),
    "out-of-range.csv": ((GOOD_HEADER + "b,B,Wichita,KS,97,-37,city,,\n").encode(),
                         "outside", 2),
    "duplicate-ids.csv": ((GOOD_HEADER + GOOD_ROW + GOOD_ROW).encode(), "duplicate id 'a'", 3),
    "truncated.csv": ((GOOD_HEADER + GOOD_ROW + 'b,"Example B, unfinished').encode(),
                      "malformed CSV (unexpected end of data)", 3),
    "truncated.json": (b'[{"name": "Example A", "city": "Wichita", "state": "KS"},\n{"name": "Ex',
                       "malformed JSON", 2),
    "not-a-list.json": (b'{"name": "Example A"}', "expected a JSON array", 1),
    "huge-cell.csv": ((GOOD_HEADER + "b," + "x" * 20_000 + ",Wichita,KS,,,,,\n").encode(),
                      "characters", 2),
}  # fmt: skip


@pytest.fixture(params=sorted(BROKEN), ids=str)
def broken(request, tmp_path):
    content, reason, line = BROKEN[request.param]
    path = tmp_path / request.param
    path.write_bytes(content)
    where = f"{path}:{line}" if line else str(path)
    return path, reason, where


def test_data_flag_reports_file_line_and_reason(cli, broken):
    path, reason, where = broken
    result = cli("near", "67202", "--data", str(path))
    assert result.exit_code == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"clinicfinder: error: {where}: ") and reason in line, line


def test_data_validate_reports_file_line_and_reason(cli, broken):
    path, reason, where = broken
    result = cli("data", "validate", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert any(
        line.startswith(f"{where}: error: ") and reason in line
        for line in result.stdout.splitlines()
    ), result.stdout


def test_extra_columns_are_ignored_but_mentioned(cli, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(
        GOOD_HEADER.replace("\n", ",favourite_colour\n") + GOOD_ROW.replace("\n", ",teal\n")
    )
    assert cli("near", "67202", "--data", str(path), "--json").exit_code == 0
    result = cli("data", "validate", str(path))
    assert (
        result.exit_code == 0
        and f"{path}:1: warning: unknown column 'favourite_colour'" in result.stdout
    )


def peak_rss_mb(args, env):
    """Run a command and return its peak resident memory, in MB (Linux reports KiB)."""
    code = (
        "import resource, subprocess, sys\n"
        f"done = subprocess.run({args!r}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(done.returncode, peak)\n"
        "sys.stderr.write(done.stderr.decode()[-2000:])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    returncode, peak = done.stdout.split()
    return int(returncode), float(peak), done.stderr


@pytest.mark.slow
def test_a_50_megabyte_file_is_read_in_flat_memory(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synthetic import generate

    big = tmp_path / "big.csv"
    generate(165_000, big)
    assert big.stat().st_size > 50_000_000
    env = {**os.environ, "CLINICFINDER_CACHE_DIR": str(tmp_path / "cache")}
    script = str(Path(sys.executable).with_name("clinicfinder"))
    if not Path(script).exists():
        pytest.skip("the clinicfinder console script is not installed beside this Python")
    code, peak, err = peak_rss_mb([script, "data", "validate", str(big)], env)
    assert code == 0, err
    assert peak < 250, f"data validate peaked at {peak:.0f} MB for a 50 MB file"
    code, peak, err = peak_rss_mb(
        [script, "near", "67202", "--data", str(big), "--no-bundled", "--format", "csv"], env
    )
    assert code == 0, err
    assert peak < 250, f"near --data peaked at {peak:.0f} MB for a 50 MB file"


WRITER = """
import sys
from pathlib import Path
from clinicfinder.online.cache import AnswerCache
from clinicfinder.clinics.load import load_catalog
worker = int(sys.argv[1])
cache = AnswerCache()
for n in range(40):
    cache.put(f"test|{worker}|{n}", {"lat": n, "lon": worker})
catalog = load_catalog([Path(sys.argv[2])], bundled=False)  # all build the same index at once
assert catalog.size() == 1, catalog.size()
print("ok", cache.warning or "")
"""


def test_processes_writing_the_cache_at_once_never_corrupt_it(tmp_path):
    env = {**os.environ, "CLINICFINDER_CACHE_DIR": str(tmp_path / "cache")}
    data = tmp_path / "one.csv"
    data.write_text(GOOD_HEADER + GOOD_ROW)
    workers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(n), str(data)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(6)
    ]  # fmt: skip
    for proc in workers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.startswith("ok"), err
    db = sqlite3.connect(tmp_path / "cache" / "geocode.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 6 * 40
    (index,) = (tmp_path / "cache").glob("clinics-*.sqlite")
    assert sqlite3.connect(index).execute("SELECT count(*) FROM clinics").fetchone()[0] == 1
    assert not list((tmp_path / "cache").glob(".*tmp"))  # no half-written index left behind


def test_an_unwritable_config_warns_and_the_search_goes_on(cli, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("CLINICFINDER_CONFIG_DIR", str(blocker / "config"))
    search = cli("near", "67202", "--json")
    assert search.exit_code == 0 and json.loads(search.stdout)["results"]
    saving = cli("config", "set", "units", "km")
    assert saving.exit_code == 1
    (line,) = saving.stderr.strip().splitlines()
    assert "config file" in line and "Not a directory" in line


def test_reading_a_clinic_file_leaves_the_csv_module_as_it_was(tmp_path):
    """No process-wide side effects: the host's own CSV readers keep their limit."""
    import csv

    from clinicfinder.clinics.load import read_clinics

    before = csv.field_size_limit()
    path = tmp_path / "c.csv"
    path.write_text("name,city,state\nA,Wichita,KS\n", encoding="utf-8")
    assert read_clinics(path)
    assert csv.field_size_limit() == before
