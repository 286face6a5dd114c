"""near --map: one self-contained page, safe with any clinic text, seen the way a person sees it.

The browser tests render the page in headless Chromium (Debian's `chromium`, which
.ci/run installs) with no host name resolving, as a person offline would see it: at
phone width (390 px) and desktop width (1280 px), with screenshots (kept in
$CLINICFINDER_SCREENSHOTS when set, for a person to look at). Without Chromium they
are skipped, saying why.
"""

import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder.bundled import data_path
from clinicfinder.output.maps import heading, page, tel_uri
from clinicfinder.places.geocode import locate
from clinicfinder.places.regions import regions
from clinicfinder.search.rank import find_clinics
from tests.browser import CHROMIUM, Browser, png_pixels
from tests.conftest import make

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


def outlines_in(html):
    return json.loads(re.search(r"const OUTLINES = (.*);\n", html)[1])


def test_the_page_carries_the_state_outlines_and_call_links():
    html = page(evil_search(), "mi")
    codes = {f["properties"]["code"] for f in outlines_in(html)["features"]}
    assert codes == set(regions()) - {"GU", "VI", "MP", "AS"}  # 50 states, DC and PR
    clinics = json.loads(re.search(r"const DATA = (.*);\n", html)[1])["clinics"]
    calls = {c["name"]: c["tel"] for c in clinics}
    assert calls == {EVIL: None, "Example Two & Sons": "tel:+13165550100", "Example Three": None}
    assert "Distances are straight-line" in html


def test_the_outlines_are_small_real_and_whole():
    path = data_path("us-states.geojson")
    assert path.stat().st_size < 200_000  # well under 1 MB: every map carries them
    doc = json.loads(path.read_text("utf-8"))
    assert "US Census Bureau" in doc["source"] and "public domain" in doc["source"]
    assert "simplified" in doc["changes"]
    edges: dict[frozenset, set] = {}
    for feature in doc["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]  # closed rings
                for a, b in itertools.pairwise(ring):
                    assert -190 <= a[0] <= -64 and 17 <= a[1] <= 72  # the US, Aleutians too
                    edges.setdefault(frozenset((tuple(a), tuple(b))), set()).add(
                        feature["properties"]["code"]
                    )
    shared = {frozenset(v) for v in edges.values() if len(v) == 2}
    # Neighbours still meet exactly after simplifying: a border is drawn once, for both.
    for pair in (("KS", "MO"), ("CO", "WY"), ("NY", "PA"), ("MD", "VA"), ("DC", "MD")):
        assert frozenset(pair) in shared, pair
    # And each state ring lies where the gazetteer's ZIPs put the state.
    for feature in doc["features"]:
        region = regions()[feature["properties"]["code"]]
        lons = [p[0] for poly in feature["geometry"]["coordinates"] for r in poly for p in r]
        lats = [p[1] for poly in feature["geometry"]["coordinates"] for r in poly for p in r]
        if region.code != "AK":  # Alaska's Aleutians are shifted west of -180 on purpose
            assert min(lons) <= region.min_lon + 0.5 and max(lons) >= region.max_lon - 0.5
        assert min(lats) <= region.min_lat + 0.5 and max(lats) >= region.max_lat - 0.5


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("316-555-0100", "tel:+13165550100"),
        ("(212) 203-2813", "tel:+12122032813"),
        ("212.686.7500", "tel:+12126867500"),
        ("212-686-7500 x7521", "tel:+12126867500;ext=7521"),
        ("( +1 ) 800-640-1211", "tel:+18006401211"),
        ("1-800-640-1211", "tel:+18006401211"),
        ("1-800-KETAMINE", None),
        ("555-0100", None),
        ("", None),
        ("javascript:alert(1)", None),
    ],
)
def test_tel_links(phone, uri):
    assert tel_uri(phone) == uri


@given(st.text(max_size=40))
def test_a_tel_link_is_only_ever_a_us_number(phone):
    uri = tel_uri(phone)
    assert uri is None or re.fullmatch(r"tel:\+1\d{10}(;ext=\d{1,6})?", uri)


