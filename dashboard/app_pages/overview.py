"""Overview: key figures and charts — families, countries, funding, union gaps, cross-border, communities."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, state, tables
from dashboard.network_view import FAMILY_COLOURS

ctx = state.page()
st.title("partnet — overview")
st.caption("Organisations working on the labour-market integration of migrants, the partnerships they form and "
           "who funds them. The pages on the left go into each question.")
comm = ctx.communities()
kw = {"projection": ctx.projection}
if comm.membership.value:
    kw["communities"] = comm.membership
head = ctx.data("analysis.headline:headline", top=10, include_proposed=ctx.include_proposed, **kw)
fig = dict(zip(head["figures"]["figure"], head["figures"]["value"], strict=True))


def _n(key: str) -> str:
    v = fig.get(key)
    return "—" if v is None or v != v else f"{int(v):,}"


def _pct(key: str) -> str:
    v = fig.get(key)
    return "—" if v is None or v != v else f"{v:.0%}"


row1 = st.columns(5)
row1[0].metric("Actors", _n("actors"))
row1[1].metric("Partnerships", _n("partnerships"))
row1[2].metric("Countries", _n("countries"))
row1[3].metric("Trade unions", _n("trade unions"))
row1[4].metric("Funding ties", _n("funding ties"))
row2 = st.columns(5)
row2[0].metric("Partnerships without a union", _pct("share of partnerships without a trade union"),
               help=f"{_n('partnerships without a trade union')} of {_n('partnerships with members')} partnerships "
                    "with recorded members")
row2[1].metric("Cross-border partnerships", _pct("cross-border share"), help=f"{_n('cross-border partnerships')}")
row2[2].metric("Isolated actors", _n("isolated actors"),
               help="No membership in a partnership that has another member, no link and no funding tie in either "
                    f"direction. Not counted: {_n('funders outside partnerships')} funders outside partnerships "
                    "(they fund others but belong to no partnership).")
row2[3].metric("Funded by a single funder", _n("funded partnerships with a single funder"),
               help=f"of {_n('funded partnerships')} funded partnerships")
row2[4].metric("Communities", f"{len(comm.names):,}" if comm.names else "—")

left, right = st.columns(2)
with left:
    st.subheader("Actors by family")
    fam = head["families"].assign(family=lambda d: d["family"].str.replace("_", " "))
    st.plotly_chart(charts.bar(fam, "family", "actors", colour=FAMILY_COLOURS["ngos"], height=280),
                    config={"displayModeBar": False})
    st.subheader("Partnerships without a trade union, by kind")
    gap = head["union_gap"]
    st.plotly_chart(charts.bar(gap, "kind", "share", colour=FAMILY_COLOURS["trade_unions"], height=280,
                               horizontal=True), config={"displayModeBar": False})
    st.subheader("Funding by programme (ties)")
    prog = ctx.data("analysis.funding:funding_totals", by="programme").head(12)
    st.plotly_chart(charts.bar(prog, "programme", "ties", colour=FAMILY_COLOURS["authorities"], horizontal=True,
                               height=max(200, 26 * len(prog) + 60)), config={"displayModeBar": False})
with right:
    st.subheader("Actors by country")
    ctry = head["countries"].sort_values("actors", ascending=False).head(20)
    st.plotly_chart(charts.bar(ctry, "country", "actors", colour=FAMILY_COLOURS["enterprises"], height=280),
                    config={"displayModeBar": False})
    st.subheader("Largest communities")
    if comm.table is not None and comm.names:
        summary = ctx.data("analysis.communities:community_summary", on=ctx.projection,
                           communities=state.Named("communities-frame", comm.table))
        tables.table(summary.head(10))
    else:
        st.caption("Community detection is not available in this installation.")
    st.subheader("Most central actors")
    tables.table(head["central"][["name", "family", "country", "degree", "betweenness"]])
st.subheader("Largest partnerships without a trade union")
tables.table(head["no_union"][["name", "kind", "members", "missing", "completeness"]])
