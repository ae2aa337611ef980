"""Read import files as streams of raw rows: a folder of CSV files, one CSV file, or an Excel workbook.

Readers never load a whole file into memory: a CSV file is decoded and parsed row by row, a
workbook is opened with openpyxl's read-only (streaming) reader. Whole-file problems (empty,
binary, undecodable, unresolvable delimiter, not an Excel file...) are raised as
`ingest.errors.FileProblem` with a message and what to do; the pipeline turns them into
report errors.

CSV encodings: a UTF-8 or UTF-16 byte-order mark decides; otherwise the whole file is checked
as UTF-8 (streamed), then as Windows-1252 (which reads every printable Latin-1 character the
same way), reported as a warning; bytes that are neither are an error naming the line.
Delimiters: comma, semicolon or tab, chosen by parsing the first rows with each (see
`sniff_delimiter`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import FileProblem
from ingest.format import header_key
from ingest.hints import foreign_delimiter

__all__ = ["RawTable", "Workbook", "detect_encoding", "open_csv", "open_workbook", "sniff_delimiter"]

csv.field_size_limit(64 * 1024 * 1024)  # long cells are reported by the validators, not refused by csv

_SAMPLE = 64 * 1024
_CHUNK = 1024 * 1024
_MAGIC = (
    (b"PK\x03\x04", "a zip archive (an .xlsx workbook?)", "give the workbook's path with its .xlsx name, or save "
     "the sheet as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or password-protected workbook", "save it as CSV (or .xlsx) "
     "without a password"),
    (b"%PDF", "a PDF document", "export the table as CSV"),
    (b"\x89PNG", "a PNG image", "give a CSV file"),
    (b"\xff\xd8\xff", "a JPEG image", "give a CSV file"),
    (b"GIF8", "a GIF image", "give a CSV file"),
    (b"\x1f\x8b", "a gzip archive", "decompress it first"),
    (b"SQLite format 3", "an SQLite database", "give a CSV file"),
)
_TEXT_CONTROLS = set(b"\t\n\r\x0c")


@dataclass
class RawTable:
    """One table as it was read: header cells and a stream of ``(row number, cells)``.

    Row numbers are those a spreadsheet shows (the header is usually row 1). ``total`` is an
    estimate of the number of rows (for a progress bar) or ``None``; ``notes`` holds
    ``(code, message, hint)`` warnings raised while opening (e.g. the encoding used).
    """

    file: str
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, Sequence[Any]]]
    table: str = ""
    total: int | None = None
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    _close: Callable[[], None] | None = None

    def close(self) -> None:
        """Release the file handle."""
        if self._close is not None:
            self._close()
            self._close = None


# -- encoding ------------------------------------------------------------------------
def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return sample.count(0) > len(sample) // 100 or controls > len(sample) // 10


def _line_of(path: Path, offset: int) -> int:
    line = 1
    with path.open("rb") as f:
        remaining = offset
        while remaining > 0:
            chunk = f.read(min(_CHUNK, remaining))
            if not chunk:
                break
            line += chunk.count(b"\n")
            remaining -= len(chunk)
    return line


def _check_decodes(path: Path, encoding: str) -> tuple[int | None, int]:
    """Stream the file through a strict decoder: (offset of the first bad byte or None, newline count)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as e:
                return offset + max(e.start, 0), lines
            lines += chunk.count(b"\n")
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset, lines
    return None, lines


