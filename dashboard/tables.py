"""Rendering helpers shared by the pages: a filterable table with CSV and XLSX downloads."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import streamlit as st

__all__ = ["downloads", "filter_frame", "table"]


def _neutralised(df: pd.DataFrame) -> pd.DataFrame:
    from analysis.export import neutralise

    out = df.copy()
    for c in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[c]) or pd.api.types.is_bool_dtype(out[c])):
            out[c] = out[c].map(neutralise)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as UTF-8 CSV with spreadsheet formulas neutralised (`analysis.export.neutralise`)."""
    return _neutralised(df).to_csv(index=False).encode("utf-8")


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """``df`` as an XLSX workbook with formulas neutralised and illegal characters removed."""
    from analysis.export import xml_safe

    clean = _neutralised(df)
    for c in clean.columns:
        if clean[c].dtype == object or pd.api.types.is_string_dtype(clean[c]):
            clean[c] = clean[c].map(lambda v: xml_safe(v) if isinstance(v, str) else v)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        clean.to_excel(xw, sheet_name=sheet[:31], index=False)
    return buf.getvalue()


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons for ``df`` (files ``partnet-<name>.csv/.xlsx``), built on click."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button("Download CSV", lambda: csv_bytes(df), file_name=f"partnet-{name}.csv", mime="text/csv",
                       key=f"{key}_csv")
    c2.download_button("Download XLSX", lambda: xlsx_bytes(df, name), file_name=f"partnet-{name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


def filter_frame(df: pd.DataFrame, key: str, columns: dict[str, str],
                 search: tuple[str, ...] = ("name",)) -> pd.DataFrame:
    """Rows of ``df`` kept by a text search over ``search`` columns and one multiselect per ``columns`` entry.

    ``columns`` maps a column to its label; the choices are the column's distinct values.
    """
    cols = st.columns([2] + [1] * len(columns))
    text = cols[0].text_input("Search", key=f"{key}_q", placeholder="part of a name…")
    mask = pd.Series(True, index=df.index)
    if text:
        hit = pd.Series(False, index=df.index)
        for c in search:
            if c in df.columns:
                hit |= df[c].astype(str).str.contains(text, case=False, regex=False, na=False)
        mask &= hit
    for slot, (col, label) in zip(cols[1:], columns.items(), strict=True):
        if col not in df.columns:
            continue
        values = sorted({str(v) for v in df[col].dropna()})
        chosen = slot.multiselect(label, values, key=f"{key}_{col}")
        if chosen:
            mask &= df[col].astype(str).isin(chosen)
    return df[mask]


def table(df: pd.DataFrame, **kwargs: Any) -> None:
    """A sortable table (``st.dataframe``: click a header to sort); every cell shown as text, never HTML."""
    st.dataframe(df, hide_index=True, width="stretch", **kwargs)
