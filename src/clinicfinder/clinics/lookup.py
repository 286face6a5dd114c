"""Finding one clinic by its id or its name (`show`)."""

from __future__ import annotations

import difflib
import re

from clinicfinder.clinics.catalog import Catalog
from clinicfinder.errors import UnknownClinic, UsageProblem, brief
from clinicfinder.places.names import place_key
from clinicfinder.records.models import Clinic

MAX_LISTED = 8  # several clinics share a name: list at most this many ids
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
    wanted = _fold(_STATUS_TAIL.sub("", text))
    every = catalog.all() if wanted else []
    named = [c for c in every if wanted in (_fold(c.name), _shown(c))]
    if not named:  # a name that starts the clinic's name: "Revivalist" for "Revivalist Clinic"
        named = [c for c in every if wanted and _fold(c.name).startswith(wanted + " ")]
    if len(named) == 1:
        return named[0]
    if named:
        listed = "; ".join(f"{c.id} ({c.city or '?'}, {c.state or '?'})" for c in named[:8])
        more = f" and {len(named) - MAX_LISTED} more" if len(named) > MAX_LISTED else ""
        raise UsageProblem(
            f"{len(named)} clinics are called {brief(text)}: {listed}{more}",
            hint="give the id of the one you mean",
        )
    names = {_fold(c.name): c.name for c in every}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
    hint = (
        f"did you mean {names[close[0]]!r}?"
        if close
        else "give a clinic's id (`near … --json` shows them) or its name"
    )
    raise UnknownClinic(f"no clinic with the id or name {brief(text)}", hint=hint)
