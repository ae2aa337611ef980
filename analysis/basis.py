"""The evidence basis of composition findings: which partnerships' membership is known well enough.

A partnership recorded with one member may well include a trade union that the sources do not
name: for it, "no union" is unknown, not absent. Composition findings (no union, missing families,
completeness, rule violations) therefore count only the partnerships in the **basis**: those with
at least ``min_members`` recorded members (default 2), or whose member list is declared complete
(``members_complete`` true) whatever its size. The findings are computed on the analysed graph
(`analysis.status.analysed_graph`), so proposals are not there unless they are included; a table
of the whole graph (the export) marks them outside the basis with ``exclude_proposed``.
Every share states its basis in words (`basis_words`, `share_sentence`), and the partnerships
outside it are listed on their own (`outside_basis`).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from analysis._member_counts import _member_counts
from analysis._tables import memberships_frame, memoised, partnerships_frame
from analysis.status import PROPOSED, status_of
from graph.errors import PartnetError

__all__ = ["DEFAULT_MIN_MEMBERS", "basis_words", "evidence_basis", "outside_basis", "share_sentence"]

#: Recorded members a partnership needs to count in composition findings (unless declared complete).
DEFAULT_MIN_MEMBERS = 2

_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def evidence_basis(g: nx.MultiDiGraph, *, min_members: int = DEFAULT_MIN_MEMBERS,
                   exclude_proposed: bool = False) -> pd.DataFrame:
    """Per partnership: its status, recorded members, declared completeness and whether it is in the basis.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (or its `analysis.status.analysed_graph`).
    min_members : int, default 2
        Recorded members a partnership needs to be in the basis.
    exclude_proposed : bool, default False
        Mark the proposed partnerships of ``g`` outside the basis (for a table of the whole graph;
        the analysed graph holds proposals only when the user included them).

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``partnership_id, status`` (`analysis.status.STATUSES`), ``recorded_members``
        (distinct member actors), ``members_complete`` (nullable boolean: declared complete,
        declared incomplete, or not said), ``in_basis`` and ``outside_because`` ("" in the basis,
        else "proposed", "no recorded member" or "fewer than N recorded members").

    Notes
    -----
    ``in_basis = (recorded_members >= min_members or (members_complete and recorded_members >= 1))``,
    and not a proposal when ``exclude_proposed``. A member list declared complete counts whatever its size; an empty
    one never does (a partnership with no member has no composition to judge).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> g = dataset_to_graph(Dataset(actors=[Actor("a", "A", "ngo"), Actor("b", "B", "ngo")],
    ...                              partnerships=[Partnership("p", "P", "project"), Partnership("q", "Q", "project")],
    ...                              memberships=[Membership("a", "p"), Membership("b", "p"), Membership("a", "q")]))
    >>> evidence_basis(g)[["partnership_id", "recorded_members", "in_basis"]].values.tolist()
    [['p', 2, True], ['q', 1, False]]
    """
    if min_members < 0:
        raise PartnetError(f"min_members = {min_members}", hint="ask for at least one recorded member, e.g. 2")
    return memoised(("evidence_basis", min_members, exclude_proposed), g,
                    lambda: _basis(g, min_members, exclude_proposed))


def _basis(g: nx.MultiDiGraph, min_members: int, exclude_proposed: bool) -> pd.DataFrame:
    parts = partnerships_frame(g)
    ids = parts["id"]
    n = _member_counts(memberships_frame(g), ids).to_numpy()
    nodes = g._node
    status = np.array([status_of(nodes[p]) for p in ids.tolist()], dtype=object)
    complete = pd.array([_flag(nodes[p].get("members_complete")) for p in ids.tolist()], dtype="boolean")
    declared = complete.fillna(False).to_numpy(dtype=bool)
    proposed = (status == PROPOSED) & exclude_proposed
    known = (n >= min_members) | (declared & (n >= 1))
    why = np.where(proposed, PROPOSED, np.where(known, "", np.where(
        n == 0, "no recorded member", f"fewer than {min_members} recorded members")))
    return pd.DataFrame({"partnership_id": ids.to_numpy(), "status": status, "recorded_members": n.astype(np.int64),
                         "members_complete": complete, "in_basis": known & ~proposed, "outside_because": why})


def outside_basis(g: nx.MultiDiGraph, *, min_members: int = DEFAULT_MIN_MEMBERS) -> pd.DataFrame:
    """The partnerships whose membership is not known well enough to judge their composition.

    Returns
    -------
    pandas.DataFrame
        The rows of `evidence_basis` outside the basis, with ``name`` and ``kind``; most recorded
        members first, then id. Proposals left out of the analysis are listed by
        `analysis.status.proposed_partnerships` instead.
    """
    b = evidence_basis(g, min_members=min_members)
    b = b[~b["in_basis"]]
    parts = partnerships_frame(g).set_index("id")
    b = b.assign(name=b["partnership_id"].map(parts["name"]), kind=b["partnership_id"].map(parts["kind"]))
    cols = ["partnership_id", "name", "kind", "recorded_members", "members_complete", "outside_because"]
    return b.sort_values(["recorded_members", "partnership_id"], ascending=[False, True], kind="stable")[cols] \
        .reset_index(drop=True)


def basis_words(min_members: int = DEFAULT_MIN_MEMBERS) -> str:
    """The basis in words, e.g. "partnerships with at least two recorded members (or a complete member list)".

    >>> basis_words(1)
    'partnerships with at least one recorded member'
    """
    if min_members <= 0:
        return "partnerships, with or without recorded members"
    if min_members == 1:
        return "partnerships with at least one recorded member"
    n = _WORDS.get(min_members, str(min_members))
    return f"partnerships with at least {n} recorded members (or a member list declared complete)"


def share_sentence(n: int, m: int, finding: str, min_members: int = DEFAULT_MIN_MEMBERS) -> str:
    """"N of M <basis> <finding> (S %)", the way every composition share is stated.

    >>> share_sentence(35, 41, "have no trade union", min_members=1)
    '35 of 41 partnerships with at least one recorded member have no trade union (85 %)'
    """
    pct = f" ({n / m:.0%})".replace("%", " %") if m else ""
    return f"{n} of {m} {basis_words(min_members)} {finding}{pct}"


def _flag(value: object) -> bool | None:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "1", "oui"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("no", "false", "0", "non"):
        return False
    return None
