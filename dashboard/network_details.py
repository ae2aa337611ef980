"""The network page's details panel of one actor, and its highlight in the Actors table.

Choosing an actor (the search box, or ``?actor=ID`` in the address) shows what the store records
about it (`analysis.views.actor_profile`), its partners on the actor network (the ties of the
projection, strongest first) and its metrics row of `dashboard.context.Ctx.metrics` (centralities,
community, distance to a union). The choice is kept in the session (`FOCUS`), so the Actors page
lists that actor first, marked.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import state

__all__ = ["FOCUS", "details", "highlighted", "partners"]

#: Session key of the actor chosen on the network page (read by the Actors page).
FOCUS = "net_focus_actor"


def partners(proj: Any, actor: str) -> pd.DataFrame:
    """The actor's partners on the actor network: ``id, name, country, family, weight, shared``, strongest first."""
    if actor not in proj:
        return pd.DataFrame(columns=["id", "name", "country", "family", "weight", "shared"])
    rows = [(v, proj.nodes[v].get("name") or v, proj.nodes[v].get("country") or "", proj.nodes[v].get("family") or "",
             d.get("weight", 1), d.get("shared", 0)) for v, d in proj[actor].items() if v != actor]
    out = pd.DataFrame(rows, columns=["id", "name", "country", "family", "weight", "shared"])
    return out.sort_values(["weight", "name"], ascending=[False, True], kind="stable", ignore_index=True)


def details(ctx: Any, actor: str, *, size_label: str = "", size: float | None = None) -> None:
    """Draw the details panel of ``actor`` (properties, metrics, partnerships, partners, links)."""
    st.session_state[FOCUS] = actor
    prof = ctx.profile(actor)
    name = ctx.projection.value.nodes[actor].get("name") if actor in ctx.projection.value else actor
    st.subheader("Actor")
    st.markdown(f"**{state.md(name or actor)}**")
    st.dataframe(prof["properties"], hide_index=True, width="stretch")
    if size is not None:
        st.caption(f"{size_label}: {size:.4g}")
    metrics = ctx.metrics()
    row = metrics[metrics["id"] == actor] if "id" in metrics.columns else metrics.iloc[0:0]
    if len(row):
        keep = [c for c in row.columns if c not in ("id", "name")]
        st.caption("Metrics (as on the Actors page, where this actor is now listed first)")
        st.dataframe(row[keep].T.reset_index().set_axis(["metric", "value"], axis=1).astype(str),
                     hide_index=True, width="stretch", key="net_details_metrics")
    st.caption(f"Partnerships ({len(prof['partnerships'])})")
    st.dataframe(prof["partnerships"][["name", "role", "kind"]], hide_index=True, width="stretch")
    mates = partners(ctx.projection.value, actor)
    st.caption(f"Partners ({len(mates):,}, strongest tie first)")
    st.dataframe(mates.head(200), hide_index=True, width="stretch")
    if len(prof["links"]):
        st.caption("Explicit links")
        st.dataframe(prof["links"][["other", "kind", "year"]], hide_index=True, width="stretch")


def highlighted(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the actor chosen on the network page first and marked (column ``chosen``), if any."""
    actor = st.session_state.get(FOCUS)
    if not actor or "id" not in df.columns or not (df["id"] == actor).any():
        return df
    mark = (df["id"] == actor).rename("chosen")
    out = pd.concat([mark.map({True: "◀ chosen on the Network page", False: ""}), df], axis=1)
    st.caption(f"Highlighted: {state.md(df.loc[mark, 'name'].iloc[0] if 'name' in df else actor)}, "
               "chosen on the Network page (listed first).")
    return pd.concat([out[mark.to_numpy()], out[~mark.to_numpy()]], ignore_index=True)
