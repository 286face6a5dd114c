"""`regions`: clinics and telehealth providers by state, including those with no address."""

from typing import Annotated

import typer

from clinicfinder.cli import options as opt
from clinicfinder.cli import steps


def regions(
    state: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[STATE]...",
            help="A state code or name (quotes optional); omit for every state.",
            show_default=False,
            autocompletion=opt.complete_states,
        ),
    ] = None,
    data: opt.DataOpt = None,
    no_bundled: opt.NoBundledOpt = False,
    fmt: opt.FormatOpt = None,
    as_json: opt.JsonOpt = False,
    fields: opt.FieldsOpt = None,
    fail_if_empty: opt.FailIfEmptyOpt = False,
) -> None:
    """Clinics and telehealth providers by state, including those with no address.

    Examples:

    \b
      clinicfinder regions
      clinicfinder regions KS
      clinicfinder regions New Mexico --json
    """
    from clinicfinder.output import data as render_data
    from clinicfinder.output import formats
    from clinicfinder.output.clinic import CLINIC_FIELDS
    from clinicfinder.places.regions import find_region
    from clinicfinder.search import coverage

    clinics = steps.catalog(data, no_bundled).all()
    name = steps.joined(state)
    if name is None:
        counts = coverage.summarize(clinics)
        document = render_data.regions_record(counts, clinics)
        output = formats.Output(
            document,
            document["regions"],
            render_data.REGION_FIELDS,
            lambda: render_data.print_regions(counts, clinics),
            "regions",
        )
    else:
        listing = coverage.listing(find_region(name), clinics)
        document = render_data.region_record(listing)
        output = formats.Output(
            document,
            document["clinics"] + document["unplaced"],
            CLINIC_FIELDS,
            lambda: render_data.print_region(listing),
            None,
        )
    steps.emit(output, fmt, as_json, fields, fail_if_empty)
