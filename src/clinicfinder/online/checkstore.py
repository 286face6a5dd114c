"""What `data recheck` remembers between runs, in one SQLite file in the cache folder:

- `pages`: each page's last answer with its ETag and Last-Modified, so the next run asks
  conditionally (If-None-Match / If-Modified-Since) and a 304 reuses what was read;
- `progress`: the pages already answered in an unfinished run (keyed by the run's pages),
  so a run stopped by Ctrl-C resumes where it stopped; cleared when the run completes;
- `listings`: when each listing was last checked with a definite verdict (for --since).

Each write is its own transaction; threads share one connection under a lock. A file
that isn't a usable database is moved aside, one another run holds is left alone, one we
can't write is skipped (online.cache.open_store: every cache alike); the run still works.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any

from clinicfinder.online.cache import open_store
from clinicfinder.userdirs import cache_dir

FILE = "recheck.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, etag TEXT, modified TEXT, "
    "snapshot BLOB NOT NULL, fetched REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS progress (run TEXT NOT NULL, url TEXT NOT NULL, "
    "snapshot BLOB NOT NULL, saved REAL NOT NULL, PRIMARY KEY (run, url))",
    "CREATE TABLE IF NOT EXISTS listings (listing TEXT PRIMARY KEY, checked TEXT NOT NULL, "
    "verdict TEXT NOT NULL)",
)
STALE_RUN_S = 2 * 86400  # an unfinished run older than this starts afresh


def _prepare(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA:
        db.execute(statement)
    db.execute("DELETE FROM progress WHERE saved < ?", (time.time() - STALE_RUN_S,))


def _pack(data: Any) -> bytes:
    return zlib.compress(json.dumps(data).encode("utf-8"))


def _unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


class CheckStore:
    """The recheck cache; `path=None` is the user's cache folder."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / FILE
        self.warning: str | None = None
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _open(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            self._db, self.warning = open_store(self.path, "recheck cache", _prepare, threads=True)
        return self._db

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            db = self._open()
            if db is None:
                return []
            try:
                with db:
                    return db.execute(sql, args).fetchall()
            except (sqlite3.Error, ValueError) as exc:
                self.warning = f"the recheck cache failed ({exc}); not remembering"
                return []

    def seen(self, url: str) -> tuple[str, str, Any] | None:
        """(ETag, Last-Modified, the snapshot) of the page's last full answer."""
        rows = self._run("SELECT etag, modified, snapshot FROM pages WHERE url = ?", (url,))
        if not rows:
            return None
        try:
            return rows[0][0] or "", rows[0][1] or "", _unpack(rows[0][2])
        except (ValueError, zlib.error):
            return None

    def remember(self, url: str, etag: str, modified: str, snapshot: Any) -> None:
        self._run(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
            (url, etag, modified, _pack(snapshot), time.time()),
        )

    def progress(self, run: str) -> dict[str, Any]:
        """The pages an unfinished run with these pages already has."""
        out = {}
        for url, blob in self._run("SELECT url, snapshot FROM progress WHERE run = ?", (run,)):
            try:
                out[url] = _unpack(blob)
            except (ValueError, zlib.error):
                continue
        return out

    def save_progress(self, run: str, url: str, snapshot: Any) -> None:
        self._run(
            "INSERT OR REPLACE INTO progress VALUES (?, ?, ?, ?)",
            (run, url, _pack(snapshot), time.time()),
        )

    def finish(self, run: str, checked: dict[str, tuple[str, str]]) -> None:
        """The run is complete: forget its progress, remember when each listing was checked."""
        self._run("DELETE FROM progress WHERE run = ?", (run,))
        for listing, (day, verdict) in checked.items():
            self._run("INSERT OR REPLACE INTO listings VALUES (?, ?, ?)", (listing, day, verdict))

    def last_checked(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self._run("SELECT listing, checked FROM listings")}
