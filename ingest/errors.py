"""The ingest stage's own errors (subclasses of `graph.errors.PartnetError`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.errors import PartnetError

if TYPE_CHECKING:
    from ingest.report import Report

__all__ = ["FileProblem", "ValidationError"]


class ValidationError(PartnetError):
    """The input has errors: nothing was written. ``report`` lists every problem found.

    Raised by `ingest.pipeline.ingest` before the store is touched; the CLI prints the report
    and exits with code 1.
    """

    exit_code = 1

    def __init__(self, report: Report, *, path: str = "") -> None:
        n = len(report.errors)
        where = f" in {path}" if path else ""
        super().__init__(
            f"{n} error{'s' if n != 1 else ''}{where}; nothing was written",
            hint="fix the errors listed in the report and run the command again",
        )
        self.report = report


class FileProblem(Exception):
    """A whole file (or sheet) cannot be read; turned into one report error by the readers.

    Internal to the readers: never escapes `ingest.load`.
    """

    def __init__(self, code: str, message: str, hint: str, *, row: int | None = None, column: str = "",
                 value: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.row = row
        self.column = column
        self.value = value
