"""One output switch for every listing command: table, json, ndjson, csv or geojson.

A command hands over an Output — its JSON document, the records in it, the
field names those records have, and how to draw them for people — and
`emit` writes it in the chosen format. All formats carry the same records with
the same field names; only the table is for people (and may say more).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


def cell(value: Any, *, raw: bool = False) -> str:
    """One value as a CSV cell, for every CSV clinicfinder writes: lists `;`-joined,
    unknowns empty, a number as itself, and (unless raw) a formula defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # a number, never a formula: -97.3 stays a number
    if isinstance(value, (list, tuple)):
        text = ";".join(cell(v, raw=True) for v in value)
    else:
        text = str(value)
    if raw:
        return text
    from clinicfinder.output.text import spreadsheet_safe

    return spreadsheet_safe(text)


def csv_text(
    records: Iterable[dict[str, Any]], columns: Sequence[str], *, raw: bool = False,
    crlf: bool = False,
) -> str:  # fmt: skip
    """The one CSV writer: a header, then a row per record (`--format csv`, `export`,
    `data fetch`, the HSDS tables, which keep RFC 4180's CRLF and every cell raw)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(columns)
    writer.writerows([cell(r.get(c), raw=raw) for c in columns] for r in records)
    return buffer.getvalue()


def geojson_text(records: Sequence[dict[str, Any]], properties: Sequence[dict[str, Any]]) -> str:
    """The one GeoJSON writer: a FeatureCollection, a Point where a record has lat and lon
    (else a null geometry), `properties[i]` as the properties of `records[i]`."""
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
        for full, props in zip(records, properties, strict=True)
    ]
    return json_text({"type": "FeatureCollection", "features": features})


def json_text(document: Any, indent: int | None = None) -> str:
    import json

    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


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
    import sys

    from clinicfinder.output.text import print_records, write
    from clinicfinder.safetext import one_line

    if fmt is not Format.table and fmt is not Format.json:
        for notice in output.notices:
            write(one_line(f"clinicfinder: {notice}") + "\n", stderr=True)
    picked = [_pick(r, fields) for r in output.records]
    if fmt is not Format.table:
        indent = 2 if fmt is Format.json and sys.stdout.isatty() else None
        write(render(output, fmt, fields, picked, indent), as_json=fmt is not Format.csv)
    elif fields is None:
        output.table()
    else:
        print_records(picked, fields)
    empty = not output.records if output.empty is None else output.empty
    if fail_if_empty and empty:
        return ExitCode.EMPTY
    return ExitCode.OK


Picked = list[dict[str, Any]]


def render(
    output: Output, fmt: Format, fields: list[str] | None, picked: Picked, indent: int | None
) -> str:
    """A machine format's text (pure: the caller decides where it goes)."""
    if fmt is Format.json:
        document = dict(output.document)
        if fields is not None and output.records_key:
            value = document[output.records_key]
            document[output.records_key] = (
                _pick(value, fields) if isinstance(value, dict) else picked
            )
        return json_text(document, indent)
    if fmt is Format.ndjson:
        return "".join(json_text(r) for r in picked)
    if fmt is Format.csv:
        return csv_text(picked, fields or output.fields)
    if fmt is Format.geojson:
        return geojson_text(output.records, picked)
    raise ValueError(fmt)
