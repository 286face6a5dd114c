"""The rules `data recheck` judges pages by, without a server: verdicts, closure and
ketamine sentences, names, contact facts from HTML, and inputs that must never crash it.
Every clinic, phone and address is a synthetic fixture."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder.errors import UsageProblem
from clinicfinder.online.pagefacts import contact_facts, read_html
from clinicfinder.online.robots import from_answer
from clinicfinder.online.verdict import (
    Snapshot,
    closure_sentence,
    compare_facts,
    names_clinic,
    page_verdict,
)

NAME = "Fixture Sunflower Ketamine Clinic"


def page(*paragraphs: str) -> Snapshot:
    body = "".join(f"<p>{p}</p>" for p in paragraphs).encode()
    return Snapshot(
        "https://fixture.example/", 200, "https://fixture.example/", page=read_html(body)
    )


@pytest.mark.parametrize(
    ("snap", "verdict", "evidence"),
    [
        (page(f"{NAME}.", "Ketamine infusions for depression."), "ok", "“Ketamine infusions"),
        (page(f"{NAME} offers Spravato (esketamine)."), "ok", "Spravato"),
        (page("Fixture Sunflower.", "Yoga and massage."), "changed", "no longer mentions ketamine"),
        (page("Another Practice.", "Ketamine infusions."), "changed", "no longer names"),
        (page(f"{NAME} is permanently closed.", "Ketamine."), "changed", "permanently closed"),
        (page(f"{NAME}.", "We are no longer offering ketamine infusions."), "changed", "no longer"),
        (Snapshot("u", 404), "gone", "HTTP 404"),
        (Snapshot("u", 410), "gone", "HTTP 410"),
        (Snapshot("u", 301, "u", "https://parked.example/"), "moved", "parked.example"),
        (Snapshot("u", failure="timeout", message="did not answer"), "unreachable", "did not"),
        (Snapshot("u", failure="dns", message="x"), "gone", "no longer resolves"),
        (Snapshot("u", blocked="https://fixture.example/robots.txt"), "blocked", "robots.txt"),
        (Snapshot("u", 418), "unreachable", "HTTP 418"),
    ],
)
def test_page_verdicts(snap, verdict, evidence):
    found, said = page_verdict(snap, NAME)
    assert found == verdict and evidence in said


def test_a_page_with_almost_no_text_says_so():
    said = page_verdict(page("Loading…"), NAME)[1]
    assert said.endswith("(only 8 characters of text: drawn by JavaScript?)")


def test_a_name_that_does_not_resolve_proves_nothing_when_no_name_resolved():
    assert page_verdict(Snapshot("u", failure="dns"), NAME, resolved_any=False)[0] == "unreachable"


@pytest.mark.parametrize(
    ("text", "closing"),
    [
        ("We are closed on Sundays.", False),
        ("We are no longer accepting new patients.", False),
        ("Our office has closed for the holidays", True),  # the rule is plain; a person judges
        ("After ten years we are closing our doors.", True),
        ("We have discontinued offering ketamine infusions.", True),
        ("We stopped offering ketamine infusions in May.", True),
    ],
)
def test_closure_sentences(text, closing):
    assert bool(closure_sentence(text)) == closing


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Welcome to Fixture Sunflower Ketamine Clinic", True),
        ("welcome to fixture sunflower", True),  # the words that set it apart
        ("Welcome to the Ketamine Clinic", False),  # only generic words
        ("Sunflower Seeds Co.", True),  # half of them: fixture, sunflower
    ],
)
def test_names_clinic(text, named):
    assert names_clinic(NAME, text) == named


def test_contact_facts_from_json_ld_graph_tel_links_and_print():
    graph = {
        "@graph": [
            {"@type": "WebSite"},
            {
                "@type": ["MedicalClinic"],
                "telephone": "(316) 555-0150",
                "address": [{"streetAddress": "300  Fixture Ave, Suite 2", "postalCode": "67202"}],
            },
        ]
    }
    body = (
        f'<script type="application/ld+json">{json.dumps(graph)}</script>'
        '<script>var x = "tel:+13165550000";</script>'
        '<p>Call <a href="tel:316.555.0151">us</a> or <a href="tel:911">911</a></p>'
        "<address>400 Fixture Road, Ste 5, Wichita, KS 67203-1234</address>"
    ).encode()
    facts = {(f.field, f.value, f.how) for f in contact_facts(read_html(body))}
    assert facts == {
        ("phone", "3165550150", "json-ld"),
        ("street", "300 Fixture Ave, Suite 2", "json-ld"),
        ("postal_code", "67202", "json-ld"),
        ("phone", "3165550151", "tel-link"),
        ("street", "400 Fixture Road, Ste 5", "printed"),
        ("postal_code", "67203", "printed"),
    }


def test_facts_against_the_listing():
    facts = contact_facts(read_html(b'<a href="tel:+1 316 555 0150">x</a><p>9 Fixture St, '
                                    b"Wichita, KS 67202</p>"))  # fmt: skip
    same = compare_facts(facts, "316-555-0150", "9 Fixture Street", "67202")
    assert same == ()
    other = compare_facts(facts, "316-555-0199", "", "67208")
    assert [(n.kind, n.field, n.page_value) for n in other] == [
        ("mismatch", "phone", "(316) 555-0150"),
        ("fill", "street", "9 Fixture St"),
        ("mismatch", "postal_code", "67202"),
    ]


def test_a_name_that_does_not_resolve_is_told_apart_from_a_refusal():
    import socket

    import requests
    import urllib3

    from clinicfinder.online.http import _unresolved

    lookup = urllib3.exceptions.NameResolutionError("nothing.invalid", None, socket.gaierror(-2))
    wrapped = requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", lookup))
    assert _unresolved(wrapped)
    assert not _unresolved(requests.ConnectionError(ConnectionRefusedError(111, "refused")))


def test_robots_answers():
    assert from_answer("r", 404, b"").allows("https://x/any")
    assert not from_answer("r", 403, b"").allows("https://x/any")
    assert from_answer("r", 503, b"") is None and from_answer("r", 429, b"") is None
    rules = from_answer("r", 200, b"User-agent: clinicfinder\nDisallow: /team\n")
    assert not rules.allows("https://x/team/a") and rules.allows("https://x/about")


@given(st.binary(max_size=3000))
def test_any_page_is_read_without_failing(body):
    text = read_html(body)
    for fact in contact_facts(text):
        assert len(fact.quote.split()) <= 15 or fact.how == "json-ld"
    page_verdict(Snapshot("u", 200, "u", page=text), NAME)


@given(st.text(alphabet=st.sampled_from('<>/"=a tel:{}[]@type:MedicalClinic1234567890-'),
               max_size=400))  # fmt: skip
def test_any_markup_is_read_without_failing(markup):
    body = f'<script type="application/ld+json">{markup}</script>{markup}'.encode()
    contact_facts(read_html(body))


@given(st.text(max_size=30))
def test_since_is_an_age_or_a_usage_error(text):
    from clinicfinder.search.rank import oldest_allowed

    try:
        cutoff = oldest_allowed(text, date(2026, 12, 7), option="--since")
    except UsageProblem:
        return
    assert cutoff is not None and cutoff <= "2026-12-07"


@given(st.binary(max_size=2000))
def test_any_robots_txt_is_read_without_failing(body):
    rules = from_answer("https://x/robots.txt", 200, body)
    rules.allows("https://x/page")


def test_a_page_that_is_not_text_or_lists_many_clinics_is_judged_by_its_answer():
    pdf = Snapshot("u", 200, "u", page=read_html(b"%PDF-1.7"), content_type="application/pdf")
    assert page_verdict(pdf, NAME) == (
        "ok",
        "HTTP 200; answers with application/pdf, which is not read",
    )
    listing = page("Many clinics, none of them this one.")
    assert page_verdict(listing, NAME)[0] == "changed"
    verdict, evidence = page_verdict(listing, NAME, words=False)
    assert verdict == "ok" and "directory or registry" in evidence


def test_since_and_max_age_read_an_age_alike():
    """One age reader: --since 3m meant 90 days while --max-age 3m meant three calendar
    months; both now mean the latter, and both take weeks."""
    from clinicfinder.search.rank import oldest_allowed

    day = date(2026, 12, 7)
    for age, oldest in [("3m", "2026-09-07"), ("6w", "2026-10-26"), ("30d", "2026-11-07")]:
        assert oldest_allowed(age, day, option="--since") == oldest == oldest_allowed(age, day)
