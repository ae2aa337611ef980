"""What every dashboard page starts with: `page` (the sidebar, the store's errors, the start page).

- `page` opens the store through `dashboard.context` (the data boundary: the store, the cached graph
  and cached analysis results, keyed by the store's data version), draws the sidebar (store,
  location — never a password —, data version, counts) and stops the page with a clear message
  when the store is unreachable, or with the start page when it is empty; it starts the warm-up of
  a data version nobody has warmed yet (`dashboard.warmup`).
- `md` and `plain` make user text safe for Markdown and chart labels; `template_bytes` is the
  import template offered for download.

The data-boundary names (`Ctx`, `Named`, `StoreChoice`, `open_ctx`, `store_choice`...) are
re-exported here for the pages.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard import warmup
from dashboard.context import (
    ROOT,
    Communities,
    Ctx,
    Named,
    StoreChoice,
    open_ctx,
    read_only_mode,
    store_choice,
)
from graph.errors import PartnetError

__all__ = ["ROOT", "Communities", "Ctx", "Named", "StoreChoice", "md", "open_ctx", "page", "plain",
           "read_only_mode", "store_choice", "template_bytes"]

TEMPLATE = ROOT / "data" / "template.xlsx"


def md(text: Any) -> str:
    """``text`` made safe for ``st.markdown``: every Markdown/HTML punctuation character backslash-escaped.

    ``st.markdown`` never renders raw HTML here (``unsafe_allow_html`` stays off); this keeps a name
    such as ``[x](javascript:...)`` or ``**x**`` from turning into a link or formatting.
    """
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|>~<$&:])", r"\\\1", str(text))


def plain(text: Any) -> str:
    """``text`` HTML-escaped for chart labels and hover texts (plotly reads a subset of HTML in them)."""
    return html.escape(str(text), quote=False)


@functools.cache
def template_bytes() -> bytes | None:
    """The import template workbook: ``data/template.xlsx``, or made by ``ingest.write_template`` when missing."""
    if TEMPLATE.exists():
        return TEMPLATE.read_bytes()
    import tempfile

    from ingest import write_template

    with tempfile.TemporaryDirectory(prefix="partnet-template-") as tmp:
        try:
            return Path(write_template(Path(tmp) / "template.xlsx")).read_bytes()
        except (OSError, PartnetError):
            return None


def _sidebar(choice: StoreChoice, version: str | None, counts: dict[str, int] | None) -> None:
    with st.sidebar:
        st.caption("Store")
        st.text(choice.describe())
        if choice.read_only:
            st.caption("Read-only mode: upload and ingest are disabled.")
        if version is not None:
            st.caption(f"Data version: {version.rsplit(':', 1)[-1]}")
        if counts:
            st.caption(" · ".join(f"{v:,} {k}" for k, v in counts.items() if v))


def _start_page(read_only: bool) -> None:
    st.title("Welcome to partnet")
    st.write("The store holds no data yet. Fill in the import template (one sheet per table: actors, "
             "partnerships, memberships, funding, links) and load it, or load the seed dataset with "
             "`partnet ingest data/seed`.")
    data = template_bytes()
    if data is not None:
        st.download_button("Download the import template (Excel)", data, file_name="partnet-template.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="start_template")
    else:
        st.caption("The import template is not available in this installation (data/template.xlsx).")
    if read_only:
        st.info("This dashboard is read-only: ask whoever runs it to load data with `partnet ingest`.")
    else:
        st.write("Or open the **Data** page (left) to upload a workbook or a CSV zip.")


def page(*, allow_empty: bool = False) -> Ctx:
    """Open the store, draw the sidebar and return the page's `Ctx`.

    Stops the page (``st.stop``) with a clear message, and no traceback, when the store cannot be
    reached; with the start page (template download) when it is empty, unless ``allow_empty``.
    Starts warming the caches of this data version (`dashboard.warmup.ensure`) when nobody has yet.
    """
    try:
        choice = store_choice()
    except PartnetError as e:
        st.error(f"Cannot choose the store: {e}")
        st.stop()
    try:
        ctx = open_ctx(choice)
    except PartnetError as e:
        _sidebar(choice, None, None)
        st.error(f"Cannot read {choice.describe()}.\n\n{e.message}")
        if e.hint:
            st.info(f"What to do: {e.hint}")
        st.stop()
    _sidebar(choice, ctx.version, ctx.counts)
    ctx.include_proposed = bool(st.sidebar.toggle(
        "Include proposed partnerships", key="include_proposed", value=False,
        help="Proposed partnerships (a pact put forward, a consortium that applied) are left out of network "
             "measures and gap shares by default, and listed apart on the Gaps page."))
    if ctx.empty and not allow_empty:
        _start_page(choice.read_only)
        st.stop()
    if not ctx.empty:
        warmup.ensure(ctx)
    return ctx
