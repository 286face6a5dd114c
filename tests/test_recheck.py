"""`data recheck` against loopback stand-ins: a verdict for every kind of page, politeness
(robots.txt first, one request per host, conditional requests, Retry-After), resuming
after Ctrl-C, fills from a clinic's own page, and the input never touched.

Every clinic, phone and address here is a synthetic fixture (555-01xx numbers)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.site_stub import Site, conditional, held, html

COLUMNS = ("id", "name", "street", "city", "state", "postal_code", "phone", "website",
           "source_url", "routes", "status", "collected")  # fmt: skip
KETAMINE = "We offer ketamine infusions for depression."


def listing(slug: str, name: str, url: str, **extra: str) -> dict[str, str]:
    row = {"id": slug, "name": name, "street": "", "city": "Wichita", "state": "KS",
           "postal_code": "", "phone": "", "website": url, "source_url": url, "routes": "iv",
           "status": "active", "collected": "2026-01-01"}  # fmt: skip
    return {**row, **extra}


def write_listings(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def by_listing(report: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["listing"]: r for r in report if r["scope"] == "listing"}


def validate_against(name: str, document: object) -> None:
    from jsonschema import Draft202012Validator

    from tests.test_schemas import REGISTRY, SCHEMAS

    Draft202012Validator(SCHEMAS[name], registry=REGISTRY).validate(document)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recheck(cli, *args: str):
    return cli("data", "recheck", *args, "--delay", "0")


def test_every_verdict_with_its_evidence_and_the_input_untouched(cli, tmp_path):
    """Done when: live, 404, moved to another host, dropped ketamine, announces closure,
    disallowed by robots.txt → ok, gone, moved, changed, changed, blocked."""
    with Site() as parking, Site() as site:
        parking.pages["/"] = (200, {}, html("This domain is for sale"))
        site.pages.update({
            "/robots.txt": (200, {"Content-Type": "text/plain"},
                            b"User-agent: *\nDisallow: /private/\n"),
            "/live": (200, {}, html("Fixture Alpha Clinic", KETAMINE)),
            "/404": (404, {}, html("Not found")),
            "/410": (410, {}, html("Gone")),
            "/moved": (301, {"Location": parking.url + "/"}, b""),
            "/dropped": (200, {}, html("Fixture Delta Clinic", "We offer massage and yoga.")),
            "/closed": (200, {}, html("Fixture Echo Clinic", "Fixture Echo Clinic has "
                                      "permanently closed. Thank you for ten years of ketamine "
                                      "care.")),
            "/private/page": (200, {}, html("Fixture Foxtrot Clinic", KETAMINE)),
        })  # fmt: skip
        rows = [
            listing("alpha", "Fixture Alpha Clinic", site.url + "/live"),
            listing("bravo", "Fixture Bravo Clinic", site.url + "/404"),
            listing("bravo-410", "Fixture Bravo Two Clinic", site.url + "/410"),
            listing("charlie", "Fixture Charlie Clinic", site.url + "/moved"),
            listing("delta", "Fixture Delta Clinic", site.url + "/dropped"),
            listing("echo", "Fixture Echo Clinic", site.url + "/closed"),
            listing("foxtrot", "Fixture Foxtrot Clinic", site.url + "/private/page"),
        ]
        source = write_listings(tmp_path / "listings.csv", rows)
        before = digest(source)
        result = recheck(cli, str(source), "-o", str(tmp_path / "report.csv"))
    assert result.exit_code == 0, result.stderr
    assert digest(source) == before  # nothing in the input changes
    listings = by_listing(read_report(tmp_path / "report.csv"))
    verdicts = {k: v["verdict"] for k, v in listings.items()}
    assert verdicts == {"alpha": "ok", "bravo": "gone", "bravo-410": "gone", "charlie": "moved",
                        "delta": "changed", "echo": "changed", "foxtrot": "blocked"}  # fmt: skip
    assert "“We offer ketamine infusions for depression.”" in listings["alpha"]["evidence"]
    assert listings["bravo"]["evidence"] == "HTTP 404"
    assert listings["bravo-410"]["evidence"] == "HTTP 410"
    assert f"redirects to {parking.url}/" in listings["charlie"]["evidence"]
    assert "no longer mentions ketamine" in listings["delta"]["evidence"]
    assert "permanently closed" in listings["echo"]["evidence"]
    assert "robots.txt" in listings["foxtrot"]["evidence"]
    pages = [r for r in read_report(tmp_path / "report.csv") if r["scope"] == "website"]
    moved = next(r for r in pages if r["listing"] == "charlie")
    assert moved["status"] == "301" and moved["final_url"] == parking.url + "/"
    assert "/private/page" not in site.paths()  # blocked: never fetched
    assert parking.requests == []  # a redirect to another host is reported, not followed
    assert site.paths()[0] == "/robots.txt"
    assert site.most_in_flight == 1
    assert all("clinicfinder/" in headers["User-Agent"] for _, headers in site.requests)
    assert result.stderr.splitlines()[-1].startswith(
        "1 ok, 2 gone, 1 moved, 2 changed, 0 unreachable, 1 blocked"
    )


def test_one_request_per_host_and_robots_before_any_page(cli, tmp_path):
    with Site() as one, Site() as two:
        rows = []
        for site, tag in ((one, "one"), (two, "two")):
            site.pages["/robots.txt"] = (200, {}, b"User-agent: *\nAllow: /\n")
            for i in range(6):
                name = f"Fixture Clinic {tag.title()} {i}"
                site.pages[f"/c{i}"] = (200, {}, html(name, KETAMINE))
                rows.append(listing(f"{tag}-{i}", name, f"{site.url}/c{i}"))
        source = write_listings(tmp_path / "listings.csv", rows)
        result = recheck(cli, str(source), "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["ok"] == 12
    validate_against("recheck", document)
    for site in (one, two):
        assert site.most_in_flight == 1
        assert site.paths()[0] == "/robots.txt"
        assert site.paths().count("/robots.txt") == 1
        assert sorted(site.paths()[1:]) == [f"/c{i}" for i in range(6)]


def test_a_second_run_asks_conditionally_and_since_skips_recent_checks(cli, tmp_path):
    with Site() as site:
        site.pages["/stable"] = conditional('"v1"', html("Fixture Stable Clinic", KETAMINE))
        site.pages["/changing"] = conditional('"a"', html("Fixture Changing Clinic", KETAMINE))
        rows = [listing("stable", "Fixture Stable Clinic", site.url + "/stable"),
                listing("changing", "Fixture Changing Clinic", site.url + "/changing")]  # fmt: skip
        source = write_listings(tmp_path / "listings.csv", rows)
        first = recheck(cli, str(source), "-o", str(tmp_path / "first.csv"))
        assert first.exit_code == 0, first.stderr
        assert {v["verdict"] for v in by_listing(read_report(tmp_path / "first.csv")).values()} == {
            "ok"
        }
        # A week later the clinic has dropped ketamine from its page.
        site.pages["/changing"] = conditional('"b"', html("Fixture Changing Clinic", "Yoga."))
        seen = len(site.requests)
        second = recheck(cli, str(source), "-o", str(tmp_path / "second.csv"))
        assert second.exit_code == 0, second.stderr
        asked = {path: headers for path, headers in site.requests[seen:]}
        assert asked["/stable"]["If-None-Match"] == '"v1"'
        assert asked["/changing"]["If-None-Match"] == '"a"'
        listings = by_listing(read_report(tmp_path / "second.csv"))
        assert listings["stable"]["verdict"] == "ok"
        assert "not modified" in listings["stable"]["evidence"]
        assert listings["changing"]["verdict"] == "changed"
        assert "1 unchanged since the last run (304)" in second.stderr
        seen = len(site.requests)
        third = recheck(cli, str(source), "--since", "30d", "-o", str(tmp_path / "third.csv"))
        assert third.exit_code == 0, third.stderr
        assert site.requests[seen:] == []  # both were checked today: nothing is asked
        assert "2 checked recently, skipped" in third.stderr


def test_a_page_past_the_deadline_is_unreachable_after_one_retry(cli, tmp_path):
    with Site() as site:
        site.pages["/slow"] = held(site)
        answers = iter([(503, {}, html("Busy")), (200, {}, html("Fixture Flaky", KETAMINE))])
        site.pages["/flaky"] = lambda handler: next(answers)
        rows = [listing("slow", "Fixture Slow Clinic", site.url + "/slow"),
                listing("flaky", "Fixture Flaky", site.url + "/flaky")]  # fmt: skip
        source = write_listings(tmp_path / "listings.csv", rows)
        result = recheck(cli, str(source), "--timeout", "0.5", "-o", str(tmp_path / "r.csv"))
        paths = site.paths()
    assert result.exit_code == 0, result.stderr
    listings = by_listing(read_report(tmp_path / "r.csv"))
    assert listings["slow"]["verdict"] == "unreachable"
    assert listings["slow"]["evidence"] == "the page did not answer within 0.5 s (tried twice)"
    assert listings["flaky"]["verdict"] == "ok"  # a 503 is retried, never a verdict alone
    # Each is tried once more, after every page has had its first turn.
    assert paths == ["/robots.txt", "/slow", "/flaky", "/slow", "/flaky"]


def test_retry_after_is_waited_for_then_the_page_is_asked_again(tmp_path):
    """A 429 pauses the host for its Retry-After (the pause is recorded, not slept)."""
    from clinicfinder.online.checkstore import CheckStore
    from clinicfinder.online.recheck import Politeness, Rechecker, Target

    with Site() as site:
        answers = iter([(429, {"Retry-After": "120"}, b""), (200, {}, html("Fixture R", KETAMINE))])
        site.pages["/busy"] = lambda handler: next(answers)
        pauses: list[float] = []
        checker = Rechecker(CheckStore(tmp_path / "r.sqlite"), Politeness(delay_s=0),
                            "2026-12-07", sleep=pauses.append)  # fmt: skip
        target = Target("r", "Fixture R", site.url + "/busy", "website", True)
        [check] = checker.run([target])
    assert check.verdict == "ok"
    assert site.paths() == ["/robots.txt", "/busy", "/busy"]
    assert pauses == [pytest.approx(120, abs=1)]


def test_a_listing_stands_or_falls_with_its_own_page_before_news_or_directories(tmp_path):
    from clinicfinder.online.checkstore import CheckStore
    from clinicfinder.online.recheck import Politeness, Rechecker, Target

    with Site() as site:
        site.pages["/news"] = (200, {}, html("Fixture Kilo Clinic opens", KETAMINE))
        site.pages["/list"] = (200, {}, html("A directory", "Many clinics."))
        name, url = "Fixture Kilo Clinic", site.url
        lima = "Lima Oscar Partners"
        targets = [Target("k", name, url + "/news", "source", False, kind="news"),
                   Target("k", name, url + "/own", "source", True, kind="clinic-site"),
                   Target("k", name, url + "/list", "source", False, kind="directory"),
                   Target("l", lima, url + "/list", "source", False, kind="directory"),
                   Target("l", lima, url + "/news", "source", False, kind="news")]  # fmt: skip
        checker = Rechecker(CheckStore(tmp_path / "r.sqlite"), Politeness(delay_s=0), "2026-12-07")
        kilo, lima = checker.run(targets)
    assert (kilo.verdict, kilo.page) == ("gone", url + "/own")  # its own page is gone
    assert [p.verdict for p in kilo.pages] == ["ok", "gone", "ok"]
    assert (lima.verdict, lima.page) == ("changed", url + "/news")  # news doesn't name it
    assert "directory or registry" in lima.pages[0].evidence


def test_a_listing_without_a_phone_gets_the_pages_own_as_a_fill_with_the_quote(cli, tmp_path):
    jsonld = json.dumps({"@context": "https://schema.org", "@type": "MedicalClinic",
                         "name": "Fixture Golf Clinic", "telephone": "+1-316-555-0142",
                         "address": {"@type": "PostalAddress", "streetAddress": "100 Fixture Way",
                                     "postalCode": "67202"}})  # fmt: skip
    with Site() as site:
        site.pages["/golf"] = (200, {}, html(
            "Fixture Golf Clinic", KETAMINE,
            head=f'<script type="application/ld+json">{jsonld}</script>'))  # fmt: skip
        site.pages["/hotel"] = (200, {}, html(
            "Fixture Hotel Clinic", KETAMINE,
            'Call <a href="tel:+13165550199">316-555-0199</a> today.',
            "Visit us at 200 Fixture Street, Wichita, KS 67203."))  # fmt: skip
        rows = [listing("golf", "Fixture Golf Clinic", site.url + "/golf"),
                listing("hotel", "Fixture Hotel Clinic", site.url + "/hotel",
                        phone="316-555-0100")]  # fmt: skip
        source = write_listings(tmp_path / "listings.csv", rows)
        result = recheck(cli, str(source), "-o", str(tmp_path / "r.csv"))
        as_json = recheck(cli, str(source), "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(as_json.stdout)
    validate_against("recheck", document)
    [golf_page] = document["listings"][0]["pages"]
    assert golf_page["fills"][0] == {
        "kind": "fill", "field": "phone", "page_value": "(316) 555-0142", "listed_value": None,
        "how": "json-ld", "quote": '"telephone": "+1-316-555-0142"',
    }  # fmt: skip
    listings = by_listing(read_report(tmp_path / "r.csv"))
    golf = listings["golf"]["fills"]
    assert 'phone (316) 555-0142 [json-ld: “"telephone": "+1-316-555-0142"”]' in golf
    assert "street 100 Fixture Way [json-ld:" in golf and "postal_code 67202" in golf
    hotel = listings["hotel"]
    assert "phone (316) 555-0199 (listed: 316-555-0100) [tel-link:" in hotel["mismatches"]
    assert "tel:+13165550199" in hotel["mismatches"]
    assert (
        "street 200 Fixture Street [printed: “200 Fixture Street, Wichita, KS 67203”]"
        in (hotel["fills"])
    )
    assert "3 fills for missing contact facts" not in result.stderr  # counted per page
    assert re.search(r"\b\d+ fills? for missing contact facts", result.stderr)


def test_ctrl_c_mid_run_then_the_same_command_resumes(tmp_path):
    """SIGINT reaches a real process while the stand-in answers the third page; the run
    stops (exit 130), and running it again asks only for what is left."""
    pid_known = threading.Event()
    child: dict[str, subprocess.Popen[bytes]] = {}

    def interrupt(handler):
        pid_known.wait(30)
        os.kill(child["proc"].pid, signal.SIGINT)
        return 200, {}, html("Fixture Clinic 3", KETAMINE)

    with Site() as site:
        rows = []
        for i in range(1, 6):
            site.pages[f"/p{i}"] = (200, {}, html(f"Fixture Clinic {i}", KETAMINE))
            rows.append(listing(f"c{i}", f"Fixture Clinic {i}", f"{site.url}/p{i}"))
        site.pages["/p3"] = interrupt
        source = write_listings(tmp_path / "listings.csv", rows)
        out = tmp_path / "report.csv"
        command = [sys.executable, "-m", "clinicfinder", "data", "recheck", str(source),
                   "-o", str(out), "--delay", "0"]  # fmt: skip
        env = {**os.environ, "CLINICFINDER_CACHE_DIR": str(tmp_path / "cache")}
        child["proc"] = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
        pid_known.set()
        _, err = child["proc"].communicate(timeout=60)
        assert child["proc"].returncode == 130, err.decode()
        assert "run the same command again to resume" in err.decode()
        assert not out.exists()
        first = site.paths()
        site.pages["/p3"] = (200, {}, html("Fixture Clinic 3", KETAMINE))
        done = subprocess.run(command, env=env, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        again = site.paths()[len(first) :]
    assert first[:3] == ["/robots.txt", "/p1", "/p2"]
    assert "/p1" not in again and "/p2" not in again  # carried over, never asked twice
    assert {"/p4", "/p5"} <= set(again)
    assert {v["verdict"] for v in by_listing(read_report(out)).values()} == {"ok"}
    assert len(by_listing(read_report(out))) == 5
    assert "carried over from the interrupted run" in done.stderr.decode()


def test_recheck_needs_something_to_check_and_a_real_age(cli, tmp_path):
    from tests.conftest import assert_one_line_error

    assert_one_line_error(cli("data", "recheck"), 2, "--bundled")
    source = write_listings(tmp_path / "l.csv", [])
    assert_one_line_error(cli("data", "recheck", str(source), "--since", "soon"), 2, "--since")


def test_a_progress_bar_at_a_terminal_and_cache_clear_forgets_the_runs(cli, tmp_path):
    from tests.test_terminal import SCRIPT, in_terminal

    if not SCRIPT.exists():
        pytest.skip(f"no console script at {SCRIPT}")
    with Site() as site:
        site.pages["/a"] = (200, {}, html("Fixture Alpha Clinic", KETAMINE))
        source = write_listings(tmp_path / "l.csv", [listing("a", "Fixture Alpha Clinic",
                                                             site.url + "/a")])  # fmt: skip
        screen = in_terminal(["data", "recheck", str(source), "--delay", "0", "-o", "r.csv"],
                             100, tmp_path)  # fmt: skip
    assert any("re-checking" in line for line in screen), screen
    assert screen[-1].startswith("1 ok, 0 gone"), screen
    assert (tmp_path / "cache" / "recheck.sqlite").exists()
    assert cli("cache", "clear").exit_code == 0
    assert not (tmp_path / "cache" / "recheck.sqlite").exists()
