"""Hostile input everywhere: every command, bad text, bad numbers, bad files.

Each case asserts the exit code, that an error is exactly one line on stderr, that
no traceback appears, that nothing exits 0 while saying "error", and that no
control or bidi character typed by the user reaches the terminal raw.
"""

import csv
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicfinder.clinics.load import read_clinics
from clinicfinder.errors import ClinicFinderError, DataError
from tests.conftest import assert_clean, assert_one_line_error

LONG = "W" * 10_000

# (arguments, exit code, a fragment the error line must contain — or None for success)
CORPUS = [
    # near: location text
    (["near"], 2, "no location given"),
    (["near", ""], 2, "empty"),
    (["near", "Atlantis, KS"], 4, "Atlantis"),
    (["near", "   "], 2, "empty"),
    (["near", "\t\n"], 2, "empty"),
    (["near", "\x1b[2J\x07"], 4, "'[2J'"),  # the escape is dropped; "[2J" is no place
    (["near", LONG], 2, "too long"),
    (["near", "\u202eSK ,atihciW"], 4, "US place"),
    (["near", "🏥💊"], 4, "US place"),
    (["near", "Wichita\x00, KS"], 0, None),
    (["near", "💊 Wichita, KS"], 0, None),
    (["near", "91,0"], 2, "latitude"),
    (["near", "95,100"], 2, "latitude"),
    (["near", "0,181"], 2, "longitude"),
    (["near", "45,-200"], 2, "longitude"),
    (["near", "-91.5 -97"], 2, "latitude"),  # a leading minus is a number, not an option
    (["near", "--", "-91.5 -97"], 2, "latitude"),
    (["near", "NaN,NaN"], 4, "US place"),
    (["near", "1e309,5"], 4, "US place"),
    (["near", "99999"], 4, "not a US ZIP"),
    (["near", "00000-0000"], 4, "not a US ZIP"),
    (["near", "1234"], 4, "US place"),
    (["near", "Springfield, ZZ"], 4, "US place"),
    (["near", "'; DROP TABLE zips; --"], 4, "US place"),
    (["near", "%s%s%n"], 4, "US place"),
    (["near", "${HOME}"], 4, "US place"),
    (["near", "$(rm -rf /)"], 4, "US place"),
    (["near", "[bold red]Wichita[/]"], 4, "[bold red]"),
    # near: numbers and choices
    (["near", "67202", "--radius", "-1"], 2, "radius"),
    (["near", "67202", "--radius", "0"], 2, "radius"),
    (["near", "67202", "--radius", "nan"], 2, "radius"),
    (["near", "67202", "--radius", "inf"], 2, "radius"),
    (["near", "67202", "--radius", "1e400"], 2, "radius"),
    (["near", "67202", "--radius", "abc"], 2, "radius"),
    (["near", "67202", "--radius", ""], 2, "radius"),
    (["near", "67202", "--radius"], 2, "radius"),
    (["near", "67202", "--limit", "0"], 2, "limit"),
    (["near", "67202", "--limit", "-5"], 2, "limit"),
    (["near", "67202", "--limit", "1.5"], 2, "limit"),
    (["near", "67202", "--limit", "99999999999999999999"], 0, None),
    (["near", "67202", "--units", "furlongs"], 2, "units"),
    (["near", "67202", "--condition", ""], 2, "unknown condition"),
    (["near", "67202", "--condition", "flu"], 2, "unknown condition"),
    (["near", "67202", "--condition", "depresion"], 2, "did you mean 'depression'"),
    (["near", "67202", "--condition", "\x1b[31mflu"], 2, "unknown condition"),
    (["near", "67202", "--condition", LONG], 2, "unknown condition"),
    (["near", "67202", "--route", ""], 2, "unknown route"),
    (["near", "67202", "--route", "teleport"], 2, "unknown route"),
    (["near", "67202", "--format", "xml"], 2, "xml"),
    (["near", "67202", "--json", "--format", "csv"], 2, "disagree"),
    (["near", "67202", "--fields", ""], 2, "field"),
    (["near", "67202", "--fields", "rank,nme"], 2, "nme"),
    (["near", "67202", "--fields", LONG], 2, "unknown field"),
    (["near", "67202", "--no-bundled"], 2, "--data"),
    (["near", "67202", "--data", "/no/such/file.csv"], 1, "cannot read"),
    (["near", "67202", "--data", "/"], 1, "not a regular file"),
    (["near", "67202", "--bogus"], 2, "--bogus"),
    (["near", "67202", "extra-argument"], 4, "couldn't find"),  # words join: one place
    # show
    (["show", ""], 1, "no clinic"),
    (["show", "no-such-clinic"], 1, "no clinic"),
    (["show", "../../etc/passwd"], 1, "no clinic"),
    (["show", LONG], 1, "no clinic"),
    (["show", "\u202eevil"], 1, "no clinic"),
    (["show"], 2, "ID"),
    # about
    (["about", ""], 2, "no topic"),
    (["about", "flu"], 2, "no topic"),
    (["about", "depresion"], 2, "did you mean 'depression'"),
    (["about", "\x1b[2J"], 2, "no topic"),
    (["about", LONG], 2, "no topic"),
    (["about", "🏥"], 2, "no topic"),
    (["about", "--format", "geojson"], 2, "geojson"),
    (["about", "depression", "--fields", "nope"], 2, "nope"),
    # regions
    (["regions", ""], 2, "no US state"),
    (["regions", "ZZ"], 2, "no US state"),
    (["regions", "\u202eSK"], 2, "no US state"),
    (["regions", LONG], 2, "no US state"),
    (["regions", "--format", "yaml"], 2, "yaml"),
    # geocode
    (["geocode", ""], 2, "empty"),
    (["geocode", "\x1b"], 2, "empty"),
    (["geocode", LONG], 2, "too long"),
    (["geocode", "qwertyville"], 4, "US place"),
    (["geocode"], 2, "PLACE"),
    # config, cache, schema, data
    (["config", "set", "nonsense", "x"], 2, "unknown setting"),
    (["config", "set", "units", "parsecs"], 2, "units"),
    (["config", "set", "online", "maybe"], 2, "true or false"),
    (["config", "set", "nominatim_url", "ftp://example.org"], 2, "scheme://host"),
    (["config", "set", "location", ""], 2, "empty"),
    (["config", "get", "nonsense"], 2, "unknown setting"),
    (["config", "unset", LONG], 2, "unknown setting"),
    (["cache", "bogus"], 2, "bogus"),
    (["schema", "nope"], 2, "no schema"),
    (["schema", LONG], 2, "no schema"),
    (["data", "stats", "--data", "/no/such.csv"], 1, "cannot read"),
    (["data", "geocode", "/no/such.csv", "-o", "/tmp/x.csv"], 1, "cannot read"),
    (["data", "geocode", "in.csv"], 2, "--out"),
    (["frobnicate"], 2, "frobnicate"),
    (["--no-such-flag"], 2, "--no-such-flag"),
]