def test_the_heading_never_says_within_above_results_beyond_it():
    origin = locate("Glasgow, MT")
    far = [make(id="far", name="Example Far Clinic", lat=45.78, lon=-108.5)]  # Billings
    search = find_clinics(origin, far, radius_km=80)
    title, subtitle = heading(search, "mi")
    assert not search.within_radius
    assert title == "Clinics near Glasgow, Montana"
    assert "none within 50 mi" in subtitle and not re.search("(?<!none )within 50 mi", subtitle)
    assert "straight-line" in subtitle
    near = find_clinics(origin, [make(id="n", name="Example", lat=48.2, lon=-106.6)], radius_km=80)
    assert "city centre; within 50 mi; 1 shown" in heading(near, "mi")[1]
    guam = find_clinics(locate("Guam"), far, radius_km=80)
    assert heading(guam, "mi")[1].startswith("territory centre; none within 50 mi")


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
            "--host-resolver-rules=MAP * ~NOTFOUND",
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
    assert 'href="tel:+13165550100"' in dom
    assert "Example Two &amp; Sons" in dom


# Where everything is, asked of the page itself: the map's box, each marker's box,
# the state outlines Leaflet drew, and the tiles (none offline).
LAYOUT = """JSON.stringify({
  map: document.getElementById("map").getBoundingClientRect(),
  markers: [...document.querySelectorAll(".cf-marker")].map((m) => m.getBoundingClientRect()),
  states: document.querySelectorAll("path.cf-state").length,
  tiles: document.querySelectorAll("img.leaflet-tile").length,
  calls: [...document.querySelectorAll("a[href^='tel:']")].map((a) => a.getAttribute("href")),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  title: document.getElementById("title").textContent,
})"""
LAND = (0xF7, 0xF5, 0xEF)  # the outlines' fill


def keep_screenshot(shot: Path) -> None:
    """Copy a screenshot to $CLINICFINDER_SCREENSHOTS, for a person to look at."""
    folder = os.environ.get("CLINICFINDER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)


@needs_chromium
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_denver_offline_at_phone_and_desktop_width(cli, tmp_path, width, height):
    """Offline, the map shows the states (not a grey box), every marker inside the map
    with nothing clipped, tap-to-call links, and no sideways scrolling; screenshot kept."""
    path = tmp_path / "denver.html"
    assert cli("near", "Denver, CO", "--map", str(path)).exit_code == 0
    shot = tmp_path / f"map-denver-{width}.png"
    with Browser(tmp_path / "profile") as browser:
        browser.open(path, width, height, mobile=width < 600)
        layout = json.loads(browser.evaluate(LAYOUT))
        browser.screenshot(shot)
        box = layout["map"]
        clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}
        small = browser.screenshot(clip={**clip, "scale": 0.25})
    keep_screenshot(shot)
    assert layout["title"] == "Clinics near Denver, Colorado"
    assert layout["states"] >= 50 and layout["tiles"] == 0  # offline: outlines, no tiles
    assert len(layout["markers"]) == 10
    for marker in layout["markers"]:  # whole, inside the map: nothing clipped at 390 px
        assert box["left"] <= marker["left"] and marker["right"] <= box["right"], marker
        assert box["top"] <= marker["top"] and marker["bottom"] <= box["bottom"], marker
    assert layout["overflow"] <= 0  # no sideways scrolling at phone width
    assert all(re.fullmatch(r"tel:\+1\d{10}(;ext=\d+)?", c) for c in layout["calls"])
    assert layout["calls"], "Denver's listings with a phone are tap-to-call"
    # The pixels: the map is mostly land drawn from the outlines, not an empty grey box.
    w, h, rows = png_pixels(small)
    land = sum(
        1
        for row in rows
        for x in range(0, len(row), 3)
        if max(abs(row[x + i] - LAND[i]) for i in range(3)) <= 2
    )
    assert land > 0.5 * w * h, land / (w * h)
    assert shot.stat().st_size > 10_000


