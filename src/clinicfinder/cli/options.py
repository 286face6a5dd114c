"""The options several commands share, as one bundle, and the small steps every command takes
with them: settings, units, the catalogue, the place, and writing the output.

No ``from __future__ import annotations`` in cli/: Typer reads every command's
annotations on each run, and as strings it must eval them (~170 evals, ~3.5 ms).
"""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clinicfinder.cli.boundary import warn
from clinicfinder.errors import ClinicFinderError, UsageProblem, brief
from clinicfinder.output.formats import Format

if TYPE_CHECKING:
    from datetime import date

    from clinicfinder.clinics.catalog import Catalog
    from clinicfinder.records.models import Place

UNITS = ("mi", "km")
DEFAULT_RADIUS = {"mi": 50.0, "km": 80.0}

JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="table (for people), json (one document), ndjson (a record per line), csv, or "
        "geojson (a FeatureCollection). [default: table]",
        show_default=False,
        case_sensitive=False,
    ),
]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,C",
        help="Only these fields (columns for table and csv, keys for json); "
        "an unknown name lists the valid ones.",
    ),
]
FailIfEmptyOpt = Annotated[
    bool,
    typer.Option(
        "--fail-if-empty",
        help="Exit with code 5 when nothing matched (like grep); "
        "for near, when nothing is within the radius.",
    ),
]
DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        metavar="FILE",
        help="Also load this clinic file (CSV or JSON, see data/README.md); repeatable. "
        "Also from $CLINICFINDER_DATA (separated like PATH).",
    ),
]
NoBundledOpt = Annotated[
    bool,
    typer.Option("--no-bundled", help="Use only the --data files, not the bundled clinics."),
]
OnlineOpt = Annotated[
    bool | None,
    typer.Option(
        "--online/--offline",
        help="Resolve the place with the Nominatim geocoder (street precision; sends the "
        "text to the server) or only offline. [default: offline, or `config set online`]",
        show_default=False,
    ),
]


def emit(output: Any, fmt: Any, as_json: bool, fields: str | None, fail_if_empty: bool) -> None:
    """Write a command's output in the chosen format; exit 5 if --fail-if-empty and empty."""
    from clinicfinder.output import formats

    code = formats.emit(output, formats.choose(fmt, as_json), fields, fail_if_empty=fail_if_empty)
    if code:
        raise typer.Exit(code)


def catalog(data: list[Path] | None, no_bundled: bool) -> "Catalog":
    """The bundled clinics with the registry layer (`data update`), and the user's files
    (--data, $CLINICFINDER_DATA), each joined to what is already listed."""
    from clinicfinder.clinics import load

    files = load.input_files(data)
    if no_bundled and not files:
        raise UsageProblem("--no-bundled needs at least one --data FILE")
    if not files:
        return load.listed_catalog()
    return load.load_catalog(files, bundled=not no_bundled)


def inputs(data: list[Path] | None) -> list[Path]:
    """Every clinic file a command reads: never to be written over by its output."""
    from clinicfinder.clinics.layer import layer_path
    from clinicfinder.clinics.load import input_files

    return [*input_files(data), layer_path()]


def settings() -> dict[str, str]:
    """The saved settings; a broken config file is reported and ignored, never fatal."""
    from clinicfinder import config

    try:
        return config.load()
    except ClinicFinderError as exc:
        warn(f"warning: {exc.message}; ignoring it")
        return {}


def units(given: str | None, saved: dict[str, str]) -> str:
    chosen = given or os.environ.get("CLINICFINDER_UNITS") or saved.get("units") or "mi"
    if chosen not in UNITS:
        raise UsageProblem(f"unknown units {brief(chosen)}", hint="use mi or km")
    return chosen


def use_online(online: bool | None, saved: dict[str, str]) -> bool:
    from clinicfinder.config import truthy

    return online if online is not None else truthy(saved.get("online", ""))


def resolve_place(text: str, online: bool, saved: dict[str, str]) -> "Place":
    """The place for `text`: offline unless online was asked for."""
    if not online:
        from clinicfinder.places.geocode import locate

        return locate(text)
    from clinicfinder.online.nominatim import resolve

    return resolve(text, online=True, url=saved.get("nominatim_url"), notify=warn)


def oldest_allowed(max_age: str | None, today: "date | None" = None) -> str | None:
    """--max-age 3y / 18m / 90d → the oldest source date still shown (YYYY-MM-DD)."""
    import re
    from datetime import date, timedelta

    if max_age is None:
        return None
    found = re.fullmatch(r"\s*(\d{1,3})\s*([ymd])\s*", max_age.lower())
    if not found or int(found[1]) == 0:
        raise UsageProblem(f"--max-age {brief(max_age)} is not an age", hint="e.g. 3y, 18m or 90d")
    n, unit = int(found[1]), found[2]
    from clinicfinder.records.clock import today as clock_today

    day = today or clock_today()
    if unit == "d":
        return (day - timedelta(days=n)).isoformat()
    months = day.year * 12 + day.month - 1 - (n * 12 if unit == "y" else n)
    year, month = divmod(months, 12)
    return date(year, month + 1, min(day.day, 28)).isoformat()


