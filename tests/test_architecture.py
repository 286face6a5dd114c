"""The layout keeps its promises: no import cycles, small modules, pinned typer internals."""

from __future__ import annotations

import importlib
from pathlib import Path

import grimp
import pytest

import clinicfinder
from clinicfinder.cli import compat

PACKAGE = Path(clinicfinder.__file__).parent
MAX_MODULE_LINES = 400


def test_no_module_imports_itself_back():
    graph = grimp.build_graph("clinicfinder", include_external_packages=False)
    modules = sorted(graph.modules)
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            assert chain is None, f"import cycle: {module} -> {' -> '.join(chain or ())}"


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES


@pytest.mark.parametrize(("module", "name"), compat.USED)
def test_every_typer_internal_we_use_exists_in_the_pinned_typer(module, name):
    assert hasattr(importlib.import_module(module), name)


def test_the_package_is_layered_by_folder():
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert {"cli", "output", "online", "search", "clinics", "places", "records"} <= packages
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert len(top) <= 5, top  # cross-cutting only: errors, user folders, config, bundled data
