"""--online, `geocode`, `data geocode` and the cache, against a loopback Nominatim stand-in.

geopy's real client and requests talk to a real HTTP server on 127.0.0.1
(tests/nominatim_stub.py). Nothing here reaches the internet.
"""

import csv
import json
import socket

import pytest

from clinicfinder.online.nominatim import PUBLIC_BULK_LIMIT
from tests.nominatim_stub import WICHITA_POINT, Stub

ADDRESS = "300 N Main St, Wichita, KS 67202"


@pytest.fixture
def nominatim(monkeypatch):
    stub = Stub().start()
    monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", stub.url)
    # Generous for a busy machine; the tests of slowness set their own short deadline.
    monkeypatch.setenv("CLINICFINDER_GEOCODER_TIMEOUT", "10")
    yield stub
    stub.stop()


def one_line(result):
    lines = [line for line in result.stderr.splitlines() if line.startswith("clinicfinder: error")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_online_origin_comes_from_the_server_and_is_cached(cli, nominatim):
    first = cli("near", ADDRESS, "--online", "--json")
    assert first.exit_code == 0, first.stderr
    origin = json.loads(first.stdout)["origin"]
    assert (origin["lat"], origin["lon"]) == WICHITA_POINT
    assert origin["precision"] == "street" and origin["state"] == "KS"
    assert "Nominatim" in origin["source"]
    assert "OpenStreetMap contributors" in first.stderr
    (request,) = nominatim.requests
    assert request["path"] == "/search" and request["q"] == ADDRESS
    assert request["ua"].startswith("clinicfinder/")
    again = cli("near", ADDRESS, "--online", "--json")
    assert again.exit_code == 0 and len(nominatim.requests) == 1  # answered from the cache
    assert "cached" in json.loads(again.stdout)["origin"]["source"]


def test_without_online_nothing_is_sent(cli, nominatim, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened during an offline search")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = cli("near", ADDRESS, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["origin"]["precision"] == "zip"
    assert nominatim.requests == []


def test_coordinates_are_never_sent(cli, nominatim):
    assert cli("near", "37.69,-97.34", "--online", "--json").exit_code == 0
    assert nominatim.requests == []


def test_a_503_falls_back_to_the_offline_gazetteer_with_a_warning(cli, nominatim):
    result = cli("near", "broken 300 N Main St, Wichita, KS", "--online", "--json")
    assert result.exit_code == 0, result.stderr
    assert "failing (HTTP 503)" in result.stderr and "offline gazetteer instead" in result.stderr
    assert json.loads(result.stdout)["origin"]["precision"] == "city"


def test_a_503_with_nothing_offline_is_a_distinct_exit_code(cli, nominatim):
    result = cli("near", "broken qwertyville", "--online")
    assert result.exit_code == 3
    assert "failing (HTTP 503)" in one_line(result) and "self-host" in one_line(result)


@pytest.mark.parametrize(
    ("query", "cause"),
    [
        ("forbidden qwertyville", "refused the request (403)"),
        ("ratelimited-long qwertyville", "rate-limiting us (429) for 120 s"),
        ("slow qwertyville", "did not answer within 0.5 s"),
        ("malformed qwertyville", "not JSON"),
    ],
)
def test_each_failure_names_its_cause(cli, nominatim, monkeypatch, query, cause):
    monkeypatch.setenv("CLINICFINDER_GEOCODER_TIMEOUT", "0.5")  # the stand-in's "slow" takes 2 s
    result = cli("near", query, "--online")
    assert result.exit_code == 3
    assert cause in one_line(result)


def test_a_refused_connection(cli, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", f"http://127.0.0.1:{port}")
    result = cli("near", "qwertyville", "--online")
    assert result.exit_code == 3 and "can't be reached" in one_line(result)


def test_retry_after_is_honoured(cli, nominatim):
    result = cli("near", "ratelimited 300 N Main St, Wichita, KS", "--online", "--json")
    assert result.exit_code == 0, result.stderr
    assert "wait 1 s" in result.stderr
    assert len(nominatim.requests) == 2
    assert json.loads(result.stdout)["origin"]["precision"] == "street"


def test_no_online_match_falls_back(cli, nominatim):
    result = cli("near", "nowhere, Wichita, KS", "--online", "--json")
    assert result.exit_code == 0
    assert "no online match" in result.stderr
    assert json.loads(result.stdout)["origin"]["label"] == "Wichita, Kansas"


def test_online_from_config_and_offline_overrides_it(cli, nominatim):
    assert cli("config", "set", "online", "true").exit_code == 0
    assert cli("near", ADDRESS, "--json").exit_code == 0
    assert len(nominatim.requests) == 1
    assert cli("near", "301 N Main St, Wichita, KS", "--offline", "--json").exit_code == 0
    assert len(nominatim.requests) == 1


@pytest.mark.parametrize(
    "url", ["ftp://example.org", "javascript:alert(1)", "localhost:8080", "http://"]
)
def test_only_http_urls_are_accepted(cli, monkeypatch, url):
    monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", url)
    result = cli("near", "qwertyville", "--online")
    assert result.exit_code == 2 and "scheme://host" in one_line(result)
    assert cli("config", "set", "nominatim_url", url).exit_code == 2


def test_geocode_command_shows_both_ways(cli, nominatim):
    result = cli("geocode", ADDRESS, "--online", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["offline"]["precision"] == "zip" and doc["online"]["precision"] == "street"
    table = cli("geocode", ADDRESS)
    assert table.exit_code == 0 and "ZIP code centre" in table.stdout
    assert len(nominatim.requests) == 1


def test_geocode_command_errors(cli, nominatim):
    assert cli("geocode", "qwertyville").exit_code == 4
    both_fail = cli("geocode", "broken qwertyville", "--online", "--json")
    assert both_fail.exit_code == 3
    doc = json.loads(both_fail.stdout)
    assert "error" in doc["offline"] and "503" in doc["online"]["error"]


def test_cache_clear_and_a_corrupt_cache(cli, nominatim, tmp_path):
    assert cli("near", ADDRESS, "--online").exit_code == 0
    cache = tmp_path / "cache" / "geocode.sqlite"
    assert cache.exists()
    cache.write_bytes(b"this is not a database")
    again = cli("near", ADDRESS, "--online", "--json")
    assert again.exit_code == 0
    assert "moved to" in again.stderr
    assert list((tmp_path / "cache").glob("geocode.sqlite.corrupt-*"))
    assert len(nominatim.requests) == 2  # the answer was asked again, and cached again
    cleared = cli("cache", "clear")
    assert cleared.exit_code == 0 and not cache.exists()


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["name", "street", "city", "state", "postal_code"])
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


WICHITA = {"city": "Wichita", "state": "KS"}
ROWS = [
    {"name": "Example A", "street": "100 Test Way", **WICHITA, "postal_code": "67202"},
    {"name": "Example B", "street": "200 Test Way", **WICHITA, "postal_code": ""},
    {"name": "Example C", "street": "", **WICHITA, "postal_code": ""},
]


def test_data_geocode_adds_street_coordinates_and_resumes(cli, nominatim, tmp_path):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(source, ROWS)
    second_query = "200 Test Way, Wichita, KS"
    nominatim.fail_next_for.add(second_query)  # the run is cut off at the second row
    stopped = cli("data", "geocode", str(source), "-o", str(out))
    assert stopped.exit_code == 3
    assert "Run the same command again to resume" in stopped.stderr
    partial = read_csv(out)
    assert partial[0]["precision"] == "street" and partial[1]["precision"] == ""
    resumed = cli("data", "geocode", str(source), "-o", str(out))
    assert resumed.exit_code == 0, resumed.stderr
    asked = [r["q"] for r in nominatim.requests]
    assert asked.count("100 Test Way, Wichita, KS 67202") == 1  # never asked twice
    assert asked.count(second_query) == 2  # the failed one, then the retry
    done = read_csv(out)
    assert [r["precision"] for r in done] == ["street", "street", ""]
    assert float(done[0]["lat"]) == pytest.approx(WICHITA_POINT[0])
    assert "OpenStreetMap" in done[0]["notes"]
    assert done[2] == {**ROWS[2], "lat": "", "lon": "", "precision": "", "notes": ""}
    assert "1 request sent" in resumed.stderr
    assert read_csv(source) == ROWS  # the input is never touched


def test_data_geocode_refuses_bulk_jobs_on_the_public_server(cli, monkeypatch, tmp_path):
    monkeypatch.delenv("CLINICFINDER_NOMINATIM_URL", raising=False)
    monkeypatch.setattr(
        socket.socket, "connect", lambda *a: pytest.fail("tried to reach the public server")
    )
    source = tmp_path / "big.csv"
    rows = [
        {**ROWS[0], "name": f"Example {n}", "street": f"{n} Test Way"}
        for n in range(PUBLIC_BULK_LIMIT + 1)
    ]
    write_csv(source, rows)
    result = cli("data", "geocode", str(source), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert "forbids bulk geocoding" in one_line(result) and "self-host" in one_line(result)


def test_data_geocode_will_not_overwrite_its_input(cli, nominatim, tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, ROWS)
    assert cli("data", "geocode", str(source), "-o", str(source)).exit_code == 2


# ---- a hostile geocoder (issue 14): each answer ends in one line and the offline place


@pytest.mark.parametrize(
    ("query", "cause"),
    [
        ("drip Wichita, KS", "did not answer within 1 s"),
        ("huge Wichita, KS", "larger than"),
        ("bomb Wichita, KS", "larger than"),
        ("away Wichita, KS", "another server"),
        ("badlat Wichita, KS", "not a place"),
        ("nanlat Wichita, KS", "not a place"),
        ("wordlat Wichita, KS", "not a place"),
        ("listplace Wichita, KS", "not a place"),
        ("objectlist Wichita, KS", "not a place"),
        ("retryhuge Wichita, KS", "rate-limiting us (429)"),
        ("retrydate Wichita, KS", "rate-limiting us (429)"),
    ],
)
def test_a_hostile_answer_is_one_line_then_the_offline_place(
    cli, nominatim, monkeypatch, query, cause
):
    # The drip must outlast a short deadline; the others get time enough on a busy machine.
    monkeypatch.setenv("CLINICFINDER_GEOCODER_TIMEOUT", "1" if "drip" in query else "10")
    result = cli("near", query, "--online", "--json")
    assert result.exit_code == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "offline gazetteer" in line]
    assert len(warning) == 1 and cause in warning[0], result.stderr
    assert "bug" not in result.stderr and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["origin"]["label"] == "Wichita, Kansas"


def test_a_bad_answer_is_never_cached(cli, nominatim):
    cli("near", "badlat Wichita, KS", "--online")
    again = cli("near", "badlat Wichita, KS", "--online")
    assert again.exit_code == 0 and "not a place" in again.stderr
    assert len([r for r in nominatim.requests if "badlat" in r["q"]]) == 2  # asked afresh


def test_a_redirect_within_the_server_is_followed(cli, nominatim):
    result = cli("near", "hop Wichita, KS", "--online", "--json")
    assert result.exit_code == 0 and "hopped" in result.stdout


@pytest.mark.parametrize(
    "url", ["http://user:s3cret@127.0.0.1:8080", "https://:s3cret@example.org", "http://a@b"]
)
def test_credentials_in_the_server_url_are_refused_and_never_shown(cli, monkeypatch, url):
    monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", url)
    result = cli("near", "Wichita, KS", "--online")
    assert result.exit_code == 2 and "user name or password" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
    saved = cli("config", "set", "nominatim_url", url)
    assert saved.exit_code == 2 and "s3cret" not in saved.stderr
    assert cli("config", "get", "nominatim_url").exit_code == 1  # nothing was saved


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("9" * 400, 86400.0), ("-5", None), ("soon", None), ("", None),
     ("Wed, 21 Oct 2099 07:28:00 GMT", 86400.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)  # fmt: skip
def test_retry_after_of_any_form_or_size(header, seconds):
    from clinicfinder.online.http import retry_after_s

    assert retry_after_s(header) == seconds


def test_a_bug_of_ours_in_reading_an_answer_is_reported_as_a_bug(cli, nominatim, monkeypatch):
    """Only geopy's call and the server's data are excused as "the geocoder answered
    something that is not a place": a TypeError in our own code reaches the boundary
    as what it is, with the --debug hint, not as a server's fault."""
    from clinicfinder.online import nominatim as client

    def our_bug():
        raise TypeError("a deliberate bug in our own code")

    monkeypatch.setattr(client, "regions", our_bug)
    result = cli("near", ADDRESS, "--online", "--json")
    assert result.exit_code == 1
    line = one_line(result)
    assert "unexpected TypeError" in line and "this is a bug" in line
    assert "not a place" not in result.stderr


def test_data_geocode_says_when_its_cache_is_unusable(cli, nominatim, tmp_path):
    """A geocoding cache that isn't a database is moved aside and said, in `data geocode`
    too (only `near` and `geocode` used to report it)."""
    from clinicfinder.online.cache import cache_path

    cache_path().parent.mkdir(parents=True, exist_ok=True)
    cache_path().write_bytes(b"not a database at all" * 100)
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(source, ROWS[:1])
    result = cli("data", "geocode", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "the geocoding cache was unreadable" in result.stderr
