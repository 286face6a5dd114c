"""`near`, `show` and `geocode`: finding clinics and places."""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clinicfinder.cli import options as opt
from clinicfinder.cli import steps
from clinicfinder.cli.boundary import warn
from clinicfinder.errors import ClinicFinderError, ExitCode, UsageProblem

if TYPE_CHECKING:
    from clinicfinder.clinics.catalog import Catalog
    from clinicfinder.config import Settings
    from clinicfinder.output.formats import Format
    from clinicfinder.records.models import Place, Search
    from clinicfinder.search.rank import Filters
    from clinicfinder.topics.pages import Topic


@dataclass
class NearQuery:
    """`near`'s arguments, resolved and checked before anything is looked up."""

    text: str
    units: str
    radius_km: float
    limit: int
    filters: "Filters"
    topic: "Topic | None"
    online: bool
    settings: "Settings"
    origin_note: str | None = None  # 'near me' read as the saved location


def _near_query(
    words: list[str] | None,
    radius: str | None,
    units: str | None,
    limit: int,
    condition: str | None,
    route: list[str] | None,
    include_closed: bool,
    online: bool | None,
    max_age: str | None,
    stated: dict[str, list[str] | None],
) -> NearQuery:
    from clinicfinder.places.distance import parse_distance, to_km
    from clinicfinder.search.rank import (
        DEFAULT_RADIUS,
        Filters,
        check_filters,
        oldest_allowed,
        stated_values,
    )

    settings = steps.settings()
    chosen = settings.units(units)
    given = settings.radius(radius)  # the flag, $CLINICFINDER_RADIUS or the saved radius
    if given is None:
        radius_km = to_km(DEFAULT_RADIUS[chosen], chosen)
    else:
        text, where = given
        name = "--radius" if where == "the command line" else f"the radius from {where}"
        value, unit = parse_distance(text, name)  # "100", "100 mi", "160km"
        radius_km = to_km(value, unit or chosen)
        if unit and units is None and where == "the command line":
            chosen = unit  # "--radius 100 km" reads back "within 100 km", not "62 mi"
    slug, routes, topic = None, [], None
    if condition is not None or route:  # topics (and tomllib) only when a filter needs them
        from clinicfinder.topics import pages

        slug = pages.resolve_condition(condition) if condition is not None else None
        routes = [pages.resolve_route(r) for r in route or []]
        topic = pages.topic_for(slug) if slug else None
    check_filters(radius_km, limit, slug, routes)  # before any lookup: never geocode in vain
    asked = {kind: stated_values(kind, given or []) for kind, given in stated.items()}
    filters = Filters(
        condition=slug,
        routes=tuple(routes),
        include_closed=include_closed,
        oldest=oldest_allowed(max_age),
        payments=asked["payment"],
        languages=asked["language"],
        ages=asked["age"],
    )
    text, note = _location_text(steps.joined(words), settings)
    return NearQuery(
        text=text,
        units=chosen,
        radius_km=radius_km,
        limit=limit,
        filters=filters,
        topic=topic,
        online=settings.online(online),
        settings=settings,
        origin_note=note,
    )


def _location_text(given: str | None, settings: "Settings") -> tuple[str, str | None]:
    """The place to search from, and a note when 'near me' was read as the saved one.

    clinicfinder can't know where the user is (it is offline); 'me' and 'here' mean the
    location they saved, and with none saved they are told how to save one."""
    from clinicfinder.places.geocode import SAVE_HINT, means_here

    here = given is not None and means_here(given)
    text = settings.location(None if here else given)  # else $CLINICFINDER_LOCATION, saved
    if text is None and here:
        raise UsageProblem(f"no location saved for 'near {given}'", hint=SAVE_HINT)
    if text is None:
        raise UsageProblem(
            "no location given",
            hint="e.g. clinicfinder near 'Wichita, KS', or save one with "
            "clinicfinder config set location Wichita, KS",
        )
    return text, (f"'near {given}': using your saved location, {text}" if here else None)


