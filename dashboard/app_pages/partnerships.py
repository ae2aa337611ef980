"""Partnerships: members, countries, family gaps and funding per partnership; filter, sort, download."""

from __future__ import annotations

import streamlit as st

from dashboard import state, tables

ctx = state.page()
st.title("Partnerships")
df = ctx.data("analysis.views:partnership_overview")
st.caption(f"{len(df):,} partnerships. completeness = share of the five families (authorities, enterprises, "
           "trade unions, NGOs, the migrants themselves) among the members; hhi = funder concentration "
           "(1 = a single funder).")
shown = tables.filter_frame(df, "parts", {"kind": "Kind", "level": "Level", "has_union": "Has a union",
                                          "cross_border": "Cross-border"},
                            search=("name", "partnership_id", "countries"))
st.caption(f"{len(shown):,} shown")
tables.table(shown, column_config={"completeness": st.column_config.ProgressColumn(
    "completeness", min_value=0.0, max_value=1.0, format="percent")})
tables.downloads(shown, "partnerships", "parts")
