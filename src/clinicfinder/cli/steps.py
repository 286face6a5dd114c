"""The small steps every command takes: its settings, its catalogue, its place, and
writing its output. (The options themselves are declared in options.py.)"""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from clinicfinder.cli.boundary import warn
from clinicfinder.errors import UsageProblem

if TYPE_CHECKING:
    from clinicfinder.clinics.catalog import Catalog
    from clinicfinder.config import Settings
    from clinicfinder.output.formats import Format, Output
    from clinicfinder.records.models import Place


def emit(
    output: "Output", fmt: "Format | None", as_json: bool, fields: str | None, fail_if_empty: bool
) -> None:
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
        return load.listed_catalog(notify=warn)
    return load.load_catalog(files, bundled=not no_bundled, notify=warn)


def inputs(data: list[Path] | None) -> list[Path]:
    """Every clinic file a command reads: never to be written over by its output."""
    from clinicfinder.clinics.layer import layer_path
    from clinicfinder.clinics.load import input_files

    return [*input_files(data), layer_path()]


def settings() -> "Settings":
    """This run's settings (flag > environment > config > default); a broken config file
    is reported and ignored, never fatal."""
    from clinicfinder.config import Settings

    return Settings.load(notify=warn)


def resolve_place(text: str, online: bool, settings: "Settings") -> "Place":
    """The place for `text`: offline unless online was asked for."""
    if not online:
        from clinicfinder.places.geocode import locate

        return locate(text)
    from clinicfinder.online.nominatim import resolve

    return resolve(text, url=settings.nominatim_url(), notify=warn)


def joined(words: list[str] | None) -> str | None:
    """Unquoted words as one argument: `near Garden City KS` is `near "Garden City KS"`."""
    if not words:
        return None
    return " ".join(words)
