"""Issue 14's classes: files never clobbered, user files bounded and exact, shared folders
respected, odd environments survived. Each test failed before its fix."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clinicfinder import userdirs
from clinicfinder.errors import DataError
from tests.conftest import bundled_clinics

SCRIPT = Path(sys.executable).with_name("clinicfinder")


def run(argv, tmp_path, **kwargs):
    env = {**os.environ, "NO_COLOR": "1", **kwargs.pop("env", {})}
    return subprocess.run(
        [str(SCRIPT), *argv], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60, **kwargs,
    )  # fmt: skip


# ---- writing files


def test_a_map_onto_a_symlink_writes_its_target_and_keeps_the_link(cli, tmp_path):
    target = tmp_path / "real.html"
    target.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    assert cli("near", "Denver, CO", "--map", str(link)).exit_code == 0
    assert link.is_symlink() and "leaflet" in target.read_text(encoding="utf-8").lower()


def test_a_map_never_overwrites_the_data_file(cli, tmp_path):
    data = tmp_path / "mine.csv"
    data.write_text("name,city,state\nA,Wichita,KS\n", encoding="utf-8")
    result = cli("near", "67202", "--data", str(data), "--map", str(data))
    assert result.exit_code == 2 and "also an input" in result.stderr
    assert data.read_text(encoding="utf-8") == "name,city,state\nA,Wichita,KS\n"


def test_an_existing_files_mode_is_kept(cli, tmp_path):
    out = tmp_path / "map.html"
    out.write_text("old")
    out.chmod(0o600)
    assert cli("near", "Denver, CO", "--map", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can hurt /dev/null")
def test_a_device_stays_a_device(cli):
    assert cli("near", "Denver, CO", "--map", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = tmp_path / "received"
    with received.open("wb") as sink:  # a file, not a pipe: a page bigger than pipe buffers
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)
        done = run(["near", "Denver, CO", "--map", str(fifo)], tmp_path)
        assert done.returncode == 0, done.stderr
        reader.wait(timeout=60)
    assert b"leaflet" in received.read_bytes().lower()
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_directory_is_refused_in_one_line(cli, tmp_path):
    result = cli("near", "Denver, CO", "--map", str(tmp_path))
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    real_fdopen = os.fdopen

    class Killing:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-write

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Killing(real_fdopen(fd, mode)))
    with pytest.raises(userdirs.Terminated):
        userdirs.atomic_write(target, b"x")
    assert list(tmp_path.iterdir()) == []


KILLED_MID_WRITE = """
import os, signal, sys
from clinicfinder.cli import app

real_fdopen = os.fdopen


class Killing:
    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, data):
        os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-write


os.fdopen = lambda fd, mode: Killing(real_fdopen(fd, mode))
sys.argv = ["clinicfinder", "export", "--format", "csv", "all.csv"]
app.main()
"""


def test_sigterm_during_a_write_is_one_line_and_its_exit_code(tmp_path):
    """Through the real entry point: SIGTERM mid-write ends with one line and 143, not a
    traceback; the file it was writing isn't there, nor any temporary file."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "all.csv").write_text("mine\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", KILLED_MID_WRITE], cwd=work, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 143, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("clinicfinder: error: terminated") and "Traceback" not in line
    assert [p.name for p in work.iterdir()] == ["all.csv"]
    assert (work / "all.csv").read_text(encoding="utf-8") == "mine\n"


# ---- user files


def test_a_file_that_changes_while_it_is_read_is_reported(cli, tmp_path, monkeypatch):
    from clinicfinder.clinics import load

    data = tmp_path / "mine.csv"
    data.write_text("name,city,state\nA,Wichita,KS\n", encoding="utf-8")
    real = load.iter_clinics

    def changing(path, **kwargs):
        for clinic in real(path, **kwargs):
            data.write_text("name,city,state\nB,Wichita,KS\n", encoding="utf-8")
            yield clinic

    monkeypatch.setattr(load, "iter_clinics", changing)
    result = cli("near", "67202", "--data", str(data), "--no-bundled")
    assert result.exit_code == 1 and "changed while it was being read" in result.stderr
    assert not list((tmp_path / "cache").glob("clinics-*.sqlite"))  # nothing poisoned


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null"])
def test_endless_or_special_inputs_are_refused(tmp_path, path):
    done = run(["near", "67202", "--data", path], tmp_path)  # timeout=60 bounds a hang
    assert done.returncode == 1 and "not a regular file" in done.stderr


