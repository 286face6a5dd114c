"""The width model, the pager, ranking, headings, telehealth and `show` for people (issue 21).

Real pseudo-terminals at 80, 100 and 120 columns on the bundled data; real pipes.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys

import pytest

from clinicfinder.clinics.telehealth import serves, telehealth_in
from clinicfinder.output.layout import Column, table, wrap
from tests.conftest import bundled_clinics, make
from tests.test_terminal import SCRIPT, in_terminal, is_url

needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason=f"no console script at {SCRIPT}")
PLACES = [("New York,", "NY"), ("Mayaguez,", "PR"), ("Denver,", "CO")]
TOPICS = ["ketamine", "spravato", "iv", "at-home", "depression"]


def piped(*argv: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run([str(SCRIPT), *argv], capture_output=True, text=True, env=env)
    return done.stdout


@needs_script
@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize(("city", "state"), PLACES)
def test_near_keeps_every_word_and_year_whole(tmp_path, cli, columns, city, state):
    lines = in_terminal(["near", city, state], columns, tmp_path)
    doc = json.loads(cli("near", city, state, "--json").stdout)
    words = {w for line in lines for w in re.split(r"[\s·]+", line) if w}
    text = "\n".join(lines)
    assert "…" not in text
    assert max(len(line.rstrip()) for line in lines if not is_url(line)) <= columns
    for r in doc["results"]:
        for word in r["name"].split():
            assert word in words, (word, r["name"])
        if r["website"]:
            host = r["website"].split("://")[-1].removeprefix("www.").rstrip("/")
            assert host in words or f"({host})" in words, host
    assert text.count("(read 2026)") == text.count("(read")  # never "(read 202" / "6)"


@needs_script
@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("topic", TOPICS)
def test_about_prints_every_source_and_cost_url_whole(tmp_path, cli, columns, topic):
    doc = json.loads(cli("about", topic, "--json").stdout)["topic"]
    urls = [
        s["url"]
        for s in doc["sources"] + doc.get("costs", []) + doc.get("safety", {}).get("sources", [])
    ]
    lines = in_terminal(["about", topic], columns, tmp_path)
    words = {w for line in lines for w in line.split()}
    assert urls and all(url in words for url in urls)


@needs_script
@pytest.mark.parametrize(
    "argv",
    [["near", "Denver,", "CO", "--limit", "30"], ["near", "New York, NY"], ["about", "ketamine"],
     ["show", "ainsworth-institute-east-43rd-street-new-york-ny"], ["regions", "KS"]],
)  # fmt: skip
def test_piped_output_is_80_columns_without_padding(argv):
    out = piped(*argv)
    assert out
    for line in out.splitlines():
        assert line == line.rstrip(), line  # no trailing padding
        assert len(line) <= 80 or is_url(line), line


@needs_script
def test_terminal_hyperlinks_where_the_terminal_shows_them(tmp_path):
    env = {"FORCE_HYPERLINK": "1"}
    raw = in_terminal(["about", "ketamine"], 100, tmp_path, env=env, raw=True)
    assert "\x1b]8;;https://" in "\n".join(raw)
    plain = in_terminal(
        ["about", "ketamine"], 100, tmp_path, env={"FORCE_HYPERLINK": "0"}, raw=True
    )
    assert "\x1b]8;;" not in "\n".join(plain)


@needs_script
def test_long_output_at_a_terminal_goes_through_the_pager_results_first(tmp_path):
    pager = {"CLINICFINDER_PAGER": "sed s/^/PAGED:/"}
    lines = in_terminal(["near", "New York, NY"], 80, tmp_path, env=pager, rows=20)
    assert lines[0].startswith("PAGED:Clinics near New York")
    assert lines[2].startswith("PAGED: 1.")  # the ranked clinics first, telehealth after
    unpaged = in_terminal(["--no-pager", "near", "New York, NY"], 80, tmp_path, env=pager, rows=20)
    assert not any(line.startswith("PAGED:") for line in unpaged)
    after = in_terminal(["near", "New York, NY", "--no-pager"], 80, tmp_path, env=pager, rows=20)
    assert not any(line.startswith("PAGED:") for line in after)
    short = in_terminal(["show", "a8c131"], 80, tmp_path, env=pager, rows=200)
    assert short and not any(line.startswith("PAGED:") for line in short)  # fits: no pager


@needs_script
def test_the_pager_setting_and_never_in_a_pipe(tmp_path, monkeypatch):
    monkeypatch.setenv("CLINICFINDER_CONFIG_DIR", str(tmp_path))
    (tmp_path / "config.json").write_text(json.dumps({"pager": "cat"}))
    env = {"CLINICFINDER_PAGER": None, "PAGER": "sed s/^/PAGED:/"}
    lines = in_terminal(["near", "New York, NY"], 80, tmp_path, env=env, rows=20)
    assert not any(line.startswith("PAGED:") for line in lines)  # config pager beats $PAGER
    monkeypatch.setenv("CLINICFINDER_PAGER", "sed s/^/PAGED:/")
    assert "PAGED:" not in piped("near", "New York, NY")


def test_reachable_listings_rank_first_at_equal_distance(cli):
    for place in ("New York, NY", "Denver, CO"):
        results = json.loads(cli("near", place, "--json", "--limit", "40").stdout)["results"]
        for a, b in itertools.pairwise(results):
            if round(a["distance_km"], 3) == round(b["distance_km"], 3):
                assert a["reachable"] >= b["reachable"], (a["name"], b["name"])
        assert any(r["reachable"] for r in results) and "reachable" in results[0]
    out = cli("near", "New York, NY").stdout
    assert "listings you can reach come first" in " ".join(out.split())


def test_the_heading_names_the_filters_and_never_a_radius_it_exceeds(cli):
    out = cli("near", "Columbus, OH", "--route", "spravato").stdout
    assert out.splitlines()[0].startswith("Spravato clinics near Columbus, Ohio — city centre")
    far = cli("near", "Glasgow, MT").stdout
    assert (
        "nearest beyond 50 mi" in far.splitlines()[0] and "within 50 mi" not in far.splitlines()[0]
    )
    assert " ".join(out.split()).count("straight lines") == 1


def test_never_a_dead_end(cli):
    out = " ".join(cli("near", "Glasgow, MT").stdout.split())
    for words in ("FindTreatment.gov", "1-800-662-4357", "Find a Center", "data update", "988"):
        assert words in out
    assert "Where else to look" not in cli("near", "New York, NY").stdout


def test_telehealth_is_one_line_for_those_that_name_no_state(cli):
    out = cli("near", "Wichita, KS").stdout
    assert out.count("may serve") + out.count("May also serve") <= 1
    assert "among 1 states" not in out and "your state" not in out
    pr = " ".join(cli("near", "Mayaguez, PR").stdout.split())
    assert "Puerto Rico is a US territory" in pr


def test_no_in_person_clinic_is_listed_as_telehealth():
    in_person = make(routes=("iv", "at-home"), city="Aventura", state="FL", telehealth_states=())
    remote = make(routes=("at-home",), city="", state="FL", lat=None, telehealth_states=())
    assert not serves(in_person, "FL") and serves(remote, "FL")
    assert telehealth_in("FL", [in_person, remote]) == [remote]


def test_regions_and_regions_st_agree(cli):
    counts = {r["code"]: r for r in json.loads(cli("regions", "--json").stdout)["regions"]}
    for code in ("KS", "MT", "NY", "CO"):
        one = json.loads(cli("regions", code, "--json").stdout)
        assert len(one["telehealth"]) == counts[code]["telehealth"], code


def test_closed_telehealth_only_with_include_closed(cli, tmp_path):
    row = ("id,name,state,routes,telehealth_states,status\n"
           "gone-tele,Gone Telehealth,KS,at-home,KS,closed\n")  # fmt: skip
    data = tmp_path / "c.csv"
    data.write_text(row)
    plain = cli("near", "Wichita, KS", "--data", str(data), "--json").stdout
    shown = cli("near", "Wichita, KS", "--data", str(data), "--json", "--include-closed").stdout
    assert "gone-tele" not in plain and "gone-tele" in shown


def test_an_ambiguous_name_lists_numbered_matches_with_short_ids(cli):
    out = cli("show", "Ainsworth", "Institute")
    assert out.exit_code == 2
    assert re.search(
        r"^1\. Ainsworth Institute .* — New York, NY · show [0-9a-f]{6}$", out.stdout, re.M
    )
    short = re.search(r"show ([0-9a-f]{6})", out.stdout)[1]
    assert "Ainsworth Institute" in cli("show", short).stdout


def test_maintainer_notes_only_with_notes(cli):
    clinic = next(c for c in bundled_clinics() if c.notes and c.lat is not None)
    assert "notes" not in cli("show", clinic.id).stdout.split()
    assert clinic.notes.split()[0] in cli("show", clinic.id, "--notes").stdout
    assert json.loads(cli("show", clinic.id, "--json").stdout)["clinic"]["notes"] == clinic.notes


def test_wrap_never_cuts_a_word_and_a_table_refuses_what_cannot_fit():
    url = "https://example.org/" + "a" * 90
    lines = wrap(f"see {url} now", 40, hang=2)
    assert [line.plain for line in lines] == ["see", url, "  now"]
    assert table([Column("A"), Column("B")], [["abcdefghij", "klmnopqrst"]], 15) is None
    assert table([Column("A"), Column("B")], [["ab cd", "ef gh"]], 12) is not None


@needs_script
def test_a_pager_that_cannot_start_still_shows_everything(tmp_path):
    env = {"CLINICFINDER_PAGER": "no-such-pager-anywhere"}
    lines = in_terminal(["near", "New York, NY"], 80, tmp_path, env=env, rows=20)
    assert lines[0].startswith("Clinics near New York") and "Not medical advice" in " ".join(lines)


@needs_script
def test_colour_at_a_terminal_unless_no_color(tmp_path):
    coloured = "\n".join(
        in_terminal(["show", "a8c131"], 80, tmp_path, env={"NO_COLOR": None}, raw=True)
    )
    assert "\x1b[1m" in coloured
    plain = "\n".join(
        in_terminal(["show", "a8c131"], 80, tmp_path, env={"NO_COLOR": "1"}, raw=True)
    )
    assert "\x1b[" not in plain


@pytest.mark.parametrize(
    "argv",
    [["near", "New York, NY"], ["about", "ketamine"], ["show", "a8c131"], ["regions", "KS"],
     ["data", "stats"], ["near", "Denver, CO", "--condition", "ptsd"],
     ["near", "Denver, CO", "--fields", "name,city"]],
)  # fmt: skip
def test_one_renderer_never_imports_rich(argv):
    """The plain-output decision (issue 24): one layout of ours for every command."""
    code = (
        "import contextlib, io, sys\n"
        "from clinicfinder.cli.app import run\n"
        "with contextlib.redirect_stdout(io.StringIO()): run(sys.argv[1:])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_counts_are_grammatical():
    from clinicfinder.output.search import search_notices
    from clinicfinder.places.geocode import locate
    from clinicfinder.records.models import Search

    origin = locate("Wichita, KS")
    one = Search(origin, 80.0, [], True, 0, 10, hidden_closed=1, unplaced=1, unknown_route=1)
    text = " ".join(search_notices(one, "mi"))
    assert "(s)" not in text
    assert "1 more clinic in Kansas has no address" in text
    assert "1 clinic within 50 mi is reported closed" in text
    assert "doesn't say which treatments it offers" in text
    two = Search(origin, 80.0, [], True, 0, 10, hidden_closed=2, unplaced=2)
    assert "2 more clinics in Kansas have no address" in " ".join(search_notices(two, "mi"))
