"""Partnership gaps: which of the five families each partnership lacks, above all trade unions.

The "multi-partnership" recommended by the seed documents brings five families around the
table — public authorities, enterprises, trade unions, NGOs and the target public (migrants'
own organisations). This module measures, from the property graph of
``graph.convert.dataset_to_graph``:

- per partnership, the families present and missing and a completeness score;
- partnerships, countries and communities without any trade union;
- each actor's distance (in hops on the actor projection) to the nearest trade union;
- funded partnerships without a union;
- violations of rules declared as data (``analysis/rules.toml`` or the user's own file),
  e.g. ``kind=development_partnership requires trade_unions``.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from analysis._tables import actors_frame, funding_frame, joined, memberships_frame, memoised, partnerships_frame
from analysis.projection import adjacency
from graph.errors import PartnetError
from graph.model import ACTOR_TYPES, FAMILIES, FIVE_FAMILIES, LEVELS, PARTNERSHIP_KINDS

__all__ = [
    "RULES_PATH",
    "Rule",
    "RuleError",
    "check_rules",
    "communities_without_union",
    "community_series",
    "countries_without_union",
    "default_rules",
    "distance_to_union",
    "family_presence",
    "funded_without_union",
    "load_rules",
    "partnerships_without_union",
    "union_coverage_by_country",
]

#: The rule file shipped with partnet (the default of `check_rules`).
RULES_PATH = Path(__file__).with_name("rules.toml")

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


def partnerships_without_union(g: nx.MultiDiGraph, *, min_members: int = 1) -> pd.DataFrame:
    """Partnerships with no trade union among their members.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    min_members : int, default 1
        Leave out partnerships with fewer recorded members (a partnership with no recorded
        member is unknown, not union-less).

    Returns
    -------
    pandas.DataFrame
        ``partnership_id, name, kind, code, members, present, missing, completeness`` for each
        partnership whose members include no actor of family ``trade_unions``; sorted by number
        of members (largest first), then id.

    Notes
    -----
    A direct reading of `family_presence`; see there for what counts as a member.
    """
    fp = family_presence(g)
    out = fp[(fp[UNIONS] == 0) & (fp["members"] >= min_members)]
    cols = ["partnership_id", "name", "kind", "code", "members", "present", "missing", "completeness"]
    return out.sort_values(["members", "partnership_id"], ascending=[False, True], kind="stable")[cols] \
        .reset_index(drop=True)


def union_coverage_by_country(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Per country: number of actors, of trade unions, and of partnerships with a member there.

    Returns
    -------
    pandas.DataFrame
        ``country, actors, trade_unions, partnerships`` (partnerships with at least one member
        from the country), ``partnerships_with_union`` (of those, how many have a union member —
        from any country) and ``has_union`` (the country has at least one union actor). Actors
        without a country (European or international bodies) are left out. Sorted by country.
    """
    actors = actors_frame(g)
    actors = actors[actors["country"] != ""]
    if actors.empty:
        return pd.DataFrame({"country": pd.Series(dtype=str), "actors": pd.Series(dtype="int64"),
                             "trade_unions": pd.Series(dtype="int64"), "partnerships": pd.Series(dtype="int64"),
                             "partnerships_with_union": pd.Series(dtype="int64"),
                             "has_union": pd.Series(dtype=bool)})
    per = actors.groupby("country").agg(actors=("id", "size"),
                                         trade_unions=("family", lambda s: int((s == UNIONS).sum())))
    mem = memberships_frame(g).merge(actors[["id", "country"]], left_on="actor_id", right_on="id")
    with_union = set(family_presence(g, (UNIONS,)).query(f"{UNIONS} > 0")["partnership_id"])
    pc = mem.drop_duplicates(["country", "partnership_id"]).copy()
    pc["u"] = pc["partnership_id"].isin(with_union)
    pstats = pc.groupby("country").agg(partnerships=("partnership_id", "size"), partnerships_with_union=("u", "sum"))
    per = per.join(pstats, how="left").fillna(0)
    out = per.reset_index()
    for c in ("actors", "trade_unions", "partnerships", "partnerships_with_union"):
        out[c] = out[c].astype(np.int64)
    out["has_union"] = out["trade_unions"] > 0
    return out.sort_values("country", kind="stable").reset_index(drop=True)


