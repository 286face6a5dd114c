"""Issue 23: hostile text never reaches a terminal, and inputs are checked once, first.

Real escape sequences go in through --data files, the registry, the geocoder and the
config file; no raw ESC, BEL, C1 CSI or bidi override may come out on stdout or stderr.
Each test failed before its fix.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import clinicfinder
from clinicfinder.clinics.files import read_rows
from clinicfinder.errors import DataError
from tests.conftest import assert_one_line_error

CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"  # OSC 52: write "evil" to the clipboard
CLEAR = "\x1b[2J"  # clear the screen
C1_CSI = "\x9b1m"  # the one-byte CSI
BIDI = "\u202e"
HOSTILE = CLIPBOARD + "Wich" + CLEAR + "ita" + C1_CSI + BIDI
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_SEQUENCES = (CLIPBOARD, CLEAR, "\x07", "\x9b", BIDI)
SRC = Path(clinicfinder.__file__).parent


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**over: str) -> dict[str, str]:
    base = {"name": "Stand-in Test Clinic", "city": "Wichita", "state": "KS",
            "postal_code": "67202", "routes": "iv", "website": "https://example.org/a",
            "source_url": "https://example.org/a", "phone": "(316) 555-0100"}  # fmt: skip
    return {**base, **over}


def assert_no_raw(*texts: str) -> None:
    for text in texts:
        assert not RAW.search(text), repr(RAW.search(text))


# ---- terminal injection


@pytest.mark.parametrize("fmt", ["table", "json", "ndjson", "csv", "geojson"])
def test_escapes_in_a_data_file_reach_no_output_raw(cli, tmp_path, fmt):
    """The city was escaped in its own column but not in the Distance cell
    ("in <city> (ZIP centre)"), and notices printed names raw in csv/ndjson/geojson."""
    data = write_rows(tmp_path / "evil.csv", [row(name="Evil" + HOSTILE, city=HOSTILE)])
    for width in ("80", "200"):  # a block per clinic, or the wide table
        near = cli("near", "67202", "--data", str(data), "--no-bundled", "--format", fmt,
                   env={"COLUMNS": width})  # fmt: skip
        assert near.exit_code == 0, near.stderr
        assert_no_raw(near.stdout, near.stderr)
    far = cli("near", "10001", "-r", "1", "--data", str(data), "--no-bundled", "--format", fmt)
    assert far.exit_code == 0 and "nearest" in far.stdout + far.stderr
    assert_no_raw(far.stdout, far.stderr)


def test_at_a_colour_terminal_only_our_own_styles_are_written(cli, tmp_path):
    """Rich draws at a terminal (FORCE_COLOR): its styles are ours, the data's escapes not."""
    data = write_rows(tmp_path / "evil.csv", [row(name="Evil" + HOSTILE, city=HOSTILE)])
    found = cli("near", "67202", "--data", str(data), "--no-bundled", "--json")
    clinic_id = json.loads(found.stdout)["results"][0]["id"]
    for args in (["near", "67202"], ["show", clinic_id]):
        env = {"FORCE_COLOR": "1", "COLUMNS": "200"}
        result = cli(*args, "--data", str(data), "--no-bundled", env=env)
        assert result.exit_code == 0, result.stderr
        for sequence in HOSTILE_SEQUENCES:
            assert sequence not in result.stdout + result.stderr


