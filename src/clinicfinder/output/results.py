"""A search as people read it: a table where it fits, one block per clinic where it doesn't.

Never a word cut mid-way: when the table's narrowest layout is wider than the
terminal, each clinic becomes a block of short lines instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clinicfinder.output.search import filters_said, layers_sentence, search_notices
from clinicfinder.output.text import (
    CRISIS_LINES,
    EVIDENCE_STYLE,
    NOT_ADVICE,
    ROUTE_SHORT,
    console,
    format_distance,
    host,
    phone_text,
    plain,
    wrap,
)
from clinicfinder.records.vocab import AGES, CONDITIONS, EVIDENCE_KINDS, LANGUAGES, PRECISION_LABELS

if TYPE_CHECKING:
    from clinicfinder.output.styled import Console, Text
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


def who_text(clinic: Clinic) -> str:
    """Who is served and in which languages, as a source states: "veterans only; Spanish"."""
    langs = ", ".join(LANGUAGES.get(x, x).split(" (")[0] for x in clinic.languages)
    some = clinic.ages and set(clinic.ages) != set(AGES)  # all ages is no restriction
    ages = "ages: " + ", ".join(AGES.get(a, a) for a in clinic.ages) if some else ""
    return "; ".join(p for p in (clinic.eligibility, ages, langs) if p)


def routes_text(clinic: Clinic) -> str:
    return ", ".join(ROUTE_SHORT.get(r, r) for r in clinic.routes) or "—"


def _name(match: Match) -> Text:
    from clinicfinder.output.styled import Text

    c = match.clinic
    name = Text(plain(c.name))
    if c.site:
        name.append(f" ({plain(c.site)})")
    who = who_text(c)
    if who:
        name.append(f" [{plain(who)}]", style="cyan")
    if c.status != "active":
        name.append(f" ({c.status})", style="bold red" if c.status == "closed" else "yellow")
    if match.condition_match == "related" and match.related_via:
        listed = CONDITIONS.get(match.related_via, match.related_via).lower()
        name.append(f" related: lists {listed}", style="magenta")
    return name


def print_search(
    search: Search,
    *,
    units: str,
    topic: Topic | None,
    condition: str | None,
    data_collected: str | None,
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
    from clinicfinder.output.styled import Text

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
    asked = filters_said(search)
    if asked:
        out.print(Text(asked, style="bold"))
    if condition:
        out.print(condition_panel(condition, topic))


def results_view(matches: list[Match], units: str, width: int) -> Any:
    """The results as a table, or as stacked blocks when the table can't fit `width`
    without cutting a word (each column at least as wide as its longest word)."""
    cells = _cells(matches, units)
    columns = range(len(HEADERS))
    natural = sum(max(len(row[i]) for row in cells) for i in columns) + 2 * (len(HEADERS) - 1)
    if natural <= width:  # every cell fits whole: plain aligned columns, no wrapping to do
        return _aligned(matches, cells)
    words = sum(max(len(w) for row in cells for w in (row[i].split() or [""])) for i in columns)
    if words + 3 * (len(HEADERS) - 1) <= width:
        return _table(matches, units)
    return _stacked(matches, units)


def _aligned(matches: list[Match], cells: list[list[str]]) -> Any:
    """The results as aligned columns, names keeping their status colour."""
    from clinicfinder.output.styled import Text

    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    right = {0, 2}
    out = Text()
    for n, row in enumerate(cells):
        for i, (cell, w) in enumerate(zip(row, widths, strict=True)):
            if i:
                out.append("  ")
            padded = cell.rjust(w) if i in right else cell.ljust(w)
            if n and i == 1:
                name = _name(matches[n - 1])
                name.append(" " * (w - len(name.plain)))
                out.append_text(name)
            else:
                out.append(padded, style="bold" if n == 0 else ("dim" if i in (0, 7) else ""))
        out.rstrip()
        out.append("\n")
    out.rstrip()
    return out


HEADERS = ("#", "Clinic", "Distance", "City", "Phone", "Website", "Routes", "Source")


def _cells(matches: list[Match], units: str) -> list[list[str]]:
    """Every cell as plain text, the header first: for measuring and for aligned output."""
    cells = [list(HEADERS)]
    for m in matches:
        c = m.clinic
        cells.append(
            [
                str(m.rank),
                _name(m).plain,
                distance_text(m, units),
                plain(", ".join(p for p in (c.city, c.state) if p)) or "—",
                (plain(phone_text(c)) or "—").replace(" ", "\u00a0"),  # a phone is one word
                plain(host(c.website)) or "—",
                routes_text(c),
                source_label(c),
            ]
        )
    return cells


def _table(matches: list[Match], units: str) -> Any:
    """A Rich table, whose cells wrap at word boundaries."""
    from rich.table import Table

    from clinicfinder.output.styled import Text, rich

    cells = _cells(matches, units)
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for i, header in enumerate(HEADERS):
        table.add_column(
            header,
            justify="right" if header in ("#", "Distance") else "left",
            style="dim" if header in ("#", "Source") else None,
            no_wrap=header == "Phone",
            # never narrower than its longest word: Rich would cut it ("denvermetro…")
            min_width=max(len(w) for row in cells for w in (row[i].split() or [""])),
        )
    for m, row in zip(matches, cells[1:], strict=True):
        shown = [_name(m), *(Text(v.replace("\u00a0", " ")) for v in row[2:])]
        table.add_row(row[0], *(rich(c) for c in shown))
    return table


def _stacked(matches: list[Match], units: str) -> Any:
    """One block per clinic: rank, then name; distance and city; phone and website; the rest."""
    from rich.table import Table

    from clinicfinder.output.styled import rich

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(overflow="fold")  # a long website is folded onto the next line, never cut
    for m in matches:
        c = m.clinic
        body = _name(m)
        body.stylize("bold", 0, len(plain(c.name)))
        place = ", ".join(p for p in (c.city, c.state) if p)
        lines = [
            " · ".join(p for p in (distance_text(m, units), place) if p),
            " · ".join(p for p in (phone_text(c), host(c.website)) if p) or "no phone or website",
            f"{routes_text(c)} · {source_label(c)}",
        ]
        for line in lines:
            body.append("\n" + plain(line))
        grid.add_row(f"{m.rank}.", rich(body))
        grid.add_row("", "")
    return grid


def _telehealth(out: Console, search: Search) -> None:
    from clinicfinder.output.styled import Text
    from clinicfinder.places.regions import regions

    origin = search.origin
    if not (search.telehealth and origin.state):
        return
    out.print(
        Text(f"Also available by telehealth in {regions()[origin.state].name}:", style="bold")
    )
    out.print(telehealth_table(search.telehealth, origin.state, out.width), soft_wrap=True)
    out.print()


def _footer(
    out: Console, search: Search, units: str, topic: Topic | None, data_collected: str | None
) -> None:
    from clinicfinder.output.styled import Text

    paragraphs = [(note, "yellow") for note in search_notices(search, units)]
    paragraphs.append(
        (
            f"Searched {search.searched} placed clinics"
            + (f" (sources read up to {data_collected}). " if data_collected else ". ")
            + FOOTER,
            "dim",
        )
    )
    layers = layers_sentence(search.layers)
    if layers:
        paragraphs.append((layers, "dim"))
    if topic is not None and topic.crisis:
        paragraphs += [(CRISIS_LINES, "bold"), (NOT_ADVICE, "dim")]
    else:
        paragraphs.append((NOT_ADVICE + " In crisis, call or text 988.", "dim"))
    footer = Text()
    for text, style in paragraphs:  # wrapped here, printed once: Rich needn't re-wrap it
        footer.append(wrap(plain(text), out.width) + "\n", style=style)
    footer.rstrip()
    out.print(footer, soft_wrap=True)


def telehealth_table(providers: Sequence[Clinic], state: str, width: int = 80) -> Any:
    """One entry per provider: name, routes, website, and whether it serves `state`."""
    from clinicfinder.output.styled import Text
    from clinicfinder.places.regions import regions, served_states

    where = regions()[state].name if state in regions() else state
    out = Text()
    for c in providers:
        out.append("  ")
        out.append(plain(c.name), style="bold")
        if c.status != "active":
            out.append(f" ({c.status})", style="yellow")
        if c.telehealth_states:
            serves = f"its pages list {where} among {len(served_states(c))} states"
        elif c.state:
            serves = f"based in {regions()[c.state].name if c.state in regions() else c.state}"
        else:
            serves = "may serve your state — its pages name no states"
        parts = [", ".join(ROUTE_SHORT.get(r, r) for r in c.routes), host(c.website), serves]
        rest = " · " + " · ".join(plain(p) for p in parts if p)
        first = len(plain(c.name)) + 2 + (len(c.status) + 3 if c.status != "active" else 0)
        out.append(wrap(" " * first + rest, width, indent="    ")[first:] + "\n")
    out.rstrip()
    return out


def condition_panel(condition: str, topic: Topic | None) -> Any:
    from rich.panel import Panel

    from clinicfinder.output.styled import Text, rich

    if topic is None:
        body = Text(f"{CONDITIONS[condition]}: no evidence summary yet.")
    else:
        body = Text.assemble(
            (topic.name, "bold"),
            " — evidence: ",
            *(  # every graded part: "established for Spravato; moderate for IV ketamine"
                part
                for i, g in enumerate(topic.grades or ())
                for part in (
                    "; " if i else "",
                    (g.level, EVIDENCE_STYLE.get(g.level, "magenta")),
                    f" for {g.scope}" if g.scope else "",
                )
            ),
            "" if topic.grades else (topic.evidence, "magenta"),
            f"\n{topic.tagline}",
            f"\nMore: clinicfinder about {topic.slug}",
        )
    return Panel(rich(body), expand=False, border_style="dim")
