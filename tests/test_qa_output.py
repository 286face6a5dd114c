"""What a QA pass on the plain output found: each test here failed before its fix."""

from __future__ import annotations

import json
import re
import shlex

import pytest


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("Columbus, OH", "--route", "spravato"), "--route"),
        (("Huntsville, AL", "--payment", "medicare", "--radius", "30"), "--payment"),
    ],
)
def test_telehealth_says_those_listed_above_only_under_a_list(cli, args, option):
    out = cli("near", *args).stdout
    assert "Also available by telehealth" not in out  # no list is shown here
    assert "those listed above" not in out
    line = " ".join(out[out.index("Telehealth:") :].split()[:20])
    assert option in line and "clinicfinder regions" in line, line


def test_data_stats_says_what_each_share_is_of(cli, cli_json):
    s = cli_json("data", "stats")["stats"]
    text = " ".join(cli("data", "stats").stdout.split())
    whole, placed = s["clinics"], s["placed_open"]
    assert f"of all {whole} listings: with a phone {s['with_phone']} " in text
    assert f"of the {placed} placed on the map and not closed" in text
    share = round(100 * s["placed_open_with_phone"] / placed)
    assert f"with a phone {s['placed_open_with_phone']} ({share}%)" in text
    # the 588 never heads a list of shares of the 707
    assert f"{placed} · with a phone" not in text


def test_an_ambiguous_name_errs_in_one_short_line_under_the_numbered_list(cli):
    from clinicfinder.clinics.lookup import short_id

    done = cli("show", "Ainsworth", "Institute", env={"COLUMNS": "120"})
    assert done.exit_code == 2
    (line,) = done.stderr.splitlines()
    assert len(line) <= 80 and "short id" in line, line
    listed = done.stdout.splitlines()
    assert listed[0] == "2 clinics have that name:"
    ids = [row.rsplit("show ", 1)[1] for row in listed[1:]]
    assert [row[:3] for row in listed[1:]] == ["1. ", "2. "]
    for short in ids:  # each id listed shows its clinic
        shown = json.loads(cli("show", short, "--json").stdout)["clinic"]
        assert short_id(shown["id"]) == short


def test_every_bundled_id_is_at_most_80_characters():
    from tests.conftest import bundled_clinics

    longest = max((c.id for c in bundled_clinics()), key=len)
    assert len(longest) <= 80, longest


def test_piped_show_puts_a_long_id_alone_under_its_label(monkeypatch):
    """In a pipe (80 columns) no line is wider, but a URL alone on its line: an id, like a
    URL, is never cut, so when label and id don't fit the id gets a line to itself."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import bundled_clinics

    monkeypatch.delenv("COLUMNS")
    script = Path(sys.executable).with_name("clinicfinder")
    longest = sorted((c.id for c in bundled_clinics()), key=len)[-3:]
    for clinic_id in longest:
        done = subprocess.run(
            [str(script), "show", clinic_id], capture_output=True, text=True, check=True
        )
        lines = done.stdout.splitlines()
        assert any(clinic_id in line for line in lines), clinic_id  # whole, never cut
        for line in lines:
            url = line.strip().startswith("http") and " " not in line.strip()
            assert len(line) <= 80 or url, line


def _commands() -> list[tuple[str, ...]]:
    """Every command and subcommand, as the words that run it."""
    import typer

    from clinicfinder.cli.app import app

    found: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


# Examples that go online, write files, change saved settings or need the user's own file.
_NOT_OFFLINE = re.compile(
    r"--online|--map|-o\b|--out\b|>|\||\bexport\b|data (update|recheck|fetch|geocode)"
    r"|config (set|unset)|cache clear|my-clinics|\ba\.csv|mine\.csv|ks\.csv"
)


def test_every_offline_example_in_every_help_runs(cli, tmp_path, monkeypatch):
    """An example is a promise: `show 3f9a2c` named no clinic at all."""
    monkeypatch.chdir(tmp_path)
    ran = []
    for path in _commands():
        text = cli(*path, "--help").stdout
        for line in text.splitlines():
            found = re.match(r"\s+clinicfinder (.+)", line)
            if not found or _NOT_OFFLINE.search(found[1]):
                continue
            example = re.split(r"\s{2,}", found[1].strip())[0]  # drop a trailing comment
            done = cli(*shlex.split(example))
            documented = 1 if example.startswith("config get") else 0  # "exit 1 if unset"
            assert done.exit_code in (0, documented), (example, done.stderr)
            ran.append(example.split()[0] if example.split()[0] != "data" else example)
    assert {"near", "show", "about", "regions", "geocode", "data stats"} <= set(ran), ran
    assert "data validate" in set(ran) and "show a8c131" in " ".join(
        line for line in cli("show", "--help").stdout.splitlines()
    )


def test_command_lists_never_cut_a_description():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("clinicfinder")
    for path in _commands():
        text = subprocess.run(
            [str(script), *path, "--help"], capture_output=True, text=True, check=True
        ).stdout
        listed = text.split("Commands:", 1)[1] if "Commands:" in text else ""
        assert "..." not in listed, (path, listed)
        assert all(len(line) <= 80 for line in listed.splitlines()), path


def test_a_radius_given_in_km_heads_the_results_in_km(cli):
    def heading(*args: str) -> str:
        return cli("near", "Wichita, KS", *args).stdout.splitlines()[0]

    assert heading("--radius", "100 km").endswith("within 100 km")
    assert heading("--radius", "100 km", "--units", "mi").endswith("within 62 mi")
    assert heading("--radius", "100").endswith("within 100 mi")


def test_distances_over_a_thousand_are_grouped_by_thousands(cli):
    from clinicfinder.output.text import format_distance

    assert format_distance(5970.0, "km") == "5,970 km"
    assert format_distance(9.96, "mi") == "6.2 mi"
    out = cli("near", "Hagatna, GU").stdout
    assert re.search(r"~\d,\d{3} mi", out) and not re.search(r"\d{4} mi", out), out[:400]


def test_languages_and_related_conditions_are_labels_of_their_own(cli):
    narrow = {"COLUMNS": "80"}  # one block per clinic: the name and its labels run on
    utah = " ".join(cli("near", "St. George, UT", env=narrow).stdout.split())
    assert "[ages: young adults, adults, seniors] [Spanish, sign language]" in utah
    assert "seniors; sign language" not in utah
    kansas = " ".join(
        cli(
            "near", "Garden City, KS", "--condition", "TRD", "--radius", "250", env=narrow
        ).stdout.split()
    )
    assert "Advanced Infusion and Wellness Center — related: lists depression" in kansas


def test_no_message_counts_with_a_bracketed_plural():
    """Counts read as words ("1 file", "3 rows"), never "file(s)": every count in a message
    goes through records.vocab.counted. A placeholder followed by "noun(s)" is the old form."""
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    old = re.compile(r"\}\s+[a-z ]*\w\(s\)")
    found = [
        f"{path.relative_to(repo)}:{n}"
        for path in [*(repo / "src").rglob("*.py"), *(repo / "scripts").glob("*.py")]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if old.search(line)
    ]
    assert not found, found


@pytest.mark.parametrize(
    ("args", "said"),
    [(["near", "Puerto Rico"], "Puerto Rico — territory centre"),
     (["near", "Kansas"], "Kansas — state centre"),
     (["geocode", "Puerto Rico"], "— territory centre —")],
)  # fmt: skip
def test_a_region_centre_says_what_the_region_is(cli, args, said):
    """One precision_label for every heading (it was special-cased in the map only, so the
    table called Puerto Rico a state)."""
    result = cli(*args)
    assert result.exit_code == 0 and said in result.stdout