def test_a_lone_surrogate_is_refused_alike_by_validate_and_the_loader(cli, tmp_path):
    data = tmp_path / "bad.json"
    data.write_text('[{"name": "A\\ud800", "city": "Wichita", "state": "KS"}]', encoding="utf-8")
    checked = cli("data", "validate", str(data))
    loaded = cli("near", "67202", "--data", str(data))
    assert checked.exit_code == 1 and "lone surrogate" in checked.stdout + checked.stderr
    assert loaded.exit_code == 1 and "lone surrogate" in loaded.stderr


def test_json_line_numbers_are_right_deep_into_a_big_file(tmp_path):
    from clinicfinder.clinics.load import read_clinics

    rows = [json.dumps({"name": f"C{i}", "city": "Wichita", "state": "KS"}) for i in range(5000)]
    rows[4321] = json.dumps({"name": "bad", "city": "Wichita", "state": "ZZ"})
    path = tmp_path / "big.json"
    path.write_text("[\n" + ",\n".join(rows) + "\n]\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_clinics(path)
    assert err.value.line == 4323


# ---- spreadsheets


def test_csv_output_is_spreadsheet_safe(cli, tmp_path):
    data = tmp_path / "evil.csv"
    data.write_text(
        'name,city,state,phone\n"=HYPERLINK(""http://x"")",Wichita,KS,+1 316 555 0100\n'
        '"\t=1+1",Wichita,KS,\n',
        encoding="utf-8",
    )
    out = cli("near", "67202", "--data", str(data), "--no-bundled", "--format", "csv")
    assert out.exit_code == 0, out.stderr
    assert "'=HYPERLINK" in out.stdout and "'=1+1" in out.stdout and "'+1 316" in out.stdout
    assert ",-97." in out.stdout  # numbers are numbers


# ---- shared folders


def test_cache_clear_removes_only_what_clinicfinder_made(cli, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    ours = cache / "geocode.sqlite"
    ours.write_bytes(b"")
    theirs = [cache / "clinics-notes.txt", cache / "geocode.sqlite.bak", cache / "hashes.sqlite2"]
    for path in theirs:
        path.write_text("keep me")
    assert cli("cache", "clear").exit_code == 0
    assert not ours.exists() and all(p.exists() for p in theirs)


def test_parallel_config_writers_lose_nothing(tmp_path):
    keys = {"units": "km", "online": "false", "nominatim_url": "http://127.0.0.1:1",
            "findtreatment_url": "http://127.0.0.1:2/x"}  # fmt: skip
    env = {**os.environ, "CLINICFINDER_CONFIG_DIR": str(tmp_path / "cfg")}
    procs = [
        subprocess.Popen([str(SCRIPT), "config", "set", k, v], env=env, stderr=subprocess.PIPE)
        for k, v in keys.items()
        for _ in range(3)
    ]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    saved = json.loads((tmp_path / "cfg" / "config.json").read_text(encoding="utf-8"))
    assert saved == keys


def test_a_symlinked_config_stays_a_symlink(cli, tmp_path):
    real = tmp_path / "dotfiles" / "clinicfinder.json"
    real.parent.mkdir()
    real.write_text("{}")
    (tmp_path / "config").mkdir()
    link = tmp_path / "config" / "config.json"
    link.symlink_to(real)
    assert cli("config", "set", "units", "km").exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text()) == {"units": "km"}


# ---- odd environments


def test_no_home_and_no_passwd_entry(cli, monkeypatch):
    def nowhere():
        raise RuntimeError("Could not determine home directory")

    for var in ("CLINICFINDER_CONFIG_DIR", "CLINICFINDER_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    result = cli("near", "67202", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["results"]


def test_a_closed_stdout_is_one_line(tmp_path):
    # Without a preloaded faketime (CI runs the suite under it too): its library opens a file
    # at start-up, which takes the free descriptor 1 and so "reopens" the closed stdout.
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    done = subprocess.run(
        f'"{SCRIPT}" near 67202 >&-', shell=True, cwd=tmp_path, capture_output=False,
        stderr=subprocess.PIPE, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "closed" in done.stderr


def test_a_closed_stderr_still_shows_the_results(tmp_path):
    done = subprocess.run(
        f'"{SCRIPT}" near 67202 --json 2>&-', shell=True, cwd=tmp_path, stdout=subprocess.PIPE,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and json.loads(done.stdout)["results"]


@pytest.mark.parametrize("args", [["near", "Washington, DC"], ["about", "ketamine"]])
def test_an_ascii_only_stream_escapes_rather_than_crashes(tmp_path, args):
    done = run([*args], tmp_path, env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert done.returncode == 0, done.stderr
    done.stdout.encode("ascii")  # nothing outside ASCII reached the stream


def test_json_on_an_ascii_stream_stays_valid(tmp_path):
    done = run(["near", "Washington, DC", "--json"], tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and json.loads(done.stdout)["results"]


@pytest.mark.parametrize("columns", ["0", "1", "7", "junk"])
def test_tiny_or_nonsense_widths_fall_back_to_a_minimum(cli, columns):
    result = cli("near", "Washington, DC", env={"COLUMNS": columns})
    assert result.exit_code == 0 and "Clinics near" in result.stdout
    assert max(map(len, result.stdout.splitlines())) <= 40 + 2


# ---- found in review


def test_the_registry_never_gets_an_online_answers_own_point():
    """A rural address the geocoder labels 'zip' (isolated_dwelling, rank 22) is still a
    house: only the nearest ZIP centre may be sent."""
    from clinicfinder.places.geocode import coarse_point, locate
    from clinicfinder.records.models import Place

    house = Place("x", "x", 37.9123, -97.6543, "zip", "Nominatim at 127.0.0.1")
    assert coarse_point(house) not in (None, (37.9123, -97.6543))
    offline = locate("67202")  # a ZIP centre the gazetteer ships is already coarse
    assert coarse_point(offline) == (round(offline.lat, 4), round(offline.lon, 4))


def test_an_unknown_region_from_the_geocoder_is_dropped():
    from clinicfinder.online.nominatim import _answer

    raw = {
        "lat": "19.28",
        "lon": "166.65",
        "addresstype": "city",
        "address": {"ISO3166-2-lvl4": "US-UM"},
    }  # Wake Island: no region of ours
    assert _answer(raw)["state"] is None
    raw["address"] = {"ISO3166-2-lvl4": "US-GU"}  # Guam is one
    assert _answer(raw)["state"] == "GU"


def test_a_live_record_joins_only_the_branch_in_its_own_city():
    from clinicfinder.clinics.catalog import MemoryCatalog
    from clinicfinder.clinics.overlay import OverlayCatalog
    from tests.conftest import make

    gilbert = make(id="chain-gilbert", name="Chain", city="Gilbert", state="AZ",
                   website="https://chain.example", lat=33.35, lon=-111.79)  # fmt: skip
    glendale = make(id="chain-glendale", name="Chain", city="Glendale", state="AZ",
                    website="https://chain.example", lat=33.54, lon=-112.19)  # fmt: skip
    live = make(id="live", name="Chain", city="Glendale", state="AZ", phone="602-555-0100",
                website="https://chain.example", lat=33.53, lon=-112.18,
                precision="street")  # fmt: skip
    overlay = OverlayCatalog(MemoryCatalog([gilbert, glendale]), [live])
    assert overlay.get("chain-glendale").phone == "602-555-0100"
    assert overlay.get("chain-gilbert").phone == "" and overlay.added == 0


def test_show_takes_the_name_as_the_table_prints_it(cli, tmp_path):
    data = tmp_path / "chain.csv"
    data.write_text(
        "name,site,city,state,status\nChain Clinic,Downtown,Wichita,KS,unverified\n",
        encoding="utf-8",
    )
    for words in (["Chain", "Clinic", "(Downtown)"], ["Chain Clinic (Downtown) (unverified)"]):
        result = cli("show", *words, "--data", str(data))
        assert result.exit_code == 0, result.stderr


def test_a_map_never_overwrites_a_file_named_in_clinicfinder_data(cli, tmp_path, monkeypatch):
    data = tmp_path / "env.csv"
    data.write_text("name,city,state\nA,Wichita,KS\n", encoding="utf-8")
    monkeypatch.setenv("CLINICFINDER_DATA", str(data))
    result = cli("near", "67202", "--map", str(data))
    assert result.exit_code == 2 and "also an input" in result.stderr
    assert data.read_text(encoding="utf-8").startswith("name,city,state")


def test_an_exported_json_file_loads_back(cli, tmp_path):
    out = tmp_path / "all.json"
    assert cli("export", "--format", "json", str(out)).exit_code == 0
    checked = cli("data", "validate", str(out))
    assert checked.exit_code == 0, checked.stdout[-2000:]  # warnings only (shared phones)
    assert f"{len(bundled_clinics())} rows in 1 file: 0 errors" in checked.stderr
    loaded = cli("near", "67202", "--data", str(out), "--no-bundled", "--json")
    assert loaded.exit_code == 0, loaded.stderr


def test_max_age_counts_an_undated_user_row_from_the_day_it_was_read(cli_json, tmp_path):
    data = tmp_path / "mine.csv"
    data.write_text(
        "name,city,state,collected\nFresh,Wichita,KS,2026-11-30\nOld,Wichita,KS,2019-01-01\n",
        encoding="utf-8",
    )
    doc = cli_json("near", "67202", "--data", str(data), "--no-bundled", "--max-age", "3y")
    assert [r["name"] for r in doc["results"]] == ["Fresh"]
