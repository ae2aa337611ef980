"""Funding portfolios: per funder, programme, recipient country or recipient, the funding ties, the known
amounts summed per currency, the share of ties whose amount is unknown and, for recipients, how
concentrated their funders are.

Built on `analysis.funding` (the recipient groups and the Herfindahl–Hirschman concentration);
amounts are never converted between currencies, so each currency has its own column.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from analysis._tables import funding_frame, with_table_cache
from analysis.funding import UNKNOWN, UNSPECIFIED, _names, _recipient_groups, funding_concentration
from graph.errors import PartnetError

__all__ = ["NO_CURRENCY", "PORTFOLIO_KEYS", "funding_portfolio", "funding_totals_by_currency"]

#: What `funding_portfolio` groups by.
PORTFOLIO_KEYS: tuple[str, ...] = ("funder", "programme", "country", "recipient")
#: The currency label of a known amount recorded without a currency.
NO_CURRENCY = "unspecified"


def funding_totals_by_currency(fund: pd.DataFrame) -> dict:
    """Totals of a funding table (``funding_frame`` or the exported ``funding`` table): ``ties``,
    ``ties_unknown_amount``, ``unknown_amount_share`` and ``amounts`` (currency -> sum of known amounts)."""
    known = fund["amount"].notna()
    cur = fund["currency"].fillna("").astype(str).replace("", NO_CURRENCY)
    amounts = fund.loc[known, "amount"].groupby(cur[known]).sum().sort_index()
    n = len(fund)
    return {"ties": int(n), "ties_unknown_amount": int((~known).sum()),
            "unknown_amount_share": float((~known).sum() / n) if n else float("nan"),
            "amounts": {str(k): float(v) for k, v in amounts.items()}}


@with_table_cache
def funding_portfolio(g: nx.MultiDiGraph, by: str = "funder") -> pd.DataFrame:
    """Funding ties and known amounts per funder, programme, recipient country or recipient.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    by : {"funder", "programme", "country", "recipient"}
        The grouping; country is the recipient's (for a partnership: its members' countries).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``<by>`` (the group id), ``name`` (funder and recipient only), ``ties``
        (funding ties reaching the group), ``counterparts`` (distinct recipients, or distinct funders
        for ``recipient``), ``unknown_amount_share`` (ties without a known amount / ties) and one
        ``amount_<CURRENCY>`` column per currency (known amounts summed, NaN when none is known; a known amount
        without a currency under ``amount_unspecified``). For ``recipient`` also ``hhi, basis,
        top_funder, top_share, single_funder`` of `analysis.funding.funding_concentration`.
        Sorted by ties (most first), then group. ``df.attrs["totals"]`` holds
        `funding_totals_by_currency` of all funding ties and ``attrs["currencies"]`` the currencies.

    Notes
    -----
    Funder, programme and recipient partition the ties, so each ``amount_*`` column adds up to the
    total of that currency. By country a tie to a partnership is split in equal shares between its
    members' distinct countries (the convention of `analysis.funding.funding_totals`): amounts
    still add up to the totals, while a tie counts once in ``ties`` for every country it reaches.
    Recipients without a country fall in ``"(unknown)"``, ties without programme in
    ``"(unspecified)"``. HHI = Σ s_f² over the funders' shares (see `funding_concentration`).

    References
    ----------
    .. [1] S. A. Rhoades, "The Herfindahl–Hirschman index", Federal Reserve Bulletin 79,
       188–189 (1993).
    """
    if by not in PORTFOLIO_KEYS:
        raise PartnetError(f"cannot group funding by {by!r}", hint=f"choose one of {', '.join(PORTFOLIO_KEYS)}")
    fund = funding_frame(g)
    totals = funding_totals_by_currency(fund)
    fund["currency"] = fund["currency"].replace("", NO_CURRENCY)
    fund["weight"] = 1.0
    if by == "funder":
        fund["group"], other = fund["funder_id"], "recipient_id"
    elif by == "recipient":
        fund["group"], other = fund["recipient_id"], "funder_id"
    elif by == "programme":
        fund["group"], other = fund["programme"].replace("", UNSPECIFIED), "recipient_id"
    else:
        fund = fund.merge(_recipient_groups(g, "country"), on="recipient_id", how="left")
        fund["group"] = fund["group"].fillna(UNKNOWN)
        fund["weight"] = fund["weight_g"].fillna(1.0)
        other = "recipient_id"
    currencies = sorted(totals["amounts"])
    cols = [by, *(["name"] if by in ("funder", "recipient") else []), "ties", "counterparts",
            "unknown_amount_share", *(f"amount_{c}" for c in currencies)]
    if by == "recipient":
        cols += ["hhi", "basis", "top_funder", "top_share", "single_funder"]
    if fund.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        out.attrs.update(totals=totals, currencies=currencies)
        return out
    fund["share_amount"] = fund["amount"] * fund["weight"]
    grouped = fund.groupby("group", sort=True)
    out = pd.DataFrame({"ties": grouped.size().astype(np.int64),
                        "counterparts": grouped[other].nunique().astype(np.int64),
                        "unknown_amount_share": grouped["amount"].apply(lambda s: float(s.isna().mean()))})
    amounts = fund[fund["amount"].notna()].pivot_table(index="group", columns="currency", values="share_amount",
                                                      aggfunc="sum")
    for c in currencies:
        col = amounts[c] if c in amounts.columns else pd.Series(dtype=float)
        out[f"amount_{c}"] = col.reindex(out.index).astype(float)  # NaN: no known amount in that currency
    out = out.rename_axis(by).reset_index()
    if by in ("funder", "recipient"):
        out.insert(1, "name", out[by].map(_names(g)).fillna(out[by]).astype(str))
    if by == "recipient":
        conc = funding_concentration(g, partnerships_only=False).set_index("recipient_id")
        for c in ("hhi", "basis", "top_funder", "top_share", "single_funder"):
            out[c] = out["recipient"].map(conc[c])
        out["single_funder"] = out["single_funder"].astype(bool)
    out = out.sort_values(["ties", by], ascending=[False, True], kind="stable").reset_index(drop=True)
    out = out[cols]
    out.attrs.update(totals=totals, currencies=currencies)
    return out
