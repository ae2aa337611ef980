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

The computations live in `analysis.composition` (families per partnership, union-less and funded
union-less partnerships), `analysis.union_coverage` (countries, communities, distance to a union) and
`analysis.rules` (rules as data); this module gathers their public names, with `community_series`
(`analysis._community_input`).
"""

from __future__ import annotations

from analysis._community_input import community_series
from analysis.composition import UNIONS, family_presence, funded_without_union, partnerships_without_union  # noqa: F401
from analysis.rules import RULE_FIELDS, RULES_PATH, Rule, RuleError, check_rules, default_rules, load_rules  # noqa: F401
from analysis.union_coverage import (
    communities_without_union,
    countries_without_union,
    distance_to_union,
    union_coverage_by_country,
)

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
