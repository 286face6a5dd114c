"""`data recheck`'s report: CSV (a row per listing, then a row per page of it), JSON, and
the one-line summary for stderr. The CSV is for people and for
scripts/recheck_to_edits.py, which turns it into edits a maintainer reviews."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from clinicfinder.output.text import SCHEMA_VERSION
from clinicfinder.records.checks import VERDICTS, FactNote, ListingCheck, PageCheck
from clinicfinder.records.vocab import counted

COLUMNS = (
    "listing", "name", "scope", "page", "verdict", "status", "final_url", "evidence",
    "fills", "mismatches", "checked",
)  # fmt: skip


def note_text(note: FactNote) -> str:
    """'phone (316) 555-0100 [tel-link: “tel:+13165550100”]', with what is listed on a mismatch."""
    listed = f" (listed: {note.listed_value})" if note.kind == "mismatch" else ""
    return f"{note.field} {note.page_value}{listed} [{note.how}: “{note.quote}”]"


def _row(check: ListingCheck, page: PageCheck | None) -> dict[str, str]:
    if page is None:
        fills = [n for p in check.pages for n in p.notes if n.kind == "fill"]
        mismatches = [n for p in check.pages for n in p.notes if n.kind == "mismatch"]
        deciding = next((p for p in check.pages if p.page == check.page), None)
        status = deciding.status if deciding else None
        cells = {"scope": "listing", "page": check.page, "verdict": check.verdict,
                 "status": "" if status is None else str(status),
                 "final_url": deciding.final_url if deciding else "",
                 "evidence": check.evidence}  # fmt: skip
    else:
        fills = [n for n in page.notes if n.kind == "fill"]
        mismatches = [n for n in page.notes if n.kind == "mismatch"]
        cells = {"scope": page.role, "page": page.page, "verdict": page.verdict,
                 "status": "" if page.status is None else str(page.status),
                 "final_url": page.final_url, "evidence": page.evidence}  # fmt: skip
    return {
        "listing": check.listing,
        "name": check.name,
        **cells,
        "fills": "; ".join(note_text(n) for n in fills),
        "mismatches": "; ".join(note_text(n) for n in mismatches),
        "checked": check.checked,
    }


def csv_text(checks: Sequence[ListingCheck]) -> str:
    """By the one CSV writer (output/formats.py): formulas defused like every CSV's."""
    from clinicfinder.output.formats import csv_text as write_csv

    rows = [_row(check, page) for check in checks for page in (None, *check.pages)]
    return write_csv(rows, COLUMNS)


def _note(note: FactNote) -> dict[str, Any]:
    return {**note._asdict(), "listed_value": note.listed_value or None}


def json_document(checks: Sequence[ListingCheck], skipped: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "summary": dict(counts(checks)),
        "skipped": list(skipped),
        "listings": [
            {
                "listing": c.listing,
                "name": c.name,
                "verdict": c.verdict,
                "page": c.page or None,
                "evidence": c.evidence,
                "checked": c.checked,
                "pages": [
                    {
                        "page": p.page,
                        "role": p.role,
                        "verdict": p.verdict,
                        "status": p.status,
                        "final_url": p.final_url or None,
                        "evidence": p.evidence,
                        "not_modified": p.not_modified,
                        "fills": [_note(n) for n in p.notes if n.kind == "fill"],
                        "mismatches": [_note(n) for n in p.notes if n.kind == "mismatch"],
                    }
                    for p in c.pages
                ],
            }
            for c in checks
        ],
    }


def counts(checks: Sequence[ListingCheck]) -> Counter[str]:
    found = Counter(c.verdict for c in checks)
    return Counter({v: found[v] for v in VERDICTS})


def summary_line(
    checks: Sequence[ListingCheck],
    *,
    skipped: int = 0,
    pageless: int = 0,
    requests: int = 0,
    not_modified: int = 0,
    resumed: int = 0,
) -> str:
    """'612 ok, 18 gone, 9 moved, 7 changed, 20 unreachable, 0 blocked (700 listings; …)'."""
    found = counts(checks)
    head = ", ".join(f"{found[v]} {v}" for v in VERDICTS)
    fills = sum(1 for c in checks for p in c.pages for n in p.notes if n.kind == "fill")
    tail = [f"{counted(len(checks), 'listing')} checked", counted(requests, "request")]
    if not_modified:
        tail.append(f"{not_modified} unchanged since the last run (304)")
    if resumed:
        tail.append(f"{counted(resumed, 'page')} carried over from the interrupted run")
    if skipped:
        tail.append(f"{skipped} checked recently, skipped")
    if pageless:
        tail.append(f"{pageless} without a web page to check")
    if fills:
        tail.append(f"{counted(fills, 'fill')} for missing contact facts")
    return f"{head} ({'; '.join(tail)})"
