"""One clinic in full (`show`), and how a text resolved to a place (`geocode`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinicfinder.output.text import (
    NOT_ADVICE,
    ROUTE_SHORT,
    SCHEMA_VERSION,
    console,
    phone_text,
    plain,
)
from clinicfinder.records.models import CLINIC_COLUMNS
from clinicfinder.records.vocab import (
    AGES,
    CONDITIONS,
    EVIDENCE_KINDS,
    LANGUAGES,
    PAYMENTS,
    PLACEMENT,
    PRECISION_LABELS,
    STATUSES,
)

if TYPE_CHECKING:
    from clinicfinder.clinics.checks import Check
    from clinicfinder.records.models import Clinic, ClinicSource


def clinic_record(clinic: Clinic) -> dict[str, Any]:
    """Every field of the clinic; lists as lists, unknown text as null."""
    record = clinic._asdict()
    for key, value in record.items():
        if isinstance(value, tuple):
            record[key] = list(value)
        elif value == "":
            record[key] = None
    return record


def source_record(source: ClinicSource) -> dict[str, Any]:
    record = source._asdict()
    record["supports"] = list(source.supports)
    return {k: (None if v == "" else v) for k, v in record.items()}


# The fields of each kind of record, in order: what --fields may pick, and the CSV header.
CLINIC_FIELDS = list(CLINIC_COLUMNS)


def geocode_record(text: str, results: dict[str, Any]) -> dict[str, Any]:
    """`geocode --json`: each way of resolving the text, as a place or an error."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "query": text}
    for way, result in results.items():
        if isinstance(result, Exception):
            doc[way] = {"error": getattr(result, "message", str(result))}
        else:
            doc[way] = result._asdict()
    return doc


def print_geocode(results: dict[str, Any]) -> None:
    from clinicfinder.output.styled import Text

    out = console()
    for way, result in results.items():
        out.print(Text(way, style="bold"))
        if isinstance(result, Exception):
            out.print(Text("  " + plain(getattr(result, "message", str(result))), style="yellow"))
            continue
        out.print(Text(f"  {plain(result.label)}"))
        out.print(
            Text(
                f"  {result.lat:.5f}, {result.lon:.5f} — {PRECISION_LABELS[result.precision]}"
                f" — {plain(result.source)}",
                style="dim",
            )
        )
        if result.note:
            out.print(Text(f"  {plain(result.note)}", style="yellow"))


def check_record(check: Check | None) -> dict[str, Any] | None:
    """When the listing was last re-checked (`data recheck`, recorded by a maintainer)."""
    return None if check is None else check._asdict()


def check_line(check: Check | None) -> str:
    if check is None:
        return "not re-checked"
    return f"{check.date}: {check.verdict}" + (f" — {check.how}" if check.how else "")


def print_clinic(clinic: Clinic, sources: list[ClinicSource], check: Check | None = None) -> None:
    from rich.table import Table

    from clinicfinder.output.styled import Text, rich

    out = console()
    title = Text(plain(clinic.name), style="bold")
    if clinic.site:
        title.append(f" ({plain(clinic.site)})")
    if clinic.eligibility:
        title.append(f" [{plain(clinic.eligibility)}]", style="cyan")
    if clinic.status != "active":
        title.append(f"  ({clinic.status})", style="bold red")
    out.print(title)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    address = ", ".join(
        p for p in (clinic.street, clinic.city, f"{clinic.state} {clinic.postal_code}".strip()) if p
    )
    rows = [
        ("id", clinic.id),
        ("address", address),
        ("location", PLACEMENT.get(clinic.precision, clinic.precision)),
        ("phone", phone_text(clinic)),
        ("website", clinic.website),
        ("routes", ", ".join(ROUTE_SHORT.get(r, r) for r in clinic.routes)),
        ("conditions", ", ".join(CONDITIONS.get(c, c) for c in clinic.conditions)),
        ("telehealth in", ", ".join(clinic.telehealth_states)),
        ("payment", ", ".join(PAYMENTS.get(p, p) for p in clinic.payment)),
        ("serves", clinic.eligibility),
        ("ages", ", ".join(AGES.get(a, a) for a in clinic.ages)),
        ("languages", ", ".join(LANGUAGES.get(x, x) for x in clinic.languages)),
        ("status", f"{clinic.status} — {STATUSES.get(clinic.status, '')}"),
        ("notes", clinic.notes),
        ("collected", clinic.collected),
        ("re-checked", check_line(check)),
    ]
    for label, value in rows:
        if value or label in ("address", "phone", "website"):
            grid.add_row(label, rich(Text(plain(value) or "—")))
    out.print(grid)
    out.print(Text("\nSources", style="bold"))
    for i, s in enumerate(sources, 1):
        kind = EVIDENCE_KINDS.get(s.evidence, "source")
        when = f"undated (read {s.date})" if s.date_basis == "seen" else s.date or "undated"
        lines = [f"{i}. {kind}, {when}: {s.url}"]
        if s.supports:
            lines.append("   supports: " + ", ".join(s.supports))
        if s.quote:
            lines.append(f"   says: “{s.quote}”")
        out.print(Text(plain("\n".join(lines))))
    if not sources:
        out.print(Text("— none recorded", style="yellow"))
    out.print(
        Text(
            "Read from the sources above on the date collected; it is not a verification of "
            "the clinic today. " + NOT_ADVICE,
            style="dim",
        )
    )
