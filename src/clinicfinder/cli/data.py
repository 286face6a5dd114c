"""`data …` (check, summarise, geocode clinic files) and `schema` (the JSON documents' schemas)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clinicfinder.cli import options as opt
from clinicfinder.cli import recheck as _recheck
from clinicfinder.cli import steps
from clinicfinder.cli.boundary import Group, deliver, echo, say, warn
from clinicfinder.errors import ExitCode, UsageProblem, brief
from clinicfinder.records.vocab import counted

if TYPE_CHECKING:
    from clinicfinder.records.models import Layer

NOT_CLINIC_ROWS = ("edits.csv", "copy-hosts.csv")
data_app = typer.Typer(
    cls=Group,
    help="For maintainers and researchers: check, summarise, geocode and fetch clinic data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


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
    from clinicfinder.cli.progress import progress_bar
    from clinicfinder.online.batch import geocode_file
    from clinicfinder.online.nominatim import ATTRIBUTION, OnlineGeocoder

    geocoder = OnlineGeocoder(steps.settings().nominatim_url(), max_wait_s=60, notify=warn)
    from clinicfinder.output.formats import csv_text

    def save(header: list[str], rows: list[dict[str, str]]) -> None:
        deliver(csv_text(rows, header, raw=True), out, [file])

    with progress_bar("geocoding") as advance:
        summary = geocode_file(file, out, geocoder, save, progress=advance, notify=warn)
    say(summary)
    if geocoder.requests:  # the credit is for answers the server gave this run
        warn(ATTRIBUTION)


@data_app.command("validate")
def data_validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...", help="Clinic files to check; the bundled data when none."
        ),
    ] = None,
    as_json: opt.JsonOpt = False,
) -> None:
    """Check clinic files: schema, vocabularies, duplicates, coordinates, ZIPs, URLs, dates.

    Each problem is printed as FILE:LINE: error|warning: message. Exits 1 if any
    error was found (warnings alone exit 0). Without FILE: the bundled clinics and
    the gathered records they are built from (data/sources/).

    Examples:

    \b
      clinicfinder data validate
      clinicfinder data validate my-clinics.csv
      clinicfinder data validate a.csv b.json --json
    """
    from clinicfinder.bundled import data_path
    from clinicfinder.clinics.validate import validate_files
    from clinicfinder.output import data as render_data
    from clinicfinder.output.text import print_json

    bundled = [data_path("clinics.csv"), *sorted(data_path("sources").glob("*.csv"))]
    report = validate_files(files or [p for p in bundled if p.name not in NOT_CLINIC_ROWS])
    if as_json:
        print_json(render_data.validation_record(report))
    else:
        render_data.print_validation(report)
    if report.errors:
        raise typer.Exit(ExitCode.ERROR)


@data_app.command("stats")
def data_stats(
    data: opt.DataOpt = None,
    no_bundled: opt.NoBundledOpt = False,
    as_json: opt.JsonOpt = False,
) -> None:
    """What the data covers: clinics per state, route and precision, contact details, dates.

    Examples:

    \b
      clinicfinder data stats
      clinicfinder data stats --data my-clinics.csv --no-bundled --json
    """
    from clinicfinder.output import data as render_data
    from clinicfinder.output.search import layer_record, layers_sentence
    from clinicfinder.output.text import print_json, write
    from clinicfinder.search.coverage import compute

    catalog = steps.catalog(data, no_bundled)
    stats = compute(catalog.all())
    layers = catalog.layers()
    if as_json:
        document = render_data.stats_record(stats)
        document["layers"] = [layer_record(layer) for layer in layers]
        print_json(document)
    else:
        render_data.print_stats(stats)
        none = "No fetched registry listings: `clinicfinder data update` gets them."
        write((layers_sentence(layers) or none) + "\n")


@data_app.command("update")
def data_update(
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            "-s",
            metavar="ST",
            help="Only this state (a code: KS, NY, DC…); repeatable. [default: every state]",
            autocompletion=opt.complete_states,
        ),
    ] = None,
    remove: Annotated[
        bool,
        typer.Option("--remove", help="Drop the fetched listings (or only the --state ones)."),
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask again rather than use answers cached today.")
    ] = False,
) -> None:
    """Fetch the registry's current ketamine facilities, for every later search (online).

    Asks SAMHSA's FindTreatment.gov for the facilities it lists with ketamine infusion
    therapy (service code KIT), state by state, one request a second, and keeps them
    with the day they were fetched in your data folder ($XDG_DATA_HOME/clinicfinder/,
    else ~/.local/share/clinicfinder/). Every later search uses them offline, joined to
    the bundled listings: a facility already listed appears once, with the registry as
    its newer source. Sends only each state's SAMHSA id and centre, and the code KIT.
    Interrupted? The states finished are kept: run it again to finish (pages are
    cached for a day). Updating some states keeps the others.

    Examples:

    \b
      clinicfinder data update
      clinicfinder data update --state KS --state MO
      clinicfinder data update --remove
    """
    from clinicfinder.cli.progress import progress_bar
    from clinicfinder.clinics.layer import layer_path
    from clinicfinder.online.fetch import update_layer
    from clinicfinder.online.findtreatment import states_wanted

    codes = sorted(set(states_wanted(state, not state)))
    if remove:
        from clinicfinder.clinics.layer import remove as remove_layer

        dropped = remove_layer(codes if state else ())
        warn(
            f"removed the registry listings of {counted(len(dropped), 'state')} from {layer_path()}"
            if dropped
            else "no fetched registry listings to remove"
            + (" for those states" if state and layer_path().exists() else "")
        )
        return
    with progress_bar("FindTreatment.gov", lines=True) as advance:
        layer, summary = update_layer(
            codes, steps.settings().findtreatment_url(), refresh, advance, warn
        )
    joined = next(iter(_layers()), layer).joined
    warn(
        f"{summary}. Kept in {layer.path} (fetched {layer.newest}; {joined} already listed, "
        "each shown once); searches use them offline, `data update --remove` drops them"
    )


def _layers() -> "tuple[Layer, ...]":
    from clinicfinder.clinics.load import listed_catalog

    return listed_catalog().layers()


fetch_app = typer.Typer(
    cls=Group,
    help="Refresh an offline copy of a public registry, as a clinic file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
data_app.add_typer(fetch_app, name="fetch")


@fetch_app.command("findtreatment")
def fetch_findtreatment(
    state: Annotated[
        list[str] | None,
        typer.Option("--state", "-s", metavar="ST", help="A state code; repeatable."),
    ] = None,
    all_states: Annotated[
        bool, typer.Option("--all-states", help="Every state and DC (about 51 requests).")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="OUT.csv", help="Where to write [default: stdout]."),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask again rather than use answers cached today.")
    ] = False,
) -> None:
    """Ketamine facilities from SAMHSA's FindTreatment.gov, as a clinic file (online).

    Asks one page a second, with a progress bar; every page is cached for a day,
    so an interrupted run resumes where it stopped when run again. The file
    works with --data and data validate. Sends only the state (its SAMHSA id and
    centre) and the service code KIT.

    Examples:

    \b
      clinicfinder data fetch findtreatment --state KS -o ks.csv
      clinicfinder data fetch findtreatment --all-states -o findtreatment.csv
      clinicfinder near Wichita, KS --data ks.csv
    """
    from clinicfinder.cli.progress import progress_bar
    from clinicfinder.online.fetch import fetch_states
    from clinicfinder.online.findtreatment import states_wanted
    from clinicfinder.output.export import ExportFormat, render

    codes = states_wanted(state, all_states)
    with progress_bar("FindTreatment.gov") as advance:
        clinics, summary = fetch_states(
            codes, steps.settings().findtreatment_url(), refresh, advance, warn
        )
    deliver(render(clinics, ExportFormat.csv), out)
    warn(summary + (f"; written to {out}" if out else ""))


def schema(
    name: Annotated[
        str | None,
        typer.Argument(
            help="near, show, about-list, about-topic, regions, region, validate, "
            "stats, geocode, geojson, recheck or defs; omit to list them.",
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
        echo("\n".join(names))
        return
    if name not in names:
        raise UsageProblem(f"no schema called {brief(name)}", hint="one of: " + ", ".join(names))
    deliver(folder.joinpath(f"{name}.schema.json").read_text(encoding="utf-8"), None, as_json=True)


data_app.command("recheck")(_recheck.data_recheck)