# Whether a person can see each numbered marker: the element drawn at its centre is the
# marker itself (nothing, the "You" marker included, lies over it), and where it is.
SEEN = """JSON.stringify([...document.querySelectorAll(".cf-marker")].map((m) => {
  const r = m.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return { rank: m.dataset.rank, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
           seen: top !== null && m.contains(top), over: top && top.className };
}))"""
ORIGIN = """JSON.stringify(document.querySelector(".cf-origin").getBoundingClientRect())"""
CONTROLS = """JSON.stringify([".leaflet-control-zoom", ".leaflet-control-attribution"].map(
  (c) => document.querySelector(c).getBoundingClientRect()))"""


def apart(a, b):
    """Whether two boxes (getBoundingClientRect) don't overlap at all."""
    overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
    overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return overlap_x <= 0 or overlap_y <= 0


@needs_chromium
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_no_marker_is_hidden_under_the_origin(cli, tmp_path, width, height):
    """Denver's 5th clinic lies at the search origin: it is spread away from the "You"
    marker like any overlap, so every numbered marker is seen, at the fitted zoom (whole,
    inside the map, clear of its zoom buttons and credits) and zoomed out and in from it;
    screenshot kept."""
    path = tmp_path / "denver.html"
    assert cli("near", "Denver, CO", "--map", str(path)).exit_code == 0
    shot = tmp_path / f"map-denver-origin-{width}.png"
    with Browser(tmp_path / "profile") as browser:
        browser.open(path, width, height, mobile=width < 600)
        box = json.loads(browser.evaluate(LAYOUT))["map"]
        controls = json.loads(browser.evaluate(CONTROLS))
        views = [(json.loads(browser.evaluate(SEEN)), json.loads(browser.evaluate(ORIGIN)))]
        browser.screenshot(shot)
        fitted = browser.evaluate("map.getZoom()")
        for zoom in (fitted - 2, fitted - 1, fitted + 1, fitted + 2):
            browser.evaluate(f"map.setZoom({zoom}, {{ animate: false }}), 0")
            views.append((json.loads(browser.evaluate(SEEN)), json.loads(browser.evaluate(ORIGIN))))
    keep_screenshot(shot)
    for n, (markers, you) in enumerate(views):
        assert len(markers) == 10
        for m in markers:
            inside = box["left"] <= m["left"] and m["right"] <= box["right"]
            inside = inside and box["top"] <= m["top"] and m["bottom"] <= box["bottom"]
            clear = inside and all(apart(m, c) for c in controls)
            if n == 0:  # the fitted view shows every marker whole, clear of the buttons
                assert clear, (m, controls)
            if clear:  # zoomed in, some lie beyond the map's edge or under its credits
                assert m["seen"], (n, m)
            assert apart(m, you), (n, m, you)


@needs_chromium
def test_markers_that_would_hide_each_other_are_spread(cli, tmp_path):
    """New York's clinics share a city centre: each marker is seen on its own."""
    path = tmp_path / "nyc.html"
    assert cli("near", "New York, NY", "--limit", "20", "--map", str(path)).exit_code == 0
    with Browser(tmp_path / "profile") as browser:
        browser.open(path, 390, 844, mobile=True)
        layout = json.loads(browser.evaluate(LAYOUT))
        browser.screenshot(tmp_path / "map-nyc-390.png")
        # Zoomed out, they spread again around their places.
        browser.evaluate("map.setZoom(map.getZoom() - 3, { animate: false }), 0")
        zoomed = json.loads(browser.evaluate(LAYOUT))
    keep_screenshot(tmp_path / "map-nyc-390.png")
    for markers in (layout["markers"], zoomed["markers"]):
        assert len(markers) == 20
        for i, a in enumerate(markers):
            for b in markers[i + 1 :]:
                overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
                overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                assert overlap_x <= 2 or overlap_y <= 2, (a, b)


@needs_chromium
def test_a_real_search_renders(cli, tmp_path):
    path = tmp_path / "denver.html"
    assert cli("near", "Denver, CO", "--limit", "5", "--map", str(path)).exit_code == 0
    dom = render_dom(path, tmp_path)
    assert len(MARKER.findall(dom)) == 5
    assert dom.count('class="cf-state') >= 50


def solid_png(size: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG: what the stand-in tile server answers."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\0" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )  # fmt: skip


TILE = (0x9B, 0x30, 0xC8)  # a colour no outline or marker uses


