"""`about` pages: every condition and route has one, each is sourced, and names resolve."""

import json
import re

import pytest

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UnknownTopic, UsageProblem
from clinicfinder.places.gazetteer import place_key
from clinicfinder.records.vocab import CONDITIONS, ROUTES
from clinicfinder.topics.pages import (
    find_topic,
    parse_topic,
    resolve_condition,
    resolve_route,
    topic_for,
    topics,
)
from tests.conftest import bundled_clinics

CONDITION_SLUGS = [*CONDITIONS, "recreational-use"]
MUST_SHOW_CRISIS = [
    "depression", "treatment-resistant-depression", "suicidal-ideation", "bipolar-depression",
    "postpartum-depression", "ptsd", "substance-use", "recreational-use",
]  # fmt: skip
IDENTIFIER = re.compile(r"^(PMID \d+|DOI 10\.\S+|URL)$")


@pytest.mark.parametrize("slug", CONDITION_SLUGS)
def test_every_condition_has_a_page(slug):
    topic = topic_for(slug)
    assert topic is not None and topic.kind == "condition"


@pytest.mark.parametrize("slug", ROUTES)
def test_every_route_has_a_page(slug):
    topic = topic_for(slug)
    assert topic is not None and topic.kind == "route"


def test_everything_named_in_the_clinic_data_has_a_page():
    named = {x for c in bundled_clinics() for x in (*c.conditions, *c.routes)}
    assert named and all(topic_for(x) for x in named), named - {t.slug for t in topics()}


@pytest.mark.parametrize("topic", topics(), ids=lambda t: t.slug)
def test_each_page_is_substantive_and_sourced(topic):
    assert len(topic.summary) >= 200
    assert len(topic.tagline) <= 90
    assert len(topic.sources) >= 2
    for source in topic.sources:
        assert source.cite and IDENTIFIER.match(source.ref), source
        assert source.url.startswith(("http://", "https://")), source
    for cost in topic.costs:
        assert cost.source and cost.year and cost.url.startswith("http"), cost
    for _field, text in topic.sections:
        assert text and "[" not in text  # plain text: no markup for the terminal to interpret


@pytest.mark.parametrize("slug", MUST_SHOW_CRISIS)
def test_crisis_pages_are_flagged(slug):
    assert topic_for(slug).crisis


def test_no_alias_names_two_topics():
    seen: dict[str, str] = {}
    for t in topics():
        for name in (t.slug, t.name, *t.aliases):
            key = place_key(name)
            assert seen.setdefault(key, t.slug) == t.slug, f"{name!r}: {seen[key]} and {t.slug}"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("MDD", "depression"),
        ("PTSD", "ptsd"),
        ("TRD", "treatment-resistant-depression"),
        ("GAD", "anxiety"),
        ("chronic pain", "chronic-pain"),
        ("CRPS", "chronic-pain"),
        ("fibromyalgia", "chronic-pain"),
        ("addiction", "substance-use"),
        ("AUD", "alcohol-use"),
        ("k-hole", "recreational-use"),
        ("Spravato", "esketamine"),
        ("infusion", "iv"),
        ("telehealth", "at-home"),
    ],
)
def test_aliases_resolve(text, slug):
    assert find_topic(text).slug == slug


@pytest.mark.parametrize(("typo", "slug"), [("depresion", "depression"), ("spravto", "esketamine")])
def test_a_typo_gets_a_suggestion(typo, slug):
    with pytest.raises(UnknownTopic) as err:
        find_topic(typo)
    assert f"did you mean '{slug}'" in err.value.hint


def test_nonsense_lists_the_topics():
    with pytest.raises(UnknownTopic) as err:
        find_topic("zzzz")
    assert "depression" in err.value.hint and "esketamine" in err.value.hint


@pytest.mark.parametrize(
    ("text", "slug"),
    [("ptsd", "ptsd"), ("PTSD", "ptsd"), ("Chronic Pain", "chronic-pain"), ("gad", "anxiety")],
)
def test_condition_filter_names_resolve(text, slug):
    assert resolve_condition(text) == slug


