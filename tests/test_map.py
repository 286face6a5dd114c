"""near --map: one self-contained page, safe with any clinic text, seen the way a person sees it.

The browser test renders the page in headless Chromium (Debian's `chromium`, which
.ci/run installs) with networking off, as a person offline would see it, and
checks the markers Leaflet drew. Without Chromium it is skipped, saying why.
"""

import json
import os
import re
import shutil
import subprocess

import pytest

from clinicfinder.output.maps import page
from clinicfinder.places.geocode import locate
from clinicfinder.search.rank import find_clinics
from tests.conftest import make

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
MARKER = re.compile(r'class="[^"]*\bleaflet-marker-icon\b[^"]*\bcf-marker\b')  # drawn by Leaflet
EVIL = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'


def evil_search():
    origin = locate("Wichita, KS")
    clinics = [
        make(id="one", name=EVIL, lat=37.70, lon=-97.34, website="javascript:alert(3)"),
        make(id="two", name="Example Two & Sons", lat=37.75, lon=-97.30, phone="316-555-0100"),
        make(id="three", name="Example Three", lat=37.75, lon=-97.30, status="unverified"),
    ]
    return find_clinics(origin, clinics, radius_km=80)


def test_the_page_is_self_contained_and_inert():
    html = page(evil_search(), "mi")
    assert "<script src" not in html and "<link" not in html  # nothing fetched but tiles
    assert "Content-Security-Policy" in html and "img-src https://tile.openstreetmap.org" in html
    assert EVIL not in html and "</script><script>alert(2)" not in html
    data = re.search(r"const DATA = (.*);\n", html)[1]
    assert "<" not in data and ">" not in data
    assert json.loads(data)["clinics"][0]["name"] == EVIL  # the text itself survives, inert
    assert "OpenStreetMap" in html and "988" in html


def test_near_writes_the_map_beside_its_normal_output(cli, tmp_path):
    target = tmp_path / "map.html"
    result = cli("near", "Denver, CO", "--map", str(target), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]  # stdout still carries only the data
    assert "map written to" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_an_unwritable_map_path_is_one_clear_line(cli, tmp_path):
    blocker = tmp_path / "file"  # a path "under" a file can't be written
    blocker.write_text("x")
    result = cli("near", "Denver, CO", "--map", str(blocker / "m.html"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def render_dom(html_path, tmp_path):
    done = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--virtual-time-budget=3000", "--dump-dom", html_path.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# In CI a missing browser is a failure, never a silent skip (.ci/run installs it).
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="headless Chromium is not installed (apt install chromium); CI requires it",
)


@needs_chromium
def test_a_browser_shows_every_marker_and_no_injected_markup(tmp_path):
    path = tmp_path / "map.html"
    path.write_text(page(evil_search(), "mi"), encoding="utf-8")
    dom = render_dom(path, tmp_path)
    assert len(MARKER.findall(dom)) == 3
    for rank in (1, 2, 3):
        assert f'data-rank="{rank}"' in dom
    assert re.search(r'class="[^"]*\bcf-origin\b[^"]*"[^>]*>You<', dom)
    assert "&lt;img src=x" in dom  # shown as text
    assert '<img src="x"' not in dom and "<img src=x" not in dom  # never made an element
    assert 'href="javascript:' not in dom
    assert "Example Two &amp; Sons" in dom


@needs_chromium
def test_a_real_search_renders(cli, tmp_path):
    path = tmp_path / "denver.html"
    assert cli("near", "Denver, CO", "--limit", "5", "--map", str(path)).exit_code == 0
    dom = render_dom(path, tmp_path)
    assert len(MARKER.findall(dom)) == 5
