"""The Data page's upload path: size check, safe unzip, validation with `ingest.load`, ingest into the store.

Nothing here writes to the store except `ingest_into`, which goes through `ingest.ingest` and so
through the store's own write path — a store opened read-only (``PARTNET_READ_ONLY``) refuses it
with `graph.errors.ReadOnlyError` whatever the page shows.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.limits import MAX_UPLOAD_MB
from graph.errors import PartnetError
from graph.store import Store

__all__ = ["Checked", "Ingested", "check", "ingest_into", "preview", "report_html"]

_TABLE_FILES = ("actors.csv", "partnerships.csv", "memberships.csv", "funding.csv", "links.csv")


@dataclass
class Checked:
    """An uploaded file after checking: where it was put, the validation report, or why it was refused."""

    name: str
    sha256: str
    path: Path | None = None
    report: Any = None
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    hint: str = ""


@dataclass
class Ingested:
    """What `ingest_into` wrote (records per table), or why it wrote nothing."""

    written: dict[str, int] = field(default_factory=dict)
    error: str = ""
    hint: str = ""
    plan: Any = None  # graph.datasets.ImportPlan: the diff (of the preview, or of what was written)


def _csv_folder(root: Path) -> Path | None:
    """The folder of an extracted zip that holds the import tables (the root or one folder below)."""
    for folder in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        if any((folder / f).is_file() for f in _TABLE_FILES):
            return folder
    return None


def _check(name: str, data: bytes, workdir: Path) -> Checked:
    from ingest import load
    from ingest.archive import extract_zip

    sha = hashlib.sha256(data).hexdigest()
    out = Checked(name=name, sha256=sha)
    if len(data) > MAX_UPLOAD_MB * 1024**2:
        out.error = (f"{name} is {len(data) / 1024**2:,.1f} MB, over the {MAX_UPLOAD_MB} MB upload limit; "
                     "nothing was read")
        out.hint = "split the data, or load it on the server with `partnet ingest PATH`"
        return out
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".zip":
            files = extract_zip(data, workdir / "csv", name=name)
            folder = _csv_folder(workdir / "csv")
            if folder is None:
                out.error = (f"{name} holds no import table ({', '.join(_TABLE_FILES)}); found: "
                             f"{', '.join(p.name for p in files[:10]) or 'nothing'}")
                out.hint = "zip the CSV files named as in the import template"
                return out
            out.path = folder
        elif suffix == ".xlsx":
            out.path = workdir / "upload.xlsx"
            out.path.write_bytes(data)
        else:
            out.error = f"{name}: only .xlsx workbooks and .zip archives of CSV files can be uploaded"
            out.hint = "save the data as an Excel workbook, or zip the CSV files"
            return out
        result = load(out.path)
    except PartnetError as e:
        out.error, out.hint = e.message, e.hint
        return out
    out.report = result.report
    out.counts = {k: v for k, v in result.dataset.counts().items() if v}
    return out


def check(name: str, data: bytes) -> Checked:
    """Check an upload once per content (kept in the session): size, safe unzip, `ingest.load` validation."""
    sha = hashlib.sha256(data).hexdigest()
    prev: Checked | None = st.session_state.get("_upload_checked")
    if prev is not None and prev.sha256 == sha and prev.name == name:
        return prev
    old_dir = st.session_state.pop("_upload_dir", None)
    if old_dir:
        shutil.rmtree(old_dir, ignore_errors=True)
    workdir = Path(tempfile.mkdtemp(prefix="partnet-upload-"))
    st.session_state["_upload_dir"] = str(workdir)
    checked = _check(name, data, workdir)
    st.session_state["_upload_checked"] = checked
    return checked


def default_dataset(checked: Checked) -> str:
    """The dataset name offered for an upload: the uploaded file's name without extension."""
    return Path(checked.name).stem or "upload"


def preview(checked: Checked, store: Store, *, dataset: str, replace: bool = False,
            on_conflict: str | None = None) -> Ingested:
    """The diff ingesting ``checked`` would make (`ingest.ingest` with ``dry_run``); nothing is written."""
    return ingest_into(checked, store, dataset=dataset, replace=replace, on_conflict=on_conflict, dry_run=True)


def ingest_into(checked: Checked, store: Store, *, dataset: str | None = None, replace: bool = False,
                on_conflict: str | None = None, dry_run: bool = False) -> Ingested:
    """Ingest a checked upload into ``store`` through `ingest.ingest` (one transaction, or nothing).

    A store opened read-only refuses with `graph.errors.ReadOnlyError`; validation errors (including
    references that are in neither the upload nor the store) and conflicts with another dataset come
    back as a message.
    """
    from ingest import ValidationError, ingest

    if checked.path is None:
        return Ingested(error=checked.error or "nothing to ingest")
    try:
        result = ingest(checked.path, store, dataset=dataset or default_dataset(checked), replace=replace,
                        on_conflict=on_conflict, dry_run=dry_run)
    except ValidationError as e:
        return Ingested(error=f"{e.message}: {e.report.format_text(limit=20)}", hint=e.hint)
    except PartnetError as e:
        return Ingested(error=e.message, hint=e.hint)
    return Ingested(written={k: v for k, v in result.written.items() if v}, plan=result.plan)


def report_html(ctx: Any) -> Callable[[], bytes]:
    """A callable giving the HTML brief of the whole store (`analysis.report.build_report`), built on click."""
    def make() -> bytes:
        from analysis.report import build_report

        return build_report(ctx.graph, communities=ctx.communities().membership.value or None).encode("utf-8")

    return make
