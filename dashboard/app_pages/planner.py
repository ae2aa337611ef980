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
st.caption("The list of at most the given number of seats that covers the most groups (or, without a seat cap, "
           "the fewest invitees covering every group), solved exactly as an integer programme; ties go to the "
           "better connected actors. The same function as `partnet plan`.")
goal_names = {"families": "every family", "countries": "every country", "communities": "every community",
              "partnerships": "every partnership"}
c1, c2, c3 = st.columns([2, 1, 2])
if not comm.membership.value:  # no community detection installed: communities cannot be a goal
    goal_names.pop("communities")
goals = c1.multiselect("Put in the room", list(goal_names), default=["families", "countries"],
                       format_func=goal_names.get, key="plan_goals")
capped = c2.checkbox("Seat cap", value=True, key="plan_capped")
seats = c2.number_input("Seats", 1, 500, 12, key="plan_seats", disabled=not capped)
must = c3.multiselect("Must invite", list(actors), format_func=lambda a: actors[a], key="plan_must")
with st.expander("Limit the candidates"):
    s1, s2, s3, s4 = st.columns(4)
    part = s1.selectbox("Members of a partnership", list(facets["partnerships"]), index=None,
                        format_func=lambda p: facets["partnerships"][p], key="plan_part")
    prog = s2.selectbox("Funded under a programme", facets["programmes"], index=None, key="plan_prog")
    country = s3.selectbox("Actors of a country", [c for c in facets["countries"] if c], index=None,
                           key="plan_country")
    exclude = s4.multiselect("Never invite", [a for a in actors if a not in must], format_func=lambda a: actors[a],
                             key="plan_exclude")
if not goals:
    st.info("Choose at least one kind of group to put in the room.")
else:
    kw = {"cover": tuple(goals), "seats": int(seats) if capped else None, "must": tuple(must),
          "exclude": tuple(exclude), "partnership": part, "programme": prog, "country": country,
          "projection": ctx.projection}
    if "communities" in goals and comm.membership.value:
        kw["communities"] = comm.membership
    plan = ctx.data("analysis.coverage:plan_invites", **kw)
    a = plan.attrs
    method = "exact (integer programme)" if a.get("method") == "exact" else f"greedy (time limit): {a.get('bound')}"
    missing = a.get("uncoverable") or []
    st.caption(f"Covers {a.get('covered')} of {a.get('groups')} groups with {len(plan):,} invitees — {method}."
               + (f" No allowed actor brings: {', '.join(map(str, missing))}." if missing else ""))
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
