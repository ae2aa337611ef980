"""Helpers for the ingest tests: a small valid import written as CSV files, and store snapshots."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

from graph.store import Store
from ingest.format import TABLES

#: A small valid import: table -> rows (the first row is the header). Row numbers in a
#: spreadsheet: the header is row 1, ``VALID["actors"][1]`` is row 2.
VALID: dict[str, list[list[str]]] = {
    "actors": [
        ["id", "name", "aliases", "type", "country", "city", "scope", "website", "source", "section"],
        ["cfdt", "Confédération française démocratique du travail", "CFDT", "trade_union", "FR", "Paris",
         "national", "https://www.cfdt.fr", "DOC", "1"],
        ["ville-de-liege", "Ville de Liège", "", "local_authority", "BE", "Liège", "local", "", "DOC", "2"],
        ["ec", "European Commission", "EC", "eu_institution", "", "", "european", "", "DOC", "3"],
        ["ngo-a", "Migrants Aid", "", "ngo", "PT", "Lisboa", "", "", "DOC", "4"],
    ],
    "partnerships": [
        ["id", "name", "kind", "code", "theme", "level", "start_year", "end_year", "parent_id", "source", "section"],
        ["net", "National network", "thematic_network", "", "", "national", "2002", "2005", "", "DOC", "1"],
        ["dp1", "Partnership One", "development_partnership", "PT-2001-001", "", "national", "2002", "2004", "net",
         "DOC", "2"],
    ],
    "memberships": [
        ["actor_id", "partnership_id", "role", "source", "section"],
        ["cfdt", "dp1", "lead", "DOC", "1"],
        ["ngo-a", "dp1", "partner", "DOC", "1"],
        ["ville-de-liege", "net", "member", "DOC", "2"],
    ],
    "funding": [
        ["funder_id", "recipient_id", "programme", "amount", "currency", "start_year", "end_year", "source", "section"],
        ["ec", "dp1", "ESF/EQUAL", "125000.50", "EUR", "2002", "2004", "DOC", "1"],
    ],
    "links": [
        ["source_id", "target_id", "kind", "year", "source", "section"],
        ["ville-de-liege", "ngo-a", "exchange", "2019", "DOC", "1"],
    ],
}


def valid_tables() -> dict[str, list[list[str]]]:
    """A fresh copy of `VALID` to modify."""
    return copy.deepcopy(VALID)


def write_csvs(folder: Path, tables: dict[str, list[list[str]]] | None = None, *, delimiter: str = ",",
               encoding: str = "utf-8") -> Path:
    """Write ``tables`` (default: `VALID`) as ``<table>.csv`` files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (tables if tables is not None else VALID).items():
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as f:
            csv.writer(f, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return folder


def write_workbook(path: Path, tables: dict[str, list[list[object]]] | None = None) -> Path:
    """Write ``tables`` (default: `VALID`) as one ``.xlsx`` with a sheet per table."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (tables if tables is not None else VALID).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def snapshot(store: Store) -> tuple[dict[str, int], object]:
    """The store's content in canonical form (counts and every record, sorted)."""
    return store.counts(), store.read_dataset().sorted()


TABLE_NAMES = tuple(t.name for t in TABLES)
