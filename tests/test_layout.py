"""The layout's rule: imports flow dashboard -> analysis -> graph <- ingest, never backwards."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: package -> project packages it must never import
FORBIDDEN = {
    "graph": {"ingest", "analysis", "dashboard", "partnet"},
    "ingest": {"analysis", "dashboard", "partnet"},
    "analysis": {"ingest", "dashboard", "partnet", "streamlit", "neo4j", "sqlite3"},
    "dashboard": {"partnet"},
    "synthetic": {"ingest", "analysis", "dashboard", "partnet"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_flow_one_way(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    offenders = {
        str(f.relative_to(ROOT)): sorted(imported_top_levels(f) & FORBIDDEN[package])
        for f in files
        if imported_top_levels(f) & FORBIDDEN[package]
    }
    assert not offenders, f"backward imports: {offenders}"


def test_dashboard_pages_hold_no_analysis_logic():
    """Pages call analysis/ and render: no NetworkX algorithms are run from a page."""
    for page in sorted((ROOT / "dashboard" / "app_pages").glob("*.py")):
        imported = imported_top_levels(page)
        assert "networkx" not in imported and "scipy" not in imported, page.name
