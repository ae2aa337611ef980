"""One report of every problem found in an import: errors block the write, warnings do not.

Each `Problem` names the file, the row as a spreadsheet user sees it (the header is row 1,
the first record row 2), the column, the offending value, what is wrong and what to do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from typing import Literal

import pandas as pd

__all__ = ["ERROR", "WARNING", "Problem", "Report"]

ERROR: Literal["error"] = "error"
WARNING: Literal["warning"] = "warning"
_MAX_VALUE_SHOWN = 80


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in the input.

    ``row`` is 1-based as in a spreadsheet (header = row 1) or ``None`` for a whole-file
    problem; ``code`` is a stable short name of the kind of problem (``unknown-reference``,
    ``bad-amount``...), for programs and tests.
    """

    severity: Literal["error", "warning"]
    code: str
    message: str
    hint: str = ""
    file: str = ""
    table: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""

    @property
    def is_error(self) -> bool:
        """True for an error (blocks the write)."""
        return self.severity == ERROR

    def location(self) -> str:
        """``file:row`` (``book.xlsx[actors]:5`` for a sheet), as short as the known facts allow."""
        where = self.file or self.table or "input"
        if self.file and self.table and self.file.lower().endswith((".xlsx", ".xlsm")):
            where = f"{self.file}[{self.table}]"
        if self.row is not None:
            where += f":{self.row}"
        return where

    def format(self) -> str:
        """One readable line: ``file:row column "value": message -> what to do``."""
        parts = [self.location()]
        if self.column:
            parts.append(self.column)
        if self.value != "":
            parts.append(f'"{_shorten(self.value)}"')
        text = " ".join(parts) + f": {self.message}"
        if self.hint:
            text += f" -> {self.hint}"
        return text


class Report:
    """Every problem found while loading one input, in the order found.

    ``ok`` is true when there is no error (warnings allowed).
    """

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)

    # -- adding --------------------------------------------------------------------
    def add(self, problem: Problem) -> None:
        """Append one problem."""
        self.problems.append(problem)

    def error(self, code: str, message: str, hint: str = "", **where: object) -> None:
        """Record an error at ``where`` (file, table, row, column, value)."""
        self.problems.append(Problem("error", code, message, hint, **_where(where)))

    def warning(self, code: str, message: str, hint: str = "", **where: object) -> None:
        """Record a warning at ``where`` (file, table, row, column, value)."""
        self.problems.append(Problem("warning", code, message, hint, **_where(where)))

    def extend(self, other: Report | Iterable[Problem]) -> None:
        """Append every problem of another report."""
        self.problems.extend(other.problems if isinstance(other, Report) else other)

    # -- reading -------------------------------------------------------------------
    @property
    def errors(self) -> list[Problem]:
        """The problems that block the write."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that do not block the write."""
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not any(p.severity == ERROR for p in self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __bool__(self) -> bool:  # a report is an object, even when empty
        return True

    def codes(self) -> Counter[str]:
        """How many problems of each code."""
        return Counter(p.code for p in self.problems)

    def format_text(self, *, limit: int | None = None) -> str:
        """The report for a person: errors first, then warnings, one line each, by file and row.

        ``limit`` caps the lines shown per severity and kind of problem (the rest is counted
        as ``... and N more``); ``None`` shows everything.
        """
        if not self.problems:
            return "no problems found"
        out: list[str] = []
        for severity, title in ((ERROR, "errors"), (WARNING, "warnings")):
            chosen = sorted((p for p in self.problems if p.severity == severity),
                            key=lambda p: (p.file, p.table, p.row if p.row is not None else 0))
            if not chosen:
                continue
            out.append(f"{len(chosen)} {title if len(chosen) != 1 else title[:-1]}:")
            shown: Counter[str] = Counter()
            hidden: Counter[str] = Counter()
            for p in chosen:
                if limit is not None and shown[p.code] >= limit:
                    hidden[p.code] += 1
                    continue
                shown[p.code] += 1
                out.append(f"  {severity}: {p.format()}")
            for code, n in hidden.items():
                out.append(f"  ... and {n} more {severity}{'s' if n != 1 else ''} of kind {code}")
        return "\n".join(out)

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: severity, code, file, table, row, column, value, message, hint."""
        cols = ["severity", "code", "file", "table", "row", "column", "value", "message", "hint"]
        df = pd.DataFrame([asdict(p) for p in self.problems], columns=[f.name for f in fields(Problem)])
        df = df[cols]
        df["row"] = pd.array(df["row"].tolist(), dtype="Int64")
        return df

    def __repr__(self) -> str:
        return f"<Report {len(self.errors)} errors, {len(self.warnings)} warnings>"


def _shorten(value: str) -> str:
    value = value.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    value = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                    for c in value)
    return value if len(value) <= _MAX_VALUE_SHOWN else value[: _MAX_VALUE_SHOWN - 1] + "…"


def _where(where: dict[str, object]) -> dict[str, object]:
    out = dict(where)
    if "value" in out:
        v = out["value"]
        out["value"] = "" if v is None else str(v)
    for k in ("file", "table", "column"):
        if k in out and out[k] is None:
            out[k] = ""
    return out
