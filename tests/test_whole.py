"""Issue 23: exports and fetches are whole or absent, fetched and geocoded files load, ids
are unique, and caches survive their neighbours. Each test failed before its fix."""

from __future__ import annotations

import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import findtreatment_stub
from tests.findtreatment_stub import KIT, Registry, _row
from tests.nominatim_stub import Stub
from tests.test_hostile_text import row, write_rows

SCRIPT = Path(sys.executable).with_name("clinicfinder")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---- an HSDS package is whole or absent


def run_with_a_full_disk(args: list[str], cwd: Path, env: dict[str, str]):
    """The command with writes over 120 kB refused (EFBIG), as a full disk refuses them."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (120_000, 120_000))

    return subprocess.run([str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, preexec_fn=limit)  # fmt: skip


def test_a_full_disk_leaves_no_half_package_and_the_old_one_intact(tmp_path):
    env = {**os.environ, "NO_COLOR": "1"}
    small = write_rows(tmp_path / "small.csv", [row()])
    pkg = tmp_path / "pkg"
    args = ["export", "--format", "hsds", str(pkg), "--data", str(small), "--no-bundled"]
    ok = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    (pkg / "notes.txt").write_text("the user's own file")
    before = snapshot(pkg)
    assert subprocess.run([str(SCRIPT), "near", "67202"], env=env).returncode == 0  # index built
    fresh = run_with_a_full_disk(["export", "--format", "hsds", "new"], tmp_path, env)
    assert fresh.returncode == 1 and "Traceback" not in fresh.stderr, fresh.stderr
    assert not (tmp_path / "new").exists()
    forced = run_with_a_full_disk(["export", "--format", "hsds", "pkg", "--force"], tmp_path, env)
    assert forced.returncode == 1 and len(forced.stderr.splitlines()) == 1, forced.stderr
    assert snapshot(pkg) == before  # old and new never mixed
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    replaced = subprocess.run([str(SCRIPT), "export", "--format", "hsds", str(pkg), "--force"],
                              env=env, capture_output=True, text=True)  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr
    after = snapshot(pkg)
    assert after["notes.txt"] == before["notes.txt"]
    assert len(after["organizations.csv"]) > 10 * len(before["organizations.csv"])


def test_a_repeated_source_url_never_repeats_an_hsds_key(cli, tmp_path):
    url = "https://example.org/other-page"
    data = write_rows(tmp_path / "r.csv", [row(more_sources=f"{url};{url}")])
    pkg = tmp_path / "pkg"
    exported = cli("export", "--format", "hsds", str(pkg), "--data", str(data), "--no-bundled")
    assert exported.exit_code == 0, exported.stderr
    ids = [r["id"] for r in read_csv(pkg / "attributes.csv")]
    assert len(ids) == len(set(ids))
    assert (pkg / "attributes.csv").read_bytes().count(b"\r\n") == len(ids) + 1  # RFC 4180
    checked = cli("data", "validate", str(data))  # says so, as a warning: HSDS needs no fix
    assert checked.exit_code == 0 and "twice" in checked.stdout
    frictionless = pytest.importorskip("frictionless")
    assert frictionless.validate(str(pkg / "datapackage.json")).valid


# ---- the registry: rows checked as a clinic file is, facilities kept apart, ids unique

NEAR_WICHITA = (37.6900, -97.3300)
EXTRA = [
    _row("Stand-in Twin Clinic", "700 Test Street", "Wichita", "KS", "67202", "(316) 555-0107",
         37.6890, -97.3310, [KIT]),
    _row("Stand-in Twin Clinic", "800 Other Road", "Wichita", "KS", "67202", "(316) 555-0108",
         37.6910, -97.3290, [KIT]),
    _row("Stand-in Twin Clinic", "700 Test Street", "Wichita", "KS", "67202", "(316) 555-0107",
         37.6890, -97.3310, [KIT]),  # the first twin listed again: one facility
    _row("Stand-in Bad Zip", "1 Test Street", "Wichita", "KS", "6720", "(316) 555-0110",
         37.6880, -97.3320, [KIT]),
    _row("Stand-in Null Island", "2 Test Street", "Wichita", "KS", "67202", "(316) 555-0111",
         0, 0, [KIT]),
    _row("Stand-in No Point", "3 Test Street", "Wichita", "KS", "67202", "(316) 555-0112",
         "north", "west", [KIT]),
    _row("Stand-in Ontario", "5 Test Street", "Wichita", "ON", "67202", "(316) 555-0114",
         37.6860, -97.3340, [KIT]),  # a province code: found near, never in a state's listing
    _row("Stand-in Escapes\x1b[2J\x07", "4 Test Street\x1b]52;c;eA==\x07", "Wichita", "KS",
         "67202", "(316) 555-0113\x9b1m", 37.6870, -97.3330, [KIT]),
]  # fmt: skip


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(findtreatment_stub, "FACILITIES", findtreatment_stub.FACILITIES + EXTRA)
    stub = Registry().start()
    monkeypatch.setenv("CLINICFINDER_FINDTREATMENT_URL", stub.url)
    yield stub
    stub.stop()


def test_a_fetched_file_keeps_distinct_facilities_skips_bad_rows_and_loads(cli, registry, tmp_path):
    out = tmp_path / "ks.csv"
    result = cli("data", "fetch", "findtreatment", "--state", "KS", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = read_csv(out)
    twins = [r for r in rows if r["name"] == "Stand-in Twin Clinic"]
    assert sorted(r["street"] for r in twins) == ["700 Test Street", "800 Other Road"]
    assert len({r["id"] for r in rows}) == len(rows)
    names = {r["name"] for r in rows}
    assert not names & {"Stand-in Bad Zip", "Stand-in Null Island", "Stand-in No Point"}
    for reason in ("2 without ketamine", "1 without usable coordinates", "5-digit ZIP", "outside"):
        assert reason in result.stderr
    assert "\x1b" not in out.read_text(encoding="utf-8") and "\x9b" not in result.stdout
    assert cli("data", "validate", str(out)).exit_code == 0
    assert cli("near", "Wichita, KS", "--data", str(out), "--no-bundled").exit_code == 0
    printed = cli("data", "fetch", "findtreatment", "--state", "KS")
    assert printed.exit_code == 0 and "\x1b" not in printed.stdout + printed.stderr


def test_near_online_gives_every_facility_its_own_id(cli, registry, monkeypatch):
    stub = Stub().start()
    try:
        monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", stub.url)
        result = cli("near", "Wichita, KS", "--online", "--json", "--limit", "50")
    finally:
        stub.stop()
    assert result.exit_code == 0, result.stderr
    ids = [r["id"] for r in json.loads(result.stdout)["results"]]
    assert len(ids) == len(set(ids))
    assert "unknown state" in result.stderr and "without usable coordinates" in result.stderr
    twins = [i for i in ids if "twin-clinic" in i]
    assert len(twins) == 2


# ---- data geocode: cells as written, answers from the row's own state


def test_data_geocode_keeps_cells_as_written(cli, geocoder, tmp_path):
    formula = '\'=HYPERLINK("http://evil.example","x")'
    source = write_rows(tmp_path / "in.csv", [
        {"name": formula, "street": "100 Test Way", "city": "Wichita", "state": "KS",
         "postal_code": "67202", "site": "  padded  ", "phone": "'+1 316 555 0100"},
    ])  # fmt: skip
    out = tmp_path / "out.csv"
    result = cli("data", "geocode", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    (written,) = read_csv(out)
    assert written["precision"] == "street"
    assert (written["name"], written["site"], written["phone"]) == (
        formula, "  padded  ", "'+1 316 555 0100")  # fmt: skip


def test_data_geocode_refuses_an_answer_from_another_state(cli, geocoder, tmp_path):
    denver = {"name": "Stand-in Denver", "street": "1 nostate Way", "city": "Denver",
              "state": "CO", "postal_code": "80202", "routes": "iv"}  # fmt: skip
    source = write_rows(tmp_path / "in.csv", [denver])
    out = tmp_path / "out.csv"
    result = cli("data", "geocode", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert read_csv(out)[0]["precision"] == "" and "another state" in result.stderr
    assert cli("data", "validate", str(out)).exit_code == 0
    # a row the checks refuse anyway (an unknown route) still gets no point outside its state
    broken = write_rows(tmp_path / "broken.csv", [{**denver, "routes": "teleport"}])
    assert cli("data", "geocode", str(broken), "-o", str(out)).exit_code == 0
    assert read_csv(out)[0]["precision"] == ""


def test_registry_text_is_cleaned_where_it_enters():
    from clinicfinder.online.findtreatment import to_clinic
    from tests.test_hostile_text import RAW

    clinic = to_clinic(EXTRA[-1], "2026-01-01")
    assert clinic is not None
    for value in (clinic.name, clinic.street, clinic.phone):
        assert not RAW.search(value)


# ---- caches that share a machine


def test_a_busy_cache_is_bypassed_never_moved_aside(tmp_path, monkeypatch):
    from clinicfinder.online import cache

    mine = cache.AnswerCache()
    mine.put("key", {"answer": 1})
    monkeypatch.setattr(cache, "LOCK_WAIT_S", 0.05, raising=False)
    holder = sqlite3.connect(mine.path)
    holder.execute("BEGIN EXCLUSIVE")  # another run, writing
    try:
        theirs = cache.AnswerCache()
        assert theirs.lookup("key") == (False, None)
        assert theirs.warning and "busy" in theirs.warning
    finally:
        holder.rollback()
        holder.close()
    assert not list(mine.path.parent.glob("*corrupt*"))
    assert cache.AnswerCache().get("key") == {"answer": 1}  # nothing lost


def test_cache_clear_while_another_run_opens_its_new_index(cli, tmp_path, monkeypatch):
    from clinicfinder import userdirs
    from clinicfinder.clinics import index

    built = index.build_index

    def built_then_cleared(clinics, path):
        built(clinics, path)
        userdirs.clear_cache()  # another run's `cache clear`, just then

    monkeypatch.setattr(index, "build_index", built_then_cleared)
    data = write_rows(tmp_path / "mine.csv", [row()])
    result = cli("near", "67202", "--data", str(data), "--no-bundled", "--json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]) == 1


def test_cache_clear_removes_moved_aside_copies(cli, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    ours = ["geocode.sqlite.corrupt-1765000000", "findtreatment.sqlite.corrupt-1765000001",
            "clinics-0123456789abcdef-1f-v2-89abcdef.sqlite"]  # fmt: skip
    for name in ours:
        (cache / name).write_bytes(b"searched addresses")
    assert cli("cache", "clear").exit_code == 0
    assert not [n for n in ours if (cache / n).exists()]


def test_an_edit_keeping_size_and_mtime_gets_a_new_index(tmp_path, monkeypatch):
    from clinicfinder.clinics import index
    from clinicfinder.clinics.load import load_catalog

    monkeypatch.setattr(index, "_REMEMBER_FROM_BYTES", 0)  # remember every file's hash
    path = write_rows(tmp_path / "mine.csv", [row(name="Stand-in Version A")])
    assert load_catalog([path], bundled=False).all()[0].name == "Stand-in Version A"
    st = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Version A", b"Version B"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert load_catalog([path], bundled=False).all()[0].name == "Stand-in Version B"


# ---- cosmetic but promised


def test_a_long_website_is_folded_never_cut(cli, tmp_path):
    site = (
        "https://averyveryverylongdomainnameforaclinicexample.org/locations/wichita-kansas-ketamine"
    )
    data = write_rows(tmp_path / "long.csv", [row(website=site)])
    result = cli("near", "67202", "--data", str(data), "--no-bundled", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    assert "ketamine" in result.stdout.replace("\n", "").replace(" ", "")


urls = st.sampled_from(["https://example.org/a", "https://example.org/b", "http://x.example/"])


@settings(max_examples=60)
@given(
    sources=st.lists(st.lists(urls, max_size=4), min_size=1, max_size=4),
    phones=st.lists(st.sampled_from(["", "(316) 555-0100"]), min_size=4, max_size=4),
)
def test_what_validate_accepts_exports_with_unique_hsds_keys(sources, phones):
    """For any clinics the row checks accept, every HSDS table's primary key is unique
    (the check frictionless makes), so validate and the HSDS validator agree."""
    from clinicfinder.clinics.validate import check_clinic
    from clinicfinder.output import hsds
    from tests.conftest import make

    clinics = [
        make(id=f"c{i}", name=f"Stand-in {i}", more_sources=tuple(s), phone=phones[i])
        for i, s in enumerate(sources)
    ]
    assert all(not check_clinic(c) for c in clinics)
    package = hsds.build(clinics)
    for table, rows in package.rows.items():
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), table


def test_a_folder_write_stopped_part_way_leaves_nothing_half_written(tmp_path):
    """SIGTERM (or any failure) between two files of a package: old folder intact, no debris."""
    from clinicfinder import userdirs

    class StopsHalfWay(dict):
        def items(self):
            yield "a.csv", b"new a"
            raise userdirs.Terminated()

    old = tmp_path / "pkg"
    old.mkdir()
    (old / "a.csv").write_bytes(b"old a")
    (old / "b.csv").write_bytes(b"old b")
    for target in (old, tmp_path / "fresh"):
        before = snapshot(target) if target.exists() else None
        with pytest.raises(userdirs.Terminated):
            userdirs.replace_folder(target, StopsHalfWay())
        assert (snapshot(target) if target.exists() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_a_busy_recheck_cache_is_bypassed_never_moved_aside(tmp_path, monkeypatch):
    """recheck's store opens through the same open_store as the answer caches: a store
    another run holds is left alone (it used to be taken for corrupt and moved aside)."""
    from clinicfinder.online import cache
    from clinicfinder.online.checkstore import CheckStore

    mine = CheckStore()
    mine.remember("https://a.example/", "etag-1", "", {"status": 200})
    monkeypatch.setattr(cache, "LOCK_WAIT_S", 0.05)
    holder = sqlite3.connect(mine.path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        theirs = CheckStore()
        assert theirs.seen("https://a.example/") is None
        assert theirs.warning and "busy" in theirs.warning
    finally:
        holder.rollback()
        holder.close()
    assert not list(mine.path.parent.glob("*corrupt*"))
    assert CheckStore().seen("https://a.example/") is not None  # nothing lost


def test_a_busy_cache_is_tried_once_a_run_not_once_a_lookup(monkeypatch):
    """Another run holding the geocoding cache costs one wait, not one per lookup (a
    `data geocode` of a whole file used to wait LOCK_WAIT_S on every row)."""
    from clinicfinder.online import cache

    opened = []

    def busy(path, what, prepare, **kw):
        opened.append(path)
        return None, f"the {what} is busy in another run; not using it this time"

    monkeypatch.setattr(cache, "open_store", busy)
    theirs = cache.AnswerCache()
    for key in ("a", "b", "c"):
        assert theirs.lookup(key) == (False, None)
    theirs.put("d", {"answer": 1})
    assert len(opened) == 1 and "busy" in (theirs.warning or "")
