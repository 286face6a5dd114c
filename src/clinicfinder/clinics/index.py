"""A spatial index of a clinic file, built once and cached by the file's hash.

Parsing and checking a big clinic file is slow (seconds for 100k rows); asking
an SQLite R*Tree for the clinics in a box is not (milliseconds). So the first
search with a file builds ``clinics-<hash>.sqlite`` in the cache directory and
every later one opens it. A changed file has a new hash and gets a new index;
an unwritable cache falls back to searching in memory.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from clinicfinder.clinics.catalog import Catalog, MemoryCatalog
from clinicfinder.clinics.keys import join_keys
from clinicfinder.clinics.telehealth import ALL_STATES, CANDIDATES_SQL, unranked_in
from clinicfinder.errors import DataError
from clinicfinder.places.distance import bounding_box
from clinicfinder.records.clock import today_iso
from clinicfinder.records.models import CLINIC_COLUMNS, LIST_COLUMNS, Clinic
from clinicfinder.userdirs import cache_dir

INDEX_VERSION = "6"  # bump when the layout below changes: old indexes are then ignored
_FIELDS = list(CLINIC_COLUMNS)
_SCHEMA = f"""
CREATE TABLE clinics (rowid INTEGER PRIMARY KEY, {", ".join(f'"{f}"' for f in _FIELDS)});
CREATE UNIQUE INDEX clinics_id ON clinics (id);
CREATE INDEX clinics_state ON clinics (state);
CREATE VIRTUAL TABLE geo USING rtree (rowid, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE served (state TEXT NOT NULL, rowid INTEGER NOT NULL);
CREATE INDEX served_state ON served (state);
CREATE TABLE keys (key TEXT NOT NULL, rowid INTEGER NOT NULL);
CREATE INDEX keys_key ON keys (key);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_SELECT = "SELECT " + ", ".join(f'c."{f}"' for f in _FIELDS) + " FROM clinics c"


def file_digest(path: Path) -> str:
    """CRC-32 and Adler-32 of the content, and its size: a 64-bit content hash.

    Plenty to tell versions of a file apart, and zlib loads in a fraction of the
    ~2 ms hashlib costs at start-up.
    """
    crc, adler, size = 0, 1, 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            crc, adler, size = zlib.crc32(block, crc), zlib.adler32(block, adler), size + len(block)
    return f"{crc:08x}{adler:08x}-{size:x}-v{INDEX_VERSION}"


# Files at least this big are hashed once per version: their hash is remembered by a
# fingerprint, so a search with an unchanged 30 MB file skips reading it (~50 ms).
# Small files are simply hashed every time.
_REMEMBER_FROM_BYTES = 4 << 20
_SAMPLE_BYTES = 64 << 10


def fingerprint(path: Path) -> str:
    """What tells a version of a big file apart without reading it all: its path, size,
    inode, modification *and change* time (ctime moves on every write, and unlike mtime no
    one can set it back: an edit that keeps the size and restores the mtime still changes
    it), and a checksum of its first and last 64 KB."""
    st = path.stat()
    with path.open("rb") as f:
        sample = zlib.crc32(f.read(_SAMPLE_BYTES))
        f.seek(max(st.st_size - _SAMPLE_BYTES, 0))
        sample = zlib.crc32(f.read(_SAMPLE_BYTES), sample)
    return (
        f"{path.resolve()}|{st.st_size}|{st.st_ino}|{st.st_mtime_ns}|{st.st_ctime_ns}|{sample:08x}"
    )


def content_key(path: Path) -> str:
    """The file's content hash, remembered by its fingerprint when the file is big."""
    if path.stat().st_size < _REMEMBER_FROM_BYTES:
        return file_digest(path)
    stat = fingerprint(path)
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(cache_dir() / "hashes.sqlite", timeout=5) as db:
            db.execute("CREATE TABLE IF NOT EXISTS hashes (stat TEXT PRIMARY KEY, digest TEXT)")
            row = db.execute("SELECT digest FROM hashes WHERE stat = ?", (stat,)).fetchone()
            if row:
                return str(row[0])
            digest = file_digest(path)
            db.execute("INSERT OR REPLACE INTO hashes VALUES (?, ?)", (stat, digest))
            return digest
    except (OSError, sqlite3.Error):
        return file_digest(path)  # no usable cache: hash it every time


_LIST_AT = tuple(_FIELDS.index(c) for c in LIST_COLUMNS)


def _clinic(row: Sequence[Any], today: str) -> Clinic:
    """A row of the index as a Clinic as of `today`. Lists were stored `;`-joined from clean
    items, so a plain split gives them back (this runs for every clinic `regions` counts)."""
    values = list(row)
    for i in _LIST_AT:
        values[i] = tuple(values[i].split(";")) if values[i] else ()
    return Clinic._make(values).current(today)


class IndexedCatalog(Catalog):
    """Clinics from one file, answered from its cached SQLite index."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta.get("version") != INDEX_VERSION:
            raise sqlite3.DatabaseError("index from another version")
        self._placed = int(meta["placed"])
        self._size = int(meta["size"])
        self._newest = meta["newest_collected"]

    def size(self) -> int:
        return self._size

    def placed_count(self) -> int:
        return self._placed

    def newest_collected(self) -> str | None:
        return self._newest or None

    def near(self, lat: float, lon: float, km: float) -> list[Clinic]:
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, km)
        rows = self._db.execute(
            _SELECT + " JOIN geo g ON g.rowid = c.rowid "
            "WHERE g.max_lat >= ? AND g.min_lat <= ? AND g.max_lon >= ? AND g.min_lon <= ?",
            (min_lat, max_lat, min_lon, max_lon),
        )
        today = today_iso()
        return [_clinic(r, today) for r in rows]

    def unranked_in(self, code: str) -> list[Clinic]:
        rows = self._db.execute(_SELECT + " WHERE " + CANDIDATES_SQL, (code, code, ALL_STATES))
        today = today_iso()
        return [c for r in rows if unranked_in((c := _clinic(r, today)), code)]

    def in_state(self, code: str) -> int:
        return int(
            self._db.execute("SELECT count(*) FROM clinics WHERE state = ?", (code,)).fetchone()[0]
        )

    def get(self, clinic_id: str) -> Clinic | None:
        row = self._db.execute(_SELECT + " WHERE c.id = ?", (clinic_id,)).fetchone()
        return _clinic(row, today_iso()) if row else None

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        found: set[str] = set()
        for i in range(0, len(wanted), 500):  # stay well under SQLite's variable limit
            chunk = wanted[i : i + 500]
            sql = f"SELECT id FROM clinics WHERE id IN ({', '.join('?' * len(chunk))})"
            found.update(r[0] for r in self._db.execute(sql, chunk))
        return found

    def all(self) -> list[Clinic]:
        today = today_iso()
        return [_clinic(r, today) for r in self._db.execute(_SELECT + " ORDER BY c.rowid")]

    def sharing(self, keys: Iterable[str]) -> list[Clinic]:
        wanted = sorted(set(keys))
        found: dict[str, Clinic] = {}
        today = today_iso()
        for i in range(0, len(wanted), 500):  # stay well under SQLite's variable limit
            chunk = wanted[i : i + 500]
            sql = (_SELECT + " WHERE c.rowid IN (SELECT rowid FROM keys WHERE key IN "
                   f"({', '.join('?' * len(chunk))}))")  # fmt: skip
            rows = self._db.execute(sql, chunk)
            found.update((c.id, c) for c in (_clinic(r, today) for r in rows))
        return list(found.values())


def build_index(clinics: Iterable[Clinic], path: Path) -> None:
    """Write the index for `clinics` to `path`, atomically (a temp file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        db = sqlite3.connect(tmp)
        db.executescript(_SCHEMA)
        placed = rowid = 0
        newest = ""
        with db:
            for rowid, c in enumerate(clinics, 1):
                values = [
                    ";".join(v) if isinstance(v, tuple) else v
                    for v in (getattr(c, f) for f in _FIELDS)
                ]
                db.execute(f"INSERT INTO clinics VALUES (?, {', '.join('?' * len(_FIELDS))})",
                           [rowid, *values])  # fmt: skip
                if c.lat is not None and c.lon is not None:
                    db.execute("INSERT INTO geo VALUES (?, ?, ?, ?, ?)",
                               (rowid, c.lat, c.lat, c.lon, c.lon))  # fmt: skip
                    placed += 1
                db.executemany(
                    "INSERT INTO served VALUES (?, ?)", ((s, rowid) for s in c.telehealth_states)
                )
                db.executemany("INSERT INTO keys VALUES (?, ?)",
                               ((k, rowid) for k in join_keys(c)))  # fmt: skip
                newest = max(newest, c.collected)
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("version", INDEX_VERSION), ("placed", str(placed)), ("size", str(rowid)),
                 ("newest_collected", newest)],
            )  # fmt: skip
        db.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def open_index(
    source: Path,
    load: Callable[[], Iterable[Clinic]],
    notify: Callable[[str], None] | None = None,
) -> Catalog:
    """The cached index for `source`, building it from `load()` the first time.

    If the cache can't be written (read-only home, full disk), the clinics are
    loaded into memory instead: slower, but the search still works; `notify` is
    told why, so a slow run has its reason on screen.
    """

    try:
        key = content_key(source)
    except OSError as exc:
        raise DataError(str(source), None, f"cannot read ({exc.strerror or exc})") from None
    tag = f"{zlib.crc32(os.fsencode(os.path.realpath(source))):08x}"  # which file it indexes
    path = cache_dir() / f"clinics-{key}-{tag}.sqlite"
    try:
        return _opened(path)
    except (sqlite3.Error, KeyError, ValueError):
        pass  # not built yet, or unreadable: (re)build it
    try:
        build_index(load(), path)
        _same_bytes(source, key, path)  # the index must hold exactly the bytes that were hashed
        _evict(path, tag)
        # `cache clear` in another run may remove it at any moment: then use what we read.
        return _opened(path)
    except (OSError, sqlite3.Error, KeyError, ValueError) as exc:
        if notify is not None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            notify(
                f"warning: can't write or open the search index in {path.parent} "
                f"({reason or type(exc).__name__}); reading {source.name} into memory instead "
                "(slower, on every run)"
            )
        clinics = list(load())
        _same_bytes(source, key, None)
        return MemoryCatalog(clinics)


