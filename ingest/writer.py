"""Write datasets and blank templates in the import format (a folder of CSV files or one workbook).

`write_import_files` is the inverse of `ingest.load`: loading what it wrote gives back the
same records. Spreadsheet formulas are neutralised: in a workbook every text is a text cell
(never a formula), in CSV a text starting with ``= + - @`` gets the ``'`` escape that the
readers remove again. Workbooks are written deterministically (fixed timestamps), so the
committed template can be compared with a freshly generated one.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from graph.model import Dataset
from ingest.format import AMOUNT_RULE, COLUMN_TYPES, TABLES, Table
from ingest.normalise import format_amount

__all__ = ["README_SHEET", "write_import_files", "write_template"]

#: The documentation sheet of the template workbook (the readers skip it).
README_SHEET = "README"
_FIXED_TIME = "2024-01-01T00:00:00Z"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _tables(sources: Sequence[dict[str, Any]] | None) -> list[Table]:
    return [t for t in TABLES if t.name != "sources" or sources is not None]


def _rows(ds: Dataset, t: Table, sources: Sequence[dict[str, Any]] | None) -> Iterable[list[Any]]:
    if t.name == "sources":
        for s in sources or ():
            yield [s.get(c, "") or "" for c in t.column_names]
        return
    cols = t.column_names
    for rec in getattr(ds, t.name):
        row = []
        for c in cols:
            v = getattr(rec, c)
            if isinstance(v, tuple):
                v = ";".join(v)
            row.append(v)
        yield row


def _csv_value(v: Any, column_type: str) -> str:
    if v is None:
        return ""
    if column_type == "flag":
        return "yes" if v else "no"
    if column_type == "amount":
        return format_amount(v)
    if column_type == "year":
        return str(int(v))
    s = str(v)
    if s and s.lstrip("'")[:1] in _FORMULA_START:
        s = "'" + s
    return s


def write_import_files(dataset: Dataset, out_path: str | Path, *,
                       sources: Sequence[dict[str, Any]] | None = None) -> Path:
    """Write ``dataset`` in the import format and return the path written.

    ``out_path`` ending in ``.xlsx`` gives one workbook with a sheet per table; anything
    else is a folder (created) with ``actors.csv``, ``partnerships.csv``, ``memberships.csv``,
    ``funding.csv`` and ``links.csv`` (plus ``sources.csv`` when ``sources`` is given, a list
    of dicts with the `sources` table's columns). Empty tables are written with their header.
    """
    out = Path(out_path)
    if out.suffix.lower() == ".xlsx":
        _write_workbook(out, [(t, _rows(dataset, t, sources)) for t in _tables(sources)], template=False)
        return out
    out.mkdir(parents=True, exist_ok=True)
    for t in _tables(sources):
        types = [c.type for c in t.columns]
        with (out / f"{t.name}.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(t.column_names)
            for row in _rows(dataset, t, sources):
                w.writerow([_csv_value(v, ty) for v, ty in zip(row, types, strict=True)])
    return out


def write_template(out_path: str | Path) -> Path:
    """Write the blank import template: a workbook (``.xlsx``) or a folder of header-only CSV files.

    The workbook has one sheet per table (bold, frozen header; a comment on each header
    with the column's meaning; drop-down lists for vocabulary columns that still accept
    synonyms) and a ``README`` sheet describing every column. Both are generated from
    `ingest.format.TABLES`.
    """
    out = Path(out_path)
    if out.suffix.lower() == ".xlsx":
        _write_workbook(out, [(t, ()) for t in TABLES], template=True)
        return out
    out.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        with (out / f"{t.name}.csv").open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(t.column_names)
    return out


def _write_workbook(out: Path, tables: list[tuple[Table, Iterable[list[Any]]]], *, template: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook(write_only=not template)
    if template:
        wb.remove(wb.active)
    bold = Font(bold=True)
    for t, rows in tables:
        ws = wb.create_sheet(t.name)
        if template:
            for j, c in enumerate(t.columns, start=1):
                cell = ws.cell(row=1, column=j, value=c.name)
                cell.font = bold
                req = "required" if c.required else "optional"
                cell.comment = Comment(f"{c.description} ({req}; {c.type_label()}). Example: {c.example}", "partnet",
                                       width=300, height=120)
                ws.column_dimensions[get_column_letter(j)].width = min(max(len(c.name), len(c.example)) + 4, 50)
                if c.type == "vocab" and len(",".join(c.vocabulary)) < 250:  # Excel's limit for a list
                    listing = ",".join(c.vocabulary)
                    dv = DataValidation(type="list", formula1=f'"{listing}"', allow_blank=True,
                                        showErrorMessage=False)
                    dv.add(f"{get_column_letter(j)}2:{get_column_letter(j)}10000")
                    ws.add_data_validation(dv)
            ws.freeze_panes = "A2"
            continue
        ws.append([_header_cell(ws, name, bold, WriteOnlyCell) for name in t.column_names])
        types = [c.type for c in t.columns]
        for row in rows:
            ws.append([_cell(ws, v, ty, WriteOnlyCell) for v, ty in zip(row, types, strict=True)])
    if template:
        _readme_sheet(wb.create_sheet(README_SHEET), bold)
    buf = io.BytesIO()
    wb.save(buf)
    _deterministic_zip(buf.getvalue(), out)


def _header_cell(ws: Any, name: str, bold: Any, cell_cls: Any) -> Any:
    c = cell_cls(ws, value=name)
    c.font = bold
    return c


def _cell(ws: Any, v: Any, column_type: str, cell_cls: Any) -> Any:
    if v is None or v == "":
        return None
    if column_type == "flag":
        return "yes" if v else "no"
    if column_type in ("amount", "year"):
        return v
    s = str(v)
    if s.startswith("'") and s.lstrip("'")[:1] in _FORMULA_START:
        s = "'" + s  # the readers remove one leading ' before a formula sign
    c = cell_cls(ws, value=s)
    c.data_type = "s"  # text, never a formula, whatever it starts with
    return c


def _readme_sheet(ws: Any, bold: Any) -> None:
    ws.append(["partnet import template: fill one sheet per table (one record per row, header in row 1)."])
    ws.append(["Tables marked required must be present; see the README of partnet for the full description."])
    ws.append([])
    ws.append(["table", "column", "required", "type", "meaning", "example"])
    for cell in ws[4]:
        cell.font = bold
    for t in TABLES:
        for c in t.columns:
            ws.append([t.name + ("" if t.required else " (optional table)"), c.name, "yes" if c.required else "no",
                       c.type_label().replace("`", ""), c.description.replace("`", ""), c.example])
    ws.append([])
    ws.append(["column types"])
    for name, meaning in COLUMN_TYPES.items():
        ws.append([name, meaning.replace("`", "")])
    ws.append([])
    ws.append(["amount rule", AMOUNT_RULE.replace("`", "")])
    for col, width in zip("ABCDEF", (24, 16, 10, 40, 70, 40), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"


_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _deterministic_zip(data: bytes, out: Path) -> None:
    """Rewrite the xlsx zip with fixed timestamps (entries and document properties)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_TIME.sub(rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    tmp.replace(out)
