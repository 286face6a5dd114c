"""`export`: the whole dataset in one file (json, csv, geojson) or one folder (hsds).

The same records and field names as every other output (`clinic_record`); only the
destination differs, so every file goes through `write_output`, which never writes over
one of the command's inputs and never turns a device or pipe into a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinicfinder.errors import ClinicFinderError, UsageProblem

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


def render(clinics: Sequence[Clinic], fmt: ExportFormat, *, raw: bool = False) -> str:
    """One file's text, by the same writers as `--format` (output/formats.py)."""
    from clinicfinder.output import formats
    from clinicfinder.output.clinic import clinic_record
    from clinicfinder.records.models import CLINIC_COLUMNS

    if fmt is ExportFormat.json:
        return formats.json_text(json_document(clinics))
    records = [clinic_record(c) for c in clinics]
    if fmt is ExportFormat.geojson:
        return formats.geojson_text(records, records)
    if fmt is ExportFormat.csv:
        return formats.csv_text(records, CLINIC_COLUMNS, raw=raw)
    raise ValueError(fmt)


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
        files = {
            name: _escaped(name, data.decode("utf-8")) for name, data in hsds.files(package).items()
        }
        write_folder(out, files, inputs, force=force)
        left_out = {said: package.left_out[k] for k, (said, _why) in hsds.LEFT_OUT.items()}
        return Written(len(clinics), hsds.counts(package), left_out)
    write_output(out, _escaped(out.name, render(clinics, fmt, raw=raw)), inputs)
    return Written(len(clinics))


def _escaped(name: str, text: str) -> bytes:
    """A file's bytes, escaped by the one rule (JSON with JSON's own escapes)."""
    from clinicfinder.safetext import json_visible, visible

    json_like = name.endswith((".json", ".geojson"))
    return (json_visible(text) if json_like else visible(text)).encode("utf-8")


def write_folder(
    out: Path, files: dict[str, bytes], inputs: Sequence[Path], *, force: bool = False
) -> None:
    """Write `files` into the folder `out`, whole or not at all.

    A folder that already has something in it is refused unless `force`. The package is
    written into a new folder beside `out` and moved into place only when every file is
    there, so a full disk or an interruption leaves the old folder as it was and nothing
    half-written; with `force`, the old package's files are replaced all at once (old and
    new never mixed) and files of other names are carried over untouched.
    """
    from clinicfinder.userdirs import is_input, replace_folder

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
            if is_input(out / name, inputs):
                raise UsageProblem(
                    f"{out / name} is also an input of this command; write the output elsewhere"
                )
        replace_folder(out, files)
    except OSError as exc:
        raise ClinicFinderError(f"{out}: cannot write there ({exc.strerror or exc})") from None
