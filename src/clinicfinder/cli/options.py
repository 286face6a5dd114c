"""The options commands share, declared once (with their shell completions); the steps
commands take with them are in steps.py.

No ``from __future__ import annotations`` in cli/: Typer reads every command's
annotations on each run, and as strings it must eval them (~170 evals, ~3.5 ms).
"""

from pathlib import Path
from typing import Annotated

import typer

from clinicfinder.output.formats import Format

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
        help="Hide clinics whose newest source is older than this: 3y, 18m, 6w or 90d "
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
