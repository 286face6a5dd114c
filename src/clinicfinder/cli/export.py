"""`export`: the whole dataset (bundled clinics and --data files) to a file or an HSDS folder."""

from pathlib import Path
from typing import Annotated

import typer

from clinicfinder.cli import options as opt
from clinicfinder.cli.boundary import warn
from clinicfinder.errors import UsageProblem
from clinicfinder.output.export import ExportFormat

OutArg = Annotated[
    Path,
    typer.Argument(
        metavar="OUT",
        help="The file to write; for hsds, a folder (made if missing).",
        show_default=False,
    ),
]
ExportFormatOpt = Annotated[
    ExportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="json (one document), csv (a row per clinic), geojson (a FeatureCollection) "
        "or hsds (an Open Referral HSDS 3.0 data package: CSV tables and datapackage.json). "
        "[required]",
        show_default=False,
        case_sensitive=False,
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="csv: keep every cell as it is. By default a cell a spreadsheet would run "
        "as a formula (starting with =, +, -, @) gets a ' in front.",
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="hsds: write into a folder that already has files (same-named files are "
        "replaced, others left alone).",
    ),
]


def export(
    out: OutArg,
    fmt: ExportFormatOpt = None,
    data: opt.DataOpt = None,
    no_bundled: opt.NoBundledOpt = False,
    raw: RawOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write every clinic, bundled and from --data files, to a file or an HSDS package.

    Each clinic carries every column of the clinic files (data/README.md); a summary goes
    to stderr. hsds writes a folder: one CSV per HSDS table, datapackage.json, and a
    README.md saying what was left out and why.

    Examples:

    \b
      clinicfinder export --format csv clinics.csv
      clinicfinder export --format geojson clinics.geojson
      clinicfinder export --format json all.json --data mine.csv
      clinicfinder export --format hsds hsds-package
    """
    from clinicfinder.output.export import export as write

    if fmt is None:  # checked here: click's own message for it spans several lines
        raise UsageProblem("give --format: json, csv, geojson or hsds")
    if raw and fmt is not ExportFormat.csv:
        raise UsageProblem(f"--raw applies only to --format csv, not {fmt.value}")
    clinics = opt.catalog(data, no_bundled).all()
    written = write(clinics, fmt, out, inputs=opt.inputs(data), raw=raw, force=force)
    warn(written.summary(out, fmt))