def near(
    location: opt.LocationArg = None,
    radius: opt.RadiusOpt = None,
    units: opt.UnitsOpt = None,
    limit: opt.LimitOpt = 10,
    condition: opt.ConditionOpt = None,
    route: opt.RouteOpt = None,
    payment: opt.PaymentOpt = None,
    language: opt.LanguageOpt = None,
    age: opt.AgeOpt = None,
    include_closed: opt.IncludeClosedOpt = False,
    max_age: opt.MaxAgeOpt = None,
    online: opt.OnlineOpt = None,
    refresh: opt.RefreshOpt = False,
    data: opt.DataOpt = None,
    no_bundled: opt.NoBundledOpt = False,
    map_file: opt.MapOpt = None,
    fmt: opt.FormatOpt = None,
    as_json: opt.JsonOpt = False,
    fields: opt.FieldsOpt = None,
    fail_if_empty: opt.FailIfEmptyOpt = False,
) -> None:
    """Rank clinics by distance from a place.

    Offline by default: the place is resolved on this machine, to its ZIP or city
    centre. --online asks a Nominatim server for street precision (the text you
    give is sent to it) and SAMHSA's FindTreatment.gov for ketamine infusion
    facilities near the ZIP or city centre (never your street); answers are cached.

    Filters match only what a clinic's sources state, and say how many nearby
    clinics they left out because their sources don't say. Repeat one for any of
    several values; different filters must all hold.

    Examples:

    \b
      clinicfinder near Wichita, KS
      clinicfinder near 67202 --radius 100 --limit 20
      clinicfinder near "Denver, CO" --condition ptsd --route iv --route kap
      clinicfinder near 37.69,-97.34 --units km --json
      clinicfinder near "300 N Main St, Wichita, KS" --online
      clinicfinder near "Denver, CO" --map denver.html
      clinicfinder near Garden City, KS --condition TRD --radius 250
      clinicfinder near "Denver, CO" --max-age 3y
      clinicfinder near "Huntsville, AL" --payment medicare --payment medicaid
      clinicfinder near "Los Angeles, CA" --language spanish --age senior
    """
    from clinicfinder.search.rank import find_clinics

    stated = {"payment": payment, "language": language, "age": age}
    query = _near_query(
        location, radius, units, limit, condition, route, include_closed, online, max_age, stated
    )
    clinics = steps.catalog(data, no_bundled)  # files checked before anything is sent online
    origin = steps.resolve_place(query.text, query.online, query.settings)
    if query.origin_note:
        notes = (query.origin_note, origin.note)
        origin = origin._replace(note="; ".join(n for n in notes if n))
    if query.online:
        clinics = _with_registry(clinics, origin, query, refresh)
    search = find_clinics(
        origin,
        clinics,
        radius_km=query.radius_km,
        limit=query.limit,
        filters=query.filters,
        units=query.units,
    )
    if map_file is not None:
        _write_map(search, query.units, map_file, inputs=steps.inputs(data))
    _emit_search(search, query, clinics.newest_collected(), fmt, as_json, fields, fail_if_empty)


def _with_registry(
    clinics: "Catalog", origin: "Place", query: NearQuery, refresh: bool
) -> "Catalog":
    """The catalogue with FindTreatment.gov's ketamine facilities laid over it; on any
    failure, one line and the bundled listings alone."""
    from clinicfinder.clinics.overlay import OverlayCatalog
    from clinicfinder.online.findtreatment import Registry, left_out_text
    from clinicfinder.places.geocode import coarse_point

    centre = coarse_point(origin)
    if centre is None:
        return clinics  # outside the US: nothing the registry could list
    registry = Registry(query.settings.findtreatment_url(), refresh=refresh)
    try:
        live = registry.near(centre[0], centre[1], query.radius_km)
    except ClinicFinderError as exc:
        warn(f"{exc.message}; showing the bundled listings only")
        return clinics
    finally:
        if registry.cache.warning:
            warn(registry.cache.warning)
    overlay = OverlayCatalog(clinics, live)
    warn(
        f"FindTreatment.gov (SAMHSA): {len(live)} ketamine facilities near "
        f"{origin.label}; {overlay.joined} already listed, {overlay.added} added"
        + (f"; {left_out_text(registry.left_out)}" if registry.left_out else "")
    )
    return overlay


def _write_map(search: "Search", units: str, path: Path, inputs: list[Path]) -> None:
    from clinicfinder.output.maps import write_map

    write_map(search, units, path, inputs=inputs)
    warn(f"map written to {path}")


def _emit_search(
    search: "Search",
    query: NearQuery,
    collected: str | None,
    fmt: "Format | None",
    as_json: bool,
    fields: str | None,
    fail_if_empty: bool,
) -> None:
    from clinicfinder.output import formats
    from clinicfinder.output import search as render
    from clinicfinder.output.results import print_search

    document = render.search_record(
        search,
        condition=query.filters.condition,
        routes=list(query.filters.routes),
        topic=query.topic,
        data_collected=collected,
        units=query.units,
    )

    def table() -> None:
        print_search(
            search,
            units=query.units,
            topic=query.topic,
            condition=query.filters.condition,
            data_collected=collected,
            routes=list(query.filters.routes),
        )

    notices = [n for n in (search.origin.note, *document["notices"]) if n]
    output = formats.Output(
        document,
        document["results"],
        render.MATCH_FIELDS,
        table,
        "results",
        tuple(notices),
        empty=not search.within_radius,  # the nearest beyond the radius don't count as found
    )
    steps.emit(output, fmt, as_json, fields, fail_if_empty)