def detect_encoding(path: Path, label: str) -> tuple[str, int, list[tuple[str, str, str]]]:
    """Decide how to decode a CSV file: ``(encoding, line count, warnings)``.

    Raises `FileProblem` for an empty or binary file, or bytes that are neither UTF-8 nor
    Windows-1252.
    """
    size = path.stat().st_size
    with path.open("rb") as f:
        sample = f.read(_SAMPLE)
    if size == 0 or not sample.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise FileProblem("empty-file", "the file is empty",
                          "add a header row and at least one record, or delete the file")
    for magic, what, hint in _MAGIC:
        if sample.startswith(magic):
            raise FileProblem("binary-file", f"this is not a CSV file: it is {what}", hint)
    if sample.startswith(codecs.BOM_UTF8):
        bad, lines = _check_decodes(path, "utf-8-sig")
        if bad is None:
            return "utf-8-sig", lines, []
        line = _line_of(path, bad)
        raise FileProblem("bad-encoding", f"the file starts with a UTF-8 mark but line {line} is not UTF-8",
                          "save the file again as CSV UTF-8", row=line)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bad, lines = _check_decodes(path, "utf-16")
        if bad is None:
            return "utf-16", lines, []
        raise FileProblem("bad-encoding", "the file starts with a UTF-16 mark but is not valid UTF-16",
                          "save the file again as CSV UTF-8")
    if _looks_binary(sample):
        raise FileProblem("binary-file", "this is not a text (CSV) file: it holds binary data",
                          "give a CSV file saved from a spreadsheet (File > Save as > CSV UTF-8)")
    bad, lines = _check_decodes(path, "utf-8")
    if bad is None:
        return "utf-8", lines, []
    bad_cp, lines = _check_decodes(path, "cp1252")
    if bad_cp is None:
        line = _line_of(path, bad)
        return "cp1252", lines, [(
            "encoding-fallback",
            f"the file is not UTF-8 (line {line} first); it was read as Windows-1252 (cp1252/Latin-1)",
            "check that accented letters look right in the report; save as CSV UTF-8 to be sure",
        )]
    line = _line_of(path, bad_cp)
    raise FileProblem("bad-encoding", f"the bytes on line {line} are neither UTF-8 nor Windows-1252 (cp1252/Latin-1)",
                      "open the file in a spreadsheet or text editor and save it as CSV UTF-8", row=line)


# -- delimiter -----------------------------------------------------------------------
_DELIMITERS = (",", ";", "\t")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def sniff_delimiter(sample: str, known_columns: Iterable[str]) -> str:
    """Choose the delimiter among comma, semicolon and tab from the first rows of a file.

    Each candidate splits the sample; candidates that give a header of one field only drop
    out. Among the rest, the one whose header names the most known columns wins; on a tie,
    the one under which every row has as many fields as the header. A file of one column is
    read with commas. Raises `FileProblem` when the choice stays open.
    """
    known = set(known_columns)
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    text = "".join(lines[:200])
    scores: dict[str, tuple[int, int, bool]] = {}
    for d in _DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=d) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        n_known = sum(1 for h in rows[0] if header_key(h) in known)
        consistent = all(len(r) == width for r in rows[1:50])
        scores[d] = (n_known, width, consistent)
    if not scores or max(sc[0] for sc in scores.values()) == 0:
        seen = foreign_delimiter(text, known)
        if seen is not None:
            raise FileProblem(seen.code, seen.message, seen.hint, row=1)
    if not scores:
        return ","
    if len(scores) == 1:
        return next(iter(scores))
    best_known = max(s[0] for s in scores.values())
    tied = [d for d, s in scores.items() if s[0] == best_known]
    if len(tied) > 1:
        consistent = [d for d in tied if scores[d][2]]
        if len(consistent) == 1:
            return consistent[0]
        raise FileProblem(
            "ambiguous-delimiter",
            "cannot tell which delimiter separates the columns: "
            + " and ".join(f"{_NAMES[d]} ({scores[d][1]} columns)" for d in tied) + " both fit the first rows",
            "save the file as CSV with one delimiter (comma or semicolon) and header names from the template",
            row=1,
        )
    return tied[0]


