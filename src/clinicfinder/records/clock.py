"""Today's date, in one place.

Statuses (`active` lapses to `unverified` three years after its newest dated
source), `--max-age` and the pages' review dates all depend on the day a command
runs, never on the day the data was built. `CLINICFINDER_TODAY=YYYY-MM-DD` runs as
of another day: the tests pin it, and a maintainer can ask how the data will read
on a later date.
"""

from __future__ import annotations

import os
import re
from datetime import date

ENV = "CLINICFINDER_TODAY"


def today() -> date:
    """The day this run counts as today (the environment's pin if it is a real date)."""
    pinned = os.environ.get(ENV, "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", pinned):
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            pass
    return date.today()


def today_iso() -> str:
    return today().isoformat()


FRESH_YEARS = 3  # a dated source counts as recent for this long (README: "the last three years")


def fresh_until(day: str) -> str:
    """The day a source of `day` (YYYY-MM-DD) stops counting as recent."""
    return f"{int(day[:4]) + FRESH_YEARS:04d}{day[4:10]}"
