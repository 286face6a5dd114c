"""Reading clinic files — CSV or JSON in the documented schema — as rows with line numbers.

Every row comes back as ``(line, {column: text})`` so any later complaint can
say ``file:line``. Lists (routes, conditions, telehealth_states) are ``;``-joined
text in both formats; JSON may also give them as arrays. Nothing here judges
the values: that is validate.py's job.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from clinicfinder.errors import DataError

COLUMNS = [
    "id", "name", "street", "city", "state", "postal_code", "country", "phone", "website",
    "routes", "conditions", "telehealth_states", "status", "lat", "lon", "precision",
    "source_url", "location_evidence", "notes", "collected",
]  # fmt: skip
LIST_COLUMNS = ("routes", "conditions", "telehealth_states")
MAX_FIELD_CHARS = 10_000  # a longer cell is a broken file, not a clinic

Row = tuple[int, dict[str, str]]


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """The file's column names and its rows; unreadable or malformed files raise DataError."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(name, None, f"cannot read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise DataError(name, None, "the file is empty")
    if b"\x00" in raw[:4096]:
        raise DataError(name, None, "this is a binary file, not CSV or JSON text")
    try:
        text = raw.decode("utf-8-sig")  # a BOM from a spreadsheet export is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(name, line, "not UTF-8 text (save the file as UTF-8)") from None
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        return _json_rows(name, text)
    return _csv_rows(name, text)


def _csv_rows(name: str, text: str) -> tuple[list[str], list[Row]]:
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        rows: list[Row] = []
        for row in reader:
            if None in row:
                raise DataError(name, reader.line_num, "more fields than the header has")
            if None in row.values():
                raise DataError(name, reader.line_num, "fewer fields than the header has")
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:
        raise DataError(name, reader.line_num or None, f"malformed CSV ({exc})") from None
    if not header:
        raise DataError(name, 1, "no header row")
    return header, rows


def _json_rows(name: str, text: str) -> tuple[list[str], list[Row]]:
    """A JSON array of objects (or {"clinics": [...]}), each object's line remembered."""
    import json

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(name, exc.lineno, f"malformed JSON ({exc.msg})") from None
    envelope = re.search(r'^\s*\{\s*"clinics"\s*:\s*\[', text)
    if isinstance(doc, list):
        items, pos = doc, text.index("[") + 1
    elif isinstance(doc, dict) and isinstance(doc.get("clinics"), list) and envelope:
        items, pos = doc["clinics"], envelope.end()
    else:
        raise DataError(name, 1, 'expected a JSON array of clinics, or {"clinics": [...]}')
    decoder = json.JSONDecoder()
    rows: list[Row] = []
    columns: dict[str, None] = {}
    for value in items:
        while text[pos] in " \t\r\n,":
            pos += 1
        line = text.count("\n", 0, pos) + 1
        _, pos = decoder.raw_decode(text, pos)  # only to move past it: already parsed
        if not isinstance(value, dict):
            raise DataError(name, line, "each clinic must be a JSON object")
        row = {str(k): _cell(v, name, line, str(k)) for k, v in value.items()}
        columns.update(dict.fromkeys(row))
        rows.append((line, row))
    return list(columns), rows


def _cell(value: Any, name: str, line: int, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and key in LIST_COLUMNS:
        return ";".join(str(v).strip() for v in value)
    if isinstance(value, (bool, list, dict)):
        raise DataError(name, line, f"field {key!r} should be text or a number")
    return str(value).strip()


def unknown_columns(header: list[str]) -> list[str]:
    """Columns a file has that the schema doesn't know (reported, then ignored)."""
    return [h for h in header if h not in COLUMNS]
