"""Judging what came back: a verdict for a page (for one listing), the contact facts set
against the listing's, and a verdict for the listing. Pure functions: the fetching is in
recheck.py, so every rule here is tested without a server."""

from __future__ import annotations

import re
from typing import NamedTuple

from clinicfinder.online.pagefacts import PageText, format_phone, quote_of, sentences
from clinicfinder.places.names import place_key
from clinicfinder.records.checks import FactNote, ListingCheck, PageCheck, PageFact
from clinicfinder.records.models import phone_digits

KETAMINE = re.compile(r"\b(?:es)?ketamine\b|\bspravato\b", re.I)
CLOSED = re.compile(
    r"\b(?:permanently closed|closed permanently|(?:has|have|had) (?:now )?(?:permanently )?"
    r"closed|(?:is|are) now closed|clos(?:ed|ing) (?:our|its|their) doors"
    r"|ceased (?:operations|operating)|out of business)\b",
    re.I,
)
STOPPED = re.compile(
    r"\b(?:no longer|discontinued|stopped|ceased)\s+(?:be\s+)?"
    r"(?:offer|offers|offering|provide|provides|providing|administer|administering)\b",
    re.I,
)
_WHAT_STOPPED = re.compile(r"\b(?:es)?ketamine\b|\bspravato\b|\binfusions?\b|\bservices\b", re.I)
# Words too common in clinic names to show that a page names this clinic.
GENERIC = {
    "the", "and", "for", "clinic", "clinics", "center", "centre", "centers", "ketamine",
    "esketamine", "spravato", "wellness", "health", "healthcare", "medical", "medicine",
    "institute", "therapy", "therapies", "therapeutics", "infusion", "infusions", "llc", "inc",
    "pllc", "group", "services", "mental", "psychiatry", "psychiatric", "treatment", "care",
    "associates", "practice", "of", "at", "iv", "hospital", "behavioral", "integrative",
}  # fmt: skip
RETRY = ("timeout", "refused", "tls", "broken", "failed", "dns", "rate-limited", "status",
         "robots")  # fmt: skip


class Snapshot(NamedTuple):
    """What one fetch of one page got, before any listing is judged against it."""

    url: str
    status: int | None = None
    final_url: str = ""
    moved_to: str = ""
    page: PageText | None = None
    failure: str = ""  # one of RETRY, or "" when an answer came
    message: str = ""  # the failure, for a person
    blocked: str = ""  # the robots.txt that disallows it
    not_modified: bool = False
    retry_after: float | None = None
    content_type: str = ""


def names_clinic(name: str, text: str) -> bool:
    """Whether the page names the clinic: its whole name, or at least half of the words
    that set it apart from other clinics' names."""
    key = place_key(name)
    folded = f" {place_key(text)} "
    if key and f" {key} " in folded:
        return True
    distinctive = [w for w in dict.fromkeys(key.split()) if len(w) >= 3 and w not in GENERIC]
    if not distinctive:
        return False
    words = set(folded.split())
    return 2 * sum(w in words for w in distinctive) >= len(distinctive)


def closure_sentence(text: str) -> tuple[str, re.Match[str]] | None:
    for sentence in sentences(text):
        found = CLOSED.search(sentence)
        if found:
            return sentence, found
        found = STOPPED.search(sentence)
        if found and _WHAT_STOPPED.search(sentence):
            return sentence, found
    return None


def ketamine_sentence(text: str, name: str = "") -> tuple[str, re.Match[str]] | None:
    """The first sentence that mentions ketamine other than in the clinic's name, else the
    first that mentions it at all (a clinic called "… Ketamine Clinic" names it)."""
    first = None
    unnamed = re.compile(re.escape(name), re.I) if name else None
    for sentence in sentences(text):
        found = KETAMINE.search(sentence)
        if not found:
            continue
        if unnamed is None or KETAMINE.search(unnamed.sub("", sentence)):
            return sentence, found
        first = first or (sentence, found)
    return first


