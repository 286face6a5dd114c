"""What `data recheck` found: a verdict per page and per listing, and the contact facts the
pages state. The online layer makes these; output renders them; nothing here fetches."""

from __future__ import annotations

from typing import NamedTuple

# Every verdict, in the order the summary names them.
VERDICTS: dict[str, str] = {
    "ok": "answers, and still names the clinic and ketamine or esketamine",
    "gone": "404 or 410, or the domain no longer resolves",
    "moved": "redirects to another host",
    "changed": "answers, but no longer mentions ketamine or esketamine, or announces closing",
    "unreachable": "no usable answer, twice (timeout, refused, TLS, rate-limited, 5xx)",
    "blocked": "robots.txt disallows it; never fetched",
}
# The verdicts that say something about the clinic (a listing "checked" on that day).
DEFINITE = ("ok", "gone", "moved", "changed")


class PageFact(NamedTuple):
    """A contact fact as a page states it."""

    field: str  # phone | street | postal_code
    value: str
    how: str  # json-ld | tel-link | printed
    quote: str  # the words on the page (at most 15)


class FactNote(NamedTuple):
    """A page's fact set against the listing's: a `fill` (the listing lacks it) or a
    `mismatch` (the listing says otherwise)."""

    kind: str  # fill | mismatch
    field: str
    page_value: str
    listed_value: str
    how: str
    quote: str


class PageCheck(NamedTuple):
    """One page of one listing, checked."""

    listing: str  # the listing's id
    name: str
    page: str  # the URL in the listing
    role: str  # website | source
    verdict: str
    status: int | None  # the HTTP status, when one came
    final_url: str  # where it ended (after same-host redirects), or where it redirects
    evidence: str  # the sentence, the status, or the failure, for a person to judge
    checked: str  # YYYY-MM-DD
    notes: tuple[FactNote, ...] = ()
    not_modified: bool = False  # the server said 304: the copy from the last run was reused


class ListingCheck(NamedTuple):
    """One listing: the verdict of its deciding page (its website, else its newest source)."""

    listing: str
    name: str
    verdict: str
    page: str
    evidence: str
    checked: str
    pages: tuple[PageCheck, ...]