def check(result, code, fragment):
    if code:
        assert_one_line_error(result, code, *([fragment] if fragment else []))
    else:  # success: and never a word of "error" on the way
        assert_clean(result)
        assert result.exit_code == 0, result.stderr[-500:]
        assert "error" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize(("args", "code", "fragment"), CORPUS, ids=lambda v: repr(v)[:40])
def test_hostile_input(cli, args, code, fragment):
    check(cli(*args), code, fragment)


def test_data_validate_on_broken_files_reports_and_fails(cli, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x00\x01garbage")
    result = cli("data", "validate", str(broken))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"{broken}: error: this is a binary file" in result.stdout
    assert result.stderr.startswith("FAILED")


def test_unexpected_errors_are_one_line_and_debug_shows_the_traceback(cli, monkeypatch):
    from clinicfinder.search import rank

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(rank, "find_clinics", broken)
    plain = cli("near", "67202")
    assert plain.exit_code == 1
    assert plain.stderr.strip().splitlines() == [
        "clinicfinder: error: unexpected RuntimeError: simulated bug "
        "(this is a bug: run again with --debug for details, and please report it)"
    ]
    debug = cli("--debug", "near", "67202")
    assert isinstance(debug.exception, RuntimeError)  # the real traceback, for the developer
    monkeypatch.delenv("CLINICFINDER_DEBUG", raising=False)


def test_a_closed_pipe_is_quiet(tmp_path):
    """`clinicfinder near X | head -1`: no traceback, no 'Broken pipe' noise."""
    script = (
        f"{sys.executable} -m clinicfinder near 'Denver, CO' --format csv | head -1 >/dev/null; "
        f"{sys.executable} -m clinicfinder regions | head -1 >/dev/null"
    )
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr, done.stderr


# --------------------------------------------------------------- property-based


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600))
def test_any_bytes_as_a_clinic_file_fail_only_with_our_error(tmp_path, data):
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    try:
        read_clinics(path)
    except DataError as exc:
        assert str(exc).startswith(str(path))


CELL = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(["id", "name", "city", "state", "lat", "lon", "precision",
                                     "routes", "postal_code", "website", "x"]),
                    min_size=1, max_size=6, unique=True),
    cells=st.lists(st.lists(CELL, min_size=0, max_size=7), max_size=5),
)  # fmt: skip
def test_any_csv_shaped_text_fails_only_with_our_error(tmp_path, header, cells):
    path = tmp_path / "shaped.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(cells)
    try:
        clinics = read_clinics(path)
    except ClinicFinderError as exc:
        assert isinstance(exc, DataError) and str(exc).startswith(str(path))
        return
    for clinic in clinics:
        assert clinic.name and clinic.id
        assert clinic.lat is None or -90 <= clinic.lat <= 90
