"""What every output shares: escaping, the console, JSON, distances and fixed wording."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

from clinicfinder.places.distance import from_km
from clinicfinder.safetext import json_visible, visible

if TYPE_CHECKING:
    from clinicfinder.output.styled import Console
    from clinicfinder.records.models import Clinic

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


def format_distance(km: float, units: str) -> str:
    value = from_km(km, units)
    return f"{value:.1f} {units}" if value < 10 else f"{value:.0f} {units}"


PIPED_WIDTH = 200  # a table written to a file or pipe: one clinic a line, for grep
PROSE_WIDTH = 80  # a page of prose written to a pipe: reads well in less, crisis box whole
MIN_WIDTH = 40  # tiny or zero widths ($COLUMNS=0) fall back to this


def console(stderr: bool = False, *, prose: bool = False) -> Console:
    """The console to print to. At a terminal, its width (never under MIN_WIDTH) and
    Rich's colours; piped or redirected, plain text at a fixed width: wide for tables,
    so each clinic stays on one line, and 80 columns for pages of prose."""
    import os

    from clinicfinder.output.styled import Console, stream_for

    stream = stream_for(stderr)
    given = os.environ.get("COLUMNS", "")
    if given.strip():
        width = max(int(given), MIN_WIDTH) if given.strip().isdigit() else MIN_WIDTH
    elif not stream.isatty():
        width = PROSE_WIDTH if prose else PIPED_WIDTH
    else:
        import shutil

        width = max(shutil.get_terminal_size().columns, MIN_WIDTH)
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    return Console(stream, width, stderr=stderr, safe_box=not encoding.startswith("utf"))


def aligned_columns(header: list[str], rows: list[list[str]], right: set[int]) -> Any:
    """A long, narrow listing as plain aligned columns (one Text, bold header).

    Rich's Table measures and wraps every cell: ~15 ms for the 52 regions, more
    than the rest of the command. Short cells that never wrap don't need it.
    """
    from clinicfinder.output.styled import Text

    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    text = Text()
    text.append(line(header) + "\n", style="bold")
    text.append("\n".join(plain(line(r)) for r in rows))
    return text


def print_records(records: list[dict[str, Any]], fields: list[str]) -> None:
    """The table for --fields: exactly the columns asked for, one row per record."""
    from rich.table import Table

    from clinicfinder.output.styled import Text, rich

    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for field in fields:
        table.add_column(field, overflow="fold")
    for record in records:
        table.add_row(*(rich(Text(plain(_text(record.get(f))))) for f in fields))
    console().print(table)


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


def wrap(text: str, width: int, indent: str = "") -> str:
    """Text wrapped to `width` at spaces (continuation lines indented): done once here, so
    Rich can print it without measuring every word again."""
    import textwrap

    return "\n".join(
        textwrap.fill(line, max(width, 20), subsequent_indent=indent) or ""
        for line in text.splitlines()
    )


def phone_text(clinic: Clinic) -> str:
    """The number, and "(central line)" when it is one number for branches in several cities."""
    if clinic.phone and clinic.phone_scope == "central":
        return f"{clinic.phone} (central line)"
    return clinic.phone
