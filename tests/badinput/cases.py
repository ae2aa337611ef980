"""The bad-input corpus: one table of cases, each building its input from a valid baseline.

Every case names the surface it goes through (``csv`` folder, ``xlsx`` workbook, ``cordis``
export, dashboard ``upload``), how to build the input, and the expected outcome:

- ``error``: exit 1, a report line holding every phrase of ``expect`` (file, row, column,
  value, what to do), no traceback, the store's content exactly as before;
- ``warning``: exit 0, the named warning (``expect`` phrases) in the output, the data written;
- ``ok``: exit 0, the data written (a legal input that must not be refused; ``expect`` phrases
  must appear in the output, e.g. the decided reading of an ambiguous amount).
"""

from __future__ import annotations

import csv
import io
import stat
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership

BASE = Dataset(
    actors=[
        Actor(id="cgt", name="Confédération générale du travail", type="trade_union", country="FR", city="Montreuil"),
        Actor(id="medef", name="MEDEF", type="employer_organisation", country="FR", city="Paris"),
        Actor(id="cimade", name="La Cimade", type="ngo", country="FR", city="Paris"),
        Actor(id="ec", name="European Commission", type="eu_institution", scope="european"),
    ],
    partnerships=[
        Partnership(id="net", name="Réseau", kind="thematic_network", start_year=2002, end_year=2005),
        Partnership(id="dp1", name="DP Un", kind="development_partnership", code="FR-1", parent_id="net",
                    start_year=2002),
    ],
    memberships=[Membership("cgt", "dp1", "lead"), Membership("medef", "dp1", "partner"),
                 Membership("cimade", "net", "member")],
    funding=[Funding("ec", "dp1", "ESF/EQUAL", 125000.0, "EUR", 2002, 2005)],
    links=[Link("cgt", "cimade", "cooperation", 2004)],
)

Rows = dict[str, list[list[str]]]  # table -> header + rows, as strings


@dataclass
class Case:
    """One bad (or suspicious) input and what partnet must answer."""

    id: str
    surface: str  # csv | xlsx | cordis | upload
    build: Callable[[Path], Path]
    outcome: str  # error | warning | ok
    expect: tuple[str, ...] = ()
    note: str = ""
    extra: dict = field(default_factory=dict)


# -- builders ----------------------------------------------------------------------------------


_BASE_LOCK = threading.Lock()
_BASE_ROWS: Rows = {}


def base_rows() -> Rows:
    """The baseline import files as rows of strings (header first); a fresh copy on each call.

    Written once per process by `ingest.write_import_files` (under a lock: cases are built from
    several threads at once).
    """
    from ingest import write_import_files

    with _BASE_LOCK:
        if not _BASE_ROWS:
            with tempfile.TemporaryDirectory(prefix="partnet-badinput-base-") as tmp:
                write_import_files(BASE, Path(tmp))
                for f in sorted(Path(tmp).glob("*.csv")):
                    with open(f, newline="", encoding="utf-8") as fh:
                        _BASE_ROWS[f.stem] = [list(r) for r in csv.reader(fh)]
    return {t: [list(r) for r in rows] for t, rows in _BASE_ROWS.items()}


