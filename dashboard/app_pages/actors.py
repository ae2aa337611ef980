"""Actors: every actor with centralities, community, brokerage and gap flags; filter, sort, download."""

from __future__ import annotations

import streamlit as st

from dashboard import state, tables

ctx = state.page()
st.title("Actors")
metrics = ctx.metrics()
method = metrics.attrs.get("betweenness_method", "")
st.caption(f"{len(metrics):,} actors. Click a column header to sort. Betweenness: {method or 'n/a'}; "
           "distance to union = hops on the actor network to the nearest trade union (empty: none reachable).")
shown = tables.filter_frame(metrics, "actors", {"family": "Family", "country": "Country", "type": "Type"},
                            search=("name", "id", "city"))
st.caption(f"{len(shown):,} shown")
tables.table(shown)
tables.downloads(shown, "actors", "actors")
