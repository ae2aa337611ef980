"""Overview: key figures and charts — families, countries, funding, union gaps, cross-border, communities."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, state, tables
from dashboard.network_view import FAMILY_COLOURS

ctx = state.page()
st.title("partnet — overview")
st.caption("Organisations working on the labour-market integration of migrants, the partnerships they form and "
           "who funds them. Pages on the left go into each question.")
head = ctx.data("analysis.headline:headline", top=10)
figures = head["figures"]
cols = st.columns(min(len(figures), 6) or 1)
for i, row in enumerate(figures.itertuples(index=False)):
    cols[i % len(cols)].metric(str(row.figure), str(row.value), help=str(getattr(row, "note", "") or "") or None)

left, right = st.columns(2)
with left:
    st.subheader("Actors by family")
    fam = head["families"]
    st.plotly_chart(charts.bar(fam, fam.columns[0], "actors", colour=FAMILY_COLOURS["ngos"]),
                    config={"displayModeBar": False})
    st.subheader("Funding by programme")
    prog = head["programmes"]
    st.plotly_chart(charts.bar(prog, prog.columns[0], "ties", colour=FAMILY_COLOURS["authorities"],
                               horizontal=True), config={"displayModeBar": False})
with right:
    st.subheader("Actors by country")
    ctry = head["countries"]
    st.plotly_chart(charts.bar(ctry, ctry.columns[0], "actors", colour=FAMILY_COLOURS["enterprises"]),
                    config={"displayModeBar": False})
    st.subheader("Largest communities")
    tables.table(head["communities"])