# -- CSV -------------------------------------------------------------------------------
def open_csv(path: Path, *, label: str, known_columns: Iterable[str], table: str = "") -> RawTable:
    """Open one CSV file as a `RawTable` (header read, rows streamed). Raises `FileProblem`."""
    try:
        encoding, lines, notes = detect_encoding(path, label)
        with path.open(encoding=encoding, newline="") as f:
            sample = f.read(_SAMPLE)
        delimiter = sniff_delimiter(sample, known_columns)
        handle = path.open(encoding=encoding, newline="")
    except OSError as e:
        raise FileProblem("unreadable-file", f"cannot read the file: {e.strerror or e}",
                          "check that it exists and is readable") from None
    reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    rownum = 0
    header: list[str] | None = None
    try:
        for cells in reader:
            rownum += 1
            if any(c.strip() for c in cells):
                header = cells
                break
    except csv.Error as e:
        handle.close()
        raise FileProblem("bad-csv", f"the CSV cannot be parsed near row {rownum + 1}: {e}",
                          "save the file again as CSV from a spreadsheet", row=rownum + 1) from None
    if header is None:
        handle.close()
        raise FileProblem("empty-file", "the file holds no header row", "add the header row from the template")
    header_row = rownum

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        n = header_row
        try:
            for cells in reader:
                n += 1
                yield n, cells
        except csv.Error as e:
            raise FileProblem("bad-csv", f"the CSV cannot be parsed near row {n + 1}: {e}",
                              "save the file again as CSV from a spreadsheet", row=n + 1) from None
        except UnicodeDecodeError:  # checked beforehand; only if the file changed meanwhile
            raise FileProblem("bad-encoding", f"undecodable bytes near row {n + 1}",
                              "save the file as CSV UTF-8", row=n + 1) from None
        finally:
            handle.close()

    return RawTable(file=label, header=[str(h) for h in header], header_row=header_row, rows=rows(),
                    table=table, total=max(lines - header_row, 0), notes=notes, encoding=encoding,
                    delimiter=delimiter, _close=handle.close)


# -- Excel -----------------------------------------------------------------------------
_MAX_UNCOMPRESSED = 4 * 1024**3
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_MAX_RATIO = 200


class Workbook:
    """An ``.xlsx`` workbook opened for streaming (openpyxl read-only, cached values of formulas).

    XML is parsed by defusedxml (openpyxl uses it when installed), so entity-expansion bombs
    are refused; zip entries with an absurd compression ratio are refused before parsing.
    """

    def __init__(self, path: Path, *, label: str) -> None:
        self.path = path
        self.label = label
        _check_workbook_bytes(path)
        import openpyxl

        try:
            self._wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except FileProblem:
            raise
        except Exception as e:  # openpyxl raises many kinds for damaged files
            raise _workbook_problem(e) from None
        self.sheetnames: list[str] = list(self._wb.sheetnames)

    def sheet(self, name: str, *, table: str = "") -> RawTable:
        """Open sheet ``name`` as a `RawTable`."""
        ws = self._wb[name]
        try:
            total = ws.max_row
        except Exception:
            total = None
        it = ws.iter_rows(values_only=True)
        rownum = 0
        header: Sequence[Any] | None = None
        try:
            for cells in it:
                rownum += 1
                if any(c is not None and str(c).strip() for c in cells):
                    header = cells
                    break
        except Exception as e:
            raise _workbook_problem(e) from None
        if header is None:
            raise FileProblem("empty-sheet", "the sheet is empty", "add the header row from the template, or "
                              "delete the sheet")
        header_row = rownum

        def rows() -> Iterator[tuple[int, Sequence[Any]]]:
            n = header_row
            try:
                for cells in it:
                    n += 1
                    yield n, cells
            except FileProblem:
                raise
            except Exception as e:
                raise _workbook_problem(e, row=n + 1) from None

        notes = []
        if self._has_formulas(ws):
            notes.append(("formulas", "the sheet contains formulas: the values Excel last computed are used, and a "
                          "formula never computed (a file written by another program) reads as an empty cell",
                          "to be sure, replace the formulas by their values (Copy, then Paste special > Values)"))
        return RawTable(file=self.label, header=["" if h is None else str(h) for h in header],
                        header_row=header_row, rows=rows(), table=table, notes=notes,
                        total=(total - header_row) if isinstance(total, int) else None)

    def _has_formulas(self, ws: Any) -> bool:
        """Stream the sheet's XML once looking for a formula element (``<f>``)."""
        part = getattr(ws, "_worksheet_path", None)
        archive = getattr(self._wb, "_archive", None)
        if not part or archive is None:
            return False
        tail = b""
        try:
            with archive.open(part) as f:
                while chunk := f.read(_CHUNK):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
        except Exception:  # a damaged part is reported when its rows are read
            return False
        return False

    def close(self) -> None:
        """Close the underlying file."""
        wb = getattr(self, "_wb", None)
        if wb is not None:
            wb.close()
            self._wb = None


