"""Output for data people: regions, validation reports and coverage statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from clinicfinder.output.clinic import clinic_record
from clinicfinder.output.layout import Column, side_by_side, table, wrap
from clinicfinder.output.results import _website, telehealth_lines
from clinicfinder.output.search import telehealth_record
from clinicfinder.output.styled import Text, console
from clinicfinder.output.text import ROUTE_SHORT, SCHEMA_VERSION, phone_text, plain, write
from clinicfinder.records.vocab import EVIDENCE_KINDS, counted
from clinicfinder.safetext import one_line

if TYPE_CHECKING:
    from clinicfinder.clinics.validate import Report
    from clinicfinder.records.models import Clinic
    from clinicfinder.search.coverage import RegionCount, RegionListing, Stats


REGION_FIELDS = ["code", "name", "clinics", "placed", "unplaced", "telehealth", "lat", "lon"]


def region_count_record(rc: RegionCount) -> dict[str, Any]:
    return {
        "code": rc.region.code,
        "name": rc.region.name,
        "clinics": rc.placed + rc.unplaced,
        "placed": rc.placed,
        "unplaced": rc.unplaced,
        "telehealth": rc.telehealth,
        "lat": rc.region.lat,  # the state's centre
        "lon": rc.region.lon,
    }


def regions_record(counts: list[RegionCount], clinics: Sequence[Clinic]) -> dict[str, Any]:
    from clinicfinder.search.coverage import ABSENCE

    return {
        "schema_version": SCHEMA_VERSION,
        "regions": [region_count_record(rc) for rc in counts],
        "no_state": sum(1 for c in clinics if not c.state),
        "notice": ABSENCE,
    }


def print_regions(counts: list[RegionCount], clinics: Sequence[Clinic]) -> None:
    from clinicfinder.search.coverage import ABSENCE, no_state_telehealth

    out = console()
    rows = [
        [
            rc.region.code,
            rc.region.name,
            str(rc.placed + rc.unplaced),
            str(rc.placed),
            str(rc.unplaced or ""),
            str(rc.telehealth or ""),
        ]
        for rc in counts
    ]
    header = ("Code", "State", "Clinics", "placed", "no address", "Telehealth")
    columns = [Column(h, right=i >= 2, wraps=i == 1) for i, h in enumerate(header)]
    out.print(table(columns, rows, out.width) or [Text(" ".join(r)) for r in rows])
    no_state = sum(1 for c in clinics if not c.state)
    anywhere = no_state_telehealth(clinics)
    if no_state:
        out.print(
            Text(
                f"{counted(no_state, 'listing')} name no state and appear in no row"
                + (
                    f", {anywhere} of them telehealth providers that may serve any state."
                    if anywhere
                    else "."
                ),
                style="yellow",
            )
        )
    out.print(
        Text(
            "placed: has a map position (ZIP or city centre); no address: the source gives only "
            "the state; telehealth: providers whose pages name the state. "
            "clinicfinder regions KS lists one state.",
            style="dim",
        )
    )
    out.print(Text(ABSENCE, style="dim"))


def region_record(listing: RegionListing) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "region": listing.region._asdict(),
        "clinics": [clinic_record(c) for c in listing.placed],
        "unplaced": [clinic_record(c) for c in listing.unplaced],
        "telehealth": [telehealth_record(c) for c in listing.telehealth],
        "may_also_serve": [telehealth_record(c) for c in listing.anywhere],
    }


def print_region(listing: RegionListing) -> None:
    from clinicfinder.search.coverage import ABSENCE

    out = console()
    region = listing.region
    out.print(
        Text.assemble(
            (region.name, "bold cyan"),
            f" — {counted(len(listing.placed), 'clinic')} with a city, "
            f"{len(listing.unplaced)} with no address on file, "
            f"{counted(len(listing.telehealth), 'telehealth provider')} naming it",
        )
    )
    columns = (Column("City"), Column("Clinic"), Column("Routes"), Column("Phone", wraps=False),
               Column("Website", wraps=False))  # fmt: skip
    for title, group in (("By city", listing.placed), ("No address on file", listing.unplaced)):
        if not group:
            continue
        rows: list[list[Text | str]] = []
        for c in group:
            name = Text(plain(c.name))
            if c.eligibility:
                name.append(f" [{plain(c.eligibility)}]", style="cyan")
            if c.status != "active":
                name.append(f" ({c.status})", "bold red" if c.status == "closed" else "yellow")
            routes = ", ".join(ROUTE_SHORT.get(r, r) for r in c.routes) or "—"
            phone = (plain(phone_text(c)) or "—").replace(" ", "\u00a0")
            rows.append([plain(c.city) or "—", name, routes, phone, _website(c)])
        out.print()
        out.print(Text(title, "bold"))
        out.print(table(columns, rows, out.width) or _blocks(rows, out.width))
    if listing.telehealth or listing.anywhere:
        out.print()
        out.print(Text("Telehealth serving this state", style="bold"))
        out.print(
            telehealth_lines([*listing.telehealth, *listing.anywhere], region.code, out.width)
        )
    out.print(Text("\nclinicfinder show ID gives a clinic's source. " + ABSENCE, style="dim"))


def _blocks(rows: list[list[Any]], width: int) -> list[Text]:
    """Rows too wide for columns: the name, then the rest on an indented line."""
    lines: list[Text] = []
    for city, name, *rest in rows:
        lines += wrap(Text().append(name).append(f" — {city}"), width, hang=2)
        line = Text("  ")
        for i, cell in enumerate(rest):
            line.append(" · " if i else "").append(cell)
        lines += wrap(line, width)
    return lines


def validation_record(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "files": report.files,
        "rows": report.rows,
        "errors": report.errors,
        "warnings": report.warnings,
        "not_shown": report.not_shown,
        "problems": [asdict(p) for p in report.problems],
    }


def print_validation(report: Report) -> None:
    """Problems on stdout, one per line (grep-able); the verdict on stderr."""
    for problem in report.problems:
        write(one_line(str(problem)) + "\n")
    if report.not_shown:
        write(f"… and {counted(report.not_shown, 'more problem')} not listed\n", stderr=True)
    verdict = "OK" if not report.errors else "FAILED"
    write(
        f"{verdict}: {counted(report.rows, 'row')} in {counted(len(report.files), 'file')}: "
        f"{counted(report.errors, 'error')}, {counted(report.warnings, 'warning')}\n",
        stderr=True,
    )


def stats_record(stats: Stats) -> dict[str, Any]:
    from clinicfinder.search.coverage import ABSENCE

    record = stats._asdict()
    n = stats.clinics or 1
    record["share"] = {
        "phone": round(stats.with_phone / n, 3),
        "website": round(stats.with_website / n, 3),
        "street": round(stats.with_street / n, 3),
        "postal_code": round(stats.with_postal_code / n, 3),
    }
    placed = stats.placed_open or 1
    record["share_of_placed_open"] = {
        "phone": round(stats.placed_open_with_phone / placed, 3),
        "street": round(stats.placed_open_with_street / placed, 3),
    }
    record["notice"] = ABSENCE
    return {"schema_version": SCHEMA_VERSION, "stats": record}


def print_stats(stats: Stats) -> None:
    from clinicfinder.search.coverage import ABSENCE

    out = console()
    n = stats.clinics or 1
    out.print(
        Text.assemble(
            (f"{stats.clinics} listings", "bold"),
            f" ({stats.telehealth_only} telehealth-only), collected "
            f"{stats.oldest_collected or '?'} to {stats.newest_collected or '?'}",
        )
    )
    # Each line names what its shares are of: all listings, or those placed and open.
    out.print(
        f"of all {stats.clinics} listings: "
        f"with a phone {stats.with_phone} ({stats.with_phone / n:.0%}) · "
        f"website {stats.with_website} ({stats.with_website / n:.0%}) · "
        f"street address {stats.with_street} ({stats.with_street / n:.0%}) · "
        f"ZIP {stats.with_postal_code} ({stats.with_postal_code / n:.0%})"
    )
    placed = stats.placed_open or 1
    out.print(
        f"of the {stats.placed_open} placed on the map and not closed (nor only announced): "
        f"with a phone {stats.placed_open_with_phone} "
        f"({stats.placed_open_with_phone / placed:.0%}) · street address "
        f"{stats.placed_open_with_street} ({stats.placed_open_with_street / placed:.0%})"
    )
    out.print(
        f"resting only on sources older than three years (before {stats.old_before}): "
        f"{stats.old_sources_only}"
    )

    def small(title: str, counts: dict[str, int], blank: str) -> list[Text]:
        rows = [[key or blank, str(count)] for key, count in counts.items()]
        lines = table((Column(title, wraps=False), Column("", right=True)), rows, 200) or []
        return lines

    out.print()
    out.print(
        side_by_side(
            [
                small("Route", stats.by_route, "(none stated)"),
                small("Precision", stats.by_precision, "?"),
                small("Status", stats.by_status, "?"),
                small("Newest source", stats.by_evidence, "?"),
                small("Source year", stats.by_source_year, "?"),
                small("Serves", stats.by_eligibility, "(no restriction stated)"),
                small("Phone line", stats.by_phone_scope, "(not stated)"),
            ],
            out.width,
        )
    )
    out.print(Text("\nNewest source by kind and year", style="bold"))
    for kind, years in stats.by_evidence_year.items():
        label = EVIDENCE_KINDS.get(kind, kind or "?")
        out.print(f"  {label}: " + " · ".join(f"{y or '?'}\u00a0{k}" for y, k in years.items()))
    out.print()
    out.print(Text("By state (?? = no state named)", style="bold"))
    states = " · ".join(f"{code or '??'}\u00a0{count}" for code, count in stats.by_state.items())
    out.print(Text(states))
    out.print(Text("\n" + ABSENCE, style="dim"))
