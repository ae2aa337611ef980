"""The public entry points of the ingest stage: `load` files into a validated dataset, `ingest` them into a store.

    >>> from ingest import load, ingest
    >>> result = load("data/seed")                  # doctest: +SKIP
    >>> result.report.ok, result.dataset.counts()   # doctest: +SKIP
    >>> ingest("data/seed", store)                  # doctest: +SKIP

Formats: ``csv`` (a folder of CSV files named after the tables, or one such file),
``workbook`` (an ``.xlsx`` with one sheet per table), ``cordis`` (the CORDIS
project-participant export, see `ingest.cordis`), or ``auto`` (the default: CORDIS when the
header says so, else by the path: a folder or ``.csv`` is ``csv``, ``.xlsx`` is ``workbook``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.model import Dataset
from graph.store import Store
from ingest.cordis import find_cordis_files, is_cordis_header, load_cordis
from ingest.errors import FileProblem, ValidationError
from ingest.format import RECORD_TABLES, TABLES, header_key, table
from ingest.hints import did_you_mean
from ingest.normalise import ParsedTable, normalise_table
from ingest.readers import RawTable, Workbook, open_csv, open_workbook
from ingest.report import Report
from ingest.update import default_dataset_name, plan_and_apply, store_state
from ingest.validate import KnownIds, build_dataset, validate
from ingest.writer import README_SHEET

__all__ = ["FORMATS", "IngestResult", "LoadResult", "detect_format", "ingest", "load"]

FORMATS: tuple[str, ...] = ("auto", "csv", "workbook", "cordis")
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ALL_COLUMNS = tuple({c for t in TABLES for c in t.column_names})


@dataclass
class LoadResult:
    """What `load` read: the valid records, the report of every problem, and what was read.

    ``dataset`` holds only records without errors; when ``report.ok`` is false it must not
    be written. ``sources`` lists the rows of the optional ``sources`` table (dicts).
    """

    dataset: Dataset
    report: Report
    format: str = ""
    path: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)


@dataclass
class IngestResult:
    """What `ingest` did: records written per table (nothing when ``dry_run``), store counts before and after."""

    report: Report
    dataset_counts: dict[str, int]
    written: dict[str, int]
    dry_run: bool
    format: str
    path: str
    counts_before: dict[str, int] = field(default_factory=dict)
    counts_after: dict[str, int] = field(default_factory=dict)
    #: the dataset the records went to, and the diff against the store (`graph.datasets.ImportPlan`)
    dataset: str = ""
    plan: Any = None
    files: list[dict[str, str]] = field(default_factory=list)


def load(path: str | Path, *, format: str = "auto", progress: bool = False,
         programme: str | None = None) -> LoadResult:
    """Read, normalise and validate import files; never raises for bad input.

    Parameters
    ----------
    path : a folder of CSV files, one CSV file, an ``.xlsx`` workbook, or a CORDIS export
        (organisations file or folder).
    format : ``auto``, ``csv``, ``workbook`` or ``cordis``.
    progress : show a progress bar on stderr for tables over a few thousand rows.
    programme : CORDIS only: the framework programme when the files do not say it.

    Returns
    -------
    LoadResult
        ``.dataset`` (records without errors) and ``.report`` (every problem found: file,
        row, column, value, message, what to do). References are checked against the files
        only; `ingest` also accepts ids already in the store.
    """
    return _load(Path(path), format=format, progress=progress, programme=programme, known=None)


def ingest(path: str | Path, store: Store | None, *, format: str = "auto", dry_run: bool = False,
           progress: bool = False, programme: str | None = None, dataset: str | None = None,
           replace: bool = False, on_conflict: str | None = None) -> IngestResult:
    """Load ``path`` into the dataset ``dataset`` of ``store`` in one transaction, or write nothing at all.

    ``dataset`` defaults to the file's name without extension or the folder's name. References may
    also name records already in the store. Raises `ingest.errors.ValidationError` (exit code 1,
    carrying the report) before touching the store when there is any error; warnings do not block.
    A record whose id belongs to another dataset with different content is a conflict: raises
    `graph.datasets.ConflictError` (nothing written) unless ``on_conflict`` is ``keep`` or
    ``update``. With ``replace`` the dataset then holds exactly the files' records (records that
    another dataset still refers to are kept). With ``dry_run`` nothing is written (``store`` may be
    ``None``); ``IngestResult.plan`` is the diff either way. Ingesting the same files again changes nothing.
    """
    state = store_state(store)
    result = _load(Path(path), format=format, progress=progress, programme=programme, known=state.known)
    if not result.report.ok:
        raise ValidationError(result.report, path=str(path))
    counts = result.dataset.counts()
    name = dataset or default_dataset_name(path)
    done = plan_and_apply(path, result.dataset, result.sources, store, state, dataset=name, replace=replace,
                          on_conflict=on_conflict, dry_run=dry_run or store is None)
    return IngestResult(result.report, counts, done.written, dry_run or store is None, result.format, str(path),
                        state.counts, done.counts_after, done.plan.dataset, done.plan, done.files)


# -- format detection ----------------------------------------------------------------
def _peek_header(path: Path) -> list[str] | None:
    try:
        if path.suffix.lower() in _XLSX_SUFFIXES:
            wb = open_workbook(path, label=path.name)
            try:
                raw = wb.sheet(wb.sheetnames[0]) if wb.sheetnames else None
                header = raw.header if raw else None
            finally:
                wb.close()
            return header
        raw = open_csv(path, label=path.name, known_columns=_ALL_COLUMNS)
        raw.close()
        return raw.header
    except (FileProblem, OSError, IndexError):
        return None


def detect_format(path: str | Path) -> str:
    """The format ``auto`` means for ``path``: ``cordis``, ``workbook`` or ``csv``."""
    p = Path(path)
    if p.is_dir():
        orgs, _ = find_cordis_files(p) if not _has_table_files(p) else (None, None)
        return "cordis" if orgs is not None else "csv"
    header = _peek_header(p)
    if header is not None and is_cordis_header(header):
        return "cordis"
    return "workbook" if p.suffix.lower() in _XLSX_SUFFIXES else "csv"


def _has_table_files(folder: Path) -> bool:
    names = {header_key(f.stem) for f in folder.iterdir() if f.suffix.lower() in _CSV_SUFFIXES}
    return any(t.name in names for t in TABLES)


# -- loading -------------------------------------------------------------------------
def _load(path: Path, *, format: str, progress: bool, programme: str | None, known: KnownIds | None) -> LoadResult:
    report = Report()
    label = str(path)
    if format not in FORMATS:
        report.error("bad-format", f"unknown format {format!r}", f"use one of: {', '.join(FORMATS)}", file=label)
        return LoadResult(Dataset(), report, format, label)
    if not path.exists():
        report.error("missing-file", "no such file or folder", "check the path", file=label)
        return LoadResult(Dataset(), report, format, label)
    st = _Reading(report, progress)
    try:
        if format == "auto":
            format = detect_format(path)
        if format == "cordis":
            st.tables = load_cordis(path, report, progress=progress, programme=programme)
            if not st.tables:
                st.unreadable = {"actors", "partnerships"}
        elif format == "workbook":
            if path.is_dir():
                report.error("bad-format", "a folder was given as a workbook",
                             "give the .xlsx file, or use --format csv", file=label)
            else:
                _load_workbook(path, st)
        else:
            _load_csv(path, st)
    except OSError as e:  # a folder that cannot be listed, a file that vanished or cannot be opened
        where = e.filename or label
        report.error("unreadable-file", f"cannot read {where}: {e.strerror or e}",
                     "check that the path exists and is readable", file=str(where))
        return LoadResult(Dataset(), report, format, label)
    tables, unreadable = st.tables, st.unreadable
    if tables or not report.errors:
        validate(tables, report, known=known, unreadable=unreadable)
    sources = _sources(tables.pop("sources", None))
    dataset = build_dataset(tables, report)
    rows = {name: len(t) for name, t in tables.items()}
    return LoadResult(dataset, report, format, label, sources, rows)


def _sources(t: ParsedTable | None) -> list[dict[str, Any]]:
    if t is None:
        return []
    cols = [c.name for c in table("sources").columns]
    out = []
    for i in range(len(t)):
        if i not in t.bad:
            out.append({c: t.column(c)[i] for c in cols})
    return out


class _Reading:
    """The state of one import being read: the report, the tables so far, what could not be read."""

    def __init__(self, report: Report, progress: bool) -> None:
        self.report = report
        self.progress = progress
        self.tables: dict[str, ParsedTable] = {}
        self.unreadable: set[str] = set()
        self.shared: dict[str, str] = {}  # one intern table for all the tables of the import

    def read(self, raw_factory: Any, spec_name: str, label: str) -> None:
        spec = table(spec_name)
        try:
            raw: RawTable = raw_factory()
        except FileProblem as e:
            self.report.error(e.code, e.message, e.hint, file=label, table=spec_name, row=e.row, column=e.column,
                              value=e.value)
            self.unreadable.add(spec_name)
            return
        self.tables[spec_name] = normalise_table(raw, spec, self.report, progress=self.progress, shared=self.shared)


def _load_csv(path: Path, st: _Reading) -> None:
    report = st.report
    if path.is_file():
        name = header_key(path.stem)
        if name not in {t.name for t in TABLES}:
            report.error("unknown-table", f"cannot tell which table {path.name} holds",
                         f"name the file after its table ({', '.join(t.name + '.csv' for t in TABLES)}) or give "
                         "the folder", file=str(path))
            return
        files = {name: path}
    else:
        files = {}
        for f in sorted(path.iterdir()):
            if not f.is_file() or f.name.startswith("."):
                continue
            if f.suffix.lower() not in _CSV_SUFFIXES:
                if f.suffix.lower() in _XLSX_SUFFIXES:
                    report.warning("ignored-file", "a workbook in a folder of CSV files is ignored",
                                   "give the workbook's path to read it", file=str(f))
                continue
            name = header_key(f.stem)
            if name not in {t.name for t in TABLES}:
                if f.suffix.lower() == ".csv":
                    guess = did_you_mean(f.stem, [t.name for t in TABLES])
                    report.warning("unknown-table", "unknown table; the file is ignored" +
                                   (f": did you mean {guess}?" if guess else ""),
                                   f"rename the file to {guess}.csv" if guess else
                                   f"the tables are: {', '.join(t.name for t in TABLES)}", file=str(f))
                continue
            if name in files:
                report.error("duplicate-table", f"two files hold table {name}: {files[name].name} and {f.name}",
                             "keep one of them", file=str(f))
                st.unreadable.add(name)
                continue
            files[name] = f
        for t in TABLES:
            if t.required and t.name not in files:
                report.error("missing-table", f"the required table {t.name} is missing",
                             f"add {t.name}.csv (see data/template/{t.name}.csv)", file=str(path / f"{t.name}.csv"),
                             table=t.name)
                st.unreadable.add(t.name)
    for t in TABLES:
        f = files.get(t.name)
        if f is None or t.name in st.tables:
            continue
        st.read(lambda f=f, t=t: open_csv(f, label=str(f), known_columns=t.column_names, table=t.name),
                t.name, str(f))


def _load_workbook(path: Path, st: _Reading) -> None:
    report = st.report
    label = str(path)
    try:
        wb: Workbook = open_workbook(path, label=label)
    except FileProblem as e:
        report.error(e.code, e.message, e.hint, file=label, row=e.row)
        st.unreadable.update(RECORD_TABLES)
        return
    try:
        sheets: dict[str, str] = {}
        names = {t.name for t in TABLES}
        for sheet in wb.sheetnames:
            key = header_key(sheet)
            if key in names:
                if key in sheets:
                    report.error("duplicate-table", f"two sheets hold table {key}: {sheets[key]!r} and {sheet!r}",
                                 "keep one of them", file=label, table=key)
                    continue
                sheets[key] = sheet
            elif sheet.strip().upper() != README_SHEET:
                guess = did_you_mean(sheet, names)
                report.warning("unknown-table", f"unknown sheet {sheet!r} is ignored" +
                               (f": did you mean {guess}?" if guess else ""),
                               f"rename the sheet to {guess}" if guess else
                               f"the sheets are: {', '.join(t.name for t in TABLES)}", file=label)
        for t in TABLES:
            if t.name not in sheets:
                if t.required:
                    report.error("missing-table", f"the required sheet {t.name!r} is missing",
                                 f"add a sheet named {t.name} (see data/template.xlsx)", file=label, table=t.name)
                    st.unreadable.add(t.name)
                continue
            st.read(lambda t=t: wb.sheet(sheets[t.name], table=t.name), t.name, label)
    finally:
        wb.close()
