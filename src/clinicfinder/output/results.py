"""A search as people read it: the ranked clinics first, then telehealth, then the notes.

The width model (`layout.py`): never a word cut. The table drops what matters
least first — the Source column becomes a second line under the clinic's name —
and when even that can't fit, each clinic becomes a block of short lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clinicfinder.output.layout import Column, box, table, wrap
from clinicfinder.output.search import FEW, filters_said, layers_sentence, search_notices
from clinicfinder.output.styled import Text, console, link
from clinicfinder.output.text import (
    CRISIS_LINES,
    EVIDENCE_STYLE,
    NOT_ADVICE,
    ROUTE_SHORT,
    format_distance,
    host,
    phone_text,
    plain,
    precision_label,
)
from clinicfinder.records.vocab import (
    AGES,
    CONDITIONS,
    EVIDENCE_KINDS,
    LANGUAGES,
    counted,
)

if TYPE_CHECKING:
    from clinicfinder.output.styled import Console
    from clinicfinder.records.models import Clinic, Layer, Match, Search
    from clinicfinder.topics.pages import Topic

AT_CENTRE_KM = 0.5  # a clinic this close to a centre it was placed at is "in <city>"
FOOTER = (
    "Distances are straight lines, not road distances; ~ marks one to or from a ZIP or "
    "city centre, not a street address. {rule} Absence from this list is not absence in "
    "reality. `clinicfinder show NAME` gives a clinic's sources."
)
HELPLINE = "1-800-662-4357"


def source_label(clinic: Clinic) -> str:
    """What kind of page the newest source is, and its year: "clinic's site, 2025"; an
    undated page says so, with the year it was read: "news, undated (read 2026)"."""
    kind = EVIDENCE_KINDS.get(clinic.evidence, "source")
    if not clinic.source_date:
        return f"{kind}, undated"
    if clinic.source_date_basis == "seen":
        return f"{kind}, undated (read\u00a0{clinic.source_date[:4]})"
    return f"{kind}, {clinic.source_date[:4]}"


def distance_text(match: Match, units: str) -> str:
    c = match.clinic
    if match.approximate and match.distance_km < AT_CENTRE_KM and c.precision in ("city", "zip"):
        centre = "city centre" if c.precision == "city" else "ZIP centre"
        return f"in {c.city or c.postal_code} ({centre})"
    return ("~" if match.approximate else "") + format_distance(match.distance_km, units)


def who_labels(clinic: Clinic) -> list[str]:
    """Who is served and in which languages, as a source states, each its own label:
    ["veterans only", "ages: adults, seniors", "Spanish, sign language"] (a language in
    the ages' bracket read as an age group)."""
    langs = ", ".join(LANGUAGES.get(x, x).split(" (")[0] for x in clinic.languages)
    some = clinic.ages and set(clinic.ages) != set(AGES)  # all ages is no restriction
    ages = "ages: " + ", ".join(AGES.get(a, a) for a in clinic.ages) if some else ""
    return [p for p in (clinic.eligibility, ages, langs) if p]


def routes_text(clinic: Clinic) -> str:
    return ", ".join(ROUTE_SHORT.get(r, r) for r in clinic.routes) or "—"


def _name(match: Match) -> Text:
    c = match.clinic
    name = Text(plain(c.name))
    if c.site:
        name.append(f" ({plain(c.site)})")
    for label in who_labels(c):
        name.append(f" [{plain(label)}]", style="cyan")
    if c.status != "active":
        name.append(f" ({c.status})", style="bold red" if c.status == "closed" else "yellow")
    if match.condition_match == "related" and match.related_via:
        listed = CONDITIONS.get(match.related_via, match.related_via).lower()
        name.append(f" — related: lists {listed}", style="magenta")
    return name


def _website(clinic: Clinic) -> Text:
    """The site's host, whole, linked to the full address where the terminal can."""
    if not clinic.website:
        return Text("—")
    return link(clinic.website, host(clinic.website))


def print_search(
    search: Search,
    *,
    units: str,
    topic: Topic | None,
    condition: str | None,
    data_collected: str | None,
    routes: Sequence[str] = (),
) -> None:
    out = console()
    out.print(heading(search, units, condition, routes))
    if search.origin.note:
        note = search.origin.note
        out.print(Text(plain(note[0].upper() + note[1:] + "."), style="yellow"))
    asked = filters_said(search)
    if asked:
        out.print(Text(asked, style="bold"))
    if condition:
        out.print(condition_panel(condition, topic, out.width, ascii=out.ascii))
    if search.matches:
        out.print()
        out.print(results_view(search.matches, units, out.width))
    _telehealth(out, search)
    if search.reachable < FEW:
        out.print()
        out.print(elsewhere(search, units, routes, out.width, condition))
    out.print()
    _footer(out, search, units, topic, data_collected)


def heading(search: Search, units: str, condition: str | None, routes: Sequence[str]) -> Text:
    """ "Spravato clinics for PTSD near Columbus, Ohio — city centre, within 50 mi"; when
    nothing is that close, "nearest beyond 50 mi": a heading never claims a radius its
    results are outside."""
    what = " or ".join(ROUTE_SHORT.get(r, r) for r in routes)
    what = f"{what} clinics" if what else "Clinics"
    if condition:
        name = CONDITIONS.get(condition, condition)
        what += f" for {name[0].lower() + name[1:] if name[1:2].islower() else name}"
    radius = format_distance(search.radius_km, units)
    scope = f"within {radius}" if search.within_radius else f"nearest beyond {radius}"
    return Text.assemble(
        (what[0].upper() + what[1:] + " near ", "bold"),
        (plain(search.origin.label), "bold cyan"),
        f" — {precision_label(search.origin)}, {scope}",
    )


COLUMNS = (
    Column("#", right=True, wraps=False, style="dim"),
    Column("Clinic"),
    Column("Distance", right=True, wraps=False),
    Column("City", gives=2),
    Column("Phone", wraps=False),
    Column("Website", wraps=False),
    Column("Routes", gives=2),
    Column("Source", style="dim", gives=2),
)


def results_view(matches: list[Match], units: str, width: int) -> list[Text]:
    """The results as a table whose cells fit whole; else the table with each source on
    a second line under the name; else one block per clinic."""
    rows = [_row(m, units) for m in matches]
    full = table(COLUMNS, rows, width)
    if full is not None and max(map(len, full)) <= width and _unwrapped(full, matches):
        return full
    narrower = [
        [row[0], Text().append(row[1]).append("\n").append(Text(str(row[7]), "dim")), *row[2:7]]
        for row in rows
    ]
    fitted = table(COLUMNS[:7], narrower, width)
    if fitted is not None and len(fitted) <= 4 * len(rows) + 1:  # names on 2-3 lines at most
        return fitted
    return _stacked(matches, units, width)


def _unwrapped(lines: list[Text], matches: list[Match]) -> bool:
    """Every clinic on one line: the full table is only worth it unwrapped."""
    return len(lines) == len(matches) + 1


def _row(m: Match, units: str) -> list[Text | str]:
    c = m.clinic
    return [
        str(m.rank),
        _name(m),
        _distance_cell(m, units),
        plain(", ".join(p for p in (c.city.replace(" ", "\u00a0"), c.state) if p)) or "—",
        (plain(phone_text(c)) or "—").replace(" ", "\u00a0"),  # a phone number is one word
        _website(c),
        routes_text(c),
        source_label(c),
    ]


def _distance_cell(m: Match, units: str) -> str:
    """In a table the City column names the city: "city centre" says the rest."""
    text = distance_text(m, units)
    return text[text.index("(") + 1 : -1] if text.startswith("in ") else text


def _stacked(matches: list[Match], units: str, width: int) -> list[Text]:
    """One block per clinic: rank and name; distance and city; phone and website; the rest."""
    hang = len(str(matches[-1].rank)) + 2
    lines: list[Text] = []
    for m in matches:
        c = m.clinic
        name = _name(m)
        if name.spans:
            name.spans[0] = (name.spans[0][0], "bold")
        first = Text(f"{m.rank}.".rjust(hang - 1) + " ").append(name)
        contact = Text((plain(phone_text(c)) or "").replace(" ", "\u00a0"))
        if c.website:
            contact.append(" · " if c.phone else "").append(_website(c))
        place = ", ".join(p for p in (c.city, c.state) if p)
        rest = [
            Text(" · ".join(p for p in (distance_text(m, units), plain(place)) if p)),
            contact if len(contact) else Text("no phone or website", "yellow"),
            Text(f"{routes_text(c)} · {source_label(c)}", "dim"),
        ]
        lines += wrap(first, width, hang=hang)
        for part in rest:
            lines += wrap(Text(" " * hang).append(part), width)
        lines.append(Text())
    return lines[:-1]


def _telehealth(out: Console, search: Search) -> None:
    from clinicfinder.places.regions import regions

    code = search.origin.state
    if not (search.telehealth and code):
        return
    out.print()
    where = regions()[code].name if code in regions() else code
    out.print(Text(f"Also available by telehealth in {where}:", style="bold"))
    out.print(telehealth_lines(search.telehealth, code, out.width))


def telehealth_lines(providers: Sequence[Clinic], code: str, width: int) -> list[Text]:
    """One line per provider that names the state; one line for all that name none."""
    from clinicfinder.clinics.telehealth import names_no_states, served_states
    from clinicfinder.places.regions import is_territory, regions

    where = regions()[code].name if code in regions() else code
    lines: list[Text] = []
    unnamed = [c for c in providers if names_no_states(c)]
    for c in providers:
        if names_no_states(c):
            continue
        line = Text("  ").append(plain(c.name), "bold")
        if c.status != "active":
            line.append(f" ({c.status})", "yellow")
        served = served_states(c)
        if not c.telehealth_states:
            serves = f"based in {where}; its pages name no other state"
        elif len(served) == 1:
            serves = f"its pages name only {where}"
        else:
            states = all(getattr(regions().get(s), "kind", "") == "state" for s in served)
            kind = "states" if states else "places"
            serves = f"its pages name {where} among {len(served)} {kind} it serves"
        line.append(" · " + routes_text(c))
        if c.website:
            line.append(" · ").append(_website(c))
        line.append(" · " + serves)
        lines += wrap(line, width, hang=4)
    if unnamed:
        listed = Text(f"  May also serve {where} — their pages name no state or territory: ")
        for i, c in enumerate(unnamed):
            listed.append(", " if i else "").append(plain(c.name))
            if c.website:
                listed.append(" (").append(_website(c)).append(")")
        lines += wrap(listed, width, hang=4)
    if is_territory(code):
        lines += wrap(Text(f"  ({where} is a US territory, not a state.)", "dim"), width, hang=4)
    return lines


def elsewhere(
    search: Search, units: str, routes: Sequence[str], width: int, condition: str | None = None
) -> list[Text]:
    """Never a dead end: where else to look when few clinics one can reach are near."""
    from clinicfinder.clinics.telehealth import names_no_states
    from clinicfinder.places.regions import regions

    code = search.origin.state
    where = regions()[code].name if code in regions() else "your state"
    radius = format_distance(search.radius_km, units)
    few = "No clinic" if not search.reachable else f"Only {search.reachable} clinic"
    named = [c for c in search.telehealth if not names_no_states(c)]
    items = [
        f"FindTreatment.gov, SAMHSA's treatment locator, or its free, confidential helpline "
        f"{HELPLINE} (24/7, English and Spanish).",
        "For Spravato (esketamine): the maker's “Find a Center” locator of REMS-certified "
        "treatment centres.",
        f"Telehealth serving {where}: {counted(len(named), 'provider')} above "
        + ("names it." if len(named) == 1 else "name it.")
        if named
        else _no_telehealth_named(search, where, routes, condition),
        "`clinicfinder data update` for fresher registry data.",
        "In crisis, call or text 988 (24/7).",
    ]
    if "esketamine" in routes:
        items.insert(0, items.pop(1))
    lines = wrap(
        Text(f"{few}{'' if search.reachable == 1 else 's'} you can reach (active, with a "
             f"phone or website) within {radius}. Where else to look:", "bold"), width
    )  # fmt: skip
    for item in items:
        lines += wrap(Text("  - " + item), width, hang=4)
    return lines


def _no_telehealth_named(
    search: Search, where: str, routes: Sequence[str], condition: str | None
) -> str:
    """ "Those listed above" only when a telehealth list is shown; else what is true: the
    filters that removed them, or that the data has none for the state."""
    if search.telehealth:
        return f"Telehealth: no provider in this data names {where}; those listed above may."
    asked = [
        opt for opt, given in (
            ("--condition", condition), ("--route", routes), ("--payment", search.payments),
            ("--language", search.languages), ("--age", search.ages),
        ) if given
    ]  # fmt: skip
    code = search.origin.state
    see = f"; `clinicfinder\u00a0regions\u00a0{code}` lists all" if code else ""
    if asked:
        return f"Telehealth: none in this data for {where} fits {' '.join(asked)}{see}."
    return f"Telehealth: no provider in this data is listed for {where}{see}."


def _footer(
    out: Console, search: Search, units: str, topic: Topic | None, data_collected: str | None
) -> None:
    from clinicfinder.search.rank import ORDER_RULE

    for note in search_notices(search, units):
        out.print(Text(plain(note), "yellow"))
    out.print(
        Text(
            f"Searched {search.searched} placed clinics"
            + (f" (sources read up to {data_collected}). " if data_collected else ". ")
            + FOOTER.format(rule=ORDER_RULE),
            "dim",
        )
    )
    layers = layers_sentence(_layers_here(search))
    if layers:
        out.print(Text(layers, "dim"))
    if topic is not None and topic.crisis:
        out.print(Text(CRISIS_LINES, "bold"))
        out.print(Text(NOT_ADVICE, "dim"))
    else:
        out.print(Text(NOT_ADVICE + " In crisis, call or text 988.", "dim"))


def _layers_here(search: Search) -> tuple[Layer, ...]:
    """The fetched layers this search drew on: covering the origin's state or a state a
    result is in. A layer for Kansas says nothing about a search in New York."""
    states = {search.origin.state, *(m.clinic.state for m in search.matches)}
    states |= {c.state for c in search.telehealth}
    return tuple(layer for layer in search.layers if states.intersection(layer.states))


def condition_panel(condition: str, topic: Topic | None, width: int, *, ascii: bool) -> list[Text]:
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
    return box("", body, width, ascii=ascii, style="dim")
