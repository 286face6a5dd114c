"""The command line: parse arguments, call the core, render. Nothing else lives here.

No ``from __future__ import annotations`` here: Typer reads every command's
annotations on each run, and as strings it must eval them (~170 evals, ~3.5 ms).
"""

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from clinicfinder import __version__
from clinicfinder.errors import ClinicFinderError, ExitCode, UsageProblem, brief
from clinicfinder.output.formats import Format

if TYPE_CHECKING:
    from clinicfinder.clinics.catalog import Catalog

UNITS = ("mi", "km")
DEFAULT_RADIUS = {"mi": 50.0, "km": 80.0}


def _report(message: str, hint: str | None = None) -> None:
    """One line for the person, and a hint when there is something to try."""
    from clinicfinder.output.render import plain  # what they typed may hold escape sequences

    line = f"clinicfinder: error: {message}"
    if hint:
        line += f" ({hint})"
    sys.stderr.write(plain(line) + "\n")


def run_guarded(call: Callable[[], Any]) -> int:
    """The single boundary where every failure becomes one stderr line and an exit code."""
    from typer._click import exceptions as click_errors  # typer ≥0.28 vendors click

    try:
        result = call()
        return result if isinstance(result, int) else ExitCode.OK
    except ClinicFinderError as exc:
        _report(exc.message, exc.hint)
        return exc.exit_code
    except click_errors.NoArgsIsHelpError as exc:  # a bare `clinicfinder`: show the help
        exc.show()
        return ExitCode.USAGE
    except click_errors.UsageError as exc:
        hint = "see --help"
        if exc.ctx is not None:
            hint = f"see '{exc.ctx.command_path} --help'"
        option = getattr(exc, "option_name", "") or ""
        if isinstance(exc, click_errors.NoSuchOption) and option[1:2].isdigit():
            hint = "coordinates that start with '-' need -- before them: near -- '-33.9,151.2'"
        _report(exc.format_message(), hint)
        return ExitCode.USAGE
    except click_errors.ClickException as exc:
        _report(exc.format_message())
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("\n")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head -1`): nothing left to say to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.OK
    except Exception as exc:  # the last resort: never a traceback for a person
        if os.environ.get("CLINICFINDER_DEBUG"):
            raise
        _report(
            f"unexpected {type(exc).__name__}: {exc}",
            "this is a bug: run again with --debug for details, and please report it",
        )
        return ExitCode.ERROR


class Group(TyperGroup):
    """Typer's group, with errors reported in one line instead of a box."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        code = run_guarded(
            lambda: TyperGroup.main(
                self, args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        )
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=Group,
    name="clinicfinder",
    help=(
        "Find ketamine and esketamine (Spravato) clinics near a place — offline and private: "
        "your search never leaves this machine.\n\n"
        "Not medical advice. In a crisis, call or text 988 (US)."
    ),
    epilog=(
        "Examples:\n\n\b\n"
        "  clinicfinder near 'Wichita, KS'\n"
        "  clinicfinder near 67202 --json | jq '.results[].name'\n"
        "  clinicfinder about depression\n"
        "  clinicfinder config set location 'Wichita, KS'"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
config_app = typer.Typer(
    cls=Group,
    help="Saved settings: default location, units, online geocoding and its server.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(config_app, name="config")
data_app = typer.Typer(
    cls=Group,
    help="For maintainers and researchers: check and summarise clinic data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clinicfinder {__version__}")
        raise typer.Exit()


def _debug(value: bool) -> None:
    if value:
        os.environ["CLINICFINDER_DEBUG"] = "1"  # read by run_guarded and main()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            callback=_debug,
            is_eager=True,
            help="Show the full traceback if something unexpected goes wrong. "
            "Also CLINICFINDER_DEBUG=1.",
        ),
    ] = False,
) -> None:
    """Find ketamine and esketamine (Spravato) clinics near a place."""


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
    typer.Option("--fail-if-empty", help="Exit with code 5 when nothing matched (like grep)."),
]


def _emit(output: Any, fmt: Any, as_json: bool, fields: str | None, fail_if_empty: bool) -> None:
    from clinicfinder.output import formats

    code = formats.emit(output, formats.choose(fmt, as_json), fields, fail_if_empty=fail_if_empty)
    if code:
        raise typer.Exit(code)


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


def _catalog(data: list[Path] | None, no_bundled: bool) -> "Catalog":
    from clinicfinder.clinics import catalog

    files = [*catalog.data_files_from_env(), *(data or [])]
    if no_bundled and not files:
        raise UsageProblem("--no-bundled needs at least one --data FILE")
    if not files:
        return catalog.bundled_catalog()
    return catalog.load_catalog(files, bundled=not no_bundled)


OnlineOpt = Annotated[
    bool | None,
    typer.Option(
        "--online/--offline",
        help="Resolve the place with the Nominatim geocoder (street precision; sends the "
        "text to the server) or only offline. [default: offline, or `config set online`]",
        show_default=False,
    ),
]


def _complete_conditions(incomplete: str) -> list[str]:
    from clinicfinder.records.vocab import CONDITIONS

    return [c for c in CONDITIONS if c.startswith(incomplete.lower())]


def _complete_routes(incomplete: str) -> list[str]:
    from clinicfinder.records.vocab import ROUTES

    return [r for r in (*ROUTES, "spravato") if r.startswith(incomplete.lower())]


def _complete_states(incomplete: str) -> list[str]:
    from clinicfinder.places.regions import regions

    return [code for code in regions() if code.startswith(incomplete.upper())]


def _complete_topics(incomplete: str) -> list[str]:
    from clinicfinder.bundled import data_path

    slugs = sorted(p.stem for d in ("conditions", "routes") for p in data_path(d).glob("*.md"))
    return [s for s in slugs if s.startswith(incomplete.lower())]


def _warn(message: str) -> None:
    from clinicfinder.output.render import plain

    sys.stderr.write(f"clinicfinder: {plain(message)}\n")


def _resolve(text: str, online: bool | None, settings: dict[str, str]) -> Any:
    """The place for `text`: offline unless --online (or `config set online true`)."""
    from clinicfinder.config import truthy

    use_online = online if online is not None else truthy(settings.get("online", ""))
    if not use_online:
        from clinicfinder.places.geocode import locate

        return locate(text)
    from clinicfinder.online.nominatim import resolve

    return resolve(text, online=True, url=settings.get("nominatim_url"), notify=_warn)


def _settings() -> dict[str, str]:
    from clinicfinder import config

    try:
        return config.load()
    except ClinicFinderError as exc:  # a broken config must not stop a search
        sys.stderr.write(f"clinicfinder: warning: {exc.message}; ignoring it\n")
        return {}


def _units(given: str | None, settings: dict[str, str]) -> str:
    units = given or os.environ.get("CLINICFINDER_UNITS") or settings.get("units") or "mi"
    if units not in UNITS:
        raise UsageProblem(f"unknown units {brief(units)}", hint="use mi or km")
    return units


@app.command()
def near(
    location: Annotated[
        str | None,
        typer.Argument(
            help="ZIP, 'City, ST', a state, 'lat,lon' or an address. "
            "Default: CLINICFINDER_LOCATION or `config set location`.",
            show_default=False,
        ),
    ] = None,
    radius: Annotated[
        float | None,
        typer.Option("--radius", "-r", help="Search radius, in --units. [default: 50 mi / 80 km]"),
    ] = None,
    units: Annotated[
        str | None,
        typer.Option("--units", "-u", help="mi or km, for --radius and distances. [default: mi]"),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many clinics.")] = 10,
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition",
            "-c",
            help="Only clinics whose source lists this condition (a slug or a name: PTSD, TRD…).",
            autocompletion=_complete_conditions,
        ),
    ] = None,
    route: Annotated[
        list[str] | None,
        typer.Option(
            "--route",
            help="Only clinics offering this treatment route: iv, im, esketamine (spravato), "
            "kap, oral, at-home. Repeat for any of several.",
            autocompletion=_complete_routes,
        ),
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Also list clinics reported closed.")
    ] = False,
    online: OnlineOpt = None,
    data: DataOpt = None,
    no_bundled: NoBundledOpt = False,
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map",
            metavar="FILE.html",
            help="Also write a map of the results: one self-contained page to open in a browser.",
        ),
    ] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    fail_if_empty: FailIfEmptyOpt = False,
) -> None:
    """Rank clinics by distance from a place.

    Offline by default: the place is resolved on this machine, to its ZIP or city
    centre. --online asks a Nominatim server for street precision (the text you
    give is sent to it; answers are cached).

    Examples:

    \b
      clinicfinder near "Wichita, KS"
      clinicfinder near 67202 --radius 100 --limit 20
      clinicfinder near "Denver, CO" --condition ptsd --route iv --route kap
      clinicfinder near 37.69,-97.34 --units km --json
      clinicfinder near "300 N Main St, Wichita, KS" --online
      clinicfinder near "Denver, CO" --map denver.html
    """
    from clinicfinder.output import formats, render
    from clinicfinder.places.distance import miles_to_km
    from clinicfinder.search.rank import check_filters, find_clinics

    settings = _settings()
    chosen_units = _units(units, settings)
    radius_value = DEFAULT_RADIUS[chosen_units] if radius is None else radius
    radius_km = radius_value if chosen_units == "km" else miles_to_km(radius_value)
    slug, routes, topic = None, [], None
    if condition is not None or route:  # topics (and tomllib) only when a filter needs them
        from clinicfinder.topics import pages as topics

        slug = topics.resolve_condition(condition) if condition is not None else None
        routes = [topics.resolve_route(r) for r in route or []]
        topic = topics.topic_for(slug) if slug else None
    check_filters(radius_km, limit, slug, routes)  # before any lookup: never geocode in vain
    text = location
    if text is None:
        text = os.environ.get("CLINICFINDER_LOCATION") or settings.get("location")
    if text is None:
        raise UsageProblem(
            "no location given",
            hint="e.g. clinicfinder near 'Wichita, KS', or save one with "
            "clinicfinder config set location 'Wichita, KS'",
        )
    origin = _resolve(text, online, settings)
    clinics = _catalog(data, no_bundled)
    search = find_clinics(
        origin,
        clinics,
        radius_km=radius_km,
        limit=limit,
        condition=slug,
        routes=routes,
        include_closed=include_closed,
    )
    collected = clinics.newest_collected()
    if map_file is not None:
        from clinicfinder.output.maps import write_map

        try:
            write_map(search, chosen_units, map_file)
        except OSError as exc:
            reason = exc.strerror or exc
            raise ClinicFinderError(f"{map_file}: cannot write the map ({reason})") from None
        _warn(f"map written to {map_file}")
    document = render.search_record(
        search,
        condition=slug,
        routes=routes,
        topic=topic,
        data_collected=collected,
        units=chosen_units,
    )

    def table() -> None:
        render.print_search(
            search, units=chosen_units, topic=topic, condition=slug, data_collected=collected
        )

    notices = [n for n in (origin.note, *document["notices"]) if n]
    output = formats.Output(
        document,
        document["results"],
        render.MATCH_FIELDS,
        table,
        "results",
        tuple(notices),
        empty=not search.within_radius,  # the nearest beyond the radius don't count as found
    )
    _emit(output, fmt, as_json, fields, fail_if_empty)


@app.command()
def show(
    clinic_id: Annotated[str, typer.Argument(metavar="ID", help="A clinic id, as `near` shows.")],
    data: DataOpt = None,
    no_bundled: NoBundledOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """One clinic in full, with where each fact came from.

    Examples:

    \b
      clinicfinder show advanced-infusion-and-wellness-center-wichita-ks
      clinicfinder show advanced-infusion-and-wellness-center-wichita-ks --json
    """
    from clinicfinder.clinics import catalog
    from clinicfinder.output import formats, render

    clinic = catalog.find_clinic(clinic_id.strip(), _catalog(data, no_bundled))
    record = render.clinic_record(clinic)

    document = {"schema_version": render.SCHEMA_VERSION, "clinic": record}
    output = formats.Output(
        document, [record], render.CLINIC_FIELDS, lambda: render.print_clinic(clinic), "clinic"
    )
    _emit(output, fmt, as_json, fields, False)


@app.command()
def about(
    topic: Annotated[
        str | None,
        typer.Argument(
            help="A condition (depression, PTSD…) or treatment route (iv, spravato…); "
            "omit to list them all.",
            show_default=False,
            autocompletion=_complete_topics,
        ),
    ] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """What the evidence says about ketamine for a condition or treatment route.

    Evidence level, US regulatory status, risks, claims to be careful with, costs
    (for routes) and sources.

    Examples:

    \b
      clinicfinder about
      clinicfinder about depression
      clinicfinder about PTSD
      clinicfinder about spravato
      clinicfinder about "chronic pain" --json
    """
    from clinicfinder.output import formats, render
    from clinicfinder.output import topics as render_topics
    from clinicfinder.topics import pages as topics

    if topic is None:
        every = topics.topics()
        rows = [render_topics.topic_summary_record(t) for t in every]
        document = {"schema_version": render.SCHEMA_VERSION, "topics": rows}
        fields_all = render_topics.TOPIC_SUMMARY_FIELDS

        def table() -> None:
            render_topics.print_topics(every)

        output = formats.Output(document, rows, fields_all, table, "topics", geo=False)
    else:
        found = topics.find_topic(topic)
        record = render_topics.topic_record(found)
        document = {"schema_version": render.SCHEMA_VERSION, "topic": record}

        def table() -> None:
            render_topics.print_topic(found)

        output = formats.Output(document, [record], list(record), table, "topic", geo=False)
    _emit(output, fmt, as_json, fields, False)


@app.command()
def regions(
    state: Annotated[
        str | None,
        typer.Argument(
            help="A state code or name; omit for every state.",
            show_default=False,
            autocompletion=_complete_states,
        ),
    ] = None,
    data: DataOpt = None,
    no_bundled: NoBundledOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
    fail_if_empty: FailIfEmptyOpt = False,
) -> None:
    """Clinics and telehealth providers by state, including those with no address.

    Examples:

    \b
      clinicfinder regions
      clinicfinder regions KS
      clinicfinder regions "New Mexico" --json
    """
    from clinicfinder.output import data as render_data
    from clinicfinder.output import formats, render
    from clinicfinder.places.regions import find_region
    from clinicfinder.search import coverage

    clinics = _catalog(data, no_bundled).all()
    if state is None:
        counts = coverage.summarize(clinics)
        document = render_data.regions_record(counts, clinics)
        rows = document["regions"]

        def table() -> None:
            render_data.print_regions(counts, clinics)

        output = formats.Output(document, rows, render_data.REGION_FIELDS, table, "regions")
    else:
        listing = coverage.listing(find_region(state), clinics)
        document = render_data.region_record(listing)
        rows = document["clinics"] + document["unplaced"]

        def table() -> None:
            render_data.print_region(listing)

        output = formats.Output(document, rows, render.CLINIC_FIELDS, table, None)
    _emit(output, fmt, as_json, fields, fail_if_empty)


cache_app = typer.Typer(
    cls=Group,
    help="The cache of geocoding answers and clinic-file indexes.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cache_app, name="cache")


@app.command()
def geocode(
    text: Annotated[str, typer.Argument(help="A place, as you would give it to `near`.")],
    online: Annotated[
        bool,
        typer.Option("--online", help="Also ask the Nominatim geocoder (sends the text to it)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show how a text resolves: offline, and online with --online.

    Examples:

    \b
      clinicfinder geocode "Coeur d'Alene, ID"
      clinicfinder geocode "300 N Main St, Wichita, KS" --online --json
    """
    from clinicfinder.output import render
    from clinicfinder.places.geocode import locate

    results: dict[str, Any] = {}
    try:
        results["offline"] = locate(text)
    except ClinicFinderError as exc:
        if not online:
            raise
        results["offline"] = exc
    if online:
        from clinicfinder.online.nominatim import ATTRIBUTION, OnlineGeocoder, server_url

        geocoder = OnlineGeocoder(server_url(_settings().get("nominatim_url")), notify=_warn)
        try:
            results["online"] = geocoder.locate(text) or LookupError("no match")
        except ClinicFinderError as exc:
            results["online"] = exc
        if geocoder.cache.warning:
            _warn(geocoder.cache.warning)
    if as_json:
        render.print_json(render.geocode_record(text, results))
    else:
        render.print_geocode(results)
    if online and not isinstance(results["online"], Exception):
        _warn(ATTRIBUTION)
    if all(isinstance(r, Exception) for r in results.values()):
        decisive = results.get("online", results["offline"])  # what the user asked for last
        code = getattr(decisive, "exit_code", ExitCode.LOCATION_NOT_FOUND)
        raise typer.Exit(code)


@app.command()
def schema(
    name: Annotated[
        str | None,
        typer.Argument(
            help="near, show, about-list, about-topic, regions, region, validate, "
            "stats, geocode, geojson or defs; omit to list them.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a --json document, for scripts to check.

    Examples:

    \b
      clinicfinder schema
      clinicfinder schema near > near.schema.json
    """
    from importlib.resources import files

    folder = files("clinicfinder.output").joinpath("schemas")
    names = sorted(p.name.removesuffix(".schema.json") for p in folder.iterdir()
                   if p.name.endswith(".schema.json"))  # fmt: skip
    if name is None:
        typer.echo("\n".join(names))
        return
    if name not in names:
        raise UsageProblem(f"no schema called {brief(name)}", hint="one of: " + ", ".join(names))
    sys.stdout.write(folder.joinpath(f"{name}.schema.json").read_text(encoding="utf-8"))


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete cached geocoding answers and clinic-file indexes (always safe)."""
    from clinicfinder.online.geocache import clear
    from clinicfinder.userdirs import cache_dir

    removed = clear()
    sys.stderr.write(f"removed {len(removed)} file(s) from {cache_dir()}\n")


@cache_app.command("path")
def cache_path() -> None:
    """Print the cache folder."""
    from clinicfinder.userdirs import cache_dir

    typer.echo(str(cache_dir()))


@data_app.command("geocode")
def data_geocode(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="A clinic CSV file.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="OUT.csv", help="Where to write.")],
) -> None:
    """Add street-level coordinates to rows that have a street address (online).

    Asks the Nominatim server one row a second, caches every answer, and resumes
    where it stopped if interrupted (run it again). The public server allows only
    small jobs; for more rows, self-host Nominatim and set CLINICFINDER_NOMINATIM_URL.

    Examples:

    \b
      clinicfinder data geocode my-clinics.csv -o my-clinics.geocoded.csv
      CLINICFINDER_NOMINATIM_URL=http://localhost:8080 clinicfinder data geocode big.csv -o out.csv
    """
    from clinicfinder.online.batch import geocode_file
    from clinicfinder.online.nominatim import ATTRIBUTION, OnlineGeocoder, server_url

    geocoder = OnlineGeocoder(
        server_url(_settings().get("nominatim_url")), max_wait_s=60, notify=_warn
    )
    summary = geocode_file(file, out, geocoder)
    sys.stderr.write(summary + "\n")
    _warn(ATTRIBUTION)


@data_app.command("validate")
def data_validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...", help="Clinic files to check; the bundled data when none."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check clinic files: schema, vocabularies, duplicates, coordinates, ZIPs, URLs.

    Each problem is printed as FILE:LINE: error|warning: message. Exits 1 if any
    error was found (warnings alone exit 0).

    Examples:

    \b
      clinicfinder data validate
      clinicfinder data validate my-clinics.csv
      clinicfinder data validate a.csv b.json --json
    """
    from clinicfinder.bundled import data_path
    from clinicfinder.clinics.validate import validate_files
    from clinicfinder.output import data as render_data
    from clinicfinder.output import render

    paths = files or [data_path("clinics.csv")]
    report = validate_files(paths)
    if as_json:
        render.print_json(render_data.validation_record(report))
    else:
        render_data.print_validation(report)
    if report.errors:
        raise typer.Exit(ExitCode.ERROR)


@data_app.command("stats")
def data_stats(
    data: DataOpt = None,
    no_bundled: NoBundledOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """What the data covers: clinics per state, route and precision, contact details, dates.

    Examples:

    \b
      clinicfinder data stats
      clinicfinder data stats --data my-clinics.csv --no-bundled --json
    """
    from clinicfinder.output import data as render_data
    from clinicfinder.output import render
    from clinicfinder.search.coverage import compute

    stats = compute(_catalog(data, no_bundled).all())
    if as_json:
        render.print_json(render_data.stats_record(stats))
    else:
        render_data.print_stats(stats)


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="location, units, online or nominatim_url")],
    value: Annotated[str, typer.Argument(help="The value to save.")],
) -> None:
    """Save a setting.

    Examples:

    \b
      clinicfinder config set location "Wichita, KS"
      clinicfinder config set units km
      clinicfinder config set nominatim_url http://localhost:8080
    """
    from clinicfinder import config
    from clinicfinder.places.geocode import clean_query, locate

    config.check_key(key)
    if key == "units":
        _units(value, {})
    if key == "online" and value.strip().lower() not in ("true", "false"):
        raise UsageProblem(f"online must be true or false, not {brief(value)}")
    if key == "nominatim_url":
        from clinicfinder.online.nominatim import check_server_url

        check_server_url(value)
    if key == "location":
        value = clean_query(value)
        place = locate(value)  # refuse to save a place we can't find
        sys.stderr.write(f"location resolves to {place.label}\n")
    path = config.set_value(key, value)
    sys.stderr.write(f"saved {key} in {path}\n")


@config_app.command("get")
def config_get(
    key: Annotated[str, typer.Argument(help="location, units, online or nominatim_url")],
) -> None:
    """Print one saved setting (nothing, and exit 1, if it isn't set)."""
    from clinicfinder import config

    config.check_key(key)
    value = config.load().get(key)
    if value is None:
        raise typer.Exit(ExitCode.ERROR)
    typer.echo(value)


@config_app.command("unset")
def config_unset(
    key: Annotated[str, typer.Argument(help="location, units, online or nominatim_url")],
) -> None:
    """Forget a saved setting."""
    from clinicfinder import config

    path = config.unset_value(key)
    sys.stderr.write(f"removed {key} from {path}\n")


@config_app.command("list")
def config_list() -> None:
    """Print every saved setting as key=value, and where the file lives."""
    from clinicfinder import config

    for key, value in sorted(config.load().items()):
        typer.echo(f"{key}={value}")
    sys.stderr.write(f"({config.config_path()})\n")


def run(args: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (for embedding and tests)."""
    return int(app(args, prog_name="clinicfinder", standalone_mode=False))


def main() -> None:
    """Console-script entry point: run, flush, and leave without interpreter teardown.

    Tearing down the interpreter (clearing every module, a final garbage
    collection) takes 10-17 ms here, longer than most searches. Nothing of ours
    needs it: files are written atomically before we return, and SQLite
    connections are read-only. So once stdout and stderr are flushed we end the
    process directly. CLINICFINDER_DEBUG=1 or `python -X dev` keep the normal exit.
    """
    code = run()
    if os.environ.get("CLINICFINDER_DEBUG") or sys.flags.dev_mode:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left (`| head -1`): nothing more to say
        pass
    except OSError:
        code = code or ExitCode.ERROR
    os._exit(code)
