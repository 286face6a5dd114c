"""Where the bundled data files live, in a wheel install and in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir() -> Path:
    """The folder holding the bundled data.

    A wheel carries ``data/`` inside the package (see ``force-include`` in
    pyproject.toml); an editable install or a source checkout reads the repo's
    top-level ``data/`` directly.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parents[1] / "data"):
        if (candidate / "clinics.csv").is_file():
            return candidate
    return here / "data"


def data_path(name: str) -> Path:
    return data_dir() / name