def countries_without_union(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Countries that have actors but no trade union among them (rows of `union_coverage_by_country`)."""
    cov = union_coverage_by_country(g)
    return cov[~cov["has_union"]].reset_index(drop=True)


def communities_without_union(g: nx.MultiDiGraph, communities: pd.DataFrame | pd.Series | Mapping) -> pd.DataFrame:
    """Communities (e.g. Louvain communities of the actor projection) with no trade union.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    communities : DataFrame, Series or mapping
        Actor id -> community, as returned by ``analysis.communities`` (a frame with a
        ``community`` column, indexed by actor id or with an ``actor_id``/``actor``/``id``
        column), a Series indexed by actor id, or a dict.

    Returns
    -------
    pandas.DataFrame
        ``community, actors, trade_unions`` (0), ``countries`` and ``families`` (the values
        present, most frequent first, joined with ``", "``) for each community without a union
        actor; sorted by size (largest first), then community.
    """
    comm = community_series(communities)
    actors = actors_frame(g).set_index("id")
    df = actors.join(comm.rename("community"), how="inner").reset_index()
    if df.empty:
        return pd.DataFrame(columns=["community", "actors", "trade_unions", "countries", "families"])
    df["_union"] = (df["family"] == UNIONS).astype(np.int64)
    grouped = df.groupby("community", sort=True)
    out = pd.DataFrame({"actors": grouped.size(), "trade_unions": grouped["_union"].sum()})
    out = out[out["trade_unions"] == 0]
    rest = df[df["community"].isin(out.index)]
    out["countries"] = _ranked_values(rest, "community", "country").reindex(out.index, fill_value="")
    out["families"] = _ranked_values(rest, "community", "family").reindex(out.index, fill_value="")
    out = out.reset_index()
    return out.sort_values(["actors", "community"], ascending=[False, True], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Distance to the nearest union
# ----------------------------------------------------------------------------------------------
def distance_to_union(g: nx.MultiDiGraph, projection: nx.Graph | None = None) -> pd.DataFrame:
    """Each actor's distance, in hops on the actor projection, to the nearest trade union.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    projection : networkx.Graph, optional
        The actor–actor projection (``analysis.projection.actor_projection(g)`` when omitted).

    Returns
    -------
    pandas.DataFrame
        ``actor_id, name, family, country, distance`` (nullable integer: 0 for a union,
        ``<NA>`` when no union can be reached) and ``nearest_union`` (the id of one union at
        that distance, ``""`` when none); sorted by distance (unreachable last), then id.

    Notes
    -----
    A multi-source breadth-first search from every union at once (unweighted shortest paths
    from a virtual source tied to all unions), run in C by ``scipy.sparse.csgraph.dijkstra``
    with ``min_only=True``: cost O(n + m) for n actors and m projected ties. When several unions
    are equally near, one of them is reported.

    References
    ----------
    .. [1] E. F. Moore, "The shortest path through a maze", Proc. Int. Symp. on the Theory of
       Switching, Harvard University Press, 285–292 (1959).
    .. [2] T. H. Cormen, C. E. Leiserson, R. L. Rivest and C. Stein, *Introduction to
       Algorithms*, 3rd ed., MIT Press (2009), §22.2 (breadth-first search).
    """
    if projection is None:
        from analysis.projection import actor_projection

        projection = actor_projection(g)
    actors = actors_frame(g)
    ids = actors["id"].tolist()
    index = {a: i for i, a in enumerate(ids)}
    union_idx = np.flatnonzero(actors["family"].to_numpy() == UNIONS)
    dist = np.full(len(ids), np.inf)
    src = np.full(len(ids), -1)
    if len(union_idx) and len(ids):
        nodes, a = adjacency(projection, None)
        pos = np.array([index.get(v, -1) for v in nodes], dtype=np.int64)
        coo = a.tocoo()
        rows, cols = pos[coo.row], pos[coo.col]
        ok = (rows >= 0) & (cols >= 0)
        adj = sp.csr_matrix((np.ones(int(ok.sum())), (rows[ok], cols[ok])), shape=(len(ids), len(ids)))
        dist, _, src = dijkstra(adj, directed=False, indices=union_idx, unweighted=True, min_only=True,
                                return_predecessors=True)
    reach = np.isfinite(dist)
    out = actors[["id", "name", "family", "country"]].rename(columns={"id": "actor_id"})
    out["distance"] = pd.array(np.where(reach, dist, 0).astype(np.int64), dtype="Int64")
    out.loc[~reach, "distance"] = pd.NA
    out["nearest_union"] = [ids[s] if ok else "" for s, ok in zip(src.tolist(), reach.tolist(), strict=True)]
    out["_unreach"] = ~reach
    out = out.sort_values(["_unreach", "distance", "actor_id"], kind="stable").drop(columns="_unreach")
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# Funded partnerships without a union
# ----------------------------------------------------------------------------------------------
def funded_without_union(g: nx.MultiDiGraph) -> pd.DataFrame:
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
    Funding of a parent partnership (``PART_OF``) is not inherited; partnerships without any
    recorded member are left out, as in `partnerships_without_union`.
    """
    fund = funding_frame(g)
    fund = fund[fund["recipient_label"] == "Partnership"]
    nou = partnerships_without_union(g)
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


# ----------------------------------------------------------------------------------------------
# Rules declared as data
# ----------------------------------------------------------------------------------------------
class RuleError(PartnetError):
    """A rule (or rule file) that cannot be read; the message names the file, the rule and the problem."""


#: Fields a rule condition may test, with what they mean.
RULE_FIELDS: dict[str, str] = {
    "kind": "the partnership's kind",
    "level": "the partnership's level",
    "programme": "a programme funding the partnership directly",
    "country": "the country of one of its members",
}
_REQ = re.compile(r"^(?:(\d+)\s+)?([a-z_]+)$")
_SYNTAX = ("<field>=<value>[|<value>...] [and <field>=<value>...] requires [<n>] <family or type> "
           "[and [<n>] <family or type>...]   (or: every requires ...)")


@dataclass(frozen=True)
class Rule:
    """A composition rule: partnerships matching ``conditions`` must include ``requires``.

    Attributes
    ----------
    text : str
        The rule as written, e.g. ``"kind=development_partnership requires trade_unions"``.
    conditions : tuple of (field, frozenset of values)
        Every condition must hold (``kind``, ``level``, ``programme``, ``country``); a
        condition holds when the field takes one of the values. Empty: every partnership.
    requires : tuple of (family or actor type, minimum count)
        Each must be met by the members (at least that many members of the family or type).
    id : str
        A short name for reports (default: the text).
    why : str
        A plain-language reason shown beside violations.
    """

    text: str
    conditions: tuple[tuple[str, frozenset[str]], ...]
    requires: tuple[tuple[str, int], ...]
    id: str = ""
    why: str = ""

    @classmethod
    def parse(cls, text: str, *, id: str = "", why: str = "", where: str = "rule") -> Rule:  # noqa: A002
        """Parse ``"<conditions> requires <requirements>"``; raise `RuleError` naming ``where`` on bad syntax.

        >>> Rule.parse("kind=development_partnership requires trade_unions").requires
        (('trade_unions', 1),)
        >>> Rule.parse("kind=pact|agreement and level=local requires 2 enterprises").conditions[0][0]
        'kind'
        """
        if not isinstance(text, str) or not text.strip():
            raise RuleError(f"{where}: the rule is empty", hint=f"write it as: {_SYNTAX}")
        words = " ".join(text.split())
        parts = re.split(r"(?:^|\s+)requires(?:\s+|$)", words, maxsplit=1, flags=re.IGNORECASE)
        if len(parts) != 2 or not parts[1].strip():
            raise RuleError(f"{where}: {words!r} has no 'requires' part", hint=f"write it as: {_SYNTAX}")
        head, tail = parts[0].strip(), parts[1].strip()
        conditions: list[tuple[str, frozenset[str]]] = []
        if head.lower() not in ("every", "all", "*", ""):
            for cond in re.split(r"\s+and\s+", head):
                field, eq, values = cond.partition("=")
                field, values = field.strip().lower(), values.strip()
                if not eq or not values:
                    raise RuleError(f"{where}: condition {cond!r} in {words!r} is not <field>=<value>",
                                    hint=f"fields: {', '.join(RULE_FIELDS)}; rule syntax: {_SYNTAX}")
                if field not in RULE_FIELDS:
                    raise RuleError(f"{where}: unknown field {field!r} in {words!r}",
                                    hint=f"use one of {', '.join(RULE_FIELDS)}")
                vals = frozenset(v.strip() for v in values.split("|") if v.strip())
                allowed = {"kind": PARTNERSHIP_KINDS, "level": LEVELS}.get(field)
                bad = sorted(v for v in vals if allowed is not None and v not in allowed)
                if bad:
                    raise RuleError(f"{where}: unknown {field} {bad[0]!r} in {words!r}",
                                    hint=f"{field} is one of {', '.join(allowed)}")
                if field == "country":
                    vals = frozenset(v.upper() for v in vals)
                conditions.append((field, vals))
        requires: list[tuple[str, int]] = []
        for req in re.split(r"\s+and\s+", tail):
            m = _REQ.match(req.strip().lower())
            if not m or (m.group(2) not in FAMILIES and m.group(2) not in ACTOR_TYPES):
                raise RuleError(f"{where}: cannot read requirement {req!r} in {words!r}",
                                hint=f"name a family ({', '.join(FAMILIES)}) or an actor type, "
                                "optionally preceded by a minimum count, e.g. '2 ngos'")
            n = int(m.group(1) or 1)
            if n < 1:
                raise RuleError(f"{where}: requirement {req!r} asks for {n} members", hint="use a count of 1 or more")
            requires.append((m.group(2), n))
        return cls(text=words, conditions=tuple(conditions), requires=tuple(requires), id=id or words, why=why)


def load_rules(path: str | Path) -> list[Rule]:
    """Read composition rules from a TOML or CSV file.

    Parameters
    ----------
    path : str or Path
        A ``.toml`` file with one ``[[rule]]`` table per rule (keys ``rule`` — required —,
        ``id`` and ``why``), or a ``.csv`` file with the columns ``rule`` (required), ``id``,
        ``why``. See ``analysis/rules.toml`` for the format and `Rule.parse` for the syntax.

    Returns
    -------
    list of Rule

    Raises
    ------
    RuleError
        The file is missing, unreadable, or a rule is malformed: the message names the file,
        the rule (number and id, or CSV row) and what is wrong.
    """
    path = Path(path)
    if not path.is_file():
        raise RuleError(f"rule file {path} does not exist", hint="give the path of a .toml or .csv rule file")
    suffix = path.suffix.lower()
    entries: list[tuple[str, dict]] = []
    if suffix == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise RuleError(f"{path}: not valid TOML ({e})", hint="see analysis/rules.toml for the format") from None
        unknown = sorted(set(data) - {"rule"})
        if unknown:
            raise RuleError(f"{path}: unknown top-level key {unknown[0]!r}",
                            hint="write each rule as a [[rule]] table with keys rule, id, why")
        tables = data.get("rule", [])
        if not isinstance(tables, list):
            raise RuleError(f"{path}: 'rule' must be a list of [[rule]] tables", hint="write [[rule]], not [rule]")
        for n, t in enumerate(tables, start=1):
            entries.append((f"{path}: rule {n}", t))
    elif suffix == ".csv":
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                if reader.fieldnames is None or "rule" not in reader.fieldnames:
                    raise RuleError(f"{path}: no 'rule' column (columns: {reader.fieldnames})",
                                    hint="the header must name the columns rule, id, why")
                for row_no, row in enumerate(reader, start=2):
                    entries.append((f"{path}: row {row_no}", {k: v for k, v in row.items() if k and v}))
        except UnicodeDecodeError as e:
            raise RuleError(f"{path}: not UTF-8 text ({e})", hint="save the file as UTF-8 CSV") from None
    else:
        raise RuleError(f"{path}: unknown rule file type {suffix!r}", hint="use a .toml or .csv file")
    rules, seen = [], set()
    for where, entry in entries:
        if not isinstance(entry, dict):
            raise RuleError(f"{where}: not a table", hint="write each rule as a [[rule]] table")
        bad = sorted(set(entry) - {"rule", "id", "why"})
        if bad:
            raise RuleError(f"{where}: unknown key {bad[0]!r}", hint="a rule has the keys rule, id, why")
        if not all(isinstance(entry.get(k, ""), str) for k in ("rule", "id", "why")):
            raise RuleError(f"{where}: rule, id and why must be text", hint='quote them, e.g. rule = "..."')
        rid = entry.get("id", "")
        label = f"{where} ({rid})" if rid else where
        if "rule" not in entry:
            raise RuleError(f"{label}: missing 'rule'",
                            hint='add e.g. rule = "kind=development_partnership requires trade_unions"')
        rule = Rule.parse(entry["rule"], id=rid, why=entry.get("why", ""), where=label)
        if rule.id in seen:
            raise RuleError(f"{label}: id {rule.id!r} is used twice", hint="give each rule its own id")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def default_rules() -> list[Rule]:
    """The rules shipped in ``analysis/rules.toml``."""
    return load_rules(RULES_PATH)


def check_rules(g: nx.MultiDiGraph, rules: Iterable[Rule | str] | None = None) -> pd.DataFrame:
    """Partnerships that break a composition rule.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    rules : iterable of Rule or str, optional
        Rules (strings are parsed with `Rule.parse`); default `default_rules`.

    Returns
    -------
    pandas.DataFrame
        One row per (rule, partnership) violation: ``rule_id, rule, partnership_id, name,
        kind, members, missing`` (each unmet requirement with the count found, e.g.
        ``"trade_unions (0 of 1)"``) and ``why``; in rule order, then by partnership id.

    Notes
    -----
    Requirements are checked on direct members (see `family_presence`); partnerships without
    any recorded member are not checked (nothing is known about them).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("n", "N", "ngo")],
    ...              partnerships=[Partnership("p", "P", "development_partnership")],
    ...              memberships=[Membership("n", "p")])
    >>> check_rules(dataset_to_graph(ds), ["kind=development_partnership requires trade_unions"])["missing"].tolist()
    ['trade_unions (0 of 1)']
    """
    rules = default_rules() if rules is None else [
        r if isinstance(r, Rule) else Rule.parse(r, where=f"rule {n}") for n, r in enumerate(rules, start=1)]
    parts = partnerships_frame(g)
    cols = ["rule_id", "rule", "partnership_id", "name", "kind", "members", "missing", "why"]
    if parts.empty or not rules:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "members" else object) for c in cols})
    ids = parts["id"]
    mem, actors = memberships_frame(g), actors_frame(g)
    members = _member_counts(mem, ids).to_numpy()
    needed = sorted({what for r in rules for what, _ in r.requires})
    fam_needed = [w for w in needed if w in FAMILIES]
    type_needed = [w for w in needed if w not in FAMILIES]
    counts = pd.concat([_family_counts(mem, actors, ids, fam_needed),
                        _family_counts(mem, actors, ids, type_needed, by="type")], axis=1)
    fields = {"kind": parts["kind"].map(lambda v: {v}), "level": parts["level"].map(lambda v: {v})}
    if any(f == "programme" for r in rules for f, _ in r.conditions):
        fund = funding_frame(g)
        prog = fund.groupby("recipient_id")["programme"].agg(set)
        fields["programme"] = ids.map(lambda p: prog.get(p, set()))
    if any(f == "country" for r in rules for f, _ in r.conditions):
        mc = mem.merge(actors[["id", "country"]], left_on="actor_id", right_on="id")
        ctry = mc.groupby("partnership_id")["country"].agg(set)
        fields["country"] = ids.map(lambda p: ctry.get(p, set()))
    frames = []
    for rule in rules:
        match = members > 0
        for field, values in rule.conditions:
            match &= fields[field].map(lambda s, vals=values: bool(s & vals)).to_numpy()
        missing: dict[int, list[str]] = defaultdict(list)  # only the rows that break the rule
        bad = np.zeros(len(ids), dtype=bool)
        for what, n in rule.requires:
            have = counts[what].to_numpy()
            short = match & (have < n)
            bad |= short
            for i in np.flatnonzero(short).tolist():
                missing[i].append(f"{what} ({have[i]} of {n})")
        rows = np.flatnonzero(bad)
        if len(rows):
            frames.append(pd.DataFrame({
                "rule_id": rule.id, "rule": rule.text, "partnership_id": ids.to_numpy()[rows],
                "name": parts["name"].to_numpy()[rows], "kind": parts["kind"].to_numpy()[rows],
                "members": members[rows].astype(np.int64),
                "missing": ["; ".join(missing[i]) for i in rows.tolist()], "why": rule.why,
            }))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "members" else object) for c in cols})
    return pd.concat(frames, ignore_index=True)[cols]


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def community_series(communities: pd.DataFrame | pd.Series | Mapping) -> pd.Series:
    """Actor id -> community as a Series, from the shapes ``analysis.communities`` may return."""
    if isinstance(communities, pd.Series):
        return communities
    if isinstance(communities, Mapping):
        return pd.Series(dict(communities))
    if isinstance(communities, pd.DataFrame):
        if "community" not in communities.columns:
            raise PartnetError("the communities frame has no 'community' column",
                               hint="pass the actor -> community frame of analysis.communities")
        for key in ("actor_id", "actor", "id"):
            if key in communities.columns:
                return communities.set_index(key)["community"]
        return communities["community"]
    raise PartnetError(f"cannot read communities from a {type(communities).__name__}",
                       hint="pass a DataFrame with a 'community' column, a Series or a dict")


