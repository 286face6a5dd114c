"""A search as people read it: a table where it fits, one block per clinic where it doesn't.

Never a word cut mid-way: when the table's narrowest layout is wider than the
terminal, each clinic becomes a block of short lines instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinicfinder.output.search import search_notices
from clinicfinder.output.text import (
    CRISIS_LINES,
    EVIDENCE_STYLE,
    NOT_ADVICE,
    ROUTE_SHORT,
    console,
    format_distance,
    host,
    plain,
)
from clinicfinder.records.vocab import CONDITIONS, EVIDENCE_KINDS, PRECISION_LABELS

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from clinicfinder.records.models import Clinic, Match, Search
    from clinicfinder.topics.pages import Topic

AT_CENTRE_KM = 0.5  # a clinic this close to a centre it was placed at is "in <city>"
FOOTER = (
    "~ marks a distance to or from a ZIP or city centre, not a street address; at equal "
    "distance, clinics with a street address come first. "
    "Absence from this list is not absence in reality. "
    "`clinicfinder show NAME` gives a clinic's sources."
)


def source_label(clinic: Clinic) -> str:
    """What kind of page the newest source is, and its year: "clinic's site, 2025"; an
    undated page says so, with the year it was read: "news, undated (read 2026)"."""
    kind = EVIDENCE_KINDS.get(clinic.evidence, "source")
    if not clinic.source_date:
        return f"{kind}, undated"
    if clinic.source_date_basis == "seen":
        return f"{kind}, undated (read {clinic.source_date[:4]})"
    return f"{kind}, {clinic.source_date[:4]}"


def distance_text(match: Match, units: str) -> str:
    c = match.clinic
    if match.approximate and match.distance_km < AT_CENTRE_KM and c.precision in ("city", "zip"):
        centre = "city centre" if c.precision == "city" else "ZIP centre"
        return f"in {c.city or c.postal_code} ({centre})"
    return ("~" if match.approximate else "") + format_distance(match.distance_km, units)


def routes_text(clinic: Clinic) -> str:
    return ", ".join(ROUTE_SHORT.get(r, r) for r in clinic.routes) or "—"


def _name(match: Match) -> Text:
    from rich.text import Text

    c = match.clinic
    name = Text(plain(c.name))
    if c.site:
        name.append(f" ({plain(c.site)})")
    if c.status != "active":
        name.append(f" ({c.status})", style="bold red" if c.status == "closed" else "yellow")
    if match.condition_match == "related" and match.related_via:
        listed = CONDITIONS.get(match.related_via, match.related_via).lower()
        name.append(f" related: lists {listed}", style="magenta")
    return name


def print_search(
    search: Search, *, units: str, topic: Topic | None, condition: str | None, data_collected: str
) -> None:
    out = console()
    _header(out, search, units, condition, topic)
    if search.matches:
        out.print()
        out.print(results_view(search.matches, units, out.width))
        out.print()
    _telehealth(out, search)
    _footer(out, search, units, topic, data_collected)


def _header(
    out: Console, search: Search, units: str, condition: str | None, topic: Topic | None
) -> None:
    from rich.text import Text

    origin = search.origin
    out.print(
        Text.assemble(
            ("Clinics near ", "bold"),
            (plain(origin.label), "bold cyan"),
            f" — {PRECISION_LABELS[origin.precision]}",
            f", within {format_distance(search.radius_km, units)}",
        )
    )
    if origin.note:
        out.print(Text(plain(origin.note[0].upper() + origin.note[1:] + "."), style="yellow"))
    if condition:
        out.print(condition_panel(condition, topic))


def results_view(matches: list[Match], units: str, width: int) -> Any:
    """The results as a table, or as stacked blocks when the table can't fit `width`
    without cutting a word (each column at least as wide as its longest word)."""
    table, cells = _table(matches, units)
    needed = sum(
        max(len(w) for column in cells for w in (column[i].split() or [""]))
        for i in range(len(cells[0]))
    ) + 3 * (len(cells[0]) - 1)
    return table if needed <= width else _stacked(matches, units)


HEADERS = ("#", "Clinic", "Distance", "City", "Phone", "Website", "Routes", "Source")


def _table(matches: list[Match], units: str) -> tuple[Any, list[list[str]]]:
    """The table, and its cells as text (the header first) for measuring."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for header in HEADERS:
        table.add_column(
            header,
            justify="right" if header in ("#", "Distance") else "left",
            style="dim" if header in ("#", "Source") else None,
            no_wrap=header == "Phone",
        )
    cells = [list(HEADERS)]
    for m in matches:
        c = m.clinic
        name = _name(m)
        row = [
            str(m.rank),
            distance_text(m, units),
            plain(", ".join(p for p in (c.city, c.state) if p)) or "—",
            plain(c.phone) or "—",
            plain(host(c.website)) or "—",
            routes_text(c),
            source_label(c),
        ]
        cells.append([row[0], name.plain, *row[1:]])
        cells[-1][4] = cells[-1][4].replace(" ", "\u00a0")  # a phone is one word
        table.add_row(row[0], name, *(Text(v) for v in row[1:]))
    return table, cells


