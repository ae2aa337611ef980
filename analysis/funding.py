"""Funding flows: totals, concentration per partnership, single-funder dependence, co-funding network.

Funding is the ``(Actor)-[:FUNDS {programme, amount, currency}]->(Partnership|Actor)`` edge of
the property graph. Amounts are often unknown (the sources name the funder but not the
figure), so every total is given twice: as a sum of the known amounts and as a count of
funding ties, with the share of ties whose amount is known. Amounts are summed as recorded,
without currency conversion (the ``currencies`` column says which currencies were summed).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._tables import actors_frame, funding_frame, joined, memberships_frame, memoised, partnerships_frame
from graph.errors import PartnetError

__all__ = [
    "TOTAL_KEYS",
    "cofunding_network",
    "funding_concentration",
    "funding_table",
    "funding_totals",
    "single_funder_dependence",
]

#: What `funding_totals` can group by.
TOTAL_KEYS: tuple[str, ...] = ("funder", "programme", "country", "family")
UNKNOWN = "(unknown)"
UNSPECIFIED = "(unspecified)"


def funding_table(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Every funding tie, with the names of both ends.

    Returns
    -------
    pandas.DataFrame
        ``funder_id, funder, recipient_id, recipient, recipient_label`` (``Actor`` or
        ``Partnership``), ``programme, amount`` (NaN when unknown), ``currency, start_year,
        end_year``; sorted by recipient, funder, programme.
    """
    fund = funding_frame(g)
    names = _names(g)
    out = fund.copy()
    out.insert(1, "funder", out["funder_id"].map(names).fillna(out["funder_id"]).astype(str))
    out.insert(3, "recipient", out["recipient_id"].map(names).fillna(out["recipient_id"]).astype(str))
    return out


def funding_totals(g: nx.MultiDiGraph, by: str = "funder") -> pd.DataFrame:
    """Funding summed by funder, programme, recipient country or recipient family.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    by : {"funder", "programme", "country", "family"}
        The grouping.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``<by>`` (the group; plus ``name`` for funders), ``ties`` (funding
        ties), ``ties_with_amount``, ``amount_known_share`` (= ties_with_amount / ties),
        ``amount`` (sum of the known amounts, NaN when none is known), ``recipients``
        (distinct recipients) and ``currencies``. Sorted by amount (largest first, unknown
        last), then ties, then group.

    Notes
    -----
    Country and family are those of the recipient. A tie to an actor goes to the actor's
    country/family; a tie to a partnership is attributed in equal shares to the distinct
    countries (families) of its members — the usual equal-split convention when no breakdown
    is known — so ``amount`` adds up to the funded total, while a tie is counted once in
    ``ties`` for every group it reaches. Recipients without a country (European bodies) or
    partnerships without recorded members fall in ``"(unknown)"``; a tie without a programme
    in ``"(unspecified)"``.
    """
    if by not in TOTAL_KEYS:
        raise PartnetError(f"cannot total funding by {by!r}", hint=f"choose one of {', '.join(TOTAL_KEYS)}")
    fund = funding_frame(g)
    fund["weight"] = 1.0
    if by == "funder":
        fund["group"] = fund["funder_id"]
    elif by == "programme":
        fund["group"] = fund["programme"].replace("", UNSPECIFIED)
    else:
        groups = _recipient_groups(g, by)
        fund = fund.merge(groups, on="recipient_id", how="left")
        fund["group"] = fund["group"].fillna(UNKNOWN)
        fund["weight"] = fund["weight_g"].fillna(1.0)
    fund["share_amount"] = fund["amount"] * fund["weight"]
    fund["known"] = fund["amount"].notna()
    cols = [by, "ties", "ties_with_amount", "amount_known_share", "amount", "recipients", "currencies"]
    if fund.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64" if c in ("amount", "amount_known_share") else object)
                            for c in cols})
        if by == "funder":
            out.insert(1, "name", pd.Series(dtype=object))
        return out
    grouped = fund.groupby("group", sort=True)
    out = pd.DataFrame({
        "ties": grouped.size().astype(np.int64),
        "ties_with_amount": grouped["known"].sum().astype(np.int64),
        "amount": grouped["share_amount"].sum(min_count=1),
        "recipients": grouped["recipient_id"].nunique().astype(np.int64),
    })
    cur = fund.loc[fund["currency"] != "", ["group", "currency"]].drop_duplicates()
    cur = cur.sort_values(["group", "currency"], kind="stable")
    out["currencies"] = joined(cur["group"], cur["currency"]).reindex(out.index).fillna("").astype(object)
    out["amount_known_share"] = out["ties_with_amount"] / out["ties"]
    out = out.rename_axis(by).reset_index()
    if by == "funder":
        out.insert(1, "name", out["funder"].map(_names(g)).fillna(out["funder"]).astype(str))
        cols.insert(1, "name")
    out = out.sort_values(["amount", "ties", by], ascending=[False, False, True], na_position="last", kind="stable")
    return out[cols].reset_index(drop=True)