def write_rows(folder: Path, rows: Rows, *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, data in rows.items():
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(data)
        (folder / f"{table}.csv").write_bytes(buf.getvalue().encode(encoding))
    return folder


def col(rows: Rows, table: str, name: str) -> int:
    return rows[table][0].index(name)


def csv_case(edit: Callable[[Rows], None] | None = None, *, raw: dict[str, bytes] | None = None,
             delimiter: str = ",") -> Callable[[Path], Path]:
    """A CSV folder: the baseline rows, changed by ``edit``, then files replaced by ``raw`` bytes."""

    def build(tmp: Path) -> Path:
        rows = base_rows()
        if edit:
            edit(rows)
        folder = write_rows(tmp / "import", rows, delimiter=delimiter)
        for name, data in (raw or {}).items():
            (folder / name).write_bytes(data)
        return folder

    return build


def set_cell(table: str, row: int, column: str, value: str) -> Callable[[Rows], None]:
    """Edit: put ``value`` in data row ``row`` (1 = first record) of ``column``."""

    def edit(rows: Rows) -> None:
        rows[table][row][col(rows, table, column)] = value

    return edit


def add_row(table: str, **values: str) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        header = rows[table][0]
        rows[table].append([values.get(h, "") for h in header])

    return edit


def chain(*edits: Callable[[Rows], None]) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        for e in edits:
            e(rows)

    return edit


def xlsx_case(edit: Callable | None = None) -> Callable[[Path], Path]:
    """The baseline as a workbook, changed by ``edit(workbook)`` (openpyxl, full mode)."""

    def build(tmp: Path) -> Path:
        import openpyxl

        from ingest import write_import_files

        path = tmp / "import.xlsx"
        write_import_files(BASE, path)
        if edit:
            wb = openpyxl.load_workbook(path)
            edit(wb)
            wb.save(path)
        return path

    return build


def xlsx_bytes(make: Callable[[bytes], bytes], name: str = "import.xlsx") -> Callable[[Path], Path]:
    """A file named ``name`` whose bytes are ``make(valid workbook bytes)``."""

    def build(tmp: Path) -> Path:
        from ingest import write_import_files

        good = tmp / "good.xlsx"
        write_import_files(BASE, good)
        data = make(good.read_bytes())
        good.unlink()
        path = tmp / name
        path.write_bytes(data)
        return path

    return build


def encrypt(data: bytes) -> bytes:
    """A real password-protected workbook (Agile encryption, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("s3cret", out)
    return out.getvalue()


def billion_laughs(data: bytes) -> bytes:
    """The workbook with an XML entity-expansion bomb in its shared strings / first sheet."""
    bomb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [\n'
            '<!ENTITY lol "lol">\n'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                      for i in range(1, 10))
            + ']>\n')
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode("utf-8")
                body = text[text.index("<worksheet"):]
                body = body.replace("</sheetData>", '<row r="99"><c r="A99" t="inlineStr"><is><t>&lol9;</t></is>'
                                    "</c></row></sheetData>", 1)
                content = (bomb + body).encode("utf-8")
            z.writestr(item, content)
    return out.getvalue()


CORDIS_HEADER = ["projectID", "projectAcronym", "organisationID", "name", "shortName", "activityType", "city",
                 "country", "role", "ecContribution", "netEcContribution", "totalCost"]
CORDIS_ROWS = [
    ["101001", "MIGRAWORK", "9001", "Université Libre de Bruxelles", "ULB", "HES", "Bruxelles", "BE", "coordinator",
     "250000", "250000", "300000"],
    ["101001", "MIGRAWORK", "9002", "Κέντρο Ερευνών", "KE", "REC", "Athina", "EL", "participant", "150000,50", "",
     "150000,50"],
    ["101001", "MIGRAWORK", "9003", "Acme Ltd", "", "PRC", "London", "UK", "thirdParty", "", "", ""],
]


def cordis_case(edit: Callable[[list[list[str]]], None] | None = None, *, delimiter: str = ";",
                raw: bytes | None = None) -> Callable[[Path], Path]:
    """A CORDIS organisations file (semicolon, as CORDIS publishes it), changed by ``edit``."""

    def build(tmp: Path) -> Path:
        rows = [list(CORDIS_HEADER)] + [list(r) for r in CORDIS_ROWS]
        if edit:
            edit(rows)
        path = tmp / "h2020_organization.csv"
        if raw is not None:
            path.write_bytes(raw)
        else:
            buf = io.StringIO()
            csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
            path.write_text(buf.getvalue(), encoding="utf-8")
        return path

    return build


def cordis_set(row: int, column: str, value: str) -> Callable[[list[list[str]]], None]:
    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    return edit


def zip_case(entries: Callable[[zipfile.ZipFile], None], name: str = "upload.zip") -> Callable[[Path], Path]:
    """An upload archive written by ``entries(zipfile)``."""

    def build(tmp: Path) -> Path:
        path = tmp / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            entries(z)
        return path

    return build


def _good_csv_entries(z: zipfile.ZipFile, prefix: str = "") -> None:
    for table, data in base_rows().items():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(data)
        z.writestr(prefix + f"{table}.csv", buf.getvalue())


def zip_with(name: str, data: bytes = b"x", *, symlink: bool = False) -> Callable[[zipfile.ZipFile], None]:
    def entries(z: zipfile.ZipFile) -> None:
        _good_csv_entries(z)
        info = zipfile.ZipInfo(name)
        if symlink:
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, data)

    return entries


def zip_many(n: int) -> Callable[[zipfile.ZipFile], None]:
    def entries(z: zipfile.ZipFile) -> None:
        _good_csv_entries(z)
        for i in range(n):
            z.writestr(f"extra/{i}.txt", "")

    return entries


def zip_bomb(z: zipfile.ZipFile) -> None:
    _good_csv_entries(z)
    z.writestr("padding.csv", b"0" * 20_000_000)  # deflates > 1000:1


def oversized_upload(tmp: Path) -> Path:
    from dashboard.limits import MAX_UPLOAD_MB

    path = tmp / "huge.xlsx"
    with open(path, "wb") as fh:
        fh.truncate(MAX_UPLOAD_MB * 1024**2 + 1)
    return path


# -- the table -----------------------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "Confédération générale du travail")
LONG = "A" * 100_000


def _dup_header(rows: Rows) -> None:
    rows["actors"][0][col(rows, "actors", "city")] = "name"


def _drop_column(table: str, name: str) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        i = col(rows, table, name)
        for r in rows[table]:
            del r[i]

    return edit


def _extra_column(rows: Rows) -> None:
    rows["actors"][0].append("favourite_colour")
    for r in rows["actors"][1:]:
        r.append("blue")


def _header_only(rows: Rows) -> None:
    del rows["links"][1:]


def _nbsp(rows: Rows) -> None:
    rows["actors"][3][col(rows, "actors", "name")] = "\u00a0 La Cimade \u00a0"
    rows["actors"][1][col(rows, "actors", "type")] = " trade_union\u00a0"


def _xl_formula(wb) -> None:
    ws = wb["actors"]
    ws["B2"] = '=HYPERLINK("https://evil.example","CGT")'


def _xl_date_year(wb) -> None:
    import datetime

    ws = wb["partnerships"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("start_year") + 1, value=datetime.datetime(2002, 3, 1))


def _xl_drop_sheet(wb) -> None:
    del wb["actors"]


def _xl_unknown_role(wb) -> None:
    ws = wb["memberships"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("role") + 1, value="sponsor")


def _xl_duplicate(wb) -> None:
    ws = wb["actors"]
    ws.append([c.value for c in ws[2]])


CASES: list[Case] = [
    # --- whole files --------------------------------------------------------------------------
    Case("empty-file", "csv", csv_case(raw={"actors.csv": b""}), "error", ("actors.csv", "empty")),
    Case("header-only", "csv", csv_case(_header_only), "warning", ("links.csv", "no records"),
         note="an optional table with a header and no rows is legal but suspicious"),
    Case("missing-required-column", "csv", csv_case(_drop_column("actors", "type")), "error", ("actors.csv", "type")),
    Case("unknown-extra-column", "csv", csv_case(_extra_column), "warning", ("favourite_colour",)),
    Case("duplicated-header", "csv", csv_case(_dup_header), "error", ("actors.csv", "name")),
    Case("unresolvable-delimiter", "csv", csv_case(raw={"actors.csv": b"org,label;kind\nx,A;ngo\ny,B;ngo\n"}),
         "error", ("actors.csv", "delimiter")),
    Case("pipe-delimited", "csv", csv_case(delimiter="|"), "error", ("actors.csv", "vertical bar"),
         note="one error per file naming the delimiter it saw, not one per missing column"),
    Case("neither-utf8-nor-cp1252", "csv",
         csv_case(raw={"actors.csv": "id,name,type\nx,Caf\u00e9,ngo\n".encode() + b"y,Bad \x81\x8d byte,ngo\n"}),
         "error", ("actors.csv", "3")),
    Case("binary-named-csv", "csv", csv_case(raw={"actors.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8}),
         "error", ("actors.csv", "PNG")),
    Case("random-bytes-named-csv", "csv", csv_case(raw={"actors.csv": bytes((i * 97 + 13) % 256 for i in range(4096))}),
         "error", ("actors.csv",)),
    Case("text-named-xlsx", "xlsx", xlsx_bytes(lambda _: b"id,name,type\ncgt,CGT,trade_union\n"), "error",
         ("import.xlsx",)),
    Case("truncated-xlsx", "xlsx", xlsx_bytes(lambda d: d[: len(d) // 2]), "error", ("import.xlsx",)),
    Case("password-protected-xlsx", "xlsx", xlsx_bytes(encrypt), "error", ("import.xlsx", "password")),
    Case("billion-laughs-xlsx", "xlsx", xlsx_bytes(billion_laughs), "error", ("import.xlsx",),
         note="XML entity expansion is refused (defusedxml), not expanded"),
    Case("workbook-missing-sheet", "xlsx", xlsx_case(_xl_drop_sheet), "error", ("import.xlsx", "actors")),
    Case("excel-formula-cell", "xlsx", xlsx_case(_xl_formula), "error", ("import.xlsx[actors]:2", "name"),
         note="a formula Excel never computed reads as empty (the name is then missing), with a warning about"
         " formulas"),
    Case("excel-date-in-year", "xlsx", xlsx_case(_xl_date_year), "warning",
         ("import.xlsx", "partnerships", "2", "start_year", "a date was given"),
         note="a date (an Excel date serial) typed into a year cell is read as its year"),
    Case("xlsx-unknown-role", "xlsx", xlsx_case(_xl_unknown_role), "error", ("import.xlsx", "memberships", "3",
                                                                              "role", "sponsor")),
    Case("xlsx-duplicate-id", "xlsx", xlsx_case(_xl_duplicate), "error", ("import.xlsx", "actors", "cgt")),
    # --- cells --------------------------------------------------------------------------------
    Case("leading-trailing-nbsp", "csv", csv_case(_nbsp), "ok", (), note="spaces and NBSP are trimmed"),
    Case("ids-differ-in-case", "csv", csv_case(add_row("actors", id="CGT", name="C.G.T.", type="trade_union",
                                                       country="FR")), "error", ("actors.csv", "CGT")),
    Case("ids-differ-in-accents", "csv", csv_case(add_row("actors", id="cimadé", name="Cimade bis", type="ngo",
                                                          country="FR")), "error", ("actors.csv", "cimadé")),
    Case("duplicate-id", "csv", csv_case(add_row("actors", id="medef", name="Medef again", type="employer",
                                                 country="FR")), "error", ("actors.csv", "6", "id", "medef")),
    Case("unknown-ref-membership-actor", "csv", csv_case(set_cell("memberships", 1, "actor_id", "ghost")), "error",
         ("memberships.csv", "2", "actor_id", "ghost")),
    Case("unknown-ref-membership-partnership", "csv", csv_case(set_cell("memberships", 2, "partnership_id", "nowhere")),
         "error", ("memberships.csv", "3", "partnership_id", "nowhere")),
    Case("unknown-ref-funder", "csv", csv_case(set_cell("funding", 1, "funder_id", "bank-of-nowhere")), "error",
         ("funding.csv", "2", "funder_id", "bank-of-nowhere")),
    Case("unknown-ref-recipient", "csv", csv_case(set_cell("funding", 1, "recipient_id", "void")), "error",
         ("funding.csv", "2", "recipient_id", "void")),
    Case("unknown-ref-link-source", "csv", csv_case(set_cell("links", 1, "source_id", "nobody")), "error",
         ("links.csv", "2", "source_id", "nobody")),
    Case("unknown-ref-link-target", "csv", csv_case(set_cell("links", 1, "target_id", "nobody2")), "error",
         ("links.csv", "2", "target_id", "nobody2")),
    Case("unknown-ref-parent", "csv", csv_case(set_cell("partnerships", 2, "parent_id", "no-parent")), "error",
         ("partnerships.csv", "3", "parent_id", "no-parent")),
    Case("self-link", "csv", csv_case(set_cell("links", 1, "target_id", "cgt")), "error",
         ("links.csv", "2", "cgt")),
    Case("parent-cycle", "csv", csv_case(set_cell("partnerships", 1, "parent_id", "dp1")), "error",
         ("partnerships.csv", "parent_id", "cycle")),
    Case("unknown-type", "csv", csv_case(set_cell("actors", 2, "type", "space_agency")), "error",
         ("actors.csv", "3", "type", "space_agency")),
    Case("unknown-kind", "csv", csv_case(set_cell("partnerships", 1, "kind", "alliance_of_doom")), "error",
         ("partnerships.csv", "2", "kind", "alliance_of_doom")),
    Case("unknown-role", "csv", csv_case(set_cell("memberships", 1, "role", "overlord")), "error",
         ("memberships.csv", "2", "role", "overlord")),
    Case("unknown-country", "csv", csv_case(set_cell("actors", 1, "country", "Atlantis")), "error",
         ("actors.csv", "2", "country", "Atlantis")),
    Case("amount-abc", "csv", csv_case(set_cell("funding", 1, "amount", "abc")), "error",
         ("funding.csv", "2", "amount", "abc")),
    Case("amount-negative", "csv", csv_case(set_cell("funding", 1, "amount", "-5")), "error",
         ("funding.csv", "2", "amount", "-5")),
    Case("amount-decimal-comma", "csv", csv_case(set_cell("funding", 1, "amount", "1.234,56")), "ok", (),
         extra={"amount": 1234.56}),
    Case("amount-thousands-comma", "csv", csv_case(set_cell("funding", 1, "amount", "1,234.56")), "ok", (),
         extra={"amount": 1234.56}),
    Case("year-with-letter-o", "csv", csv_case(set_cell("partnerships", 1, "start_year", "20O5")), "error",
         ("partnerships.csv", "2", "start_year", "20O5")),
    Case("year-3000", "csv", csv_case(set_cell("partnerships", 1, "end_year", "3000")), "error",
         ("partnerships.csv", "2", "end_year", "3000")),
    Case("end-before-start", "csv", csv_case(set_cell("partnerships", 1, "end_year", "1999")), "error",
         ("partnerships.csv", "2", "1999")),
    Case("name-100000-chars", "csv", csv_case(set_cell("actors", 2, "name", LONG)), "error",
         ("actors.csv", "3", "name")),
    Case("nul-character", "csv", csv_case(set_cell("actors", 2, "name", "MED\x00EF")), "warning",
         ("actors.csv", "3", "name", "control characters"), note="removed, with a warning"),
    Case("control-characters", "csv", csv_case(set_cell("actors", 2, "city", "Pa\x07ris\x1b[31m")), "warning",
         ("actors.csv", "3", "city", "control characters"), note="removed, with a warning"),
    Case("nfc-and-nfd-names", "csv", csv_case(add_row("actors", id="cgt-nfd", name=NFD, type="trade_union",
                                                      country="FR")), "warning",
         ("actors.csv", "6", "name", "same organisation"),
         note="the same name in NFD is normalised to NFC and reported as a likely duplicate"),
    # --- CORDIS -------------------------------------------------------------------------------
    Case("cordis-irregular-but-valid", "cordis", cordis_case(), "ok", (),
         note="semicolons, quotes, decimal comma, EL and UK, empty contributions"),
    Case("cordis-missing-column", "cordis", cordis_case(lambda rows: [r.pop(3) for r in rows]), "error",
         ("h2020_organization.csv", "name")),
    Case("cordis-bad-contribution", "cordis", cordis_case(cordis_set(1, "ecContribution", "lots")), "error",
         ("h2020_organization.csv", "2", "ecContribution", "lots")),
    Case("cordis-unknown-country", "cordis", cordis_case(cordis_set(2, "country", "ZZ")), "error",
         ("h2020_organization.csv", "3", "country", "ZZ")),
    Case("cordis-unknown-activity", "cordis", cordis_case(cordis_set(1, "activityType", "XYZ")), "error",
         ("h2020_organization.csv", "2", "activityType", "XYZ")),
    Case("cordis-header-only", "cordis", cordis_case(lambda rows: rows.__delitem__(slice(1, None))), "error",
         ("h2020_organization.csv",)),
    # --- dashboard upload -----------------------------------------------------------------------
    Case("upload-dotdot-path", "upload", zip_case(zip_with("../evil.csv")), "error", ("upload.zip", "..")),
    Case("upload-absolute-path", "upload", zip_case(zip_with("/tmp/evil.csv")), "error", ("upload.zip", "absolute")),
    Case("upload-symlink", "upload", zip_case(zip_with("link.csv", b"/etc/passwd", symlink=True)), "error",
         ("upload.zip", "link")),
    Case("upload-10000-entries", "upload", zip_case(zip_many(10_000)), "error", ("upload.zip", "10,0")),
    Case("upload-zip-bomb", "upload", zip_case(zip_bomb), "error", ("upload.zip", "padding.csv", "zip bomb")),
    Case("upload-over-size-limit", "upload", oversized_upload, "error", ("huge.xlsx", "limit")),
    Case("upload-bad-cell-in-workbook", "upload", xlsx_case(_xl_unknown_role), "error", ("sponsor",)),
    Case("upload-valid-zip", "upload", zip_case(_good_csv_entries), "ok", ()),
]
