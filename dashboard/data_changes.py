"""The Data page's import preview (the diff against the store, written only on confirm) and its datasets list."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import tables, upload

__all__ = ["datasets_section", "preview_and_confirm"]

_CONFLICT_CHOICES = {"stop (write nothing)": None, "keep the stored records": "keep",
                     "update them with the new values": "update"}


def preview_and_confirm(ctx: Any, checked: upload.Checked) -> None:
    """Ask for the dataset and the replace choice, show what would change, and write only when confirmed."""
    from ingest.diff import plan_lines, summary_rows

    c = st.columns(3)
    dataset = c[0].text_input("Dataset", value=upload.default_dataset(checked), key="data_dataset",
                              help="Every record belongs to one dataset; importing into an existing one updates it.")
    replace = c[1].checkbox("Replace the dataset", key="data_replace",
                            help="The dataset will hold exactly this upload: its records that are not in the "
                            "upload are deleted (records another dataset refers to are kept).")
    choice = c[2].selectbox("Records another dataset holds differently", list(_CONFLICT_CHOICES),
                            key="data_on_conflict")
    on_conflict = _CONFLICT_CHOICES[choice]
    diff = upload.preview(checked, ctx.store, dataset=dataset, replace=replace, on_conflict=on_conflict)
    if diff.error:
        st.error(diff.error)
        if diff.hint:
            st.info(f"What to do: {diff.hint}")
        return
    plan = diff.plan
    st.markdown(f"**What this import would change in dataset `{plan.dataset}`** (nothing is written yet)")
    tables.table(pd.DataFrame(summary_rows(plan)))
    details = [line.strip() for line in plan_lines(plan)[len(plan.tables) + 1:]]
    if details:
        st.code("\n".join(details), language=None)
    if plan.conflicts and on_conflict is None:
        st.error(f"{len(plan.conflicts)} record(s) collide with another dataset: choose what to do with them "
                 "above, or give them other ids.")
        return
    if st.button(f"Confirm: write to {ctx.choice.describe()}", type="primary", key="data_ingest"):
        done = upload.ingest_into(checked, ctx.store, dataset=dataset, replace=replace, on_conflict=on_conflict)
        if done.error:
            st.error(done.error)
            if done.hint:
                st.info(f"What to do: {done.hint}")
        else:
            t = done.plan.totals()
            st.success(f"Written to dataset {done.plan.dataset}: {t['new']:,} new, {t['changed']:,} changed, "
                       f"{t['deleted']:,} deleted. Every page now shows the new data.")


def datasets_section(ctx: Any) -> None:
    """The datasets in the store with their records, last import and source documents."""
    store = ctx.store
    try:
        counts = store.dataset_counts()
        history = store.read_history()
        sources = store.read_sources()
    except NotImplementedError:
        return
    if not counts and not sources:
        return
    st.subheader("Datasets")
    rows = []
    for name, c in counts.items():
        last = next((e for e in reversed(history) if e["dataset"] == name and e["action"] != "remove"), None)
        rows.append({"dataset": name, **c, "last import": f"{last['action']} {last['at']}" if last else "",
                     "sources": ", ".join(s["id"] for s in sources if s["dataset"] == name)})
    tables.table(pd.DataFrame(rows))
    if sources:
        st.caption("Source documents")
        tables.table(pd.DataFrame(sources))