def funding_concentration(g: nx.MultiDiGraph, *, partnerships_only: bool = True) -> pd.DataFrame:
    """Herfindahl–Hirschman concentration of each funded partnership's funders.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    partnerships_only : bool, default True
        Only partnerships as recipients; ``False`` also covers funded actors.

    Returns
    -------
    pandas.DataFrame
        One row per funded recipient: ``recipient_id, name, funders`` (distinct funders),
        ``funding_ties, amount`` (known total, NaN when none), ``basis`` (``"amount"`` or
        ``"ties"``), ``hhi`` (in ``[1/funders, 1]``), ``top_funder`` (id), ``top_share`` and
        ``single_funder`` (one funder only). Sorted by hhi (highest first), then id.

    Notes
    -----
    ``HHI = Σ_f s_f²`` where ``s_f`` is funder ``f``'s share of the recipient's funding. The
    shares are taken on amounts when every tie into the recipient has a known, positive-total
    amount (``basis = "amount"``); otherwise on the number of funding ties per funder
    (``basis = "ties"``: a funder with two programmes counts twice), because summing only
    the known amounts would misstate the shares. HHI = 1 means one funder; 1/n means n funders
    with equal shares. Cost: one group-by over the funding ties. The top funder on a tie is
    the smallest id.

    References
    ----------
    .. [1] A. O. Hirschman, *National Power and the Structure of Foreign Trade*, University of
       California Press (1945).
    .. [2] O. C. Herfindahl, *Concentration in the Steel Industry*, PhD thesis, Columbia
       University (1950).
    .. [3] S. A. Rhoades, "The Herfindahl–Hirschman index", Federal Reserve Bulletin 79,
       188–189 (1993).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Funding, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("f", "F", "foundation"), Actor("e", "E", "eu_institution")],
    ...              partnerships=[Partnership("p", "P", "project")],
    ...              funding=[Funding("f", "p", "A", 75.0), Funding("e", "p", "B", 25.0)])
    >>> row = funding_concentration(dataset_to_graph(ds)).iloc[0]
    >>> row["basis"], round(float(row["hhi"]), 3), row["top_funder"]
    ('amount', 0.625, 'f')
    """
    fund = funding_frame(g)
    if partnerships_only:
        fund = fund[fund["recipient_label"] == "Partnership"]
    cols = ["recipient_id", "name", "funders", "funding_ties", "amount", "basis", "hhi", "top_funder",
            "top_share", "single_funder"]
    if fund.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    per = fund.groupby(["recipient_id", "funder_id"], sort=True).agg(
        ties=("amount", "size"), known=("amount", "count"), amount=("amount", "sum"))
    rec = per.groupby(level="recipient_id").agg(funders=("ties", "size"), funding_ties=("ties", "sum"),
                                                known=("known", "sum"), amount=("amount", "sum"))
    rec["basis"] = np.where((rec["known"] == rec["funding_ties"]) & (rec["amount"] > 0), "amount", "ties")
    basis = per.index.get_level_values("recipient_id").map(rec["basis"])
    value = np.where(basis == "amount", per["amount"].to_numpy(), per["ties"].to_numpy()).astype(float)
    per = per.assign(value=value)
    per["share"] = per["value"] / per.groupby(level="recipient_id")["value"].transform("sum")
    rec["hhi"] = (per["share"] ** 2).groupby(level="recipient_id").sum()
    top = per.reset_index().sort_values(["recipient_id", "share", "funder_id"], ascending=[True, False, True],
                                        kind="stable").drop_duplicates("recipient_id").set_index("recipient_id")
    rec["top_funder"] = top["funder_id"]
    rec["top_share"] = top["share"]
    rec["single_funder"] = rec["funders"] == 1
    rec["amount"] = rec["amount"].where(rec["known"] > 0)
    out = rec.reset_index()
    out.insert(1, "name", out["recipient_id"].map(_names(g)).fillna(out["recipient_id"]).astype(str))
    out["funders"] = out["funders"].astype(np.int64)
    out["funding_ties"] = out["funding_ties"].astype(np.int64)
    out = out.sort_values(["hhi", "recipient_id"], ascending=[False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def single_funder_dependence(g: nx.MultiDiGraph, *, threshold: float = 1.0) -> pd.DataFrame:
    """Funded partnerships that depend on one funder.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    threshold : float, default 1.0
        A partnership depends on its top funder when that funder's share (on amounts, or on
        tie counts — see `funding_concentration`) is at least ``threshold``. The default keeps
        partnerships with a single funder; 0.8 also keeps those where one funder gives 80 %.

    Returns
    -------
    pandas.DataFrame
        The rows of `funding_concentration` that pass, with ``top_funder_name`` added; sorted by
        top share (highest first), then id.
    """
    if not 0 < threshold <= 1:
        raise PartnetError(f"threshold {threshold} is not a share", hint="give a number in (0, 1], e.g. 0.8")
    conc = funding_concentration(g)
    out = conc[conc["top_share"] >= threshold - 1e-12].copy() if not conc.empty else conc.copy()
    out.insert(out.columns.get_loc("top_funder") + 1, "top_funder_name",
               out["top_funder"].map(_names(g)).fillna(out["top_funder"]).astype(object))
    out = out.sort_values(["top_share", "recipient_id"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def cofunding_network(g: nx.MultiDiGraph) -> nx.Graph:
    """The funder co-funding network: two funders are tied when they fund the same recipient.

    Returns
    -------
    networkx.Graph
        One node per funder with ``name, family, country, recipients`` (distinct recipients),
        ``ties`` and ``amount`` (known total, 0.0 when none); an edge between two funders with
        ``weight`` = ``shared`` = number of recipients (partnerships or actors) both fund.

    Notes
    -----
    The one-mode projection of the funder × recipient incidence matrix ``F``: the
    off-diagonal entries of ``F Fᵀ`` (a sparse product, cost proportional to the co-funded
    pairs).

    References
    ----------
    .. [1] R. L. Breiger, "The duality of persons and groups", Social Forces 53(2), 181–190 (1974).
    """
    fund = funding_frame(g)
    funders = sorted(fund["funder_id"].unique().tolist())
    recipients = sorted(fund["recipient_id"].unique().tolist())
    out = nx.Graph()
    if not funders:
        return out
    fi = {f: i for i, f in enumerate(funders)}
    ri = {r: j for j, r in enumerate(recipients)}
    pairs = fund.drop_duplicates(["funder_id", "recipient_id"])
    m = sp.csr_matrix((np.ones(len(pairs)), (pairs["funder_id"].map(fi).to_numpy(),
                                              pairs["recipient_id"].map(ri).to_numpy())),
                      shape=(len(funders), len(recipients)))
    co = sp.triu(m @ m.T, k=1).tocoo()
    stats = fund.groupby("funder_id").agg(recipients=("recipient_id", "nunique"), ties=("recipient_id", "size"),
                                          amount=("amount", "sum"))
    attrs = _node_attrs(g)
    for f in funders:
        a = attrs.get(f, {})
        out.add_node(f, name=a.get("name", f), family=a.get("family", ""), country=a.get("country", ""),
                     recipients=int(stats.at[f, "recipients"]), ties=int(stats.at[f, "ties"]),
                     amount=float(stats.at[f, "amount"]))
    order = np.lexsort((co.col, co.row))
    for i, j, w in zip(co.row[order].tolist(), co.col[order].tolist(), co.data[order].tolist(), strict=True):
        out.add_edge(funders[i], funders[j], weight=int(w), shared=int(w))
    return out


# ----------------------------------------------------------------------------------------------
def _names(g: nx.Graph) -> pd.Series:
    return memoised(("node names",), g,
                    lambda: pd.Series({n: (d.get("name") or n) for n, d in g.nodes(data=True)}, dtype=object))


def _node_attrs(g: nx.Graph) -> dict[str, dict]:
    return {n: {"name": d.get("name") or n, "family": d.get("family") or "", "country": d.get("country") or ""}
            for n, d in g.nodes(data=True)}


def _recipient_groups(g: nx.MultiDiGraph, by: str) -> pd.DataFrame:
    """recipient_id -> group (country/family) with the equal-split weight of each (recipient, group)."""
    return memoised(("recipient groups", by), g, lambda: _groups_of_recipients(g, by))


def _groups_of_recipients(g: nx.MultiDiGraph, by: str) -> pd.DataFrame:
    actors = actors_frame(g)
    key = "country" if by == "country" else "family"
    own = actors[["id", key]].rename(columns={"id": "recipient_id", key: "group"})
    mem = memberships_frame(g).merge(actors[["id", key]], left_on="actor_id", right_on="id")
    via = mem[["partnership_id", key]].rename(columns={"partnership_id": "recipient_id", key: "group"})
    via = via.drop_duplicates()
    parts = partnerships_frame(g)[["id"]].rename(columns={"id": "recipient_id"})
    both = pd.concat([own, via], ignore_index=True)
    both["group"] = both["group"].replace("", UNKNOWN)
    both = both.drop_duplicates()
    # partnerships with no member at all
    have = set(both["recipient_id"].tolist())  # a set lookup: Series.isin on Arrow strings is slow
    missing = parts[[x not in have for x in parts["recipient_id"].tolist()]].assign(group=UNKNOWN)
    both = pd.concat([both, missing], ignore_index=True)
    both["weight_g"] = 1.0 / both.groupby("recipient_id")["group"].transform("size")
    return both