def show(
    clinic: Annotated[
        list[str],
        typer.Argument(
            metavar="ID_OR_NAME...", help="A clinic id (as `near --json` gives) or its name."
        ),
    ],
    data: opt.DataOpt = None,
    no_bundled: opt.NoBundledOpt = False,
    fmt: opt.FormatOpt = None,
    as_json: opt.JsonOpt = False,
    fields: opt.FieldsOpt = None,
    notes: Annotated[
        bool,
        typer.Option("--notes", help="Also the maintainers' notes: where each record came from."),
    ] = False,
) -> None:
    """One clinic in full, with every source and what each supports.

    Examples:

    \b
      clinicfinder show advanced-infusion-and-wellness-center-wichita-ks
      clinicfinder show Advanced Infusion and Wellness Center
      clinicfinder show a8c131   (the short id a same-name list gives)
      clinicfinder show advanced-infusion-and-wellness-center-wichita-ks --json
    """
    from clinicfinder.clinics.checks import last_checks
    from clinicfinder.clinics.lookup import AmbiguousName, find_clinic
    from clinicfinder.clinics.sources import sources_of
    from clinicfinder.output import clinic as render
    from clinicfinder.output import formats
    from clinicfinder.output.formats import Format, choose

    catalog = steps.catalog(data, no_bundled)
    try:
        found = find_clinic(steps.joined(clinic) or "", catalog)
    except AmbiguousName as exc:
        if choose(fmt, as_json) is not Format.table:
            raise
        render.print_matches(exc.matches)
        # The list above names them and their ids: the error stays one short line.
        n = len(exc.matches)
        raise AmbiguousName(
            f"{n} clinics are called that", exc.matches, "use a short id above"
        ) from None
    sources = sources_of(found, catalog.origins(found.id))
    check = last_checks().get(found.id)
    record = render.clinic_record(found)
    document = {
        "schema_version": render.SCHEMA_VERSION,
        "clinic": record,
        "sources": [render.source_record(s) for s in sources],
        "checked": render.check_record(check),
    }
    output = formats.Output(
        document,
        [record],
        render.CLINIC_FIELDS,
        lambda: render.print_clinic(found, sources, check, notes=notes),
        "clinic",
    )
    steps.emit(output, fmt, as_json, fields, False)


def geocode(
    text: Annotated[
        list[str], typer.Argument(metavar="PLACE...", help="A place, as you would give `near`.")
    ],
    online: Annotated[
        bool,
        typer.Option("--online", help="Also ask the Nominatim geocoder (sends the text to it)."),
    ] = False,
    as_json: opt.JsonOpt = False,
) -> None:
    """Show how a text resolves: offline, and online with --online.

    Examples:

    \b
      clinicfinder geocode "Coeur d'Alene, ID"
      clinicfinder geocode "300 N Main St, Wichita, KS" --online --json
    """
    from clinicfinder.output import clinic as render
    from clinicfinder.output.text import print_json

    place = steps.joined(text) or ""
    results = _geocode_both(place, online)
    if as_json:
        print_json(render.geocode_record(place, results))
    else:
        render.print_geocode(results)
    if all(isinstance(r, Exception) for r in results.values()):
        decisive = results.get("online", results["offline"])  # what the user asked for last
        raise typer.Exit(getattr(decisive, "exit_code", ExitCode.LOCATION_NOT_FOUND))


def _geocode_both(text: str, online: bool) -> "dict[str, Place | Exception]":
    from clinicfinder.places.geocode import locate

    results: dict[str, Place | Exception] = {}
    try:
        results["offline"] = locate(text)
    except ClinicFinderError as exc:
        if not online:
            raise
        results["offline"] = exc
    if online:
        from clinicfinder.online.nominatim import ATTRIBUTION, OnlineGeocoder

        geocoder = OnlineGeocoder(steps.settings().nominatim_url(), notify=warn)
        try:
            results["online"] = geocoder.locate(text) or LookupError("no match")
        except ClinicFinderError as exc:
            results["online"] = exc
        if geocoder.cache.warning:
            warn(geocoder.cache.warning)
        if not isinstance(results["online"], Exception):
            warn(ATTRIBUTION)
    return results
