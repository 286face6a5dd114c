"""Shared fixtures: every test runs with its own empty config and no location set."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from clinicfinder.cli.app import app
from clinicfinder.records.models import Clinic, Place

TODAY = "2026-12-07"

# CI runs a fixed, derandomised profile so a red build can be reproduced exactly.
settings.register_profile("ci", max_examples=1000, derandomize=True, deadline=None)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    """No test may read or write the real user's config or cache (or be steered by them)."""
    monkeypatch.setenv("CLINICFINDER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CLINICFINDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLINICFINDER_DATA_DIR", str(tmp_path / "userdata"))
    for var in (
        "CLINICFINDER_LOCATION",
        "CLINICFINDER_UNITS",
        "CLINICFINDER_DEBUG",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    # A test in a pseudo-terminal must never wait in `less` for a key press.
    monkeypatch.setenv("CLINICFINDER_PAGER", "cat")
    monkeypatch.delenv("PAGER", raising=False)
    # No test depends on today's date: every run, in process or in a subprocess, counts
    # the day as TODAY (statuses, --max-age, review dates). CI also runs the whole
    # suite under faketime a year ahead to prove nothing else reads the real clock.
    monkeypatch.setenv("CLINICFINDER_TODAY", TODAY)
    # No test reaches the internet: --online's registry points at a closed loopback port
    # unless a test starts its stand-in (tests/findtreatment_stub.py).
    monkeypatch.setenv(
        "CLINICFINDER_FINDTREATMENT_URL", "http://127.0.0.1:9/locator/exportsAsJson/v2"
    )


@pytest.fixture
def registry(monkeypatch) -> Iterator[Any]:
    """SAMHSA's registry as a loopback stand-in (tests/findtreatment_stub.py), for --online,
    data fetch and data update."""
    from tests.findtreatment_stub import Registry

    stub = Registry().start()
    monkeypatch.setenv("CLINICFINDER_FINDTREATMENT_URL", stub.url)
    yield stub
    stub.stop()


@pytest.fixture
def geocoder(monkeypatch) -> Iterator[Any]:
    """Nominatim as a loopback stand-in (tests/nominatim_stub.py), for --online geocoding."""
    from tests.nominatim_stub import Stub

    stub = Stub().start()
    monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", stub.url)
    yield stub
    stub.stop()


@pytest.fixture
def cli() -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, prog_name="clinicfinder")

    return invoke


@pytest.fixture
def cli_json(cli) -> Callable[..., Any]:
    def invoke(*args: str) -> Any:
        result = cli(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    return invoke


TRACEBACK = re.compile(r'Traceback|File "')
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]"
)  # must never reach a terminal


def assert_clean(result: Result) -> None:
    """No traceback, and no raw control or bidi character in anything printed."""
    printed = result.stdout + result.stderr
    assert not TRACEBACK.search(printed), printed[-2000:]
    assert not RAW.search(printed), "a raw control or bidi character reached the terminal"


def assert_one_line_error(result: Result, code: int, *fragments: str) -> None:
    """The contract for every failure: its exit code, one readable stderr line, no stdout."""
    assert_clean(result)
    assert result.exit_code == code, (code, result.exit_code, result.stderr[-500:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("clinicfinder: error: "), result.stderr
    assert len(lines[0]) < 1500  # one readable line, however long the input
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == ""


@functools.cache
def bundled_clinics() -> tuple[Clinic, ...]:
    """The bundled clinics parsed once per test run (the CLI reads them through an index)."""
    from clinicfinder.bundled import data_path
    from clinicfinder.clinics.load import read_clinics

    return tuple(read_clinics(data_path("clinics.csv"), check=False))


BASE = Clinic(
    id="fixture",
    name="Fixture Clinic",
    street="",
    city="Wichita",
    state="KS",
    postal_code="",
    country="US",
    phone="",
    website="",
    routes=("iv",),
    conditions=("depression",),
    telehealth_states=(),
    status="active",
    lat=37.69,
    lon=-97.34,
    precision="city",
    source_url="https://example.org/fixture",
    location_evidence="fixture",
    notes="synthetic test record, not a real clinic",
    collected="2026-01-01",
)


def make(**fields: Any) -> Clinic:
    """A synthetic clinic for ranking tests; names say plainly that they are fixtures."""
    return BASE._replace(**fields)


@pytest.fixture(scope="session")
def wichita() -> Place:
    return Place("Wichita, KS", "Wichita, Kansas", 37.69224, -97.33754, "city", "test")


@pytest.fixture(scope="session")
def fixture_clinics() -> tuple[Clinic, ...]:
    """Six synthetic clinics around Wichita, KS at known distances (north of it)."""
    return (
        make(id="a-iv-dep", name="Fixture A", lat=37.70, lon=-97.34),  # ~1 km
        make(id="b-spravato", name="Fixture B", lat=37.80, lon=-97.34, routes=("esketamine",),
             conditions=("treatment-resistant-depression",)),  # ~12 km
        make(id="c-closed", name="Fixture C", lat=37.75, lon=-97.34, status="closed"),  # ~6 km
        make(id="d-unknown", name="Fixture D", lat=37.90, lon=-97.34, routes=(), conditions=()),
        make(id="e-far", name="Fixture E", lat=39.10, lon=-97.34, routes=("kap", "iv")),  # ~157 km
        make(id="f-unplaced", name="Fixture F", lat=None, lon=None, precision="none", city=""),
    )  # fmt: skip