@pytest.mark.parametrize(("text", "slug"), [("spravato", "esketamine"), ("IV", "iv")])
def test_route_filter_names_resolve(text, slug):
    assert resolve_route(text) == slug


def test_topics_are_not_confused_across_kinds():
    with pytest.raises(UsageProblem):
        resolve_condition("recreational-use")  # a page, but not something clinics treat
    with pytest.raises(UsageProblem):
        resolve_route("depression")
    with pytest.raises(UsageProblem) as err:
        resolve_route("esketamin")
    assert err.value.hint == "did you mean 'esketamine'?"


@pytest.mark.parametrize("topic", topics(), ids=lambda t: t.slug)
def test_every_page_renders_as_a_page_and_as_json(cli, topic):
    page = cli("about", topic.slug)
    assert page.exit_code == 0, page.stderr
    assert "Sources" in page.stdout and f"reviewed {topic.reviewed}" in page.stdout
    assert "Not medical advice" in page.stdout
    assert ("988" in page.stdout) == topic.crisis
    doc = json.loads(cli("about", topic.slug, "--json").stdout)["topic"]
    assert doc["slug"] == topic.slug and doc["evidence"] == topic.evidence
    assert len(doc["summary"]) >= 200 and len(doc["sources"]) >= 2
    expected = {"how_used", "careful_with"} if topic.kind == "condition" else {"cost", "costs"}
    assert expected <= set(doc)


def test_suicidal_ideation_shows_the_crisis_lines(cli):
    out = cli("about", "suicidal thoughts").stdout
    assert "988" in out and "741741" in out


def test_the_list_shows_every_topic_with_its_evidence(cli, cli_json):
    listing = cli("about").stdout
    for t in topics():
        assert t.slug in listing
    rows = cli_json("about")["topics"]
    assert {r["slug"] for r in rows} == {t.slug for t in topics()}
    assert all(r["evidence"] and r["tagline"] for r in rows)


def test_near_with_a_crisis_condition_shows_the_lines(cli, cli_json):
    out = cli("near", "Denver, CO", "--condition", "PTSD").stdout
    assert "evidence:" in out and "741741" in out
    doc = cli_json("near", "Denver, CO", "--condition", "trd")
    assert doc["conditions"][0]["slug"] == "treatment-resistant-depression"
    assert doc["conditions"][0]["crisis_lines"]


def test_near_accepts_route_aliases(cli_json):
    doc = cli_json("near", "Denver, CO", "--route", "spravato")
    assert doc["filters"]["routes"] == ["esketamine"]


def _broken(tmp_path, old, new):
    good = data_path("conditions/anxiety.md").read_text(encoding="utf-8")
    assert old in good
    path = tmp_path / "anxiety.md"
    path.write_text(good.replace(old, new), encoding="utf-8")
    return path, good


def test_unknown_evidence_level(tmp_path):
    path, _ = _broken(tmp_path, 'evidence = "emerging"', 'evidence = "strong"')
    with pytest.raises(DataError, match="unknown evidence level"):
        parse_topic(path)


def test_unknown_section_is_reported_at_its_line(tmp_path):
    path, good = _broken(tmp_path, "## Risks", "## Hype")
    line = good.splitlines().index("## Risks") + 1
    with pytest.raises(DataError, match="unknown section 'Hype'") as err:
        parse_topic(path)
    assert err.value.line == line


def test_bad_toml_is_reported_at_its_line(tmp_path):
    path, _ = _broken(tmp_path, 'slug = "anxiety"', 'slug = "anxiety')
    with pytest.raises(DataError) as err:
        parse_topic(path)
    assert err.value.line == 2


def test_a_route_page_is_not_a_condition(tmp_path):
    with pytest.raises(DataError, match="expected kind"):
        parse_topic(data_path("routes/iv.md"), "condition")