def test_a_newline_in_a_name_never_starts_a_line(cli, tmp_path):
    forged = "Real Clinic\nclinicfinder: error: forged\n99. Fake Clinic"
    data = write_rows(tmp_path / "nl.csv", [row(name=forged, city="Wichita\nKS")])
    for fmt in ("table", "csv", "ndjson"):
        result = cli("near", "67202", "--data", str(data), "--no-bundled", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        lines = (result.stdout + result.stderr).splitlines()
        assert not [x for x in lines if x.lstrip().startswith(("clinicfinder: error", "99."))]


def test_a_config_value_with_escapes_is_refused_and_a_hand_edited_one_shown_inert(cli, tmp_path):
    refused = cli("config", "set", "nominatim_url", "http://127.0.0.1:1/" + CLEAR + "\nx")
    assert_one_line_error(refused, 2, "control character")
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    (folder / "config.json").write_text(
        json.dumps({"nominatim_url": "http://127.0.0.1:1/" + HOSTILE, "location": HOSTILE})
    )
    for args in (["config", "get", "nominatim_url"], ["config", "list"], ["near", "--online"]):
        result = cli(*args)
        assert_no_raw(result.stdout, result.stderr)
        assert "\n" not in result.stdout.strip() or args[1] == "list"


def test_geocoder_labels_are_cleaned_where_they_enter(cli, monkeypatch):
    from tests.nominatim_stub import Stub

    stub = Stub().start()
    try:
        monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", stub.url)
        for args in (["near", "hostile 1 Main St, Wichita, KS", "--online"],
                     ["geocode", "hostile 1 Main St, Wichita, KS", "--online"]):  # fmt: skip
            result = cli(*args)
            assert result.exit_code == 0, result.stderr
            assert_no_raw(result.stdout, result.stderr)
    finally:
        stub.stop()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_a_cell_read_from_a_file_is_one_inert_line(tmp_path, text):
    """Whatever a cell holds, what a clinic file yields has no raw control, bidi or line break."""
    path = tmp_path / "h.csv"
    write_rows(path, [row(name="A" + text, notes=text)])
    try:
        _header, rows = read_rows(path)
        rows_read = list(rows)
    except DataError:
        return  # refused whole (a lone surrogate, a NUL…): nothing printed from it
    for _line, cells in rows_read:
        for value in cells.values():
            assert not re.search("[\n\r\t\x0b\x0c\x1c-\x1f\x85\u2028\u2029]", value)
            assert not RAW.search(value)


@given(value=st.text())
def test_escaping_is_inert_and_json_means_the_same(value):
    from clinicfinder.safetext import clean, json_visible, visible

    # Line ends and tabs may stay (they are text's own layout); nothing else raw. CRLF goes
    # first: taking "\n" out of it first would leave its "\r" behind.
    shown = visible(value).replace("\r\n", "").replace("\n", "").replace("\t", "")
    assert not RAW.search(shown)
    assert not RAW.search(clean(value))
    assert json.loads(json_visible(json.dumps(value, ensure_ascii=False))) == value


def test_every_byte_leaves_through_the_emission_points():
    """The one rule is applied where text leaves: nothing writes to a stream elsewhere."""
    allowed = {"output/text.py", "output/styled.py", "cli/boundary.py"}
    writes = re.compile(r"sys\.std(out|err)\.write|typer\.echo|(?<![.\w])print\(")
    offenders = [
        str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
        if str(p.relative_to(SRC)) not in allowed and writes.search(p.read_text(encoding="utf-8"))
    ]  # fmt: skip
    assert offenders == []


def test_one_writer_per_format_and_one_input_check():
    """Issue 24.2: one CSV writer, one GeoJSON writer, one cell renderer, one input check."""
    sources = {str(p.relative_to(SRC)): p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}

    def where(pattern: str) -> list[str]:
        return sorted(name for name, text in sources.items() if re.search(pattern, text))

    assert where(r"csv\.(writer|DictWriter)\(") == ["output/formats.py"]
    assert where(r'"FeatureCollection"') == ["output/formats.py"]
    assert where(r"spreadsheet_safe\(") == ["output/formats.py", "output/text.py"]
    assert where(r"samefile\(") == ["userdirs.py"]


# ---- inputs checked once, first


def test_a_nested_clinics_key_is_not_the_list(cli, tmp_path):
    good = {"name": "Stand-in JSON Clinic", "city": "Wichita", "state": "KS",
            "postal_code": "67202", "routes": "iv"}  # fmt: skip
    both = tmp_path / "both.json"
    both.write_text(json.dumps({"about": {"clinics": []}, "clinics": [good]}, indent=1))
    result = cli("near", "67202", "--data", str(both), "--no-bundled", "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["name"] for r in json.loads(result.stdout)["results"]] == [good["name"]]
    assert cli("data", "validate", str(both)).exit_code == 0
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"data": {"clinics": [good]}}))
    assert_one_line_error(cli("near", "67202", "--data", str(nested)), 1, "expected a JSON")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["clinics", "name", "x"]), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=json_values, indent=st.sampled_from([None, 1]))
@example(doc={"x": {"clinics": []}, "clinics": [{"name": "A"}]}, indent=None)
def test_any_json_document_is_rows_or_a_data_error(tmp_path, doc, indent):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, indent=indent), encoding="utf-8")
    try:
        _header, rows = read_rows(path)
        list(rows)
    except DataError:
        pass


