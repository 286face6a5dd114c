"""What every output shares: escaping, the console, JSON, distances and fixed wording."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

from clinicfinder.places.distance import shown_distance
from clinicfinder.safetext import json_visible, visible

if TYPE_CHECKING:
    from clinicfinder.records.models import Clinic, Place

CRISIS_LINES = (
    "If you are thinking about suicide or are in crisis: call or text 988 "
    "(988 Suicide & Crisis Lifeline, US, 24/7), text HOME to 741741 (Crisis Text Line), "
    "or call 911 if you are in immediate danger."
)

SCHEMA_VERSION = 2  # 2: unknowns are null; records carry source age and match details
NOT_ADVICE = (
    "Not medical advice: listings come from public pages and may be out of date — "
    "call the clinic to confirm, and talk with your own clinician."
)
ROUTE_SHORT = {
    "iv": "IV",
    "im": "IM",
    "esketamine": "Spravato",
    "kap": "KAP",
    "oral": "oral",
    "at-home": "at-home",
}
EVIDENCE_STYLE = {
    "established": "bold green",
    "moderate": "green",
    "emerging": "yellow",
    "limited": "red",
}


def plain(value: str) -> str:
    """Make text from data or a user inert for a terminal (the one rule: `safetext`).

    Control and bidi characters become visible escapes, so nothing in a listing
    can move the cursor, clear the screen or reverse a line.
    """
    return visible(value)


def write(text: str, *, as_json: bool = False, stderr: bool = False) -> None:
    """Where every machine format leaves for standard output (or a note for stderr):
    escaped by the one rule (JSON with JSON's own escapes: the document is unchanged)."""
    stream = sys.stderr if stderr else sys.stdout
    stream.write(json_visible(text) if as_json else visible(text))


def print_json(doc: Any) -> None:
    """One JSON document: indented for a person at a terminal, compact for a pipe.

    Compact output also lets Python use its C encoder, several times faster on
    big results (as gh does, scripts get the compact form).
    """
    import json

    indent = 2 if sys.stdout.isatty() else None
    write(json.dumps(doc, ensure_ascii=False, indent=indent) + "\n", as_json=True)


def precision_label(place: Place) -> str:
    """How precisely a searched-from place is known, in words: "city centre", "ZIP code
    centre"; a region's centre says what the region is ("territory centre" for Puerto Rico).
    Every heading, map and `geocode` line says it this way."""
    from clinicfinder.places.regions import kind_word
    from clinicfinder.records.vocab import PRECISION_LABELS

    if place.precision == "state":
        return f"{kind_word(place.state)} centre"
    return PRECISION_LABELS[place.precision]


def format_distance(km: float, units: str) -> str:
    """ "3.2 mi", "42 mi", "3,710 mi": as ranked (shown_distance), thousands separated."""
    value = shown_distance(km, units)
    return f"{value:.1f} {units}" if value < 10 else f"{value:,.0f} {units}"


def print_records(records: list[dict[str, Any]], fields: list[str]) -> None:
    """The table for --fields: exactly the columns asked for, one row per record; one
    block of "field: value" lines per record when the columns can't fit whole."""
    from clinicfinder.output.layout import Column, table, wrap
    from clinicfinder.output.styled import Text, console

    out = console()
    cells = [[plain(_text(r.get(f))) for f in fields] for r in records]
    lines = table([Column(f) for f in fields], cells, out.width)
    if lines is None:
        lines = []
        label = max(map(len, fields)) + 2
        for row in cells:
            for field, value in zip(fields, row, strict=True):
                line = Text(f"{field}:".ljust(label).replace(" ", "\u00a0"), "bold").append(value)
                lines += wrap(line, out.width, hang=label)
            lines.append(Text())
    out.print(lines)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def host(url: str) -> str:
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet won't run as a formula (OWASP "CSV injection").

    A cell starting with =, +, -, @, a tab or a carriage return — also after leading
    spaces, which spreadsheets skip — gets a single quote in front, so it is shown as
    text: "+1 316 555 0100" too. A plain number (-97.33) is left alone. Every CSV
    clinicfinder writes for people does this; clinic files read it back (files.py).
    """
    if cell.lstrip(" ")[:1] in _FORMULA_START and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def phone_text(clinic: Clinic) -> str:
    """The number, and "(central line)" when it is one number for branches in several cities."""
    if clinic.phone and clinic.phone_scope == "central":
        return f"{clinic.phone} (central line)"
    return clinic.phone
