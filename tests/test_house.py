"""The house rules: no import circle between the project's modules, no module over 500 lines.

Imports are read from the source (every ``import`` and ``from ... import``, also those inside
functions: a lazy import still ties two modules together). ``from pkg import name`` counts as an
import of the submodule ``pkg.name`` when that submodule exists, else of ``pkg`` itself. Tests are
not part of the house; the scripts written in Python (``scripts/neo4j-local``) are.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "ingest", "analysis", "dashboard", "partnet", "synthetic", "bench")
MAX_LINES = 500


def python_scripts() -> list[Path]:
    """Files in scripts/ that are Python programs (by extension or shebang)."""
    out = []
    for path in sorted((ROOT / "scripts").rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".py":
            out.append(path)
        elif path.suffix == "":
            with path.open("rb") as fh:
                if b"python" in fh.readline():
                    out.append(path)
    return out


def project_modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the project's packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest project module that ``name`` is or lies in."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        candidate = ".".join(parts[:i])
        if candidate in modules:
            return candidate
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that ``module`` imports anywhere in its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            targets = [f"{prefix}.{alias.name}" for alias in node.names] or [prefix]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved and resolved != module:
                found.add(resolved)
    return found


def import_graph() -> nx.DiGraph:
    modules = project_modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        for target in imports_of(module, path, modules):
            # importing a submodule runs its package's __init__, which is not a tie of its own
            if not module.startswith(target + "."):
                graph.add_edge(module, target)
    return graph


def test_the_import_graph_is_read():
    """The reader sees known ties, so an empty graph cannot pass the circle test by accident."""
    graph = import_graph()
    assert graph.has_edge("partnet.cli", "graph.errors")
    assert graph.number_of_edges() > 100


def test_no_import_circles():
    graph = import_graph()
    circles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not circles, f"import circles (break them by moving the shared code down a layer): {circles}"


@pytest.mark.parametrize("path", [*project_modules().values(), *python_scripts()],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_LINES}): split it "
                                "along what its parts compute")
