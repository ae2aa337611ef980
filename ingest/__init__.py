"""Read, validate and normalise import files into typed records; write them to a store.

The public API (other packages and the CLI use exactly these names):

- `load` (path -> `LoadResult` with ``.dataset`` and ``.report``), never raising for bad input;
- `ingest` (path, store -> `IngestResult`), raising `ValidationError` before touching the store
  when the input has errors;
- `Report` (``.problems``, ``.errors``, ``.warnings``, ``.ok``, ``.format_text()``, ``.to_frame()``);
- `write_import_files` (a `graph.model.Dataset` -> a folder of CSV files or an ``.xlsx``) and
  `write_template` (the blank template), both generated from `ingest.format.TABLES`.
"""

from __future__ import annotations

from ingest.errors import ValidationError
from ingest.pipeline import FORMATS, IngestResult, LoadResult, detect_format, ingest, load
from ingest.report import Problem, Report
from ingest.writer import write_import_files, write_template

__all__ = [
    "FORMATS",
    "IngestResult",
    "LoadResult",
    "Problem",
    "Report",
    "ValidationError",
    "detect_format",
    "ingest",
    "load",
    "write_import_files",
    "write_template",
]