def fetch_states_wanted(given: list[str] | None, every: bool) -> list[str]:
    """--state ST (repeatable) or --all-states, as state codes the registry knows."""
    from clinicfinder.online.findtreatment import STATE_IDS

    if every == bool(given):
        raise UsageProblem("give --state ST (one or more) or --all-states")
    codes = sorted(STATE_IDS) if every else [g.strip().upper() for g in given or []]
    unknown = [c for c in codes if c not in STATE_IDS]
    if unknown:
        raise UsageProblem(
            f"FindTreatment.gov has no state {brief(unknown[0])}",
            hint="a two-letter code: KS, NY, DC…",
        )
    return codes


def joined(words: list[str] | None) -> str | None:
    """Unquoted words as one argument: `near Garden City KS` is `near "Garden City KS"`."""
    if not words:
        return None
    return " ".join(words)


def complete_conditions(incomplete: str) -> list[str]:
    from clinicfinder.records.vocab import CONDITIONS

    return [c for c in CONDITIONS if c.startswith(incomplete.lower())]


def complete_routes(incomplete: str) -> list[str]:
    from clinicfinder.records.vocab import ROUTES

    return [r for r in (*ROUTES, "spravato") if r.startswith(incomplete.lower())]


def complete_payments(incomplete: str) -> list[str]:
    from clinicfinder.records.vocab import PAYMENTS

    return [p for p in PAYMENTS if p.startswith(incomplete.lower())]


def complete_languages(incomplete: str) -> list[str]:
    from clinicfinder.records.vocab import LANGUAGES

    return [x for x in LANGUAGES if x.startswith(incomplete.lower())]


def complete_ages(incomplete: str) -> list[str]:
    from clinicfinder.records.vocab import AGES

    return [a for a in AGES if a.startswith(incomplete.lower())]


def complete_states(incomplete: str) -> list[str]:
    from clinicfinder.places.regions import regions

    return [code for code in regions() if code.startswith(incomplete.upper())]


def complete_topics(incomplete: str) -> list[str]:
    from clinicfinder.topics.pages import topic_slugs

    return [s for s in topic_slugs() if s.startswith(incomplete.lower())]


# `near`'s own options, declared here so the command reads as a list of what it takes.
LocationArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[LOCATION]...",
        help="ZIP, 'City, ST', a state, 'lat,lon' or an address (quotes optional). "
        "Default: CLINICFINDER_LOCATION or `config set location`.",
        show_default=False,
    ),
]
RadiusOpt = Annotated[
    str | None,
    typer.Option(
        "--radius",
        "-r",
        metavar="DISTANCE",
        help="Search radius: 100 (in --units), 100 mi or 160 km. [default: 50 mi / 80 km]",
        show_default=False,
    ),
]
UnitsOpt = Annotated[
    str | None,
    typer.Option("--units", "-u", help="mi or km, for --radius and distances. [default: mi]"),
]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", help="At most this many clinics.")]
ConditionOpt = Annotated[
    str | None,
    typer.Option(
        "--condition",
        "-c",
        help="Clinics whose source lists this condition (a slug or a name: PTSD, TRD…), "
        "and, marked as related, those listing one of the same family.",
        autocompletion=complete_conditions,
    ),
]
RouteOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--route",
        help="Only clinics offering this treatment route: iv, im, esketamine (spravato), "
        "kap, oral, at-home. Repeat for any of several.",
        autocompletion=complete_routes,
    ),
]
PaymentOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--payment",
        metavar="WAY",
        help="Only clinics whose sources say they take this: medicare, medicaid, tricare, "
        "private-insurance, cash, sliding-fee (also payment-assistance, va). Repeat for any "
        "of several.",
        autocompletion=complete_payments,
    ),
]
LanguageOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--language",
        metavar="LANGUAGE",
        help="Only clinics whose sources say they offer care in this language: spanish, "
        "sign-language, and others a source names (chinese, vietnamese…). Repeat for any.",
        autocompletion=complete_languages,
    ),
]
AgeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--age",
        metavar="GROUP",
        help="Only clinics whose sources say they serve this age group: child (children and "
        "adolescents), young-adult, adult, senior. Repeat for any of several.",
        autocompletion=complete_ages,
    ),
]
IncludeClosedOpt = Annotated[
    bool, typer.Option("--include-closed", help="Also list clinics reported closed.")
]
MaxAgeOpt = Annotated[
    str | None,
    typer.Option(
        "--max-age",
        metavar="AGE",
        help="Hide clinics whose newest source is older than this: 3y, 18m or 90d "
        "(an undated page counts from the day it was read).",
    ),
]
RefreshOpt = Annotated[
    bool,
    typer.Option("--refresh", help="With --online: ask the registry again, not its cached answer."),
]
MapOpt = Annotated[
    Path | None,
    typer.Option(
        "--map",
        metavar="FILE.html",
        help="Also write a map of the results: one self-contained page to open in a browser.",
    ),
]
