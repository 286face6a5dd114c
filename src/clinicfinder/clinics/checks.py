"""When each bundled listing was last re-checked, and how: `data recheck` reports, a
maintainer commits `checked` rows to data/sources/edits.csv, and the build writes them
to clinic-checks.csv, which `show` reads. A listing never re-checked has no row."""

from __future__ import annotations

import csv
import functools
from typing import NamedTuple

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError

CHECKS_FILE = "clinic-checks.csv"
CHECK_COLUMNS = ("id", "date", "verdict", "how")


class Check(NamedTuple):
    date: str  # YYYY-MM-DD
    verdict: str  # records.checks.VERDICTS
    how: str  # the page and what it showed


def parse_reason(reason: str) -> tuple[str, str]:
    """An edit's reason, "ok: https://… answered HTTP 200 …", as (verdict, how)."""
    verdict, _, how = reason.partition(":")
    return verdict.strip(), how.strip()


@functools.cache
def last_checks() -> dict[str, Check]:
    """The newest check of each bundled listing."""
    path = data_path(CHECKS_FILE)
    out: dict[str, Check] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                check = Check(row["date"], row["verdict"], row["how"])
                if row["id"] not in out or out[row["id"]].date <= check.date:
                    out[row["id"]] = check
    except FileNotFoundError:
        return {}
    except (OSError, csv.Error, UnicodeDecodeError, KeyError) as exc:
        raise DataError(str(path), None, f"cannot read ({exc})") from None
    return out
