"""Gaps: which families each partnership lacks, where no trade union is involved, rule violations."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import state, tables
from graph.model import FIVE_FAMILIES

ctx = state.page()
st.title("Gaps")
st.caption("The multi-partnership ideal brings five families together: authorities, enterprises, trade unions, "
           "NGOs and the migrants themselves (target public). Only direct members count.")
presence = ctx.data("analysis.gaps:family_presence")
no_union = ctx.data("analysis.gaps:partnerships_without_union")
with_members = int((presence["members"] > 0).sum())
c = st.columns(4)
c[0].metric("Partnerships without a union", f"{len(no_union):,}", help="among partnerships with recorded members")
c[1].metric("Share without a union", f"{len(no_union) / with_members:.0%}" if with_members else "—")
c[2].metric("Mean completeness", f"{presence.loc[presence['members'] > 0, 'completeness'].mean():.0%}"
            if with_members else "—")
c[3].metric("Complete (all five)", f"{int((presence['n_present'] == len(FIVE_FAMILIES)).sum()):,}")

tab_matrix, tab_union, tab_dist, tab_rules = st.tabs(
    ["Partnership × family", "No trade union", "Distance to a union", "Rule violations"])
with tab_matrix:
    kinds = sorted(presence["kind"].unique())
    pick = st.multiselect("Kind", kinds, key="gaps_kinds")
    m = presence[presence["members"] > 0]
    if pick:
        m = m[m["kind"].isin(pick)]
    m = m.sort_values(["completeness", "name"], ascending=[True, True]).head(150)
    st.caption(f"{len(m):,} partnerships (least complete first, at most 150); cell = members of the family")
    if len(m):
        fig = go.Figure(go.Heatmap(
            z=m[list(FIVE_FAMILIES)].to_numpy(), x=[f.replace("_", " ") for f in FIVE_FAMILIES],
            y=[state.plain(n[:60]) for n in m["name"].astype(str)], colorscale="Blues", hoverongaps=False,
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>"))
        fig.update_layout(height=max(300, 18 * len(m) + 80), margin=dict(l=10, r=10, t=10, b=10),
                          yaxis=dict(autorange="reversed"))
        st.plotly_chart(fig, config={"displayModeBar": False})
    tables.table(presence)
    tables.downloads(presence, "family-presence", "gaps_presence")
with tab_union:
    st.subheader("Partnerships with no trade union")
    tables.table(no_union)
    tables.downloads(no_union, "partnerships-without-union", "gaps_nounion")
    st.subheader("Funded partnerships with no trade union")
    funded = ctx.data("analysis.gaps:funded_without_union")
    tables.table(funded)
    st.subheader("Countries with actors but no trade union")
    tables.table(ctx.data("analysis.gaps:countries_without_union"))
    comm = ctx.communities()
    if comm.membership.value:
        st.subheader("Communities with no trade union")
        tables.table(ctx.data("analysis.gaps:communities_without_union", communities=comm.membership))
with tab_dist:
    dist = ctx.data("analysis.gaps:distance_to_union", projection=ctx.projection)
    counts = dist["distance"].astype("Float64").fillna(-1).astype(int).value_counts().sort_index()
    labels = ["unreachable" if k < 0 else str(k) for k in counts.index]
    fig = go.Figure(go.Bar(x=labels, y=counts.to_numpy(), marker_color="#e15759"))
    fig.update_layout(height=280, margin=dict(l=10, r=10, t=10, b=10), xaxis_title="hops to the nearest union",
                      yaxis_title="actors")
    st.plotly_chart(fig, config={"displayModeBar": False})
    shown = tables.filter_frame(dist, "gaps_dist", {"family": "Family", "country": "Country"})
    tables.table(shown)
    tables.downloads(shown, "distance-to-union", "gaps_dist_dl")
with tab_rules:
    rules = ctx.data("analysis.gaps:check_rules")
    st.caption(f"{len(rules):,} violations of the composition rules (analysis/rules.toml)")
    tables.table(rules)
    tables.downloads(rules, "rule-violations", "gaps_rules")
