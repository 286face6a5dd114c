"""A persistent cache of online answers: geocoding (Nominatim's policy requires one) and
registry pages (a day by default).

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


LOCK_WAIT_S = 5.0  # another run holding it: wait this long, then go without the cache


def cache_path() -> Path:
    return cache_dir() / "geocode.sqlite"


class AnswerCache:
    """Answers by key (the server and the query); `None` means "no match"."""

    what = "answer"

    def __init__(self, name_or_path: str | Path | None = None) -> None:
        if name_or_path is None:
            self.path = cache_path()
        elif isinstance(name_or_path, str):
            self.path = cache_dir() / name_or_path
        else:
            self.path = name_or_path
        self.warning: str | None = None  # said once to the user if the cache misbehaved
        self._db: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=LOCK_WAIT_S)
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM answers").fetchone()
                self._db = db
                return db
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    # Another run holds it: its answers are not ours to discard.
                    self.warning = f"{self._label()} is busy in another run; not using it this time"
                    return None
                self.warning = f"{self._label()} can't be used ({exc}); not caching"
            except sqlite3.DatabaseError as exc:  # not a database at all: corrupt
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

    def _label(self) -> str:
        return "the registry cache" if "findtreatment" in self.path.name else "the geocoding cache"

    def lookup(self, key: str, max_age_s: float | None = None) -> tuple[bool, Any]:
        """(found, answer): an answer of None means the server had no match; an answer
        older than `max_age_s` is not found."""
        db = self._open()
        if db is None:
            return False, None
        try:
            row = db.execute("SELECT answer, fetched FROM answers WHERE key = ?", (key,)).fetchone()
            if not row or (max_age_s is not None and time.time() - float(row[1]) > max_age_s):
                return False, None
            return True, json.loads(row[0])
        except (sqlite3.Error, ValueError, RecursionError):
            return False, None

    def get(self, key: str, max_age_s: float | None = None) -> Any:
        """The answer, or None when there is none (or it is too old)."""
        return self.lookup(key, max_age_s)[1]

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


class GeoCache(AnswerCache):
    """Geocoding answers, kept until `cache clear` (Nominatim asks clients to cache)."""