def _member_counts(mem: pd.DataFrame, ids: pd.Series) -> pd.Series:
    return mem.groupby("partnership_id").size().reindex(ids, fill_value=0).astype(np.int64)


def _family_counts(mem: pd.DataFrame, actors: pd.DataFrame, ids: pd.Series, values: Sequence[str], *,
                   by: str = "family") -> pd.DataFrame:
    """Partnership x family (or type) member counts, rows in the order of ``ids``."""
    values = list(values)
    m = mem.merge(actors[["id", by]], left_on="actor_id", right_on="id")
    table = m.groupby(["partnership_id", by]).size().unstack(fill_value=0) if not m.empty else pd.DataFrame()
    return table.reindex(index=ids, columns=values, fill_value=0).fillna(0).astype(np.int64)


def _ranked_values(df: pd.DataFrame, key: str, col: str) -> pd.Series:
    """Per ``key``: the non-empty values of ``col``, most frequent first (ties by value), joined with ", "."""
    d = df.loc[df[col] != "", [key, col]]
    counts = d.groupby([key, col]).size().reset_index(name="_n")
    counts = counts.sort_values([key, "_n", col], ascending=[True, False, True], kind="stable")
    return joined(counts[key], counts[col])


def _joined_unique(df: pd.DataFrame, key: str, col: str) -> pd.Series:
    """Per ``key``: the distinct non-empty values of ``col``, sorted, joined with ", "."""
    d = df.loc[df[col] != "", [key, col]].drop_duplicates().sort_values([key, col], kind="stable")
    return joined(d[key], d[col])
