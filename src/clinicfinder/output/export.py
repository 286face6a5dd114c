"""`export`: the whole dataset in one file (json, csv, geojson) or one folder (hsds).

The same records and field names as every other output (`clinic_record`); only the
destination differs, so every file goes through `write_output`, which never writes over
one of the command's inputs and never turns a device or pipe into a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinicfinder.errors import ClinicFinderError, UsageProblem
from clinicfinder.output.text import spreadsheet_safe

if TYPE_CHECKING:
    from clinicfinder.records.models import Clinic

# Light at import: every command's start-up loads this module for ExportFormat (cli/export.py),
# so what only an export needs (userdirs, csv, json, hsds) is imported where it is used.


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    geojson = "geojson"
    hsds = "hsds"


class Written:
    """What an export wrote: the clinics, and for hsds the rows per table and left out."""

    def __init__(
        self,
        clinics: int,
        tables: dict[str, int] | None = None,
        left_out: dict[str, int] | None = None,
    ) -> None:
        self.clinics = clinics
        self.tables = tables or {}
        self.left_out = left_out or {}

    def summary(self, out: Path, fmt: ExportFormat) -> str:
        """The one line said on stderr: `wrote N clinics to OUT (hsds: …)`."""
        line = f"wrote {self.clinics} clinic{'s' * (self.clinics != 1)} to {out}"
        if not self.tables:
            return line
        rows = ", ".join(f"{n} {name.removesuffix('.csv')}" for name, n in self.tables.items() if n)
        left = ", ".join(f"{n} {what}" for what, n in self.left_out.items() if n)
        if left:
            rows += f"; left out: {left} — its README.md says why"
        return f"{line} ({fmt.value}: {rows})"


def json_document(clinics: Sequence[Clinic]) -> dict[str, Any]:
    from clinicfinder.output.clinic import clinic_record
    from clinicfinder.output.text import SCHEMA_VERSION

    return {"schema_version": SCHEMA_VERSION, "clinics": [clinic_record(c) for c in clinics]}


def geojson_document(clinics: Sequence[Clinic]) -> dict[str, Any]:
    """A FeatureCollection: a Point where the clinic is placed, else a null geometry."""
    from clinicfinder.output.clinic import clinic_record

    features = [
        {
            "type": "Feature",
            "geometry": (
                {"type": "Point", "coordinates": [c.lon, c.lat]}
                if c.lat is not None and c.lon is not None
                else None
            ),
            "properties": clinic_record(c),
        }
        for c in clinics
    ]
    return {"type": "FeatureCollection", "features": features}


def _cell(value: Any, raw: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # a number, never a formula: -97.3 stays a number
    text = ";".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if raw else spreadsheet_safe(text)


def csv_text(clinics: Sequence[Clinic], *, raw: bool = False) -> str:
    """Header = the clinic columns; lists `;`-joined, unknowns empty, formulas defused."""
    import csv
    import io

    from clinicfinder.output.clinic import clinic_record
    from clinicfinder.records.models import CLINIC_COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CLINIC_COLUMNS)
    for clinic in clinics:
        record = clinic_record(clinic)
        writer.writerow([_cell(record[c], raw) for c in CLINIC_COLUMNS])
    return buffer.getvalue()


def _dumps(document: dict[str, Any]) -> bytes:
    import json

    return (json.dumps(document, ensure_ascii=False) + "\n").encode("utf-8")


def export(
    clinics: Sequence[Clinic],
    fmt: ExportFormat,
    out: Path,
    *,
    inputs: Sequence[Path] = (),
    raw: bool = False,
    force: bool = False,
) -> Written:
    """Write every clinic to `out` (a folder for hsds); never over one of `inputs`."""
    from clinicfinder.userdirs import write_output

    if fmt is ExportFormat.hsds:
        from clinicfinder.output import hsds

        package = hsds.build(clinics)
        write_folder(out, hsds.files(package), inputs, force=force)
        left_out = {said: package.left_out[k] for k, (said, _why) in hsds.LEFT_OUT.items()}
        return Written(len(clinics), hsds.counts(package), left_out)
    render: dict[ExportFormat, Callable[[], bytes]] = {
        ExportFormat.json: lambda: _dumps(json_document(clinics)),
        ExportFormat.geojson: lambda: _dumps(geojson_document(clinics)),
        ExportFormat.csv: lambda: csv_text(clinics, raw=raw).encode("utf-8"),
    }
    write_output(out, render[fmt](), inputs)
    return Written(len(clinics))


def write_folder(
    out: Path, files: dict[str, bytes], inputs: Sequence[Path], *, force: bool = False
) -> None:
    """Write `files` into the folder `out`, made if missing.

    A folder that already has something in it is refused unless `force` (then files of the
    same names are replaced, nothing else is touched); everything is checked before the
    first file is written, so a refusal leaves no half-written package behind.
    """
    from clinicfinder.userdirs import write_output

    try:
        if out.exists() and not out.is_dir():
            raise UsageProblem(
                f"{out} is a file, and hsds writes a folder of files", hint="give a folder name"
            )
        if out.is_dir() and any(out.iterdir()) and not force:
            raise UsageProblem(
                f"{out} is a folder with files in it",
                hint="give a new or empty folder, or --force to write into it",
            )
        for name in files:
            if _is_input(out / name, inputs):
                raise UsageProblem(
                    f"{out / name} is also an input of this command; write the output elsewhere"
                )
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClinicFinderError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    for name, data in files.items():
        write_output(out / name, data, inputs)


def _is_input(path: Path, inputs: Sequence[Path]) -> bool:
    for source in inputs:
        try:
            if os.path.samefile(source, path):
                return True
        except OSError:
            continue  # an input that isn't there, or an output not written yet
    return False