def page_verdict(
    snap: Snapshot, name: str, resolved_any: bool = True, *, words: bool = True
) -> tuple[str, str]:
    """(verdict, evidence) for a page of the clinic called `name`; `resolved_any` says
    whether any host resolved in this run (if none did, the network is down, and a name
    that didn't resolve proves nothing). Without `words` (a directory or a registry,
    which lists many clinics), or for a page that isn't text, only the answer is judged."""
    if snap.blocked:
        return "blocked", f"robots.txt disallows it for clinicfinder ({snap.blocked})"
    if snap.failure == "dns":
        if resolved_any:
            return "gone", "the domain no longer resolves"
        return "unreachable", "no host name resolved in this run (is the network down?)"
    if snap.failure:
        return "unreachable", snap.message
    status = snap.status or 0
    if snap.moved_to:
        return "moved", f"HTTP {status}: redirects to {snap.moved_to}"
    if status in (404, 410):
        return "gone", f"HTTP {status}"
    if status >= 400 or status < 200 or (300 <= status < 400 and status != 304):
        return "unreachable", f"HTTP {status}"
    head = f"HTTP {status}" + (" (not modified since the last run)" if snap.not_modified else "")
    kind = snap.content_type.split(";")[0].strip().lower()
    if kind and not (kind.startswith("text/") or "html" in kind or "xml" in kind):
        return "ok", f"{head}; answers with {kind}, which is not read"
    if not words:
        return "ok", f"{head}; a directory or registry page: only its answer is judged"
    text = snap.page.text if snap.page else ""
    closing = closure_sentence(text)
    if closing:
        return "changed", f"{head}; announces closing: “{quote_of(*closing)}”"
    mention = ketamine_sentence(text, name)
    if not mention:
        thin = f" (only {len(text)} characters of text: drawn by JavaScript?)" * (len(text) < 200)
        return "changed", f"{head}; no longer mentions ketamine, esketamine or Spravato{thin}"
    if not names_clinic(name, text):
        return "changed", f"{head}; mentions ketamine but no longer names {name}"
    return "ok", f"{head}; “{quote_of(*mention)}”"


def _street_key(street: str) -> str:
    """The house number and the next word: '126 East Burke St' and '126 E. Burke' agree."""
    words = place_key(street).split()
    return " ".join(words[:2]) if words and words[0][:1].isdigit() else place_key(street)


def compare_facts(
    facts: list[PageFact], phone: str, street: str, postal_code: str
) -> tuple[FactNote, ...]:
    """The page's facts against the listing's: a fill where the listing has none, a
    mismatch where the page states others and not the listed one."""
    notes: list[FactNote] = []
    listed = {"phone": phone, "street": street, "postal_code": postal_code}
    same = {
        "phone": lambda a, b: phone_digits(a) == phone_digits(b),
        "street": lambda a, b: _street_key(a) == _street_key(b),
        "postal_code": lambda a, b: a[:5] == b[:5],
    }
    for field in ("phone", "street", "postal_code"):
        stated = [f for f in facts if f.field == field]
        if not stated:
            continue
        first = stated[0]
        shown = format_phone(first.value) if field == "phone" else first.value
        if not listed[field].strip():
            notes.append(FactNote("fill", field, shown, "", first.how, first.quote))
        elif not any(same[field](f.value, listed[field]) for f in stated):
            notes.append(FactNote("mismatch", field, shown, listed[field], first.how, first.quote))
    return tuple(notes)


def listing_verdict(
    listing: str, name: str, pages: tuple[PageCheck, ...], checked: str, deciding: str = ""
) -> ListingCheck:
    """The listing stands or falls with its deciding page (the URL `deciding`; by default
    its website, else its first source); every other page is reported beside it."""
    first = next((p for p in pages if p.role == "website"), pages[0] if pages else None)
    page = next((p for p in pages if p.page == deciding), first)
    if page is None:
        return ListingCheck(listing, name, "unreachable", "", "no page to check", checked, ())
    return ListingCheck(listing, name, page.verdict, page.page, page.evidence, checked, pages)
