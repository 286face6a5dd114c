"""One output switch for every listing command: table, json, ndjson, csv or geojson.

A command hands over an Output — its JSON document, the records in it, the
field names those records have, and how to draw them for people — and
`emit` writes it in the chosen format. All formats carry the same records with
the same field names; only the table is for people (and may say more).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any, NamedTuple

from clinicfinder.errors import ExitCode, UsageProblem, brief


class Format(StrEnum):
    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    geojson = "geojson"


class Output(NamedTuple):
    document: dict[str, Any]  # the JSON document (with schema_version)
    records: list[dict[str, Any]]  # what csv/ndjson/geojson list, one per line/row/feature
    fields: list[str]  # every field a record has, in order: what --fields may pick
    table: Callable[[], None]  # the view for people (--fields gives a plain table instead)
    records_key: str | None = None  # where the records sit in the document, for --fields
    notices: tuple[str, ...] = ()  # said on stderr in the line formats (json carries them)
    geo: bool = True  # whether GeoJSON makes sense for these records
    empty: bool | None = None  # for --fail-if-empty; default: no records


def choose(fmt: Format | None, as_json: bool) -> Format:
    """--json is short for --format json; both at once must agree."""
    if as_json and fmt not in (None, Format.json):
        raise UsageProblem(f"--json and --format {fmt.value} disagree; give one of them")
    return Format.json if as_json else fmt or Format.table


def parse_fields(text: str | None, valid: list[str]) -> list[str] | None:
    if text is None:
        return None
    fields = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in fields if f not in valid]
    if unknown or not fields:
        raise UsageProblem(
            f"unknown field(s): {brief(', '.join(unknown)) if unknown else '(none given)'}",
            hint="valid: " + ", ".join(valid),
        )
    return fields


def _pick(record: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    return record if fields is None else {f: record.get(f) for f in fields}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(_cell(v) for v in value)
    return str(value)


def emit(
    output: Output,
    fmt: Format,
    fields_text: str | None = None,
    *,
    fail_if_empty: bool = False,
) -> int:
    """Write the output; returns the exit code (EMPTY with --fail-if-empty and no records)."""
    fields = parse_fields(fields_text, output.fields)
    if fmt is Format.geojson and not output.geo:
        raise UsageProblem("geojson doesn't apply here: these records have no location")
    if fmt is not Format.table and fmt is not Format.json:
        for notice in output.notices:
            sys.stderr.write(f"clinicfinder: {notice}\n")
    picked = [_pick(r, fields) for r in output.records]
    WRITERS[fmt](output, fields, picked)
    empty = not output.records if output.empty is None else output.empty
    if fail_if_empty and empty:
        return ExitCode.EMPTY
    return ExitCode.OK


Picked = list[dict[str, Any]]


def _table(output: Output, fields: list[str] | None, picked: Picked) -> None:
    if fields is None:
        output.table()
    else:
        from clinicfinder.output.text import print_records

        print_records(picked, fields)


def _json(output: Output, fields: list[str] | None, picked: Picked) -> None:
    from clinicfinder.output.text import print_json

    document = dict(output.document)
    if fields is not None and output.records_key:
        value = document[output.records_key]
        document[output.records_key] = _pick(value, fields) if isinstance(value, dict) else picked
    print_json(document)


def _ndjson(output: Output, fields: list[str] | None, picked: Picked) -> None:
    import json

    sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in picked))


def _csv(output: Output, fields: list[str] | None, picked: Picked) -> None:
    import csv

    from clinicfinder.output.text import spreadsheet_safe

    columns = fields or output.fields
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_safe(_cell(r.get(f))) for f in columns] for r in picked)


def _geojson(output: Output, fields: list[str] | None, picked: Picked) -> None:
    import json

    features = [
        {
            "type": "Feature",
            "geometry": (
                {"type": "Point", "coordinates": [full["lon"], full["lat"]]}
                if full.get("lat") is not None and full.get("lon") is not None
                else None
            ),
            "properties": props,
        }
        for full, props in zip(output.records, picked, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    sys.stdout.write(json.dumps(collection, ensure_ascii=False) + "\n")


WRITERS = {
    Format.table: _table,
    Format.json: _json,
    Format.ndjson: _ndjson,
    Format.csv: _csv,
    Format.geojson: _geojson,
}