def _stacked(matches: list[Match], units: str) -> Any:
    """One block per clinic: rank, then name; distance and city; phone and website; the rest."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column()
    for m in matches:
        c = m.clinic
        body = _name(m)
        body.stylize("bold", 0, len(plain(c.name)))
        place = ", ".join(p for p in (c.city, c.state) if p)
        lines = [
            " · ".join(p for p in (distance_text(m, units), place) if p),
            " · ".join(p for p in (c.phone, host(c.website)) if p) or "no phone or website",
            f"{routes_text(c)} · {source_label(c)}",
        ]
        for line in lines:
            body.append("\n" + plain(line))
        grid.add_row(f"{m.rank}.", body)
        grid.add_row("", Text(""))
    return grid


def _telehealth(out: Console, search: Search) -> None:
    from rich.text import Text

    from clinicfinder.places.regions import regions

    origin = search.origin
    if not (search.telehealth and origin.state):
        return
    out.print(
        Text(f"Also available by telehealth in {regions()[origin.state].name}:", style="bold")
    )
    out.print(telehealth_table(search.telehealth))
    out.print()


def _footer(
    out: Console, search: Search, units: str, topic: Topic | None, data_collected: str
) -> None:
    from rich.text import Text

    for note in search_notices(search, units):
        out.print(Text(plain(note), style="yellow"))
    out.print(
        Text(
            f"Searched {search.searched} placed clinics (sources read up to {data_collected}). "
            + FOOTER,
            style="dim",
        )
    )
    if topic is not None and topic.crisis:
        out.print(Text(CRISIS_LINES, style="bold"))
        out.print(Text(NOT_ADVICE, style="dim"))
    else:
        out.print(Text(NOT_ADVICE + " In crisis, call or text 988.", style="dim"))


def telehealth_table(providers: list[Clinic]) -> Any:
    from rich.table import Table
    from rich.text import Text

    from clinicfinder.places.regions import served_states

    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Provider", overflow="fold")
    table.add_column("Routes", overflow="fold")
    table.add_column("Serves", overflow="fold")
    table.add_column("Website", overflow="fold")
    for c in providers:
        serves = ", ".join(served_states(c))
        if not c.telehealth_states:
            serves = (
                f"{serves} (where it is based)"
                if c.state
                else "may serve your state — its pages name no states"
            )
        name = Text(plain(c.name))
        if c.status != "active":
            name.append(f" ({c.status})", style="yellow")
        table.add_row(
            name,
            Text(", ".join(ROUTE_SHORT.get(r, r) for r in c.routes) or "—"),
            Text(serves),
            Text(plain(host(c.website)) or "—"),
        )
    return table


def condition_panel(condition: str, topic: Topic | None) -> Any:
    from rich.panel import Panel
    from rich.text import Text

    if topic is None:
        body = Text(f"{CONDITIONS[condition]}: no evidence summary yet.")
    else:
        body = Text.assemble(
            (topic.name, "bold"),
            " — evidence: ",
            (topic.evidence, EVIDENCE_STYLE.get(topic.evidence, "magenta")),
            f"\n{topic.tagline}",
            f"\nMore: clinicfinder about {topic.slug}",
        )
    return Panel(body, expand=False, border_style="dim")
