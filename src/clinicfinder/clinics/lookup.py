"""Finding one clinic by its id or its name (`show`)."""

from __future__ import annotations

import difflib
import re

from clinicfinder.clinics.catalog import Catalog
from clinicfinder.errors import UnknownClinic, UsageProblem, brief
from clinicfinder.places.names import place_key
from clinicfinder.records.models import Clinic

SHORT = 6  # hex digits of a short id: no two of the bundled clinics share one


class AmbiguousName(UsageProblem):
    """Several clinics have the name given: `matches` holds them, for a numbered list."""

    def __init__(self, message: str, matches: list[Clinic], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.matches = matches


def short_id(clinic_id: str) -> str:
    """A few characters to copy instead of a long id (`show 3f9a2c`): a hash of the id,
    so it never changes while the id doesn't."""
    import hashlib

    return hashlib.sha1(clinic_id.encode("utf-8")).hexdigest()[:SHORT]


_SHORT_ID = re.compile(f"[0-9a-f]{{{SHORT}}}")
_STATUS_TAIL = re.compile(r"\s*\((unverified|closed|announced)\)\s*$", re.I)


def _shown(c: Clinic) -> str:
    """The name as the table shows it: with its site ("Klarisana (Austin)")."""
    return _fold(f"{c.name} {c.site}") if c.site else _fold(c.name)


def _fold(name: str) -> str:
    return place_key(name.replace("(", " ").replace(")", " "))


def find_clinic(text: str, catalog: Catalog) -> Clinic:
    """The clinic with this id; else the one whose name this is (case, accents and
    punctuation ignored). Several of that name: a usage error listing their ids."""
    text = text.strip()
    clinic = catalog.get(text)
    if clinic is not None:
        return clinic
    if _SHORT_ID.fullmatch(text.lower()):
        by_short = [c for c in catalog.all() if short_id(c.id) == text.lower()]
        if len(by_short) == 1:
            return by_short[0]
    wanted = _fold(_STATUS_TAIL.sub("", text))
    every = catalog.all() if wanted else []
    named = [c for c in every if wanted in (_fold(c.name), _shown(c))]
    if not named:  # a name that starts the clinic's name: "Revivalist" for "Revivalist Clinic"
        named = [c for c in every if wanted and _fold(c.name).startswith(wanted + " ")]
    if len(named) == 1:
        return named[0]
    if named:
        named.sort(key=lambda c: (c.state, c.city, c.name, c.id))
        raise AmbiguousName(
            f"{len(named)} clinics are called {brief(text)}",
            named,
            hint="give the short id of the one you mean: "
            f"clinicfinder show {short_id(named[0].id)}",
        )
    names = {_fold(c.name): c.name for c in every}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
    hint = (
        f"did you mean {names[close[0]]!r}?"
        if close
        else "give a clinic's id (`near … --json` shows them) or its name"
    )
    raise UnknownClinic(f"no clinic with the id or name {brief(text)}", hint=hint)