def test_a_column_named_twice_is_an_error_naming_both(cli, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("name,city,state,name\nStand-in A,Wichita,KS,Stand-in B\n")
    for args in (["data", "validate", str(path)], ["near", "67202", "--data", str(path)]):
        result = cli(*args)
        assert result.exit_code == 1
        assert "'name' is named twice (columns 1 and 4)" in result.stdout + result.stderr


def test_the_same_file_twice_is_loaded_once(cli, tmp_path):
    data = write_rows(tmp_path / "mine.csv", [row()])
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    result = cli("near", "67202", "--data", str(link), "--no-bundled", "--json",
                 env={"CLINICFINDER_DATA": str(data)})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]) == 1


@pytest.mark.parametrize(
    "zip_text",
    [
        "\uff16\uff17\uff12\uff10\uff12",
        "\u0666\u0667\u0662\u0660\u0662",
        "\u096c\u096d\u0968\u0966\u0968",
    ],
)
def test_any_scripts_digits_are_a_zip(cli_json, zip_text):
    assert cli_json("near", zip_text)["origin"] == cli_json("near", "67202")["origin"]


def test_the_length_limit_is_the_same_online(cli, geocoder):
    too_long = cli("near", "1 Main St, Wichita, KS " + "x" * 300, "--online")
    assert_one_line_error(too_long, 2, "too long")
    assert geocoder.requests == []


def test_a_missing_data_file_is_found_before_anything_is_sent(cli, geocoder, tmp_path):
    missing = cli("near", "1 Main St, Wichita, KS", "--online", "--data", str(tmp_path / "no.csv"))
    assert_one_line_error(missing, 1, "no.csv")
    assert geocoder.requests == []


def test_a_progress_bar_label_is_escaped_too(monkeypatch):
    """Progress draws through the same console, so its text is escaped by the same rule."""
    import io
    import sys

    from clinicfinder.cli.progress import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with progress_bar("label" + CLEAR) as advance:
        advance(1, 1)
    assert CLEAR not in screen.getvalue() and "\\x1b[2J" in screen.getvalue()


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(st.sampled_from(["name", "city", "state", "notes", "x"]), min_size=2, max_size=6)
)
def test_any_header_naming_a_column_twice_is_refused_naming_both(tmp_path, names):
    path = tmp_path / "h.csv"
    path.write_text(",".join(names) + "\n" + ",".join("v" for _ in names) + "\n")
    repeated = [n for i, n in enumerate(names) if n in names[:i]]
    try:
        read_rows(path)
    except DataError as exc:
        first = repeated[0]
        where = (names.index(first) + 1, names.index(first, names.index(first) + 1) + 1)
        assert f"'{first}' is named twice (columns {where[0]} and {where[1]})" in exc.message
    else:
        assert not repeated


def test_every_emission_point_escapes_by_itself(tmp_path, monkeypatch, capsys):
    """Defence in depth: text that skipped cleaning is still escaped where it leaves."""
    import io

    from clinicfinder.cli import boundary
    from clinicfinder.output import text
    from clinicfinder.output.styled import Console, Text

    for colour in (False, True):
        screen = io.StringIO()
        console = Console(screen, 80, colour=colour, links=colour, ascii=False)
        console.print(Text("a" + HOSTILE, "bold link"))
        for sequence in HOSTILE_SEQUENCES:
            assert sequence not in screen.getvalue()
    text.write("csv," + HOSTILE + "\n")
    text.write(json.dumps({"k": HOSTILE}, ensure_ascii=False) + "\n", as_json=True)
    boundary.warn("name\n" + HOSTILE)
    boundary.say(HOSTILE)
    boundary.echo(HOSTILE)
    boundary.deliver(HOSTILE, None)
    boundary.deliver(json.dumps([HOSTILE], ensure_ascii=False), tmp_path / "o.json", as_json=True)
    printed = capsys.readouterr()
    assert_no_raw(printed.out, printed.err, (tmp_path / "o.json").read_text(encoding="utf-8"))
    assert len(printed.err.splitlines()) == 2  # a warning stays one line
    assert json.loads((tmp_path / "o.json").read_text(encoding="utf-8")) == [HOSTILE]
