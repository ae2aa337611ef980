"""Composition rules declared as data, and the partnerships that break them.

A rule such as ``kind=development_partnership requires trade_unions`` is read from
``analysis/rules.toml`` (the default) or the user's own TOML or CSV file (`load_rules`), parsed by
`Rule.parse`, and checked against the direct members of every partnership (`check_rules`).
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from analysis._member_counts import _family_counts, _member_counts
from analysis._tables import actors_frame, funding_frame, memberships_frame, partnerships_frame
from analysis.basis import DEFAULT_MIN_MEMBERS, evidence_basis
from graph.errors import PartnetError
from graph.model import ACTOR_TYPES, FAMILIES, LEVELS, PARTNERSHIP_KINDS

__all__ = ["RULES_PATH", "RULE_FIELDS", "Rule", "RuleError", "check_rules", "default_rules", "load_rules"]

#: The rule file shipped with partnet (the default of `check_rules`).
RULES_PATH = Path(__file__).with_name("rules.toml")


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


def check_rules(g: nx.MultiDiGraph, rules: Iterable[Rule | str] | None = None, *,
                min_members: int = DEFAULT_MIN_MEMBERS) -> pd.DataFrame:
    """Partnerships that break a composition rule.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    rules : iterable of Rule or str, optional
        Rules (strings are parsed with `Rule.parse`); default `default_rules`.
    min_members : int, default 2
        Check only the partnerships of the evidence basis (`analysis.basis.evidence_basis`): at
        least this many recorded members, or a member list declared complete; never proposals.

    Returns
    -------
    pandas.DataFrame
        One row per (rule, partnership) violation: ``rule_id, rule, partnership_id, name,
        kind, members, missing`` (each unmet requirement with the count found, e.g.
        ``"trade_unions (0 of 1)"``) and ``why``; in rule order, then by partnership id.

    Notes
    -----
    Requirements are checked on direct members (see `family_presence`); partnerships outside
    the evidence basis are not checked (too little is known about them).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("n", "N", "ngo")],
    ...              partnerships=[Partnership("p", "P", "development_partnership")],
    ...              memberships=[Membership("n", "p")])
    >>> rule = ["kind=development_partnership requires trade_unions"]
    >>> check_rules(dataset_to_graph(ds), rule, min_members=1)["missing"].tolist()
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
    in_basis = evidence_basis(g, min_members=min_members)["in_basis"].to_numpy(dtype=bool)
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
        match = in_basis.copy()
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
