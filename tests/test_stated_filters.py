"""`near --payment/--language/--age` (issue 20, item 5): only what a source states matches;
repeating a filter means any of its values; every filter asked must hold; and the clinics
left out because their sources don't say are counted, as --condition and --route do."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder.errors import UsageProblem
from clinicfinder.records.vocab import AGES, LANGUAGES, PAYMENTS
from clinicfinder.search.rank import STATED_FILTERS, find_clinics, stated_values
from tests.conftest import bundled_clinics, make

VOCABS = {"payment": PAYMENTS, "language": LANGUAGES, "age": AGES}

AROUND = (  # synthetic clinics around Wichita, KS: what each one's source states
    make(id="medicare-spanish", lat=37.70, payment=("medicare", "cash"), languages=("spanish",),
         ages=("adult", "senior")),
    make(id="medicaid-only", lat=37.71, payment=("medicaid",), ages=("child",)),
    make(id="cash-sign", lat=37.72, payment=("cash",), languages=("sign-language",)),
    make(id="silent", lat=37.73),  # states no payment, language or age
)  # fmt: skip


def found(wichita, **filters):
    search = find_clinics(wichita, AROUND, radius_km=50, **filters)
    return [m.clinic.id for m in search.matches], dict(search.unknown_stated)


def test_only_what_a_source_states_matches_and_the_silent_are_counted(wichita):
    assert found(wichita, payments=["medicare"]) == (["medicare-spanish"], {"payment": 1})
    assert found(wichita, languages=["spanish"]) == (["medicare-spanish"], {"language": 2})
    assert found(wichita, ages=["child"]) == (["medicaid-only"], {"age": 2})


def test_a_repeated_filter_means_any_of_its_values(wichita):
    ids, unknown = found(wichita, payments=["medicare", "medicaid"])
    assert ids == ["medicare-spanish", "medicaid-only"] and unknown == {"payment": 1}


def test_different_filters_must_all_hold(wichita):
    assert found(wichita, payments=["cash"], languages=["sign-language"])[0] == ["cash-sign"]
    # medicaid-only takes Medicaid but states no language; silent states nothing at all.
    assert found(wichita, payments=["medicaid"], languages=["spanish"]) == (
        [], {"payment": 1, "language": 1}
    )  # fmt: skip


def test_without_these_filters_nothing_changes(wichita):
    assert found(wichita) == ([c.id for c in AROUND], {})


@pytest.mark.parametrize("kind", list(STATED_FILTERS))
def test_each_vocabulary_lives_in_records_vocab(kind):
    assert STATED_FILTERS[kind][0] is VOCABS[kind]
    aliases = STATED_FILTERS[kind][1]
    assert set(aliases.values()) <= set(VOCABS[kind])  # every alias names a real slug


def _typed(slug: str, upper: list[bool], sep: str) -> str:
    """A slug as someone might type it: any case, spaces or underscores for hyphens."""
    flags = (upper + [False] * len(slug))[: len(slug)]
    letters = [c.upper() if up else c for c, up in zip(slug, flags, strict=True)]
    return "".join(letters).replace("-", sep)


@given(
    kind=st.sampled_from(list(STATED_FILTERS)),
    data=st.data(),
    upper=st.lists(st.booleans(), max_size=30),
    sep=st.sampled_from(["-", " ", "_", "  "]),
)
def test_any_spelling_of_a_slug_resolves_to_it(kind, data, upper, sep):
    slug = data.draw(st.sampled_from(list(VOCABS[kind])))
    typed = f"  {_typed(slug, upper, sep)} "
    assert stated_values(kind, [typed]) == (slug,)


@given(kind=st.sampled_from(list(STATED_FILTERS)), data=st.data())
def test_commas_and_repeats_give_each_value_once_in_order(kind, data):
    slugs = data.draw(st.lists(st.sampled_from(list(VOCABS[kind])), min_size=1, max_size=6))
    expected = tuple(dict.fromkeys(slugs))
    assert stated_values(kind, [",".join(slugs)]) == expected
    assert stated_values(kind, slugs) == expected


@given(kind=st.sampled_from(list(STATED_FILTERS)), text=st.text(max_size=40))
def test_any_text_is_a_known_value_or_a_usage_problem(kind, text):
    try:
        values = stated_values(kind, [text])
    except UsageProblem as exc:
        assert kind in exc.message and "choose from" in (exc.hint or "")
    else:
        assert values and set(values) <= set(VOCABS[kind])


def test_the_words_people_use(wichita):
    assert stated_values("payment", ["Self-pay", "military"]) == ("cash", "tricare")
    assert stated_values("language", ["ASL", "Español"]) == ("sign-language", "spanish")
    assert stated_values("age", ["Seniors", "kids", "young adults"]) == (
        "senior", "child", "young-adult"
    )  # fmt: skip


def test_huntsville_medicare_lists_synergy_wellness_not_care_clinic(cli_json):
    """Issue 20's check: Care Clinic's sources state no Medicare."""
    doc = cli_json("near", "Huntsville, AL", "--payment", "medicare", "--radius", "30")
    names = [r["name"] for r in doc["results"]]
    assert "Synergy Wellness" in names and "Care Clinic" not in names
    assert all("medicare" in r["payment"] for r in doc["results"])
    assert doc["filters"]["payment"] == ["medicare"]


def test_los_angeles_spanish_lists_only_what_sources_state(cli_json):
    """Issue 20's check: only listings whose sources state Spanish, and at least one."""
    doc = cli_json("near", "Los Angeles, CA", "--language", "spanish", "--limit", "50")
    assert doc["results"] and doc["within_radius"]
    assert all("spanish" in r["languages"] for r in doc["results"])
    languages = {c.id: c.languages for c in bundled_clinics()}
    assert all("spanish" in languages[t["id"]] for t in doc["telehealth"])
    assert any("don't say which languages" in n for n in doc["notices"])


def test_the_heading_names_the_filters_and_json_carries_them(cli):
    table = cli("near", "Los Angeles, CA", "--language", "spanish", "--age", "senior")
    assert table.exit_code == 0, table.stderr
    assert "Only clinics whose sources state: Spanish; seniors." in table.stdout
    doc = json.loads(cli("near", "Los Angeles, CA", "--payment", "cash", "--payment",
                         "tricare", "--json").stdout)  # fmt: skip
    assert doc["filters"] == {"condition": None, "routes": [], "payment": ["cash", "tricare"],
                              "languages": [], "ages": []}  # fmt: skip


@pytest.mark.parametrize(
    ("option", "value"), [("--payment", "bitcoin"), ("--language", "klingon"), ("--age", "99")]
)
def test_an_unknown_value_is_one_line_with_the_choices(cli, option, value):
    from tests.conftest import assert_one_line_error

    result = cli("near", "Wichita, KS", option, value)
    assert_one_line_error(result, 2, value, "choose from")


def test_shell_completion_offers_the_values():
    from clinicfinder.cli.options import complete_ages, complete_languages, complete_payments

    assert complete_payments("me") == ["medicare", "medicaid"]
    assert "sign-language" in complete_languages("si") and complete_ages("") == list(AGES)
