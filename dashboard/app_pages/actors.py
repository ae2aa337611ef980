"""Actors: every actor with centralities and gap flags, brokers and isolated actors; filter, sort, download."""

from __future__ import annotations

import streamlit as st

from dashboard import state, tables
from dashboard.network_details import highlighted

ctx = state.page()
st.title("Actors")
VIEWS = {"all": "All actors", "brokers": "Brokers", "roles": "Brokerage roles", "isolated": "Isolation"}
view = st.segmented_control("Show", list(VIEWS), format_func=VIEWS.get, default="all", key="actors_view") or "all"
proj = ctx.projection

if view == "all":
    df = ctx.metrics()
    st.caption(f"{len(df):,} actors. Click a column header to sort. Betweenness: "
               f"{df.attrs.get('betweenness_method') or 'n/a'}; distance_to_union = hops on the actor network to "
               "the nearest trade union (empty: none reachable); cross_border_ties = contacts in another country.")
    filters = {"family": "Family", "country": "Country", "type": "Type"}
elif view == "brokers":
    st.caption("Articulation points: actors whose removal cuts others off from the rest of the network "
               "(n_dependents = how many depend on that one broker).")
    tables.table(ctx.data("analysis.brokers:articulation_points", on=proj))
    st.caption("Structural holes (Burt): low constraint and high effective size = an actor spanning otherwise "
               "unconnected contacts.")
    df = ctx.data("analysis.brokers:structural_holes", on=proj)
    filters = {"family": "Family", "country": "Country"}
elif view == "roles":
    attribute = st.radio("Groups", ["family", "country"], horizontal=True, key="actors_roles_attr")
    st.caption("Gould–Fernandez brokerage roles: how often each actor sits between two others who are not tied, "
               "by the groups of the three (coordinator inside one group, liaison between three, ...).")
    df = ctx.data("analysis.brokers:brokerage_roles", on=proj, attribute=attribute)
    filters = {"family": "Family", "country": "Country"}
else:
    st.caption("isolated = no membership in a partnership that has another member, no link and no funding tie in "
               "either direction (the Overview's key figure counts these rows); funder_outside_partnerships = funds "
               "others but is a member of no partnership (not isolated); no_partnership, single_member_only, "
               "peripheral (one contact), outside_main_component.")
    df = ctx.data("analysis.isolation:isolation_summary", projection=proj)
    filters = {"family": "Family", "country": "Country", "isolated": "Isolated",
               "funder_outside_partnerships": "Funder outside partnerships", "peripheral": "Peripheral"}

shown = tables.filter_frame(df, f"actors_{view}" if view != "all" else "actors", filters,
                            search=("name", "id", "city"))
st.caption(f"{len(shown):,} shown")
tables.table(highlighted(shown) if view == "all" else shown)
tables.downloads(shown, f"actors-{view}", f"actors_{view}_dl")
