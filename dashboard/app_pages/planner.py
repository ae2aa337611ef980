"""Meeting planner: an invite list that puts every group in the room, and introductions that close gaps."""

from __future__ import annotations

import streamlit as st

from dashboard import state, tables

ctx = state.page()
facets = ctx.facets()
comm = ctx.communities()
actors = facets["actors"]
st.title("Meeting planner")

st.subheader("Invite list")
st.caption("The smallest list found greedily (each next invitee adds the most groups not yet in the room); "
           "ties go to the better connected actor.")
goal_names = {"community": "every community", "country": "every country", "family": "every family",
              "partnership": "every partnership"}
c1, c2 = st.columns([1, 2])
if not comm.membership.value:  # no community detection installed: communities cannot be a goal
    goal_names.pop("community")
goals = c1.multiselect("Put in the room", list(goal_names), default=[next(iter(goal_names))],
                       format_func=goal_names.get, key="plan_goals")
must = c2.multiselect("Must invite", list(actors), format_func=lambda a: actors[a], key="plan_must")
with st.expander("Limit the candidates"):
    s1, s2, s3 = st.columns(3)
    part = s1.selectbox("Members of a partnership", list(facets["partnerships"]), index=None,
                        format_func=lambda p: facets["partnerships"][p], key="plan_part")
    prog = s2.selectbox("Funded under a programme", facets["programmes"], index=None, key="plan_prog")
    country = s3.selectbox("Actors of a country", [c for c in facets["countries"] if c], index=None,
                           key="plan_country")
if not goals:
    st.info("Choose at least one kind of group to put in the room.")
else:
    kw = {"goals": tuple(goals), "must_invite": tuple(must), "partnership": part, "programme": prog,
          "country": country, "projection": ctx.projection}
    if "community" in goals and comm.membership.value:
        kw["communities"] = comm.membership
    plan = ctx.data("analysis.planner:plan_meeting", **kw)
    groups = plan.attrs.get("groups")
    missing = plan.attrs.get("uncoverable") or []
    st.caption(f"{len(plan):,} invitees cover {groups if groups is not None else 'all'} groups."
               + (f" Not coverable by anyone here: {', '.join(map(str, missing))}." if missing else ""))
    tables.table(plan)
    tables.downloads(plan, "invite-list", "plan_list")

st.subheader("Suggested introductions")
gap_names = {"union": "bring a union into a union-less partnership", "bridge": "bridge two communities",
             "cross_border": "give a country a cross-border tie"}
i1, i2, i3 = st.columns([2, 1, 1])
gaps = i1.multiselect("Gaps to close", list(gap_names), default=list(gap_names), format_func=gap_names.get,
                      key="plan_gaps")
method = i2.selectbox("Score", ["adamic_adar", "resource_allocation"], key="plan_method",
                      format_func=lambda m: m.replace("_", "–" if m == "adamic_adar" else " ").title())
top = i3.number_input("Per gap", 1, 100, 10, key="plan_top")
cross = st.checkbox("Cross-border union candidates", value=False, key="plan_cross_border",
                    help="By default a local, regional or national partnership is only offered unions from its own "
                         "country (the country of most of its members).")
if gaps:
    kw = {"gaps": tuple(gaps), "method": method, "top": int(top), "projection": ctx.projection,
          "cross_border": cross}
    if comm.membership.value:
        kw["communities"] = comm.membership
    intro = ctx.data("analysis.planner:suggest_introductions", **kw)
    st.caption(f"{len(intro):,} suggested pairs (scored by common neighbours: Adamic–Adar or resource allocation).")
    tables.table(intro)
    tables.downloads(intro, "introductions", "plan_intro")
