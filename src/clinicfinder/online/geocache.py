"""A persistent cache of online geocoding answers (Nominatim's policy requires one).

SQLite in the cache directory: each write is a transaction, so several
processes can share it and a half-written answer never exists. A file that
isn't a usable database is moved aside and a new one started; a cache we can't
write at all is skipped (the lookup still works, it is just not remembered).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from clinicfinder.userdirs import cache_dir

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL, "
    "fetched REAL NOT NULL)"
)


def cache_path() -> Path:
    return cache_dir() / "geocode.sqlite"


class GeoCache:
    """Answers by key (the server and the folded query); `None` means "no match"."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_path()
        self.warning: str | None = None  # said once to the user if the cache misbehaved
        self._db: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=10)
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM answers").fetchone()
                self._db = db
                return db
            except sqlite3.DatabaseError as exc:
                if attempt == 1 and self.path.exists():
                    aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
                    self.path.replace(aside)
                    self.warning = f"the geocoding cache was unreadable ({exc}); moved to {aside}"
                    continue
                self.warning = f"the geocoding cache can't be used ({exc}); not caching"
            except OSError as exc:
                self.warning = f"the geocoding cache can't be written ({exc}); not caching"
            return None
        return None

    def get(self, key: str) -> tuple[bool, Any]:
        """(found, answer): an answer of None means the server had no match."""
        db = self._open()
        if db is None:
            return False, None
        try:
            row = db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
            return (True, json.loads(row[0])) if row else (False, None)
        except (sqlite3.Error, ValueError):
            return False, None

    def put(self, key: str, answer: Any) -> None:
        db = self._open()
        if db is None:
            return
        try:
            with db:
                db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                    (key, json.dumps(answer), time.time()),
                )
        except sqlite3.Error as exc:
            self.warning = f"could not save to the geocoding cache ({exc})"

    def __len__(self) -> int:
        db = self._open()
        return db.execute("SELECT count(*) FROM answers").fetchone()[0] if db else 0