def open_workbook(path: Path, *, label: str) -> Workbook:
    """Open an ``.xlsx`` workbook for streaming. Raises `FileProblem` for anything that is not one."""
    return Workbook(path, label=label)


def _check_workbook_bytes(path: Path) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(_SAMPLE)
    except OSError as e:
        raise FileProblem("unreadable-file", f"cannot read the file: {e.strerror or e}",
                          "check that it exists and is readable") from None
    if size == 0:
        raise FileProblem("empty-file", "the file is empty", "give a workbook saved by Excel or LibreOffice (.xlsx)")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _is_encrypted_ole(path):
            raise FileProblem("encrypted-workbook", "the workbook is protected by a password",
                              "open it in Excel, remove the password (File > Info > Protect Workbook) and save again")
        raise FileProblem("old-excel", "this is an old Excel 97-2003 (.xls) file, not .xlsx",
                          "open it in Excel or LibreOffice and save it as .xlsx")
    if not head.startswith(b"PK"):
        what = "a text file (CSV?)" if not _looks_binary(head) else "not a workbook"
        raise FileProblem("not-excel", f"this is not an Excel workbook: it is {what}",
                          "save it as .xlsx from Excel or LibreOffice, or give it a .csv name if it is CSV")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise FileProblem("damaged-workbook", "the workbook is truncated or damaged (its zip structure is broken)",
                          "open it in Excel or LibreOffice and save it again, or download it again") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise FileProblem("not-excel", "this is a zip archive but not an Excel workbook",
                          "give an .xlsx file saved by Excel or LibreOffice")
    total = sum(i.file_size for i in infos)
    for i in infos:
        if i.file_size > 50 * 1024**2 and i.compress_size and i.file_size / i.compress_size > _MAX_RATIO:
            raise FileProblem("suspicious-workbook", f"part {i.filename} expands {i.file_size // i.compress_size}-fold "
                              "(a possible zip bomb); refused", "save the data as CSV instead")
    if total > _MAX_UNCOMPRESSED:
        raise FileProblem("suspicious-workbook", f"the workbook expands to {total / 1024**3:.1f} GB; refused",
                          "split it, or save the sheets as CSV")


def _is_encrypted_ole(path: Path) -> bool:
    needle = "EncryptionInfo".encode("utf-16-le")
    with path.open("rb") as f:
        data = f.read(4 * 1024 * 1024)
    return needle in data or b"EncryptedPackage" in data or "EncryptedPackage".encode("utf-16-le") in data


def _chain(e: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = e
    while cur is not None and cur not in out and len(out) < 10:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def _workbook_problem(e: Exception, *, row: int | None = None) -> FileProblem:
    name = type(e).__name__
    if any("defused" in type(x).__module__ or type(x).__name__ in ("EntitiesForbidden", "DTDForbidden",
                                                                   "ExternalReferenceForbidden")
           for x in _chain(e)):
        return FileProblem("unsafe-workbook", "the workbook contains XML entity or DTD declarations (a possible "
                           "'XML bomb'); refused", "open it in Excel or LibreOffice and save it again, or save the "
                           "sheets as CSV", row=row)
    if isinstance(e, zipfile.BadZipFile | EOFError) or "zlib" in str(type(e)) or "CRC" in str(e):
        return FileProblem("damaged-workbook", "the workbook is truncated or damaged",
                           "open it in Excel or LibreOffice and save it again", row=row)
    msg = str(e).splitlines()[0][:200] if str(e) else name
    return FileProblem("damaged-workbook", f"the workbook cannot be read ({name}: {msg})",
                       "open it in Excel or LibreOffice and save it again as .xlsx", row=row)
