"""Import hints for the commonest mistakes (issue 18): delimiter, year range, currency, table names;
Italian, Dutch and German synonyms; no progress bar for short tables."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from ingest.pipeline import load
from ingest.progress import PROGRESS_THRESHOLD, RowProgress
from ingest.text import fold
from ingest.vocabularies import vocab_value

TEMPLATE = Path(__file__).resolve().parents[1] / "data" / "template"


def _folder(tmp_path: Path, actors: str, partnerships: str = "", funding: str = "") -> Path:
    d = tmp_path / "in"
    shutil.copytree(TEMPLATE, d)
    (d / "actors.csv").write_text(actors, encoding="utf-8")
    if partnerships:
        (d / "partnerships.csv").write_text(partnerships, encoding="utf-8")
    if funding:
        (d / "funding.csv").write_text(funding, encoding="utf-8")
    return d


def test_a_pipe_delimited_file_names_the_delimiter_once(tmp_path):
    d = _folder(tmp_path, "id|name|type|country\na1|Union A|trade_union|FR\na2|City B|local_authority|IT\n")
    rep = load(d).report
    actors_errors = [p for p in rep.errors if p.file.endswith("actors.csv")]
    assert [p.code for p in actors_errors] == ["unsupported-delimiter"]
    assert "vertical bar (|)" in actors_errors[0].message and "semicolons" in actors_errors[0].hint
    assert not any(p.code == "missing-column" for p in rep.errors)


def test_a_year_range_suggests_start_and_end_year(tmp_path):
    d = _folder(tmp_path, "id,name,type\na1,Union A,trade_union\n",
                partnerships="id,name,kind,start_year\np1,Pact,pact,2005-2007\n")
    [p] = [p for p in load(d).report.errors if p.column == "start_year"]
    assert p.code == "year-range" and "2005 in start_year and 2007 in end_year" in p.hint


def test_a_currency_sign_in_an_amount_says_to_use_currency(tmp_path):
    d = _folder(tmp_path, "id,name,type\na1,Union A,trade_union\nf1,Fund,foundation\n",
                partnerships="id,name,kind\np1,Pact,pact\n",
                funding="funder_id,recipient_id,programme,amount\nf1,p1,AMIF,€ 12.500\n")
    [p] = [p for p in load(d).report.errors if p.column == "amount"]
    assert p.code == "currency-in-amount" and "EUR in the currency column" in p.hint
    assert "write 12500 (or 12.500 if the separator is a decimal one) in amount" in p.hint


def test_a_sheet_named_close_to_a_table_gets_did_you_mean(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "actors"
    ws.append(["id", "name", "type"])
    ws.append(["a1", "Union A", "trade_union"])
    ws2 = wb.create_sheet("Membership")
    ws2.append(["actor_id", "partnership_id"])
    wb.create_sheet("Budget").append(["x"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    warnings = {p.message: p.hint for p in load(path).report.warnings if p.code == "unknown-table"}
    assert warnings["unknown sheet 'Membership' is ignored: did you mean memberships?"] == \
        "rename the sheet to memberships"
    assert "the sheets are: actors" in warnings["unknown sheet 'Budget' is ignored"]


def test_a_csv_file_named_close_to_a_table_gets_did_you_mean(tmp_path):
    d = _folder(tmp_path, "id,name,type\na1,Union A,trade_union\n")
    (d / "memberships.csv").rename(d / "Membership.csv")
    [p] = [p for p in load(d).report.warnings if p.code == "unknown-table"]
    assert "did you mean memberships?" in p.message and p.hint == "rename the file to memberships.csv"


@pytest.mark.parametrize(("vocab", "text", "value"), [
    ("type", "sindacato", "trade_union"), ("type", "vakbond", "trade_union"), ("type", "Gewerkschaft", "trade_union"),
    ("type", "gemeente", "local_authority"), ("type", "comune", "local_authority"),
    ("type", "Gemeinde", "local_authority"), ("type", "Stadt", "local_authority"), ("type", "ONG", "ngo"),
    ("type", "vereniging", "ngo"), ("type", "associazione", "ngo"), ("type", "Verein", "ngo"),
    ("type", "cooperativa", "social_economy"), ("type", "coöperatie", "social_economy"),
    ("type", "Genossenschaft", "social_economy"), ("type", "Universität", "research"),
    ("kind", "progetto", "project"), ("kind", "project", "project"), ("kind", "Projekt", "project"),
    ("kind", "rete", "thematic_network"), ("kind", "netwerk", "thematic_network"),
    ("kind", "Netzwerk", "thematic_network"), ("kind", "accordo", "agreement"),
    ("kind", "Vereinbarung", "agreement"), ("link_kind", "gemellaggio", "twinning"), ("role", "capofila", "lead"),
])
def test_italian_dutch_and_german_synonyms(vocab, text, value):
    assert vocab_value(vocab, text) == value


def test_no_synonym_maps_to_two_values():
    path = Path(__file__).resolve().parents[1] / "ingest" / "synonyms.csv"
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["vocabulary"], fold(row["synonym"]))
            if seen.setdefault(key, row["value"]) != row["value"]:
                clashes.append((key, seen[key], row["value"]))
    assert not clashes


def _bar_count(capsys, total, rows):
    bar = RowProgress(True, total, "actors")
    for _ in range(rows):
        bar.update()
    shown = bar.bar is not None
    bar.close()
    return shown, capsys.readouterr().err


def test_no_progress_bar_for_short_tables_even_of_unknown_length(capsys):
    assert _bar_count(capsys, 40, 40) == (False, "")
    assert _bar_count(capsys, None, 40) == (False, "")  # a workbook without a stored dimension
    shown, _ = _bar_count(capsys, None, PROGRESS_THRESHOLD + 10)
    assert shown
    shown, _ = _bar_count(capsys, PROGRESS_THRESHOLD + 10, 3)
    assert shown
    assert RowProgress(False, None, "x").live is False


def test_a_short_workbook_ingest_prints_no_bar(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "actors"
    ws.append(["id", "name", "type"])
    ws.append(["a1", "Union A", "trade_union"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    load(path, progress=True)
    assert "rows" not in capsys.readouterr().err