MAX_INDEXES = 16  # indexes kept in the cache folder; the least recently used go first


def _opened(path: Path) -> IndexedCatalog:
    catalog = IndexedCatalog(path)
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: the last to be evicted
    return catalog


def _evict(built: Path, tag: str) -> None:
    """Remove the indexes of this file's older versions, and the least recently used
    beyond MAX_INDEXES. A run reading one keeps its open copy (POSIX); a run about to open
    one builds it again."""
    import re

    from clinicfinder.userdirs import INDEX_NAME

    try:
        found = [p for p in built.parent.iterdir() if re.fullmatch(INDEX_NAME, p.name)]
        found = [p for p in found if p != built]
        stale = [p for p in found if p.name.endswith(f"-{tag}.sqlite")]
        others = sorted((p for p in found if p not in stale), key=_used, reverse=True)
        for path in stale + others[MAX_INDEXES - 1 :]:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # a cache we can't tidy is still a cache


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _same_bytes(source: Path, key: str, built: Path | None) -> None:
    """A file that changed while it was read is reported, and its index thrown away:
    otherwise the old content's hash would name the new content's index."""
    try:
        unchanged = file_digest(source) == key
    except OSError:
        unchanged = False
    if not unchanged:
        if built is not None:
            built.unlink(missing_ok=True)
        raise DataError(
            str(source), None, "the file changed while it was being read; run the command again"
        )
