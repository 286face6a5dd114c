"""`about` pages: every condition and route has one, each is sourced, and names resolve."""

import json
import re

import pytest

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UnknownTopic, UsageProblem
from clinicfinder.places.gazetteer import place_key
from clinicfinder.records.vocab import CONDITIONS, EVIDENCE, ROUTES
from clinicfinder.topics.pages import (
    find_topic,
    parse_topic,
    resolve_condition,
    resolve_route,
    safety,
    topic_for,
    topics,
)
from tests.conftest import bundled_clinics

CONDITION_SLUGS = [*CONDITIONS, "recreational-use"]
IDENTIFIER = re.compile(r"^(PMID \d+|DOI 10\.\S+|URL)$")
# Evidence is cited by PMID or DOI, or on the hosts of primary records (issue 12):
# trials, drug labels, regulators, helplines. Never mirrors, proxies, pill-info sites,
# news aggregators or clinics' own sites.
PRIMARY_HOSTS = (
    "pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "doi.org",
    "dailymed.nlm.nih.gov", "www.accessdata.fda.gov", "www.fda.gov", "www.federalregister.gov",
    "www.dea.gov", "www.deadiversion.usdoj.gov", "deadiversion.usdoj.gov", "www.ecfr.gov",
    "www.samhsa.gov", "988lifeline.org", "clinicaltrials.gov", "www.nimh.nih.gov",
    "www.nih.gov", "www.cdc.gov", "www.va.gov", "www.govinfo.gov",
    # HRSA's helplines (Poison Help; the National Maternal Mental Health Hotline) and a
    # Medicare Administrative Contractor's billing notice: official federal program pages.
    "www.poisonhelp.hrsa.gov", "mchb.hrsa.gov", "cgsmedicare.com",
)  # fmt: skip
NEVER_EVIDENCE = re.compile(
    r"scribd|zendy|proxy|//dev\.|drugs\.com|medicinenet|rxlist|webmd|120ty|usmedicine|"
    r"spravatotreatmentcenter|osmind|silive|ketamine.*(clinic|center|wellness)"
)


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
    for source in topic.sources:
        assert source.cite and IDENTIFIER.match(source.ref), source
        assert source.url.startswith(("http://", "https://")), source
    for cost in topic.costs:
        assert cost.source and cost.url.startswith("http"), cost
        assert (cost.year and cost.year_basis == "published") or (
            not cost.year and cost.year_basis == "undated"
        ), cost
        assert not NEVER_EVIDENCE.search(cost.url), cost
    for _field, text in topic.sections:
        assert text and "[" not in text  # plain text: no markup for the terminal to interpret


def _is_primary(source) -> bool:
    host = source.url.split("://", 1)[-1].split("/", 1)[0]
    return source.ref.startswith(("PMID ", "DOI ")) or host in PRIMARY_HOSTS


@pytest.mark.parametrize("topic", [*topics(), safety()], ids=lambda t: t.slug)
def test_every_source_is_a_primary_record(topic):
    for source in topic.sources:
        assert _is_primary(source), source
        assert not NEVER_EVIDENCE.search(source.url), source
    assert sum(map(_is_primary, topic.sources)) >= 2


def test_the_safety_section_is_sourced_to_the_label_and_the_fda():
    page = safety()
    hosts = {s.url.split("/")[2] for s in page.sources}
    assert {"dailymed.nlm.nih.gov", "www.fda.gov"} <= hosts
    sections = dict(page.sections)
    assert "psychosis" in sections["not_for"].lower() and "pregnan" in sections["not_for"].lower()
    assert "next day" in sections["driving"].lower()


def test_pages_past_their_review_date_say_so(cli, tmp_path, monkeypatch):
    from clinicfinder.output.topics import overdue

    page = topic_for("at-home")
    assert page.review_by == "2026-12-31"  # the DEA's telemedicine flexibilities end then
    assert not overdue(page, today="2026-12-31") and overdue(page, today="2027-01-01")


def test_ketamine_overview_comes_first_with_the_questions_to_ask(cli):
    assert topics()[0].slug == "ketamine"
    for text in ("ketamine", "overview", "Ketamine"):
        assert find_topic(text).slug == "ketamine"
    out = cli("about", "ketamine").stdout
    assert "Choosing a clinic" in out and "Red flags" in out
    listing = cli("about").stdout
    assert listing.index("ketamine") < listing.index("depression")
    assert "about ketamine" in listing


@pytest.mark.parametrize("topic", topics(), ids=lambda t: t.slug)
def test_every_page_carries_the_crisis_panel(cli, topic):
    """Review 2: route pages too (IV, IM and KAP are the main off-label routes for
    depression), in the page and in its JSON."""
    assert topic.crisis
    assert "741741" in cli("about", topic.slug).stdout
    doc = json.loads(cli("about", topic.slug, "--json").stdout)["topic"]
    assert doc["crisis"] is True and "988" in doc["crisis_lines"]


def test_a_page_without_the_crisis_panel_is_refused(tmp_path):
    path, _ = _broken(tmp_path, "crisis = true", "crisis = false")
    with pytest.raises(DataError, match="crisis panel"):
        parse_topic(path)


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
    assert "988" in page.stdout and "741741" in page.stdout  # the crisis panel, every page
    doc = json.loads(cli("about", topic.slug, "--json").stdout)["topic"]
    assert doc["slug"] == topic.slug and doc["evidence"] == (topic.evidence or None)
    assert len(doc["summary"]) >= 200 and len(doc["sources"]) >= 2
    assert "988" in doc["crisis_line"] and doc["review_by"] == topic.review_by
    expected = {
        "condition": {"how_used", "careful_with", "safety"},
        "route": {"cost", "costs", "safety"},
        "overview": {"choosing", "red_flags", "costs", "safety"},
        "safety": {"not_for", "side_effects", "interactions", "monitoring", "pregnancy"},
        "cost": {"cost", "insurance", "ask_insurer", "savings", "price_flags", "route_costs"},
    }[topic.kind]
    assert expected <= set(doc)
    assert "Who should not take it" in page.stdout or topic.kind == "cost"
    assert doc["grades"] == [
        {"level": g.level, "scope": g.scope, "meaning": EVIDENCE[g.level]} for g in topic.grades
    ]


def test_suicidal_ideation_shows_the_crisis_lines(cli):
    out = cli("about", "suicidal thoughts").stdout
    assert "988" in out and "741741" in out


def test_the_list_shows_every_topic_with_its_evidence(cli, cli_json):
    listing = cli("about").stdout
    for t in topics():
        assert t.slug in listing
    rows = cli_json("about")["topics"]
    assert {r["slug"] for r in rows} == {t.slug for t in topics()}
    assert all(r["tagline"] for r in rows)
    assert all(r["evidence"] for r in rows if r["slug"] not in ("ketamine", "safety", "cost"))
    assert next(r for r in rows if r["slug"] == "recreational-use")["evidence"] == "harms"


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
