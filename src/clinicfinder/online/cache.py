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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clinicfinder.userdirs import cache_dir

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL, "
    "fetched REAL NOT NULL)"
)


LOCK_WAIT_S = 5.0  # another run holding it: wait this long, then go without the cache


def _prepare(db: sqlite3.Connection) -> None:
    db.execute(_SCHEMA)
    db.execute("SELECT count(*) FROM answers").fetchone()


def open_store(
    path: Path,
    what: str,
    prepare: Callable[[sqlite3.Connection], None],
    *,
    threads: bool = False,
) -> tuple[sqlite3.Connection | None, str | None]:
    """One of our SQLite caches, opened and `prepare`d; or None and why, said once.

    Shared by every cache so they behave alike: a file that isn't a database is moved
    aside and started afresh; one busy or locked by another run is waited on LOCK_WAIT_S
    and then left alone (its contents are not ours to discard); one we can't write is
    skipped. The work goes on either way, only unremembered.
    """
    moved: str | None = None
    for attempt in (1, 2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=LOCK_WAIT_S, check_same_thread=not threads)
            with db:
                prepare(db)
            return db, moved
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return None, f"the {what} is busy in another run; not using it this time"
            return None, f"the {what} can't be used ({exc}); not remembering answers"
        except sqlite3.DatabaseError as exc:  # not a database at all: corrupt
            if attempt == 1 and path.exists():
                aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
                path.replace(aside)
                moved = f"the {what} was unreadable ({exc}); moved to {aside}"
                continue
            return None, f"the {what} can't be used ({exc}); not remembering answers"
        except OSError as exc:
            return None, f"the {what} can't be written ({exc}); not remembering answers"
    return None, moved


def cache_path() -> Path:
    return cache_dir() / "geocode.sqlite"


class AnswerCache:
    """Answers by key (the server and the query); `None` means "no match".

    The geocoder's by default: kept until `cache clear` (Nominatim asks clients to
    cache). `what` names the cache in the warnings the user reads.
    """

    def __init__(
        self, name_or_path: str | Path | None = None, *, what: str = "geocoding cache"
    ) -> None:
        self.what = what
        if name_or_path is None:
            self.path = cache_path()
        elif isinstance(name_or_path, str):
            self.path = cache_dir() / name_or_path
        else:
            self.path = name_or_path
        self.warning: str | None = None  # said once to the user if the cache misbehaved
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _open(self) -> sqlite3.Connection | None:
        """Tried once a run: a cache another run holds costs one wait, not one per lookup."""
        if not self._opened:
            self._opened = True
            self._db, self.warning = open_store(self.path, self.what, _prepare)
        return self._db

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
            self.warning = f"could not save to the {self.what} ({exc})"

    def __len__(self) -> int:
        db = self._open()
        return db.execute("SELECT count(*) FROM answers").fetchone()[0] if db else 0
