"""The import format is defined once: templates, README and model all agree with `ingest.format.TABLES`."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest

from graph.convert import COLUMNS
from graph.model import ACTOR_TYPES, LEVELS, LINK_KINDS, PARTNERSHIP_KINDS, ROLES, SCOPES
from ingest import load, write_template
from ingest.format import COLUMN_TYPES, TABLES, header_key, markdown_reference, table
from ingest.normalise import VOCABULARIES, fold, vocab_value

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _workbook_content(path: Path) -> dict:
    """Everything a user sees in a workbook: sheets, cells, header comments, drop-down lists, frozen panes."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": [[c.value for c in row] for row in ws.iter_rows()],
            "comments": [c.comment.text if c.comment else None for row in ws.iter_rows(max_row=1) for c in row],
            "lists": sorted((str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation),
            "freeze": ws.freeze_panes,
        }
    return out


def test_committed_csv_template_is_what_the_generator_writes(tmp_path):
    write_template(tmp_path / "template")
    committed = sorted(p.name for p in (ROOT / "data" / "template").glob("*.csv"))
    fresh = sorted(p.name for p in (tmp_path / "template").glob("*.csv"))
    assert committed == fresh == sorted(f"{t.name}.csv" for t in TABLES)
    for name in fresh:
        assert (tmp_path / "template" / name).read_bytes() == (ROOT / "data" / "template" / name).read_bytes(), name


def test_committed_workbook_template_is_what_the_generator_writes(tmp_path):
    fresh = write_template(tmp_path / "template.xlsx")
    committed = ROOT / "data" / "template.xlsx"
    assert _workbook_content(fresh) == _workbook_content(committed)
    # written deterministically: two runs give the same bytes
    again = write_template(tmp_path / "again.xlsx")
    assert fresh.read_bytes() == again.read_bytes()


def test_template_workbook_describes_every_column():
    wb = openpyxl.load_workbook(ROOT / "data" / "template.xlsx")
    assert wb.sheetnames == [t.name for t in TABLES] + ["README"]
    described = {(str(r[0]).split(" ")[0], r[1]) for r in wb["README"].iter_rows(min_row=5, values_only=True) if r[1]}
    for t in TABLES:
        ws = wb[t.name]
        assert [c.value for c in ws[1]] == list(t.column_names)
        for cell, col in zip(ws[1], t.columns, strict=True):
            assert col.description in cell.comment.text
            assert (t.name, col.name) in described


def test_template_headers_match_the_model_columns():
    for name, cols in COLUMNS.items():
        assert table(name).column_names == tuple(c for c in cols if c != "family"), name


def test_readme_import_format_section_is_generated_from_the_definition():
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- import-format:start -->\n(.*?)<!-- import-format:end -->", text, re.S)
    assert m, "README.md lacks the import-format markers"
    assert m.group(1) == markdown_reference(), "README import format is stale: paste `python -m ingest.format`"


def test_readme_documents_every_column_with_its_meaning():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Import format"):]
    for t in TABLES:
        block = section[section.index(f"### `{t.name}`"):]
        block = block[: block.index("\n### ")] if "\n### " in block else block
        for c in t.columns:
            row = next((line for line in block.splitlines() if line.startswith(f"| `{c.name}` |")), None)
            assert row is not None, f"{t.name}.{c.name} is not documented in the README"
            assert c.description.replace("|", "\\|") in row
    for name in COLUMN_TYPES:
        assert f"- `{name}`:" in section


def test_vocab_columns_list_the_model_vocabularies():
    assert table("actors").column("type").vocabulary == tuple(ACTOR_TYPES)
    assert table("actors").column("scope").vocabulary == SCOPES
    assert table("partnerships").column("kind").vocabulary == PARTNERSHIP_KINDS
    assert table("partnerships").column("level").vocabulary == LEVELS
    assert table("memberships").column("role").vocabulary == ROLES
    assert table("links").column("kind").vocabulary == LINK_KINDS


def test_every_synonym_maps_to_a_value_of_its_vocabulary():
    path = ROOT / "ingest" / "synonyms.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 150
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        assert row["vocabulary"] in VOCABULARIES, row
        assert row["value"] in VOCABULARIES[row["vocabulary"]], row
        key = (row["vocabulary"], fold(row["synonym"]))
        assert seen.setdefault(key, row["value"]) == row["value"], f"synonym {row} maps to two values"
        assert vocab_value(row["vocabulary"], row["synonym"]) == row["value"]


@pytest.mark.parametrize("text, key", [("  Actor ID ", "actor_id"), ("\ufeffid", "id"), ("Start-Year", "start_year"),
                                       ("NAME", "name")])
def test_header_names_are_matched_loosely(text, key):
    assert header_key(text) == key


def test_blank_template_loads_as_empty_tables(tmp_path):
    """The blank template is readable; its required tables just have no records yet."""
    for path in (ROOT / "data" / "template", ROOT / "data" / "template.xlsx"):
        result = load(path)
        codes = {(p.code, p.table) for p in result.report.errors}
        assert codes == {("no-records", "actors")}
        warned = {(p.code, p.table) for p in result.report.warnings}
        assert {("no-records", "partnerships"), ("no-records", "memberships")} <= warned
        assert {p.code for p in result.report.warnings} == {"no-records"}
