"""One clinic in full (`show`), and how a text resolved to a place (`geocode`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinicfinder.output.styled import console, link
from clinicfinder.output.text import (
    NOT_ADVICE,
    ROUTE_SHORT,
    SCHEMA_VERSION,
    phone_text,
    plain,
    precision_label,
)
from clinicfinder.records.models import CLINIC_COLUMNS
from clinicfinder.records.vocab import (
    AGES,
    CONDITIONS,
    EVIDENCE_KINDS,
    LANGUAGES,
    PAYMENTS,
    PLACEMENT,
    STATUSES,
)

if TYPE_CHECKING:
    from clinicfinder.clinics.checks import Check
    from clinicfinder.output.styled import Text
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
                f"  {result.lat:.5f}, {result.lon:.5f} — {precision_label(result)}"
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


def print_clinic(
    clinic: Clinic, sources: list[ClinicSource], check: Check | None = None, *, notes: bool = False
) -> None:
    """One clinic for a person: labelled lines, then its sources, every URL whole.
    Maintainer notes (where a row came from) only with --notes; JSON always has them."""
    from clinicfinder.clinics.lookup import short_id
    from clinicfinder.output.layout import wrap
    from clinicfinder.output.styled import Text

    out = console()
    title = Text(plain(clinic.name), style="bold")
    if clinic.site:
        title.append(f" ({plain(clinic.site)})")
    if clinic.eligibility:
        title.append(f" [{plain(clinic.eligibility)}]", style="cyan")
    if clinic.status != "active":
        title.append(f"  ({clinic.status})", style="bold red")
    out.print(title)
    address = ", ".join(
        p for p in (clinic.street, clinic.city, f"{clinic.state} {clinic.postal_code}".strip()) if p
    )
    rows: list[tuple[str, str | Text]] = [
        ("id", f"{clinic.id} (short: {short_id(clinic.id)})"),
        ("address", address),
        ("location", PLACEMENT.get(clinic.precision, clinic.precision)),
        ("phone", phone_text(clinic).replace(" ", "\u00a0")),
        ("website", link(clinic.website)),
        ("routes", ", ".join(ROUTE_SHORT.get(r, r) for r in clinic.routes)),
        ("conditions", ", ".join(CONDITIONS.get(c, c) for c in clinic.conditions)),
        ("telehealth in", ", ".join(clinic.telehealth_states)),
        ("payment", ", ".join(PAYMENTS.get(p, p) for p in clinic.payment)),
        ("serves", clinic.eligibility),
        ("ages", ", ".join(AGES.get(a, a) for a in clinic.ages)),
        ("languages", ", ".join(LANGUAGES.get(x, x) for x in clinic.languages)),
        ("status", f"{clinic.status} — {STATUSES.get(clinic.status, '')}"),
        ("collected", clinic.collected),
        ("re-checked", check_line(check)),
    ]
    if notes:
        rows.append(("notes", clinic.notes))
    rows = [(n, v) for n, v in rows if v or n in ("address", "phone", "website")]
    label = max(len(name) for name, _ in rows) + 2
    lines: list[Text] = []
    for name, value in rows:
        shown = value if isinstance(value, Text) else Text(plain(value))
        padded = name + "\u00a0" * (label - len(name))  # a no-break space: never collapsed
        if name == "id" and label + len(clinic.id) > out.width:
            # An id is atomic, like a URL: the label alone, the id at the left edge below.
            lines += [Text(name, "dim"), *wrap(shown, out.width, hang=label)]
            continue
        line = Text(padded, "dim").append(shown if len(shown) else Text("—"))
        lines += wrap(line, out.width, hang=label)
    out.print(lines)
    out.print(Text("\nSources", style="bold"))
    lines = []
    for i, s in enumerate(sources, 1):
        kind = EVIDENCE_KINDS.get(s.evidence, "source")
        when = f"undated (read {s.date})" if s.date_basis == "seen" else s.date or "undated"
        number = f"{i}. "
        head = Text(plain(f"{number}{kind}, {when}: ")).append(link(s.url))
        lines += wrap(head, out.width, hang=len(number))
        if s.supports:
            lines += wrap(Text("   supports: " + ", ".join(s.supports)), out.width)
        if s.quote:
            lines += wrap(Text(plain(f"   says: “{s.quote}”")), out.width)
    out.print(lines)
    if not sources:
        out.print(Text("— none recorded", style="yellow"))
    more = "" if notes else " `show --notes` adds where each record came from."
    out.print(
        Text(
            "Read from the sources above on the date collected; it is not a verification of "
            "the clinic today." + more + " " + NOT_ADVICE,
            style="dim",
        )
    )


def print_matches(matches: list[Clinic]) -> None:
    """Clinics that share a name, numbered, each with its city and a short id to copy."""
    from clinicfinder.clinics.lookup import short_id
    from clinicfinder.output.layout import wrap
    from clinicfinder.output.styled import Text

    out = console()
    out.print(Text(f"{len(matches)} clinics have that name:", "bold"))
    width = len(str(len(matches))) + 2
    lines = []
    for i, c in enumerate(matches, 1):
        name = plain(c.name) + (f" ({plain(c.site)})" if c.site else "")
        place = plain(", ".join(p for p in (c.city, c.state) if p)) or "no city on file"
        line = Text(f"{i}.".rjust(width - 1) + " ").append(name).append(f" — {place} · show ")
        lines += wrap(line.append(short_id(c.id), "bold"), out.width, hang=width)
    out.print(lines)
