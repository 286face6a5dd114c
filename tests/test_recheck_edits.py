"""From a recheck report to the data: scripts/recheck_to_edits.py writes the edits a
maintainer commits, the build carries them, and `show` says when a listing was last
checked and how."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

from clinicfinder.bundled import data_path
from clinicfinder.clinics.checks import Check
from clinicfinder.clinics.gathered import read_gathered
from clinicfinder.clinics.merge import merge
from clinicfinder.output.recheck import csv_text
from clinicfinder.records.checks import ListingCheck, PageCheck
from tests.conftest import bundled_clinics

REPO = Path(__file__).resolve().parents[1]
DAY = "2026-12-07"


def _check(clinic_id: str, verdict: str, evidence: str) -> ListingCheck:
    url = f"https://fixture.example/{clinic_id}"
    page = PageCheck(clinic_id, "Fixture", url, "website", verdict, 200, url, evidence, DAY)
    return ListingCheck(clinic_id, "Fixture", verdict, url, evidence, DAY, (page,))


def test_a_report_becomes_edits_the_build_carries(tmp_path):
    active = [c.id for c in bundled_clinics() if c.status == "active"][:6]
    report = [
        _check(active[0], "ok", "HTTP 200; “We offer ketamine infusions.”"),
        _check(active[1], "gone", "HTTP 404"),
        _check(active[2], "changed", "HTTP 200; announces closing: “We have permanently closed.”"),
        _check(active[3], "moved", "HTTP 301: redirects to https://parked.example/"),
        _check(active[4], "unreachable", "did not answer within 20 s"),
        _check("not-a-bundled-listing", "gone", "HTTP 404"),
        _check(
            active[5],
            "changed",
            "HTTP 200; no longer mentions ketamine, esketamine or "
            "Spravato (only 9 characters of text: drawn by JavaScript?)",
        ),
    ]
    (tmp_path / "report.csv").write_text(csv_text(report), encoding="utf-8")
    sources = tmp_path / "sources"
    shutil.copytree(data_path("sources"), sources)
    before = (sources / "edits.csv").read_text(encoding="utf-8")
    command = [sys.executable, str(REPO / "scripts" / "recheck_to_edits.py"),
               str(tmp_path / "report.csv"), "--edits", str(sources / "edits.csv")]  # fmt: skip
    printed = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert printed.returncode == 0, printed.stderr
    assert (sources / "edits.csv").read_text(encoding="utf-8") == before  # only printed
    appended = subprocess.run([*command, "--append"], capture_output=True, text=True, timeout=60)
    assert appended.returncode == 0, appended.stderr
    with (sources / "edits.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[len(before.splitlines()) - 1 :]
    actions = [(r["record"], r["action"], r["value"]) for r in rows]
    assert actions == [
        (active[0], "checked", DAY),
        (active[1], "set_status", "unverified"),
        (active[1], "checked", DAY),
        (active[2], "set_status", "closed"),
        (active[2], "checked", DAY),
        (active[3], "checked", DAY),
    ]  # the unreachable one and the unknown one change nothing
    assert (
        rows[1]["reason"]
        == f"recheck {DAY}: https://fixture.example/{active[1]} is gone (HTTP 404)"
    )
    assert "permanently closed" in rows[3]["reason"]
    assert "follow it by hand" in appended.stderr and "not a bundled listing" in appended.stderr
    assert f"{active[5]}: https://fixture.example/{active[5]} has almost no text" in appended.stderr
    again = subprocess.run([*command, "--append"], capture_output=True, text=True, timeout=60)
    assert "0 rows" in again.stderr  # appending the same report twice adds nothing

    gathered = read_gathered(sources)
    status = {m.record: m.row["status"] for m in merge(gathered)}
    assert status[active[0]] == "active"
    assert status[active[1]] == "unverified" and status[active[2]] == "closed"
    assert (active[0], DAY, f"ok: https://fixture.example/{active[0]} HTTP 200; “We offer "
            "ketamine infusions.”") in gathered.checks  # fmt: skip


def test_show_says_when_a_listing_was_last_checked_and_how(cli, monkeypatch):
    clinic = bundled_clinics()[0]
    plain = cli("show", clinic.id)
    assert "re-checked  not re-checked" in plain.stdout
    assert '"checked":null' in cli("show", clinic.id, "--json").stdout.replace(" ", "")
    check = Check(DAY, "ok", "https://fixture.example/ HTTP 200; “ketamine infusions”")
    monkeypatch.setattr("clinicfinder.clinics.checks.last_checks", lambda: {clinic.id: check})
    shown = cli("show", clinic.id)
    assert f"re-checked  {DAY}: ok — https://fixture.example/ HTTP 200" in shown.stdout
    import json

    assert json.loads(cli("show", clinic.id, "--json").stdout)["checked"] == check._asdict()


def test_a_check_without_a_day_is_a_data_error_at_its_line(tmp_path):
    import pytest

    from clinicfinder.errors import DataError

    sources = tmp_path / "sources"
    shutil.copytree(data_path("sources"), sources)
    with (sources / "edits.csv").open("a", encoding="utf-8") as f:
        f.write("some-record,checked,last week,ok: fixture\n")
    lines = len((sources / "edits.csv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(DataError, match=rf"edits.csv:{lines}: a check's value is YYYY-MM-DD"):
        read_gathered(sources)
