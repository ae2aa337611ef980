"""Readers: encodings, delimiters, quoting, row numbers, workbooks, streaming and the progress bar."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from ingest_support import VALID, valid_tables, write_csvs, write_workbook

from ingest import load
from ingest.errors import FileProblem
from ingest.readers import open_csv, sniff_delimiter


def _names(result):
    return sorted(a.name for a in result.dataset.actors)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_encodings_load_without_warning(tmp_path, encoding):
    folder = write_csvs(tmp_path / "in", encoding=encoding)
    result = load(folder)
    assert result.report.ok and not result.report.warnings, result.report.format_text()
    assert "Confédération française démocratique du travail" in _names(result)
    assert "Ville de Liège" in _names(result)


def test_cp1252_file_is_read_with_a_warning_naming_the_encoding(tmp_path):
    folder = write_csvs(tmp_path / "in")
    text = (folder / "actors.csv").read_text(encoding="utf-8").replace("Migrants Aid", "Migrants’ Aid – Œuvre")
    (folder / "actors.csv").write_bytes(text.encode("cp1252"))
    result = load(folder)
    assert result.report.ok
    (w,) = result.report.warnings
    assert w.code == "encoding-fallback" and w.file.endswith("actors.csv")
    assert "Windows-1252" in w.message and "line 2" in w.message
    assert "Migrants’ Aid – Œuvre" in _names(result)
    assert "Ville de Liège" in _names(result)


def test_latin1_file_is_read_like_cp1252(tmp_path):
    folder = write_csvs(tmp_path / "in")
    text = (folder / "actors.csv").read_text(encoding="utf-8")
    (folder / "actors.csv").write_bytes(text.encode("latin-1"))
    result = load(folder)
    assert result.report.ok and [p.code for p in result.report.warnings] == ["encoding-fallback"]
    assert "Confédération française démocratique du travail" in _names(result)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(tmp_path, delimiter):
    tables = valid_tables()
    tables["funding"][1][3] = "125000,50" if delimiter != "," else "125000.50"
    result = load(write_csvs(tmp_path / "in", tables, delimiter=delimiter))
    assert result.report.ok, result.report.format_text()
    assert result.dataset.funding[0].amount == 125000.5
    assert result.dataset.counts() == {"actors": 4, "partnerships": 2, "memberships": 3, "funding": 1, "links": 1}


def test_sniffer_prefers_the_delimiter_naming_known_columns():
    assert sniff_delimiter("id;name,with comma;type\nx;A, B;ngo\n", ["id", "name", "type"]) == ";"
    assert sniff_delimiter("name\nA\n", ["name"]) == ","
    with pytest.raises(FileProblem) as e:
        sniff_delimiter("a;b,c\n1;2,3\n", ["id"])
    assert e.value.code == "ambiguous-delimiter"


def test_quoted_fields_with_delimiters_quotes_and_line_breaks(tmp_path):
    folder = write_csvs(tmp_path / "in")
    with (folder / "actors.csv").open("a", encoding="utf-8") as f:
        f.write('x1,"Union ""Solidarność"", Gdańsk",,trade_union,PL,"Gdańsk\nPort",,,,\n')
        f.write("x2,After the multi-line row,,ngo,PL,,,,,\n")
    result = load(folder)
    by_id = {a.id: a for a in result.dataset.actors}
    assert by_id["x1"].name == 'Union "Solidarność", Gdańsk'
    assert by_id["x1"].city == "Gdańsk Port"
    (w,) = result.report.warnings
    assert w.code == "line-break-in-cell" and w.row == 6 and w.column == "city"
    # the next record is row 7 as a spreadsheet shows it, even though it is on line 8 of the file
    assert result.report.ok
    bad = valid_tables()
    bad["actors"].append(["x1", 'Union "Solidarność"', "", "trade_union", "PL", "Gdańsk\nPort", "", "", "", ""])
    bad["actors"].append(["x2", "Bad", "", "wizard", "PL", "", "", "", "", ""])
    (err,) = load(write_csvs(tmp_path / "bad", bad)).report.errors
    assert err.row == 7 and err.column == "type"


def test_blank_rows_are_skipped_but_counted_in_row_numbers(tmp_path):
    folder = write_csvs(tmp_path / "in")
    text = (folder / "actors.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines.insert(2, ",,,,,,,,,")
    lines.insert(3, "")
    lines.append("y,Yy,,wizard,,,,,,")
    (folder / "actors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load(folder)
    assert len(result.dataset.actors) == 4
    (err,) = result.report.errors
    assert err.row == 8 and err.value == "wizard"


def test_headers_are_matched_loosely_and_extra_columns_warn(tmp_path):
    tables = valid_tables()
    tables["actors"][0] = [h.upper() for h in tables["actors"][0]]
    tables["actors"][0][0] = " Id "
    tables["actors"][0].append("Notes")
    for row in tables["actors"][1:]:
        row.append("free text")
    result = load(write_csvs(tmp_path / "in", tables))
    assert result.report.ok
    (w,) = result.report.warnings
    assert (w.code, w.column, w.row) == ("unknown-column", "notes", 1)
    assert len(result.dataset.actors) == 4


def test_a_value_in_a_column_without_header_warns(tmp_path):
    folder = write_csvs(tmp_path / "in")
    with (folder / "actors.csv").open("a", encoding="utf-8") as f:
        f.write("z,Zz,,ngo,,,,,,,stray\n")
    result = load(folder)
    assert [(w.code, w.row) for w in result.report.warnings] == [("cell-without-header", 6)]


def test_optional_table_with_header_only_is_a_warning(tmp_path):
    tables = valid_tables()
    tables["links"] = tables["links"][:1]
    result = load(write_csvs(tmp_path / "in", tables))
    assert result.report.ok
    assert [(w.code, w.table) for w in result.report.warnings] == [("no-records", "links")]


def test_unknown_csv_file_in_the_folder_is_ignored_with_a_warning(tmp_path):
    folder = write_csvs(tmp_path / "in")
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = load(folder)
    assert result.report.ok and [w.code for w in result.report.warnings] == ["unknown-table"]


def test_single_csv_file_is_read_as_its_table(tmp_path):
    folder = write_csvs(tmp_path / "in")
    result = load(folder / "actors.csv")
    assert result.report.ok and len(result.dataset.actors) == 4 and result.format == "csv"
    (tmp_path / "stuff.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert [p.code for p in load(tmp_path / "stuff.csv").report.errors] == ["unknown-table"]


def test_missing_path_and_bad_format_are_reported(tmp_path):
    assert [p.code for p in load(tmp_path / "nowhere").report.errors] == ["missing-file"]
    assert [p.code for p in load(tmp_path, format="pdf").report.errors] == ["bad-format"]


def test_csv_rows_are_streamed_not_loaded(tmp_path):
    folder = write_csvs(tmp_path / "in")
    raw = open_csv(folder / "actors.csv", label="actors.csv", known_columns=VALID["actors"][0])
    assert isinstance(raw.rows, types.GeneratorType)
    assert raw.header == VALID["actors"][0] and raw.header_row == 1
    first = next(raw.rows)
    assert first[0] == 2 and first[1][0] == "cfdt"
    raw.close()


def test_workbook_loads_like_the_csv_folder(tmp_path):
    csv_result = load(write_csvs(tmp_path / "in"))
    xlsx_result = load(write_workbook(tmp_path / "book.xlsx"))
    assert xlsx_result.format == "workbook"
    assert xlsx_result.report.ok and not xlsx_result.report.warnings
    assert xlsx_result.dataset.sorted() == csv_result.dataset.sorted()


def test_workbook_cells_of_excel_types(tmp_path):
    tables: dict = valid_tables()
    tables["partnerships"][1][6] = dt.datetime(2002, 1, 1)  # a date in a year column
    tables["partnerships"][1][7] = 2005.0  # a float year
    tables["funding"][1][3] = 125000.5  # a number, not text
    tables["actors"][1][0] = 12345  # a number as an id
    tables["memberships"][1][0] = 12345
    tables["actors"][2][9] = dt.date(2020, 5, 1)  # a date in a text column
    result = load(write_workbook(tmp_path / "book.xlsx", tables))
    assert result.report.ok, result.report.format_text()
    assert sorted(w.code for w in result.report.warnings) == ["date-as-year", "date-in-text"]
    net = next(p for p in result.dataset.partnerships if p.id == "net")
    assert (net.start_year, net.end_year) == (2002, 2005)
    assert result.dataset.funding[0].amount == 125000.5
    assert "12345" in {a.id for a in result.dataset.actors}
    assert {m.actor_id for m in result.dataset.memberships} >= {"12345"}


def test_workbook_formulas_use_their_computed_value_with_a_warning(tmp_path):
    tables: dict = valid_tables()
    tables["actors"][1][6] = '="nat"&"ional"'  # no cached value: openpyxl does not compute
    result = load(write_workbook(tmp_path / "book.xlsx", tables))
    (w,) = [w for w in result.report.warnings if w.code == "formulas"]
    assert w.table == "actors" and "formula" in w.message


def test_workbook_readme_sheet_is_ignored_and_unknown_sheets_warn(tmp_path):
    from openpyxl import load_workbook

    book = write_workbook(tmp_path / "book.xlsx")
    wb = load_workbook(book)
    wb.create_sheet("README").append(["notes"])
    wb.create_sheet("Feuil1").append(["x"])
    wb.save(book)
    result = load(book)
    assert result.report.ok
    warnings = [(w.code, w.message) for w in result.report.warnings]
    assert warnings == [("unknown-table", "unknown sheet 'Feuil1' is ignored")]


def test_sheet_names_are_matched_loosely(tmp_path):
    from openpyxl import load_workbook

    book = write_workbook(tmp_path / "book.xlsx")
    wb = load_workbook(book)
    wb["actors"].title = "Actors "
    wb.save(book)
    assert load(book).report.ok


def test_progress_bar_on_large_tables(tmp_path, capsys):
    tables = valid_tables()
    for i in range(6000):
        tables["actors"].append([f"gen-{i}", f"Generated organisation {i}", "", "ngo", "FR", "", "", "", "", ""])
    folder = write_csvs(tmp_path / "in", tables)
    result = load(folder, progress=True)
    assert result.report.ok and len(result.dataset.actors) == 6004
    err = capsys.readouterr().err
    assert "actors" in err and "rows" in err
    load(write_csvs(tmp_path / "small"), progress=True)
    assert "rows" not in capsys.readouterr().err  # small tables: no bar
