"""Reading clinic files — CSV or JSON in the documented schema — as rows with line numbers.

Every row comes back as ``(line, {column: text})`` so any later complaint can
say ``file:line``. Lists (routes, conditions, telehealth_states) are ``;``-joined
text in both formats; JSON may also give them as arrays. Nothing here judges
the values: that is validate.py's job.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clinicfinder.errors import DataError
from clinicfinder.records.models import CLINIC_COLUMNS, LIST_COLUMNS
from clinicfinder.safetext import clean

COLUMNS = list(CLINIC_COLUMNS)  # the schema: Clinic's fields, in order
MAX_FIELD_CHARS = 10_000  # a longer cell is a broken file, not a clinic

Row = tuple[int, dict[str, str]]
MAX_FILE_BYTES = 4 << 30  # a clinic file this big is a mistake, not a directory
MAX_JSON_BYTES = 64 << 20  # JSON is parsed whole; bigger files should be CSV, read as a stream


def read_rows(path: Path, *, raw: bool = False) -> tuple[list[str], Iterator[Row]]:
    """The file's column names, and its rows as they are read.

    Cells come back as data: trimmed, spreadsheet-safe quoting undone, control characters
    cleaned. `raw` keeps them exactly as written (CSV only), for a command that rewrites
    the user's file and must not change what it doesn't touch (`cooked` gives the data).

    CSV is streamed, so memory stays flat for any size; a problem found part-way
    raises DataError(file, line) from the iterator. Unreadable, empty, binary or
    malformed files raise DataError here or there, never anything else.
    """
    name = str(path)
    st = require_regular(path)
    try:
        with path.open("rb") as f:
            head = f.read(4096)
        size = st.st_size
    except OSError as exc:
        raise DataError(name, None, f"cannot read ({exc.strerror or exc})") from None
    if size == 0 or (size <= len(head) and not head.strip()):
        raise DataError(name, None, "the file is empty")
    if b"\x00" in head:
        raise DataError(name, None, "this is a binary file, not CSV or JSON text")
    if path.suffix.lower() == ".json" or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        if size > MAX_JSON_BYTES:
            raise DataError(name, None, "JSON clinic files are read whole: above 64 MB use CSV")
        if raw:
            raise DataError(name, None, "this command reads CSV files only")
        return _json_rows(name, _decode(path, path.read_bytes()))
    return _csv_rows(name, path, raw)


def require_regular(path: Path) -> os.stat_result:
    """A file we can read to its end, twice: not a device or pipe (/dev/zero never ends,
    a pipe can't be read again), not absurdly big."""
    name = str(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise DataError(name, None, f"cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise DataError(
            name, None, "not a regular file (a device or a pipe)", hint="save it to a file first"
        )
    if st.st_size > MAX_FILE_BYTES:
        raise DataError(name, None, f"over {MAX_FILE_BYTES >> 30} GB: split the file")
    return st


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # a BOM from a spreadsheet export is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(str(path), line, "not UTF-8 text (save the file as UTF-8)") from None


def _first_bad_line(path: Path) -> int | None:
    """Where the text stops being UTF-8 (the error path only: reads the file again)."""
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def cooked(row: dict[str, str]) -> dict[str, str]:
    """A row read `raw`, as data (what read_rows gives without `raw`)."""
    return {k: clean(_unquoted(v.strip())) for k, v in row.items()}


def _csv_rows(name: str, path: Path, raw: bool = False) -> tuple[list[str], Iterator[Row]]:
    f = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(f, strict=True)

    def fail(exc: Exception) -> DataError:
        f.close()
        if isinstance(exc, UnicodeDecodeError):
            return DataError(name, _first_bad_line(path), "not UTF-8 text (save the file as UTF-8)")
        return DataError(name, reader.line_num or None, f"malformed CSV ({exc})")

    try:
        header = [clean(h.strip()) for h in next(reader, [])]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise fail(exc) from None
    if not any(header):
        f.close()
        raise DataError(name, 1, "no header row")
    first: dict[str, int] = {}
    for number, column in enumerate(header, 1):
        if column and column in first:  # a dict would silently keep only the second
            f.close()
            raise DataError(
                name, 1, f"column {column!r} is named twice (columns {first[column]} and {number})"
            )
        first.setdefault(column, number)

    def rows() -> Iterator[Row]:
        with f:
            try:
                for values in reader:
                    if not any(v.strip() for v in values):
                        continue  # a blank line
                    if len(values) > len(header):
                        raise DataError(name, reader.line_num, "more fields than the header has")
                    if len(values) < len(header):
                        raise DataError(name, reader.line_num, "fewer fields than the header has")
                    if any(len(v) > MAX_FIELD_CHARS for v in values):
                        raise DataError(
                            name, reader.line_num, f"a field is over {MAX_FIELD_CHARS:,} characters"
                        )
                    row = dict(zip(header, values, strict=True))
                    yield reader.line_num, row if raw else cooked(row)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise fail(exc) from None

    return header, rows()


def _unquoted(cell: str) -> str:
    """A cell as clinicfinder's spreadsheet-safe CSV wrote it ('=…, '+1 …), as it was."""
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r", " "):
        stripped = cell[1:]
        if stripped.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return stripped
    return cell


def _json_rows(name: str, text: str) -> tuple[list[str], Iterator[Row]]:
    """A JSON array of objects (or {"clinics": [...]}), each object's line remembered."""
    import json

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(name, exc.lineno, f"malformed JSON ({exc.msg})") from None
    except RecursionError:
        raise DataError(name, None, "malformed JSON (nested too deeply)") from None
    decoder = json.JSONDecoder()
    if isinstance(doc, list):
        items, pos = doc, text.index("[") + 1
    elif isinstance(doc, dict) and isinstance(doc.get("clinics"), list):
        items, pos = doc["clinics"], _top_level_value(text, "clinics", decoder) + 1
    else:
        raise DataError(name, 1, 'expected a JSON array of clinics, or {"clinics": [...]}')
    rows: list[Row] = []
    columns: dict[str, None] = {}
    line, counted = 1, 0  # lines are counted forward only: linear in the file's size
    for value in items:
        while text[pos] in " \t\r\n,":
            pos += 1
        line += text.count("\n", counted, pos)
        counted = pos
        _, pos = decoder.raw_decode(text, pos)  # only to move past it: already parsed
        if not isinstance(value, dict):
            raise DataError(name, line, "each clinic must be a JSON object")
        row = {str(k): _cell(v, name, line, str(k)) for k, v in value.items()}
        columns.update(dict.fromkeys(row))
        rows.append((line, row))
    return list(columns), iter(rows)


def _top_level_value(text: str, key: str, decoder: Any) -> int:
    """Where the top-level object's (last) `key` value starts, found by walking the
    object's own keys: a "clinics" nested in another value is never taken for it."""
    pos, found = text.index("{") + 1, -1
    while True:
        pos = _skip(text, pos, " \t\r\n,")
        if text[pos] == "}":
            return found
        name, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos, " \t\r\n:")
        if name == key:
            found = pos  # the last one, as json.loads keeps
        _, pos = decoder.raw_decode(text, pos)


def _skip(text: str, pos: int, chars: str) -> int:
    while text[pos] in chars:
        pos += 1
    return pos


def _cell(value: Any, name: str, line: int, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and key in LIST_COLUMNS:
        return clean(";".join(str(v).strip() for v in value))
    if isinstance(value, (bool, list, dict)):
        raise DataError(name, line, f"field {key!r} should be text or a number")
    return clean(str(value).strip())


def unknown_columns(header: list[str]) -> list[str]:
    """Columns a file has that the schema doesn't know (reported, then ignored)."""
    return [h for h in header if h not in COLUMNS]
