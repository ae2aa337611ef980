"""Every validation error class, each with a real bad file: the report names file, row, column and value,
says what to do, and nothing is written (checked against both stores)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from ingest_support import snapshot, valid_tables, write_csvs, write_workbook

from ingest import ValidationError, ingest, load

Tables = dict[str, list[list[str]]]


def set_cell(t: Tables, table: str, row: int, column: str, value: str) -> None:
    """Set the cell at spreadsheet ``row`` (header = 1) of ``column``."""
    header = t[table][0]
    t[table][row - 1][header.index(column)] = value


def add_row(t: Tables, table: str, **values: str) -> None:
    header = t[table][0]
    t[table].append([values.get(c, "") for c in header])


def drop_column(t: Tables, table: str, column: str) -> None:
    i = t[table][0].index(column)
    for row in t[table]:
        del row[i]


def _m(fn: Callable[[Tables], None]) -> Callable[[Tables], None]:
    return fn


# (case id, change to the valid tables, expected code, file, row, column, value)
TABLE_CASES = [
    ("missing-column", _m(lambda t: drop_column(t, "actors", "type")), "missing-column", "actors.csv", 1, "type", ""),
    ("duplicate-header", _m(lambda t: t["actors"][0].__setitem__(2, "Name")), "duplicate-header", "actors.csv", 1,
     "name", "Name"),
    ("unknown-type", _m(lambda t: set_cell(t, "actors", 3, "type", "wizard")), "unknown-value", "actors.csv", 3,
     "type", "wizard"),
    ("unknown-kind", _m(lambda t: set_cell(t, "partnerships", 2, "kind", "club")), "unknown-value",
     "partnerships.csv", 2, "kind", "club"),
    ("unknown-role", _m(lambda t: set_cell(t, "memberships", 2, "role", "boss")), "unknown-value", "memberships.csv",
     2, "role", "boss"),
    ("unknown-scope", _m(lambda t: set_cell(t, "actors", 2, "scope", "galactic")), "unknown-value", "actors.csv", 2,
     "scope", "galactic"),
    ("unknown-link-kind", _m(lambda t: set_cell(t, "links", 2, "kind", "romance")), "unknown-value", "links.csv", 2,
     "kind", "romance"),
    ("unknown-country", _m(lambda t: set_cell(t, "actors", 2, "country", "Frnce")), "unknown-country", "actors.csv", 2,
     "country", "Frnce"),
    ("year-letter-o", _m(lambda t: set_cell(t, "partnerships", 3, "start_year", "20O5")), "bad-year",
     "partnerships.csv", 3, "start_year", "20O5"),
    ("year-3000", _m(lambda t: set_cell(t, "partnerships", 2, "end_year", "3000")), "year-out-of-range",
     "partnerships.csv", 2, "end_year", "3000"),
    ("end-before-start", _m(lambda t: set_cell(t, "partnerships", 3, "end_year", "1999")), "year-order",
     "partnerships.csv", 3, "end_year", "1999"),
    ("funding-end-before-start", _m(lambda t: set_cell(t, "funding", 2, "end_year", "2001")), "year-order",
     "funding.csv", 2, "end_year", "2001"),
    ("amount-abc", _m(lambda t: set_cell(t, "funding", 2, "amount", "abc")), "bad-amount", "funding.csv", 2, "amount",
     "abc"),
    ("amount-negative", _m(lambda t: set_cell(t, "funding", 2, "amount", "-5")), "negative-amount", "funding.csv", 2,
     "amount", "-5"),
    ("amount-ambiguous", _m(lambda t: set_cell(t, "funding", 2, "amount", "1,234")), "ambiguous-amount",
     "funding.csv", 2, "amount", "1,234"),
    ("unknown-currency", _m(lambda t: set_cell(t, "funding", 2, "currency", "XYZ")), "unknown-currency",
     "funding.csv", 2, "currency", "XYZ"),
    ("bad-website", _m(lambda t: set_cell(t, "actors", 2, "website", "javascript:alert(1)")), "bad-website",
     "actors.csv", 2, "website", "javascript:alert(1)"),
    ("duplicate-id", _m(lambda t: add_row(t, "actors", id="cfdt", name="Another", type="ngo")), "duplicate-id",
     "actors.csv", 6, "id", "cfdt"),
    ("duplicate-derived-id", _m(lambda t: add_row(t, "actors", name="Migrants Aid!", type="ngo")
                                or add_row(t, "actors", name="migrants aid", type="ngo")),
     "duplicate-id", "actors.csv", 7, "id", "migrants-aid"),
    ("id-case", _m(lambda t: add_row(t, "actors", id="CFDT", name="Other union", type="trade_union")),
     "id-case-variant", "actors.csv", 6, "id", "CFDT"),
    ("id-accent", _m(lambda t: add_row(t, "actors", id="ville-de-liège", name="Other city", type="commune")),
     "id-case-variant", "actors.csv", 6, "id", "ville-de-liège"),
    ("id-clash", _m(lambda t: add_row(t, "partnerships", id="ngo-a", name="A network", kind="project")), "id-clash",
     "partnerships.csv", 4, "id", "ngo-a"),
    ("ref-membership-actor", _m(lambda t: set_cell(t, "memberships", 3, "actor_id", "nobody")), "unknown-reference",
     "memberships.csv", 3, "actor_id", "nobody"),
    ("ref-membership-partnership", _m(lambda t: set_cell(t, "memberships", 2, "partnership_id", "dp9")),
     "unknown-reference", "memberships.csv", 2, "partnership_id", "dp9"),
    ("ref-funder", _m(lambda t: set_cell(t, "funding", 2, "funder_id", "esf")), "unknown-reference", "funding.csv", 2,
     "funder_id", "esf"),
    ("ref-recipient", _m(lambda t: set_cell(t, "funding", 2, "recipient_id", "dp2")), "unknown-reference",
     "funding.csv", 2, "recipient_id", "dp2"),
    ("ref-link-source", _m(lambda t: set_cell(t, "links", 2, "source_id", "city-of-sofia")), "unknown-reference",
     "links.csv", 2, "source_id", "city-of-sofia"),
    ("ref-link-target", _m(lambda t: set_cell(t, "links", 2, "target_id", "city-of-sofia")), "unknown-reference",
     "links.csv", 2, "target_id", "city-of-sofia"),
    ("ref-parent", _m(lambda t: set_cell(t, "partnerships", 3, "parent_id", "no-such-network")), "unknown-reference",
     "partnerships.csv", 3, "parent_id", "no-such-network"),
    ("ref-link-to-partnership", _m(lambda t: set_cell(t, "links", 2, "target_id", "dp1")), "unknown-reference",
     "links.csv", 2, "target_id", "dp1"),
    ("ambiguous-reference", _m(lambda t: add_row(t, "actors", id="ngo-b", name="Migrants Aid", type="ngo", country="FR")
                               or set_cell(t, "memberships", 3, "actor_id", "migrants aid")),
     "ambiguous-reference", "memberships.csv", 3, "actor_id", "migrants aid"),
    ("self-link", _m(lambda t: set_cell(t, "links", 2, "target_id", "ville-de-liege")), "self-link", "links.csv", 2,
     "target_id", "ville-de-liege"),
    ("self-funding", _m(lambda t: set_cell(t, "funding", 2, "recipient_id", "ec")), "self-link", "funding.csv", 2,
     "recipient_id", "ec"),
    ("parent-cycle", _m(lambda t: set_cell(t, "partnerships", 2, "parent_id", "dp1")), "parent-cycle",
     "partnerships.csv", 2, "parent_id", "dp1"),
    ("self-parent", _m(lambda t: set_cell(t, "partnerships", 2, "parent_id", "net")), "parent-cycle",
     "partnerships.csv", 2, "parent_id", "net"),
    ("required-name", _m(lambda t: set_cell(t, "actors", 3, "name", "  ")), "required", "actors.csv", 3, "name", ""),
    ("required-reference", _m(lambda t: set_cell(t, "memberships", 4, "actor_id", "")), "required", "memberships.csv",
     4, "actor_id", ""),
    ("huge-name", _m(lambda t: set_cell(t, "actors", 2, "name", "N" * 100_000)), "too-long", "actors.csv", 2, "name",
     "N" * 100_000),
    ("header-only", _m(lambda t: t.__setitem__("actors", t["actors"][:1])), "no-records", "actors.csv",
     1, "", ""),
]


@pytest.fixture
def populated(store, small_dataset):
    """A store already holding data, so that "unchanged" is meaningful."""
    store.write(small_dataset)
    return store


def _assert_reported(report, code, file, row, column, value):
    hits = [p for p in report.errors if p.code == code]
    assert hits, f"no {code} error in:\n{report.format_text()}"
    match = [p for p in hits if p.file.endswith(file) and p.row == row and p.column == column]
    assert match, f"{code} not at {file}:{row} {column}:\n{report.format_text()}"
    p = match[0]
    assert p.value == value
    assert p.hint, "every problem says what to do"
    line = p.format()
    assert f"{file}:{row}" in line if row is not None else file in line
    if column:
        assert column in line
    assert line in report.format_text()


@pytest.mark.parametrize("case", TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_bad_csv_is_reported_and_nothing_is_written(case, populated, tmp_path):
    _, change, code, file, row, column, value = case
    tables = valid_tables()
    change(tables)
    folder = write_csvs(tmp_path / "in", tables)
    before = snapshot(populated)
    with pytest.raises(ValidationError) as e:
        ingest(folder, populated)
    assert e.value.exit_code == 1
    _assert_reported(e.value.report, code, file, row, column, value)
    assert snapshot(populated) == before


@pytest.mark.parametrize("case", [c for c in TABLE_CASES if c[0] in {
    "unknown-type", "unknown-country", "amount-abc", "duplicate-id", "ref-membership-actor", "self-link",
    "parent-cycle", "year-letter-o", "missing-column", "duplicate-header"}], ids=lambda c: c[0])
def test_bad_workbook_cell_is_reported_with_sheet_row_and_column(case, populated, tmp_path):
    _, change, code, file, row, column, value = case
    tables = valid_tables()
    change(tables)
    book = write_workbook(tmp_path / "book.xlsx", tables)
    before = snapshot(populated)
    with pytest.raises(ValidationError) as e:
        ingest(book, populated)
    table = file.removesuffix(".csv")
    hits = [p for p in e.value.report.errors if p.code == code and p.table == table and p.row == row
            and p.column == column]
    assert hits, e.value.report.format_text()
    assert hits[0].file.endswith("book.xlsx")
    assert f"book.xlsx[{table}]:{row}" in hits[0].format()
    assert snapshot(populated) == before


def _file_case(name: str, content: bytes, code: str, file: str, message_part: str):
    return pytest.param(name, content, code, file, message_part, id=f"{code}-{name}")


_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
_ZIP = b"PK\x03\x04" + b"\x00" * 200
FILE_CASES = [
    _file_case("actors.csv", b"", "empty-file", "actors.csv", "empty"),
    _file_case("actors.csv", b"\n\n  \n", "empty-file", "actors.csv", "empty"),
    _file_case("partnerships.csv", _PNG, "binary-file", "partnerships.csv", "PNG"),
    _file_case("partnerships.csv", _ZIP, "binary-file", "partnerships.csv", "xlsx"),
    _file_case("actors.csv", bytes(range(1, 32)) * 50, "binary-file", "actors.csv", "binary"),
    _file_case("actors.csv", b"id,name,type\nx,Caf" + b"\x81\x8d\xff\xfe" + b",ngo\n", "bad-encoding",
               "actors.csv", "neither UTF-8 nor Windows-1252"),
    _file_case("actors.csv", b"name;type,country\nA;ngo,FR\nB;ngo,DE\n", "ambiguous-delimiter", "actors.csv",
               "delimiter"),
]


@pytest.mark.parametrize("name, content, code, file, message_part", FILE_CASES)
def test_bad_csv_file_is_reported_and_nothing_is_written(name, content, code, file, message_part, populated,
                                                        tmp_path):
    folder = write_csvs(tmp_path / "in")
    (folder / name).write_bytes(content)
    before = snapshot(populated)
    with pytest.raises(ValidationError) as e:
        ingest(folder, populated)
    hits = [p for p in e.value.report.errors if p.code == code and p.file.endswith(file)]
    assert hits, e.value.report.format_text()
    assert message_part in hits[0].message and hits[0].hint
    assert snapshot(populated) == before


def test_missing_required_table_is_an_error(populated, tmp_path):
    folder = write_csvs(tmp_path / "in")
    (folder / "memberships.csv").unlink()
    before = snapshot(populated)
    with pytest.raises(ValidationError) as e:
        ingest(folder, populated)
    assert [p.code for p in e.value.report.errors] == ["missing-table"]
    assert e.value.report.errors[0].file.endswith("memberships.csv")
    assert snapshot(populated) == before


def _xlsx_bytes(tmp_path: Path) -> bytes:
    return write_workbook(tmp_path / "ok.xlsx").read_bytes()


def _bomb(tmp_path: Path) -> bytes:
    """A workbook whose first sheet declares the "billion laughs" entities and uses them in a cell."""
    src = zipfile.ZipFile(write_workbook(tmp_path / "ok.xlsx"))
    out = tmp_path / "bomb.xlsx"
    entities = '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)) + "]>"
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                if text.startswith("<?xml"):
                    text = text.split("?>", 1)[1]
                laughs = '<c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c><c r="Z2" t="s">'
                text = text.replace('<c r="B2" t="s">', laughs, 1)
                body = ('<?xml version="1.0" encoding="UTF-8"?>' + entities + text).encode()
            dst.writestr(info.filename, body)
    return out.read_bytes()


WORKBOOK_CASES = [
    ("not-excel", lambda tmp: b"id,name,type\nx,Y,ngo\n", "text file"),
    ("damaged-workbook", lambda tmp: _xlsx_bytes(tmp)[: len(_xlsx_bytes(tmp)) // 2], "truncated"),
    ("encrypted-workbook", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
     + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 1000, "password"),
    ("old-excel", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "97-2003"),
    ("empty-file", lambda tmp: b"", "empty"),
    ("not-excel", lambda tmp: b"PK\x05\x06" + b"\x00" * 18, "not an Excel workbook"),
    ("unsafe-workbook", _bomb, "XML bomb"),
]


@pytest.mark.parametrize("code, make, message_part", WORKBOOK_CASES, ids=[c[0] for c in WORKBOOK_CASES])
def test_bad_workbook_is_reported_and_nothing_is_written(code, make, message_part, populated, tmp_path):
    book = tmp_path / "book.xlsx"
    book.write_bytes(make(tmp_path))
    before = snapshot(populated)
    with pytest.raises(ValidationError) as e:
        ingest(book, populated, format="workbook")
    errors = e.value.report.errors
    assert errors and errors[0].code == code, e.value.report.format_text()
    assert message_part in errors[0].message and errors[0].hint
    assert errors[0].file.endswith("book.xlsx")
    assert snapshot(populated) == before


def test_workbook_missing_a_required_sheet(populated, tmp_path):
    tables = valid_tables()
    del tables["partnerships"]
    book = write_workbook(tmp_path / "book.xlsx", tables)
    before = snapshot(populated)
    with pytest.raises(ValidationError) as e:
        ingest(book, populated)
    missing = [p for p in e.value.report.errors if p.code == "missing-table"]
    assert [p.table for p in missing] == ["partnerships"]
    assert "partnerships" in missing[0].message
    assert snapshot(populated) == before


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    tables = valid_tables()
    set_cell(tables, "actors", 2, "type", "wizard")
    set_cell(tables, "actors", 3, "country", "Atlantis")
    set_cell(tables, "partnerships", 2, "start_year", "20O5")
    set_cell(tables, "funding", 2, "amount", "abc")
    set_cell(tables, "links", 2, "target_id", "nobody")
    set_cell(tables, "memberships", 2, "role", "boss")
    result = load(write_csvs(tmp_path / "in", tables))
    assert {p.code for p in result.report.errors} >= {"unknown-value", "unknown-country", "bad-year", "bad-amount",
                                                      "unknown-reference"}
    assert len(result.report.errors) == 6
    assert not result.report.ok
    frame = result.report.to_frame()
    assert list(frame.columns) == ["severity", "code", "file", "table", "row", "column", "value", "message", "hint"]
    assert len(frame) == len(result.report.problems)


def test_did_you_mean_on_unknown_reference(tmp_path):
    tables = valid_tables()
    set_cell(tables, "memberships", 2, "actor_id", "cfd")
    result = load(write_csvs(tmp_path / "in", tables))
    (p,) = result.report.errors
    assert "did you mean 'cfdt'" in p.hint


def test_references_to_ids_already_in_the_store_are_accepted_when_ingesting(populated, tmp_path):
    folder = write_csvs(tmp_path / "in")
    with (folder / "memberships.csv").open("a", encoding="utf-8") as f:
        f.write("cfdt,ntn-fr,observer,DOC,9\n")  # ntn-fr is only in the store
    assert not load(folder).report.ok  # the files alone do not know ntn-fr
    result = ingest(folder, populated, dataset="default")  # the dataset of the records already stored
    assert result.report.ok
    assert ("cfdt", "ntn-fr") in {(m.actor_id, m.partnership_id) for m in populated.read_dataset().memberships}


def test_an_actor_id_that_is_a_partnership_in_the_store_is_refused(populated, tmp_path):
    tables = valid_tables()
    add_row(tables, "actors", id="ntn-fr", name="Clashing actor", type="ngo")
    folder = write_csvs(tmp_path / "in", tables)
    before = snapshot(populated)
    with pytest.raises(ValidationError) as e:
        ingest(folder, populated)
    assert [p.code for p in e.value.report.errors] == ["id-clash"]
    assert snapshot(populated) == before


def test_actors_and_links_without_partnerships_load_with_warnings(tmp_path):
    """A network of bilateral ties only (no partnerships yet) is legal: warnings, not errors."""
    from ingest import load, write_template

    folder = tmp_path / "ties"
    write_template(folder)
    (folder / "actors.csv").write_text(
        (folder / "actors.csv").read_text(encoding="utf-8")
        + "a,Alpha,,ngo,FR,,,,,\nb,Beta,,trade_union,BE,,,,,\n", encoding="utf-8")
    result = load(folder)
    assert result.report.ok, result.report.format_text()
    assert {(w.code, w.table) for w in result.report.warnings} >= {("no-records", "memberships")}
    assert len(result.dataset.actors) == 2 and not result.dataset.memberships
