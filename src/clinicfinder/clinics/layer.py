"""The registry layer: FindTreatment.gov's ketamine facilities as `data update` last fetched
them, kept in the user's data folder and searched offline beside the bundled listings
(joined to them: clinics/overlay.py).

One JSON file, `findtreatment.json` in userdirs.data_dir(), always written whole and
atomically: ``{"layer": "findtreatment", "version": 1, "states": {"KS": "2026-12-07", …},
"clinics": [...]}``. The clinics are objects in the schema of every clinic file, so the
same reader, checks and cached index serve it; each state carries the day it was fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from clinicfinder.errors import DataError
from clinicfinder.records.models import CLINIC_COLUMNS, Clinic, Layer
from clinicfinder.userdirs import atomic_write, data_dir

LAYER_FILE = "findtreatment.json"
KIND = "findtreatment"
VERSION = 1
NAME = "FindTreatment.gov (SAMHSA)"
REDO = "run `clinicfinder data update` again, or `clinicfinder data update --remove`"


def layer_path() -> Path:
    return data_dir() / LAYER_FILE


def _document(path: Path) -> dict[str, Any]:
    """The layer's JSON document; DataError (with what to do) when it isn't one we wrote."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(str(path), None, f"cannot read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise DataError(str(path), None, "the registry layer is damaged", hint=REDO) from None
    states = doc.get("states") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("layer") != KIND
        or doc.get("version") != VERSION
        or not isinstance(states, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in states.items())
        or not isinstance(doc.get("clinics"), list)
    ):
        raise DataError(str(path), None, "not a registry layer this version wrote", hint=REDO)
    return doc


def describe(path: Path, clinics: int | None = None) -> Layer:
    """What the layer holds: its states and their fetch dates."""
    doc = _document(path)
    states: dict[str, str] = doc["states"]
    dates = sorted(states.values())
    return Layer(
        name=NAME,
        path=str(path),
        fetched=dates[0] if dates else "",
        newest=dates[-1] if dates else "",
        states=tuple(sorted(states)),
        clinics=len(doc["clinics"]) if clinics is None else clinics,
    )


def _record(clinic: Clinic) -> dict[str, Any]:
    return {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in zip(CLINIC_COLUMNS, clinic, strict=True)
    }


def _write(path: Path, states: Mapping[str, str], clinics: Iterable[dict[str, Any]]) -> None:
    ordered = sorted(clinics, key=lambda c: (c.get("state", ""), c.get("city", ""), c["id"]))
    doc = {"layer": KIND, "version": VERSION, "states": dict(sorted(states.items())),
           "clinics": ordered}  # fmt: skip
    atomic_write(path, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def save(fetched: Mapping[str, Sequence[Clinic]], day: str) -> tuple[Layer, bool]:
    """Keep these states' facilities as fetched on `day`, replacing what the layer held for
    them and keeping its other states. Returns the layer and whether an unreadable old layer
    was replaced whole."""
    path = layer_path()
    states: dict[str, str] = {}
    kept: list[dict[str, Any]] = []
    replaced = False
    if path.exists():
        try:
            doc = _document(path)
        except DataError:
            replaced = True
        else:
            states = dict(doc["states"])
            kept = [c for c in doc["clinics"]
                    if isinstance(c, dict) and c.get("state") not in fetched]  # fmt: skip
    states.update(dict.fromkeys(fetched, day))
    fresh = {c.id: _record(c) for clinics in fetched.values() for c in clinics}
    kept = [c for c in kept if c.get("id") not in fresh]
    _write(path, states, [*kept, *fresh.values()])
    return describe(path), replaced


def remove(states: Sequence[str] = ()) -> tuple[str, ...]:
    """Drop the layer (or only these states of it); returns the states dropped."""
    path = layer_path()
    if not path.exists():
        return ()
    try:
        doc = _document(path)
    except DataError:
        if states:
            raise
        path.unlink()
        return ()
    held = tuple(sorted(doc["states"]))
    dropped = tuple(s for s in held if not states or s in states)
    left = {s: d for s, d in doc["states"].items() if s not in dropped}
    if not left:
        path.unlink()
    else:
        clinics = [c for c in doc["clinics"] if c.get("state") not in dropped]
        _write(path, left, clinics)
    return dropped
