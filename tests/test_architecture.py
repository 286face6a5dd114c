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


def _layers() -> list[set[str]]:
    import tomllib

    config = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    (layered,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [
        {m.strip().removeprefix("clinicfinder.") for m in layer.replace(":", "|").split("|")}
        for layer in layered["layers"]
    ]


def test_every_folder_and_top_level_module_has_its_layer():
    """The layers contract names every package folder and top-level module exactly once, so
    nothing new escapes `lint-imports`; ARCHITECTURE.md's code map lists each folder."""
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    named = [m for layer in _layers() for m in layer]
    assert sorted(named) == sorted(folders | top)
    code_map = (PACKAGE.parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for folder in folders:
        assert f"| `{folder}/` |" in code_map, folder
    for module in top:
        assert f"`{module}.py`" in code_map, module


def test_cli_has_no_postponed_annotations():
    """ARCHITECTURE: Typer reads every command's annotations on each run; as strings it
    would have to eval them."""
    postponed = [
        p.name
        for p in (PACKAGE / "cli").glob("*.py")
        if any(
            line.strip() == "from __future__ import annotations"
            for line in p.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert postponed == []
