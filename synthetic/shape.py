"""Shape figures of a dataset: sizes, memberships per actor, isolation, cross-border and funding shares."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graph.model import Dataset

__all__ = ["describe"]


def describe(ds: Dataset) -> dict[str, float]:
    """Shape figures of a dataset (for checks and the generate command's summary).

    Returns counts per table plus: mean and max memberships per actor, share of isolated actors
    (in no partnership), median/90th percentile/max partnership size, share of cross-border
    partnerships (members from 2+ countries), share of trade unions, share of funding records
    without an amount.
    """
    m = pd.DataFrame({"a": [x.actor_id for x in ds.memberships], "p": [x.partnership_id for x in ds.memberships]})
    country = {a.id: a.country for a in ds.actors}
    sizes = m.groupby("p").size()
    per_actor = m.groupby("a").size().reindex([a.id for a in ds.actors], fill_value=0)
    m["c"] = m["a"].map(country)
    n_countries = m[m["c"] != ""].groupby("p")["c"].nunique()
    return {
        **{k: float(v) for k, v in ds.counts().items()},
        "memberships_per_actor_mean": float(per_actor.mean()),
        "memberships_per_actor_max": float(per_actor.max()),
        "isolated_share": float((per_actor == 0).mean()),
        "size_median": float(sizes.median()),
        "size_p90": float(sizes.quantile(0.9)),
        "size_max": float(sizes.max()),
        "cross_border_share": float((n_countries >= 2).mean()),
        "trade_union_share": float(np.mean([a.type == "trade_union" for a in ds.actors])),
        "unknown_amount_share": float(np.mean([f.amount is None for f in ds.funding])) if ds.funding else 0.0,
    }
