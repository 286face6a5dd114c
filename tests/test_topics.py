"""Topic pages: the bundled files parse, carry sources, and names resolve."""

import pytest

from clinicfinder.bundled import data_path
from clinicfinder.conditions import find_topic, parse_topic, resolve_condition, topics
from clinicfinder.errors import DataError, UnknownTopic, UsageProblem

STARTING_TOPICS = {"depression", "anxiety", "eating-disorders", "chronic-pain", "recreational-use"}


def test_the_starting_topics_are_all_there():
    assert {t.slug for t in topics()} >= STARTING_TOPICS


@pytest.mark.parametrize("topic", topics(), ids=lambda t: t.slug)
def test_each_topic_is_substantive_and_sourced(topic):
    assert topic.summary.count(". ") >= 2
    assert len(topic.tagline) <= 90
    assert len(topic.sources) >= 2
    for source in topic.sources:
        assert source.cite and source.url.startswith(("http://", "https://"))
    assert "[" not in topic.summary  # plain text: no markup for the terminal to interpret


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("depression", "depression"),
        ("MDD", "depression"),
        ("Major Depression", "depression"),
        ("GAD", "anxiety"),
        ("chronic pain", "chronic-pain"),
        ("CRPS", "chronic-pain"),
        ("fibromyalgia", "chronic-pain"),
        ("k-hole", "recreational-use"),
        ("anorexia", "eating-disorders"),
    ],
)
def test_aliases_resolve(text, slug):
    assert find_topic(text).slug == slug


def test_a_typo_gets_a_suggestion():
    with pytest.raises(UnknownTopic) as err:
        find_topic("depresion")
    assert "depression" in err.value.hint


def test_nonsense_lists_the_topics():
    with pytest.raises(UnknownTopic) as err:
        find_topic("zzzz")
    assert "depression" in err.value.hint and "anxiety" in err.value.hint


@pytest.mark.parametrize(
    ("text", "slug"),
    [("ptsd", "ptsd"), ("PTSD", "ptsd"), ("Chronic Pain", "chronic-pain"), ("gad", "anxiety")],
)
def test_condition_filter_names_resolve(text, slug):
    assert resolve_condition(text) == slug


def test_recreational_use_is_not_a_clinic_condition():
    with pytest.raises(UsageProblem):
        resolve_condition("recreational-use")


def test_malformed_topic_files_name_the_file(tmp_path):
    good = data_path("conditions/anxiety.md").read_text(encoding="utf-8")
    bad = tmp_path / "anxiety.md"
    bad.write_text(good.replace('evidence = "emerging"', 'evidence = "strong"'), encoding="utf-8")
    with pytest.raises(DataError, match="unknown evidence level"):
        parse_topic(bad)
    bad.write_text(good.replace("## Risks", "## Hype"), encoding="utf-8")
    with pytest.raises(DataError, match="unknown section 'Hype'") as err:
        parse_topic(bad)
    assert err.value.line and err.value.line > 1
    bad.write_text(good.replace('slug = "anxiety"', 'slug = "anxiety'), encoding="utf-8")
    with pytest.raises(DataError) as err:
        parse_topic(bad)
    assert err.value.line == 2
