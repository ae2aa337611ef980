"""Member counts per partnership, in all and by family or actor type.

The counting shared by `analysis.composition.family_presence` and `analysis.rules.check_rules`: a
group-by over the memberships table of `analysis._tables`, rows in the order of the partnership ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def _member_counts(mem: pd.DataFrame, ids: pd.Series) -> pd.Series:
    return mem.groupby("partnership_id").size().reindex(ids, fill_value=0).astype(np.int64)


def _family_counts(mem: pd.DataFrame, actors: pd.DataFrame, ids: pd.Series, values: Sequence[str], *,
                   by: str = "family") -> pd.DataFrame:
    """Partnership x family (or type) member counts, rows in the order of ``ids``."""
    values = list(values)
    m = mem.merge(actors[["id", by]], left_on="actor_id", right_on="id")
    table = m.groupby(["partnership_id", by]).size().unstack(fill_value=0) if not m.empty else pd.DataFrame()
    return table.reindex(index=ids, columns=values, fill_value=0).fillna(0).astype(np.int64)
