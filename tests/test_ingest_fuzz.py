"""Property: whatever bytes or values a reader is given, it answers with a report, never a traceback."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_support import VALID, write_csvs, write_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from ingest import load

_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"id,name,type\n",
             b"projectID;organisationID;name\n", b"actor_id\tpartnership_id\n"]


def _answers(result) -> None:
    assert result.report.ok or result.report.errors
    for p in result.report.problems:
        assert p.message and p.hint is not None and p.format()


@_SETTINGS
@given(prefix=st.sampled_from(_PREFIXES), data=st.binary(max_size=3000), table=st.sampled_from(list(VALID)))
def test_arbitrary_bytes_in_a_csv_file(prefix, data, table):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_csvs(Path(tmp) / "in")
        (folder / f"{table}.csv").write_bytes(prefix + data)
        _answers(load(folder))


@_SETTINGS
@given(prefix=st.sampled_from(_PREFIXES), data=st.binary(max_size=3000))
def test_arbitrary_bytes_as_a_workbook_or_cordis_file(prefix, data):
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xlsx"
        book.write_bytes(prefix + data)
        _answers(load(book))
        orgs = Path(tmp) / "organization.csv"
        orgs.write_bytes(prefix + data)
        _answers(load(orgs, format="cordis"))
        _answers(load(orgs))


_VALID_BOOK = io.BytesIO()


def _valid_book_bytes() -> bytes:
    if not _VALID_BOOK.getvalue():
        with tempfile.TemporaryDirectory() as tmp:
            _VALID_BOOK.write(write_workbook(Path(tmp) / "b.xlsx").read_bytes())
    return _VALID_BOOK.getvalue()


@_SETTINGS
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=20),
       st.one_of(st.none(), st.integers(1, 10**6)))
def test_corrupted_workbooks(flips, cut):
    data = bytearray(_valid_book_bytes())
    for pos, value in flips:
        data[pos % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xlsx"
        book.write_bytes(bytes(data))
        _answers(load(book))


@_SETTINGS
@given(st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["", "2005", "-1", "1,5", "FR", "ngo",
                                                                          "cfdt", "dp1", "x" * 300, "\x00"])),
                         min_size=0, max_size=12), max_size=8),
       st.sampled_from(list(VALID)), st.booleans())
def test_well_formed_tables_with_wrong_values(rows, table, as_workbook):
    tables = {k: [list(r) for r in v] for k, v in VALID.items()}
    tables[table] = [tables[table][0], *rows]
    with tempfile.TemporaryDirectory() as tmp:
        if as_workbook:
            try:
                path = write_workbook(Path(tmp) / "b.xlsx", tables)
            except IllegalCharacterError:  # openpyxl refuses control characters in cells: not a reader's case
                return
        else:
            path = write_csvs(Path(tmp) / "in", tables)
        _answers(load(path))


def test_zip_that_is_not_a_workbook(tmp_path):
    book = tmp_path / "book.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("actors.csv", "id,name\n")
    result = load(book)
    assert [p.code for p in result.report.errors] == ["not-excel"]