@needs_chromium
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_tiles_cover_the_outlines_when_they_can_be_reached(cli, tmp_path):
    """Online, the tiles are laid over the outlines. tile.openstreetmap.org is resolved to
    a stand-in on 127.0.0.1 (a self-signed certificate, accepted by this browser only)."""
    import ssl

    from tests.loopback import Loopback

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=tile.openstreetmap.org", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    tile = solid_png(256, TILE)
    asked = []

    def answer(handler):
        asked.append(handler.path)
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", str(len(tile)))
        handler.end_headers()
        handler.wfile.write(tile)

    server = Loopback(answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    server.start()
    path = tmp_path / "denver.html"
    assert cli("near", "Denver, CO", "--map", str(path)).exit_code == 0
    rules = f"MAP tile.openstreetmap.org 127.0.0.1:{server.port},MAP * ~NOTFOUND"
    try:
        with Browser(tmp_path / "profile", rules, "--ignore-certificate-errors") as browser:
            browser.open(path, 1280, 900, mobile=False)
            layout = {}
            for _ in range(100):  # the probe, then the tiles, load after the page
                layout = json.loads(browser.evaluate(LAYOUT))
                shown = browser.evaluate(  # loaded, and faded in
                    "[...document.querySelectorAll('img.leaflet-tile')].every((t) => t.complete"
                    " && t.naturalWidth && getComputedStyle(t).opacity === '1')"
                )
                if layout["tiles"] and shown:
                    break
                browser.call("Runtime.evaluate", expression="new Promise(r => setTimeout(r, 50))",
                             awaitPromise=True)  # fmt: skip
            box = layout["map"]
            clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}
            small = browser.screenshot(clip={**clip, "scale": 0.25})
            browser.screenshot(tmp_path / "map-denver-tiles-1280.png")
            towns = browser.evaluate("document.querySelectorAll('.cf-town').length")
    finally:
        server.stop()
    assert "/0/0/0.png" in asked  # the one probe, then the tiles of the view
    keep_screenshot(tmp_path / "map-denver-tiles-1280.png")
    assert layout["tiles"] > 0 and layout["states"] >= 50
    assert towns == 0  # the tiles name the places themselves
    w, h, rows = png_pixels(small)
    tiled = sum(
        1
        for row in rows
        for x in range(0, len(row), 3)
        if max(abs(row[x + i] - TILE[i]) for i in range(3)) <= 2
    )
    assert tiled > 0.5 * w * h, tiled / (w * h)  # the tiles are on top, where they loaded


def test_guam_and_hawaii_lie_together_across_the_antimeridian():
    far = [make(id="hnl", name="Example Honolulu Clinic", lat=21.31, lon=-157.86)]
    html = page(find_clinics(locate("96910"), far, radius_km=80), "mi")
    data = json.loads(re.search(r"const DATA = (.*);\n", html)[1])
    assert abs(data["origin"]["lon"] - (144.7516 - 360)) < 1e-6  # west of -180, beside Hawaii
    assert data["clinics"][0]["lon"] == -157.86
    assert any(lon < -180 for _, _, lon in data["towns"])  # Guam's towns came along
    assert all(-230 < lon < -140 for _, _, lon in data["towns"])


OPENS_OUTLINES = """
import sys
opened = []
sys.addaudithook(lambda event, args: event == "open" and "us-states" in str(args[0])
                 and opened.append(args[0]))
from clinicfinder.cli.app import run
code = run(sys.argv[1:])
sys.stderr.write(f"\\nOUTLINES OPENED {len(opened)}\\n")
"""


@pytest.mark.parametrize(("extra", "opened"), [([], 0), (["--map", "MAP"], 1)])
def test_the_outlines_are_read_only_when_a_map_is_written(tmp_path, extra, opened):
    """Start-up stays fast: a search without --map never opens the outlines."""
    import sys

    args = [a.replace("MAP", str(tmp_path / "m.html")) for a in extra]
    done = subprocess.run(
        [sys.executable, "-c", OPENS_OUTLINES, "near", "Denver, CO", *args],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "CLINICFINDER_CONFIG_DIR": str(tmp_path)},
    )  # fmt: skip
    assert f"OUTLINES OPENED {opened}" in done.stderr, done.stderr[-500:]
