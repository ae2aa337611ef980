"""Family composition of each partnership, and the partnerships without a trade union.

The "multi-partnership" recommended by the seed documents brings five families around the
table — public authorities, enterprises, trade unions, NGOs and the target public (migrants'
own organisations). This module holds, per partnership, the families present and missing and a
completeness score (`family_presence`), the partnerships without any trade union
(`partnerships_without_union`) and those of them that receive funding (`funded_without_union`).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from analysis._member_counts import _family_counts, _member_counts
from analysis._tables import actors_frame, funding_frame, joined, memberships_frame, memoised, partnerships_frame
from analysis.basis import DEFAULT_MIN_MEMBERS, basis_words, evidence_basis
from graph.errors import PartnetError
from graph.model import FAMILIES, FIVE_FAMILIES

__all__ = ["UNIONS", "family_presence", "funded_without_union", "partnership_gaps", "partnerships_without_union"]

UNIONS = "trade_unions"


# ----------------------------------------------------------------------------------------------
# Families per partnership
# ----------------------------------------------------------------------------------------------
def family_presence(g: nx.MultiDiGraph, families: Sequence[str] = FIVE_FAMILIES) -> pd.DataFrame:
    """Which of the five families are present in each partnership, and how complete it is.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    families : sequence of str, default ``graph.model.FIVE_FAMILIES``
        The families the completeness score counts.

    Returns
    -------
    pandas.DataFrame
        One row per partnership (sorted by id): ``partnership_id, name, kind, code, members``
        (number of member actors), one integer column per family (members of that family),
        ``present`` and ``missing`` (family names joined with ``", "``), ``n_present`` and
        ``completeness`` = ``n_present / len(families)`` (0 to 1).

    Notes
    -----
    Only direct MEMBER_OF ties count: the members of a development partnership are not added to
    the thematic network it is ``PART_OF``. A partnership with no recorded member has every
    family missing and ``members == 0``; the gap lists below leave such partnerships out
    (absence of data is not absence of unions). The completeness score is the share of the
    families of the multi-partnership model that are present (an unweighted presence count, as
    in diversity indices of organisational fields). Cost: one group-by over the memberships.

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("u", "U", "trade_union"), Actor("n", "N", "ngo")],
    ...              partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership("u", "p"), Membership("n", "p")])
    >>> row = family_presence(dataset_to_graph(ds)).iloc[0]
    >>> row["present"], float(row["completeness"])
    ('trade_unions, ngos', 0.4)
    """
    families = tuple(families)
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        raise PartnetError(f"unknown families {unknown}", hint=f"choose among {list(FAMILIES)}")
    return memoised(("family_presence", families), g, lambda: _family_presence(g, families))


def _family_presence(g: nx.MultiDiGraph, families: tuple[str, ...]) -> pd.DataFrame:
    parts = partnerships_frame(g)
    mem, actors = memberships_frame(g), actors_frame(g)
    counts = _family_counts(mem, actors, parts["id"], families)
    out = parts[["id", "name", "kind", "code"]].rename(columns={"id": "partnership_id"})
    out["members"] = _member_counts(mem, parts["id"]).to_numpy()
    for f in families:
        out[f] = counts[f].to_numpy()
    present = counts[list(families)].to_numpy() > 0
    names = np.asarray(families, dtype=object)
    out["present"] = [", ".join(names[row]) for row in present]
    out["missing"] = [", ".join(names[~row]) for row in present]
    out["n_present"] = present.sum(axis=1).astype(np.int64)
    out["completeness"] = out["n_present"] / len(families) if families else 0.0
    return out.reset_index(drop=True)


def partnership_gaps(g: nx.MultiDiGraph, *, include_proposed: bool = False,
                     min_members: int = DEFAULT_MIN_MEMBERS) -> pd.DataFrame:
    """Every partnership's family composition and whether the headline composition findings count it.

    Returns
    -------
    pandas.DataFrame
        `family_presence` of the whole graph with ``status``, ``recorded_members``,
        ``members_complete`` and ``in_basis`` (`analysis.basis.evidence_basis`; proposals outside
        unless ``include_proposed``). The rows with ``in_basis`` and ``trade_unions == 0`` are the
        partnerships the headline "partnerships without a trade union" counts. The export's
        ``partnership_gaps`` table.
    """
    out = family_presence(g)
    basis = evidence_basis(g, min_members=min_members, exclude_proposed=not include_proposed)
    for c in ("status", "recorded_members", "members_complete", "in_basis"):
        out[c] = basis[c].to_numpy()
    return out


def partnerships_without_union(g: nx.MultiDiGraph, *, min_members: int = DEFAULT_MIN_MEMBERS) -> pd.DataFrame:
    """Partnerships of the evidence basis with no trade union among their members.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    min_members : int, default 2
        The evidence basis (`analysis.basis.evidence_basis`): only partnerships with at least this
        many recorded members, or a member list declared complete, count. With one recorded
        member, "no union" is unknown rather than absent.

    Returns
    -------
    pandas.DataFrame
        ``partnership_id, name, kind, code, members, present, missing, completeness`` for each
        partnership in the basis whose members include no actor of family ``trade_unions``;
        sorted by number of members (largest first), then id. ``attrs["basis"]`` names the basis
        in words and ``attrs["in_basis"]`` counts the partnerships in it.

    Notes
    -----
    A direct reading of `family_presence`; see there for what counts as a member. Proposed
    partnerships are never in the basis (`analysis.status`).
    """
    fp = family_presence(g)
    basis = evidence_basis(g, min_members=min_members)["in_basis"].to_numpy()
    out = fp[(fp[UNIONS].to_numpy() == 0) & basis]
    cols = ["partnership_id", "name", "kind", "code", "members", "present", "missing", "completeness"]
    out = out.sort_values(["members", "partnership_id"], ascending=[False, True], kind="stable")[cols] \
        .reset_index(drop=True)
    out.attrs.update(basis=basis_words(min_members), in_basis=int(basis.sum()))
    return out


# ----------------------------------------------------------------------------------------------
# Funded partnerships without a union
# ----------------------------------------------------------------------------------------------
def funded_without_union(g: nx.MultiDiGraph, *, min_members: int = DEFAULT_MIN_MEMBERS) -> pd.DataFrame:
    """Partnerships that receive funding (a direct FUNDS edge) but have no trade union member.

    Returns
    -------
    pandas.DataFrame
        ``partnership_id, name, kind, members, funders`` (ids joined with ``", "``),
        ``programmes``, ``funding_ties`` and ``amount`` (sum of the known amounts, NaN when none
        is known; amounts are summed as given, without currency conversion); sorted by amount
        (largest first, unknown last), then id.

    Notes
    -----
    Funding of a parent partnership (``PART_OF``) is not inherited; partnerships outside the
    evidence basis (``min_members``) are left out, as in `partnerships_without_union`.
    """
    fund = funding_frame(g)
    fund = fund[fund["recipient_label"] == "Partnership"]
    nou = partnerships_without_union(g, min_members=min_members)
    cols = ["partnership_id", "name", "kind", "members", "funders", "programmes", "funding_ties", "amount"]
    if fund.empty or nou.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "amount" else object) for c in cols})
    fund = fund[fund["recipient_id"].isin(nou["partnership_id"])]
    grouped = fund.groupby("recipient_id")
    agg = pd.DataFrame({
        "funders": _joined_unique(fund, "recipient_id", "funder_id"),
        "programmes": _joined_unique(fund, "recipient_id", "programme"),
        "funding_ties": grouped.size(),
        "amount": grouped["amount"].sum(min_count=1),
    })
    agg[["funders", "programmes"]] = agg[["funders", "programmes"]].fillna("")
    out = nou.merge(agg, left_on="partnership_id", right_index=True, how="inner")[cols]
    return out.sort_values(["amount", "partnership_id"], ascending=[False, True], na_position="last",
                           kind="stable").reset_index(drop=True)


def _joined_unique(df: pd.DataFrame, key: str, col: str) -> pd.Series:
    """Per ``key``: the distinct non-empty values of ``col``, sorted, joined with ", "."""
    d = df.loc[df[col] != "", [key, col]].drop_duplicates().sort_values([key, col], kind="stable")
    return joined(d[key], d[col])
