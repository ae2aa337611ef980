"""Synthetic partnership networks at real programme size, for benchmarks and demonstrations.

`generate` builds a random but realistic dataset (graph-level records, `graph.model.Dataset`)
of any size; `generate_frames` gives the same data as one data frame per import-format table.
Everything is drawn with numpy from one ``numpy.random.Generator`` seeded by ``seed``, with
array operations only (no Python loop over actors or memberships), so 100,000 actors and their
~300,000 memberships are made in a few seconds, and the same ``(n_actors, seed, params)``
always gives the same records.

The shape, chosen to resemble EU programme data (EQUAL development partnerships, AMIF and
Horizon 2020 participations):

- **partnership sizes** are heavy-tailed: a discretised lognormal (median 5, most 3-10 members)
  mixed with a Pareto tail of thematic and city networks of tens to hundreds of members;
- **memberships per actor** follow a power law: every active actor is in at least one
  partnership and draws more in proportion to a Pareto "activity" weight (a few very active
  hubs, most actors in one to three partnerships), about `Params.memberships_per_actor` on average;
- **countries** cluster: most partnerships draw all members from one country; a minority
  (`Params.cross_border_share`, larger partnerships more often) span 2+ countries and sometimes
  a European-level body; countries are weighted by population;
- **families** in realistic proportions (`TYPE_WEIGHTS`: few trade unions, many NGOs,
  enterprises and authorities);
- **funding**: EU institutions (the Commission and its executive agencies) and national bodies
  (a ministry per country, an ESF+ managing authority in larger datasets) fund most partnerships
  under AMIF, ESF+, Erasmus+, Horizon 2020 or a national programme, with lognormal amounts
  (some unknown) and some national co-financing; a few actors get operating grants;
- **isolated actors** (`Params.isolated_share`) are in no partnership and have no link;
- start and end years (some partnerships still running), explicit bilateral links (many
  cross-border), and a ``parent_id`` hierarchy of partnerships inside networks.

References
----------
.. [1] M. E. J. Newman, S. H. Strogatz and D. J. Watts, "Random graphs with arbitrary degree
   distributions and their applications", Phys. Rev. E 64, 026118 (2001) — bipartite random
   graphs with prescribed degree distributions on both sides (the model followed here, with
   country blocks).
.. [2] European Commission, CORDIS Horizon 2020 projects and participants (about 31,000 projects,
   145,000 participations of 36,000 organisations): the size and skew targeted here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership

__all__ = [
    "COUNTRIES",
    "PROGRAMMES",
    "TYPE_WEIGHTS",
    "Params",
    "describe",
    "generate",
    "generate_frames",
    "write_csv_folder",
]

#: ISO alpha-2 -> (population in millions, a few cities). The dataset uses the most populous
#: countries first; how many depends on its size (see `Params.n_countries`).
COUNTRIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "DE": (84.0, ("Berlin", "Hamburg", "München", "Köln", "Stuttgart", "Leipzig")),
    "GB": (67.0, ("London", "Birmingham", "Manchester", "Glasgow", "Leeds")),
    "FR": (68.0, ("Paris", "Lyon", "Marseille", "Lille", "Toulouse", "Nantes")),
    "IT": (59.0, ("Roma", "Milano", "Torino", "Napoli", "Prato", "Bologna")),
    "ES": (48.0, ("Madrid", "Barcelona", "Valencia", "Sevilla", "Terrassa", "Mataró")),
    "PL": (37.0, ("Warszawa", "Kraków", "Łódź", "Wrocław", "Gdańsk")),
    "RO": (19.0, ("București", "Cluj-Napoca", "Iași", "Timișoara")),
    "NL": (18.0, ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht")),
    "BE": (12.0, ("Bruxelles", "Antwerpen", "Liège", "Gent", "Charleroi")),
    "CZ": (11.0, ("Praha", "Brno", "Ostrava")),
    "SE": (10.5, ("Stockholm", "Göteborg", "Malmö")),
    "PT": (10.4, ("Lisboa", "Porto", "Coimbra", "Setúbal")),
    "GR": (10.4, ("Athína", "Thessaloníki", "Pátra")),
    "HU": (9.6, ("Budapest", "Debrecen", "Szeged")),
    "AT": (9.1, ("Wien", "Graz", "Linz")),
    "CH": (8.8, ("Zürich", "Genève", "Basel", "Bern")),
    "BG": (6.4, ("Sofia", "Plovdiv", "Varna")),
    "DK": (5.9, ("København", "Aarhus", "Odense")),
    "FI": (5.6, ("Helsinki", "Tampere", "Turku")),
    "NO": (5.5, ("Oslo", "Bergen", "Trondheim")),
    "SK": (5.4, ("Bratislava", "Košice")),
    "IE": (5.2, ("Dublin", "Cork", "Galway")),
    "HR": (3.9, ("Zagreb", "Split", "Rijeka")),
    "LT": (2.9, ("Vilnius", "Kaunas")),
    "SI": (2.1, ("Ljubljana", "Maribor")),
    "LV": (1.9, ("Rīga", "Daugavpils")),
    "EE": (1.4, ("Tallinn", "Tartu")),
    "CY": (0.9, ("Lefkosía", "Lemesós")),
    "LU": (0.7, ("Luxembourg", "Esch-sur-Alzette")),
    "MT": (0.5, ("Valletta", "Birkirkara")),
}

#: Share of each actor type among national actors (families: authorities 20 %, enterprises 24 %,
#: trade unions 4 %, NGOs 30 %, target public 8 %, knowledge 11 %, other 3 %).
TYPE_WEIGHTS: dict[str, float] = {
    "local_authority": 0.090, "regional_authority": 0.030, "national_authority": 0.015, "public_agency": 0.065,
    "employer": 0.140, "employer_organisation": 0.030, "social_economy": 0.070,
    "trade_union": 0.040,
    "ngo": 0.220, "network": 0.040, "foundation": 0.040,
    "migrant_organisation": 0.080,
    "research": 0.070, "consultancy": 0.040,
    "media": 0.015, "other": 0.015,
}
#: Types of European/international-level bodies (country empty).
EU_TYPE_WEIGHTS: dict[str, float] = {
    "network": 0.35, "trade_union": 0.12, "employer_organisation": 0.12, "international_organisation": 0.15,
    "eu_institution": 0.10, "foundation": 0.08, "research": 0.08,
}

#: programme -> (funder role, median amount in EUR, lognormal sigma).
PROGRAMMES: dict[str, tuple[str, float, float]] = {
    "AMIF": ("commission", 600_000.0, 0.8),
    "ESF+": ("esf", 350_000.0, 0.9),
    "Erasmus+": ("eacea", 250_000.0, 0.7),
    "Horizon 2020": ("rea", 2_000_000.0, 0.8),
    "national": ("ministry", 60_000.0, 1.0),
}
_PROG_NAMES = tuple(PROGRAMMES)
#: Programme mix of funded partnerships: cross-border, domestic.
_PROG_CROSS = np.array([0.30, 0.10, 0.35, 0.25, 0.00])
_PROG_DOMESTIC = np.array([0.25, 0.40, 0.00, 0.00, 0.35])

_KIND_SMALL = {"project": 0.45, "development_partnership": 0.15, "agreement": 0.10, "exchange": 0.10,
               "initiative": 0.10, "pact": 0.05, "thematic_network": 0.03, "city_network": 0.01,
               "union_network": 0.01}
_KIND_LARGE = {"thematic_network": 0.40, "city_network": 0.20, "union_network": 0.10, "initiative": 0.15,
               "pact": 0.05, "project": 0.10}
_NETWORK_KINDS = ("thematic_network", "city_network", "union_network")
_THEMES = (
    "labour-market integration", "recognition of skills and qualifications", "language and vocational training",
    "anti-discrimination at work", "migrant entrepreneurship", "employment of refugees",
    "labour rights and undeclared work", "social economy and inclusion", "trade-union outreach to migrants",
    "reception and orientation", "women migrants and work", "youth and apprenticeships",
)
_ROLES_OTHER = ("partner", "associate", "observer", "facilitator", "member")
_ROLES_OTHER_P = np.array([0.80, 0.10, 0.03, 0.02, 0.05])
_LINK_KINDS = ("exchange", "twinning", "cooperation", "agreement", "other")
_LINK_KINDS_P = np.array([0.30, 0.15, 0.35, 0.15, 0.05])
_TYPE_LABEL = {
    "local_authority": "Municipality of", "regional_authority": "Region of", "national_authority": "Ministry of",
    "public_agency": "Employment Agency", "eu_institution": "European Agency", "international_organisation":
    "International Office", "employer": "Enterprise", "employer_organisation": "Employers' Federation",
    "social_economy": "Cooperative", "trade_union": "Trade Union", "ngo": "Association", "network": "Network",
    "foundation": "Foundation", "migrant_organisation": "Migrant Association", "research": "Institute",
    "consultancy": "Consultancy", "media": "Media", "other": "Organisation",
}
_SYLL = np.array(["ka", "lo", "mi", "ran", "te", "vo", "su", "nel", "dri", "pa", "ze", "bor", "li", "quan",
                  "fe", "tor", "mu", "sa", "gri", "no", "del", "vi", "ro", "ta", "ben", "co", "lu", "mar",
                  "si", "der", "ja", "pol"])
_SOURCE = "SYNTHETIC"


@dataclass(frozen=True)
class Params:
    """The knobs of the generator (defaults give the realistic shape described in the module doc).

    Attributes
    ----------
    memberships_per_actor : float
        Target mean number of memberships per actor, isolated actors included.
    isolated_share : float
        Share of (non-funder) actors in no partnership and with no link.
    cross_border_share : float
        Approximate share of partnerships whose members come from more than one country.
    size_median, size_sigma : float
        Median and log-standard deviation of the lognormal body of partnership sizes.
    network_share : float
        Share of partnerships drawn from the heavy tail (networks of tens to hundreds).
    tail_alpha, max_size : float, int
        Pareto exponent and cap of the tail.
    activity_alpha, max_activity : float
        Pareto exponent of the actors' activity weights (lower: more extreme hubs) and their cap
        (relative to the least active; bounds the busiest hub at a few hundred memberships).
    eu_share : float
        Share of European/international-level actors (no country).
    links_per_actor : float
        Explicit LINKED_TO ties per actor.
    funded_share, unknown_amount_share, cofunding_share : float
        Share of partnerships with a funder; of funding records without an amount; of funded
        domestic partnerships also co-financed by a national programme.
    parent_share : float
        Share of non-network partnerships placed inside a network (``parent_id``).
    n_countries : int or None
        How many countries (most populous first); default ``sqrt(n_actors) / 3`` within [3, 30].
    """

    memberships_per_actor: float = 3.0
    isolated_share: float = 0.05
    cross_border_share: float = 0.12
    size_median: float = 5.0
    size_sigma: float = 0.45
    network_share: float = 0.012
    tail_alpha: float = 1.6
    max_size: int = 500
    activity_alpha: float = 1.3
    max_activity: float = 300.0
    eu_share: float = 0.004
    links_per_actor: float = 0.03
    funded_share: float = 0.75
    unknown_amount_share: float = 0.2
    cofunding_share: float = 0.2
    parent_share: float = 0.05
    n_countries: int | None = None


def _pseudo_words(rng: np.random.Generator, n: int, syllables: int) -> np.ndarray:
    parts = _SYLL[rng.integers(0, len(_SYLL), size=(n, syllables))]
    out = parts[:, 0]
    for k in range(1, syllables):
        out = np.char.add(out, parts[:, k])
    return np.char.capitalize(out)


def _choice(rng: np.random.Generator, options: tuple[str, ...] | list[str], p: np.ndarray, n: int) -> np.ndarray:
    idx = rng.choice(len(options), size=n, p=np.asarray(p, dtype=float) / np.sum(p))
    return np.asarray(options, dtype=object)[idx]


def _sample_in_blocks(rng: np.random.Generator, cum: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                      block: np.ndarray) -> np.ndarray:
    """For each entry of ``block``, an index in ``[starts[b], ends[b])`` drawn with probability
    proportional to the weights whose cumulative sum (over all blocks, in block order) is ``cum``."""
    lo = np.where(starts[block] > 0, cum[np.maximum(starts[block] - 1, 0)], 0.0)
    hi = cum[np.maximum(ends[block] - 1, 0)]
    u = lo + rng.random(len(block)) * (hi - lo)
    idx = np.searchsorted(cum, u, side="right")
    return np.clip(idx, starts[block], np.maximum(ends[block] - 1, starts[block]))


def generate_frames(n_actors: int, seed: int = 0, params: Params | None = None) -> dict[str, pd.DataFrame]:
    """Generate a synthetic dataset as one data frame per import-format table.

    Parameters
    ----------
    n_actors : int
        Number of actors (funders and European bodies included); at least 20.
    seed : int
        Seed of the random generator: the same ``(n_actors, seed, params)`` gives identical frames.
    params : Params or None
        Shape parameters (defaults: `Params()`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``actors``, ``partnerships``, ``memberships``, ``funding``, ``links`` with the import
        format's columns (see ``graph.convert.COLUMNS``; ``aliases`` joined with ``;``; years and
        amounts as nullable numbers). See the module docstring for the distributions.
    """
    if n_actors < 20:
        raise ValueError("n_actors must be at least 20")
    p = params or Params()
    rng = np.random.default_rng(seed)
    n = int(n_actors)

    # -- countries ---------------------------------------------------------------------------------
    n_c = p.n_countries or int(np.clip(round(np.sqrt(n) / 3), 3, len(COUNTRIES)))
    codes = sorted(COUNTRIES, key=lambda c: -COUNTRIES[c][0])[:n_c]
    pop = np.array([COUNTRIES[c][0] for c in codes]) ** 0.8
    eu = n_c  # the pseudo-country of European/international bodies

    # -- funders (the first actors) ---------------------------------------------------------------
    funder_names = ["European Commission", "European Education and Culture Executive Agency",
                    "European Research Executive Agency"]
    funder_types = ["eu_institution"] * 3
    funder_country = [eu] * 3
    with_esf = n >= 2000
    for ci, c in enumerate(codes):
        funder_names.append(f"Ministry of Labour and Social Affairs ({c})")
        funder_types.append("national_authority")
        funder_country.append(ci)
        if with_esf:
            funder_names.append(f"ESF+ Managing Authority ({c})")
            funder_types.append("public_agency")
            funder_country.append(ci)
    n_f = len(funder_names)
    if n_f >= n // 2:
        raise ValueError(f"n_actors={n} is too small for {n_c} countries; give more actors or fewer countries")
    ministry_of = np.array([3 + (2 if with_esf else 1) * ci for ci in range(n_c)])
    esf_of = ministry_of + 1 if with_esf else np.zeros(n_c, dtype=int)  # index 0 = the Commission

    # -- the other actors: country, type, activity -------------------------------------------------
    rest = n - n_f
    is_eu = rng.random(rest) < p.eu_share
    country = np.where(is_eu, eu, rng.choice(n_c, size=rest, p=pop / pop.sum()))
    t_nat = _choice(rng, list(TYPE_WEIGHTS), np.array(list(TYPE_WEIGHTS.values())), rest)
    t_eu = _choice(rng, list(EU_TYPE_WEIGHTS), np.array(list(EU_TYPE_WEIGHTS.values())), rest)
    a_type = np.concatenate([np.asarray(funder_types, dtype=object), np.where(is_eu, t_eu, t_nat)])
    a_country = np.concatenate([np.asarray(funder_country), country]).astype(np.int64)
    active = np.concatenate([np.zeros(n_f, dtype=bool), rng.random(rest) >= p.isolated_share])
    weight = np.where(active, np.minimum(rng.pareto(p.activity_alpha, size=n) + 1.0, p.max_activity), 0.0)

    # -- partnerships: sizes, cross-border, countries of the member slots ----------------------
    target = p.memberships_per_actor * n * 1.03  # a few drawn memberships are duplicates, dropped later
    mu = np.log(p.size_median)
    est = int(target / 3) + 100  # generous: the mean size is above 3
    body = np.maximum(2, np.rint(rng.lognormal(mu, p.size_sigma, size=est))).astype(np.int64)
    tail = np.minimum(p.max_size, np.rint(15 * (rng.pareto(p.tail_alpha, size=est) + 1))).astype(np.int64)
    sizes = np.where(rng.random(est) < p.network_share, tail, body)
    cut = int(np.searchsorted(np.cumsum(sizes), target)) + 1
    sizes = sizes[:cut]
    n_p = len(sizes)
    actors_per_c = np.bincount(a_country[active], minlength=n_c + 1).astype(float)
    # bigger partnerships cross borders more often; calibrated so the overall share is about cross_border_share
    rel = np.where(sizes >= 40, 5.0, np.where(sizes >= 12, 2.0, 1.0))
    cb_prob = rel * p.cross_border_share / rel.mean()
    cross = (rng.random(n_p) < np.clip(cb_prob, 0, 1)) & (n_c >= 2)
    sizes = np.where(cross, np.maximum(sizes, 2), sizes)
    dom_w = actors_per_c[:n_c] / actors_per_c[:n_c].sum()
    home = np.where(cross, eu, rng.choice(n_c, size=n_p, p=dom_w))

    slot_p = np.repeat(np.arange(n_p), sizes)
    starts_p = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    slot_r = np.arange(len(slot_p)) - starts_p[slot_p]
    slot_c = home[slot_p].copy()
    cb_idx = np.flatnonzero(cross)
    if len(cb_idx):
        k = np.minimum(np.minimum(sizes[cb_idx], n_c), 2 + rng.poisson(sizes[cb_idx] / 8.0))
        gumbel = np.log(dom_w)[None, :] - np.log(-np.log(rng.random((len(cb_idx), n_c))))
        chosen = np.argsort(-gumbel, axis=1)  # a weighted random order of the countries per partnership
        row_of = np.full(n_p, -1)
        row_of[cb_idx] = np.arange(len(cb_idx))
        in_cb = cross[slot_p]
        rows = row_of[slot_p[in_cb]]
        r = slot_r[in_cb]
        pick = np.where(r < k[rows], r, (rng.random(len(r)) * k[rows]).astype(np.int64))
        cc = chosen[rows, pick]
        # a European body joins some cross-border partnerships (in the slot after the k countries)
        eu_join = rng.random(len(cb_idx)) < 0.3
        cc = np.where((r == k[rows]) & eu_join[rows], eu, cc)
        slot_c[in_cb] = cc

    # -- fill the slots with actors of the slot's country ----------------------------------------
    by_c = np.lexsort((rng.random(n), a_country))  # actors grouped by country, random order inside
    grp_start = np.searchsorted(a_country[by_c], np.arange(n_c + 1), side="left")
    grp_end = np.searchsorted(a_country[by_c], np.arange(n_c + 1), side="right")
    slot_actor = np.full(len(slot_p), -1, dtype=np.int64)
    # 1. every active actor gets one slot of its own country (so at most isolated_share is isolated)
    act_by_c = by_c[active[by_c]]
    act_c = a_country[act_by_c]
    act_start = np.searchsorted(act_c, np.arange(n_c + 1), side="left")
    act_rank = np.arange(len(act_by_c)) - act_start[act_c]
    slot_order = np.lexsort((rng.random(len(slot_p)), slot_c))
    sc = slot_c[slot_order]
    slot_start = np.searchsorted(sc, np.arange(n_c + 1), side="left")
    slot_count = np.bincount(sc, minlength=n_c + 1)
    s_rank = np.arange(len(sc)) - slot_start[sc]
    take = s_rank < np.bincount(act_c, minlength=n_c + 1)[sc]
    slot_actor[slot_order[take]] = act_by_c[act_start[sc[take]] + s_rank[take]]
    # actors of a country with fewer slots than actors join a random slot's partnership of their country
    fits = act_rank < slot_count[act_c]
    extra_a = act_by_c[~fits]
    extra_c = act_c[~fits]
    has_slot = slot_count[extra_c] > 0
    pos = slot_start[extra_c] + (rng.random(len(extra_c)) * np.maximum(slot_count[extra_c], 1)).astype(np.int64)
    extra_p = np.where(has_slot, slot_p[slot_order[np.minimum(pos, len(sc) - 1)]],
                       (cb_idx[rng.integers(0, len(cb_idx), len(extra_c))] if len(cb_idx)
                        else rng.integers(0, n_p, len(extra_c))))
    # 2. the remaining slots: actors of the slot's country drawn in proportion to their activity
    free = np.flatnonzero(slot_actor < 0)
    cum = np.cumsum(weight[by_c])
    blocks_ok = (cum[np.maximum(grp_end - 1, 0)] - np.where(grp_start > 0, cum[np.maximum(grp_start - 1, 0)], 0)) > 0
    fc = slot_c[free]
    ok = blocks_ok[fc] & (grp_end[fc] > grp_start[fc])
    slot_actor[free[ok]] = by_c[_sample_in_blocks(rng, cum, grp_start, grp_end, fc[ok])]

    m_p = np.concatenate([slot_p, extra_p])
    m_a = np.concatenate([slot_actor, extra_a])
    m_r = np.concatenate([slot_r, np.full(len(extra_a), 10**6)])
    keep = m_a >= 0
    m_p, m_a, m_r = m_p[keep], m_a[keep], m_r[keep]
    order = np.lexsort((m_r, m_p))
    m_p, m_a, m_r = m_p[order], m_a[order], m_r[order]
    _, first = np.unique(m_p * np.int64(n) + m_a, return_index=True)
    first.sort()
    m_p, m_a, m_r = m_p[first], m_a[first], m_r[first]
    first_of_p = np.r_[True, m_p[1:] != m_p[:-1]]

    # -- partnership attributes ------------------------------------------------------------------
    real_size = np.bincount(m_p, minlength=n_p)
    large = real_size >= 30
    kind = np.where(large, _choice(rng, list(_KIND_LARGE), np.array(list(_KIND_LARGE.values())), n_p),
                    _choice(rng, list(_KIND_SMALL), np.array(list(_KIND_SMALL.values())), n_p))
    level = np.where(cross, "european", _choice(rng, ["local", "regional", "national"],
                                                 np.array([0.4, 0.3, 0.3]), n_p))
    years = np.arange(1995, 2025)
    start = rng.choice(years, size=n_p, p=(w := np.linspace(1, 3, len(years))) / w.sum())
    end = start + np.maximum(1, np.rint(rng.lognormal(np.log(3), 0.4, size=n_p))).astype(np.int64)
    running = (end >= 2025) & (rng.random(n_p) < 0.5)
    theme_i = rng.integers(0, len(_THEMES), n_p)
    acronym = np.char.upper(_pseudo_words(rng, n_p, 3))
    code_c = np.asarray(codes + ["EU"], dtype=object)[home]
    is_net = np.isin(kind, _NETWORK_KINDS)
    # parent: a network of the same home country, else any network
    parent = np.full(n_p, -1, dtype=np.int64)
    nets = np.flatnonzero(is_net)
    if len(nets):
        kids = np.flatnonzero(~is_net & (rng.random(n_p) < p.parent_share))
        nets_by = nets[np.argsort(home[nets], kind="stable")]
        ns = np.searchsorted(home[nets_by], np.arange(n_c + 1), side="left")
        ne = np.searchsorted(home[nets_by], np.arange(n_c + 1), side="right")
        cnt = ne[home[kids]] - ns[home[kids]]
        local = ns[home[kids]] + (rng.random(len(kids)) * np.maximum(cnt, 1)).astype(np.int64)
        anyn = nets[rng.integers(0, len(nets), len(kids))]
        parent[kids] = np.where(cnt > 0, nets_by[np.minimum(local, len(nets_by) - 1)], anyn)

    pid = np.char.add("pp-", np.char.zfill(np.arange(n_p).astype(str), 6)).astype(object)
    aid = np.char.add("org-", np.char.zfill(np.arange(n).astype(str), 6)).astype(object)
    start_l, end_l = start.tolist(), end.tolist()
    pnames = [f"{a} — {_THEMES[t]} ({c})" for a, t, c in zip(acronym.tolist(), theme_i.tolist(),
                                                              code_c.tolist(), strict=True)]

    # -- funding ---------------------------------------------------------------------------------
    funded = rng.random(n_p) < p.funded_share
    prog = np.where(cross, rng.choice(5, size=n_p, p=_PROG_CROSS), rng.choice(5, size=n_p, p=_PROG_DOMESTIC))
    home_nat = np.where(cross, rng.integers(0, n_c, n_p), home)
    funder_of_prog = np.stack([np.zeros(n_p, dtype=np.int64), esf_of[home_nat], np.full(n_p, 1), np.full(n_p, 2),
                               ministry_of[home_nat]])
    f_funder = funder_of_prog[prog, np.arange(n_p)][funded]
    f_rec = np.flatnonzero(funded)
    f_prog = prog[funded]
    co = funded & ~cross & (prog != 4) & (rng.random(n_p) < p.cofunding_share)
    f_funder = np.concatenate([f_funder, ministry_of[home[co]]])
    f_rec = np.concatenate([f_rec, np.flatnonzero(co)])
    f_prog = np.concatenate([f_prog, np.full(int(co.sum()), 4)])
    med = np.array([PROGRAMMES[x][1] for x in _PROG_NAMES])
    sig = np.array([PROGRAMMES[x][2] for x in _PROG_NAMES])
    amount = np.rint(rng.lognormal(np.log(med[f_prog]), sig[f_prog])
                     * np.sqrt(np.maximum(real_size[f_rec], 1) / 5.0))
    amount = np.where(rng.random(len(amount)) < p.unknown_amount_share, np.nan, amount)
    # operating grants to a few active national actors
    grant_a = np.flatnonzero(active & (a_country < n_c) & (rng.random(n) < 0.01))
    grant_prog = rng.choice([0, 1, 4], size=len(grant_a), p=[0.3, 0.3, 0.4])
    grant_funder = np.where(grant_prog == 0, 0, np.where(grant_prog == 1, esf_of[a_country[grant_a]],
                                                         ministry_of[a_country[grant_a]]))
    grant_amount = np.rint(rng.lognormal(np.log(40_000.0), 0.8, size=len(grant_a)))

    # -- links -----------------------------------------------------------------------------------
    n_l = int(round(p.links_per_actor * n))
    act_idx = np.flatnonzero(active)
    l_s = act_idx[rng.integers(0, len(act_idx), n_l)] if len(act_idx) else np.zeros(0, dtype=np.int64)
    same = rng.random(n_l) < 0.4
    l_t = act_idx[rng.integers(0, len(act_idx), n_l)] if len(act_idx) else np.zeros(0, dtype=np.int64)
    if same.any():
        act_cum = np.cumsum(active[by_c].astype(float))
        src_c = a_country[l_s[same]]
        l_t[same] = by_c[_sample_in_blocks(rng, act_cum, grp_start, grp_end, src_c)]
    l_kind = rng.choice(len(_LINK_KINDS), size=n_l, p=_LINK_KINDS_P)
    l_year = np.where(rng.random(n_l) < 0.2, -1, rng.integers(2000, 2025, n_l))
    ok = (l_s != l_t) & active[l_t]
    l_s, l_t, l_kind, l_year = l_s[ok], l_t[ok], l_kind[ok], l_year[ok]
    _, firstl = np.unique((l_s * np.int64(n) + l_t) * 8 + l_kind, return_index=True)
    firstl.sort()
    l_s, l_t, l_kind, l_year = l_s[firstl], l_t[firstl], l_kind[firstl], l_year[firstl]

    # -- actor attributes ------------------------------------------------------------------------
    all_codes = np.asarray(codes + [""], dtype=object)
    a_code = all_codes[a_country]
    city_pick = rng.random(n)
    cities = [COUNTRIES[c][1] if c else ("Bruxelles", "Genève", "Strasbourg", "Luxembourg") for c in codes + [""]]
    a_city = [cities[c][int(u * len(cities[c]))] for c, u in zip(a_country.tolist(), city_pick.tolist(),
                                                                   strict=True)]
    w1, w2 = _pseudo_words(rng, n, 2), _pseudo_words(rng, n, 3)
    names = [f"{_TYPE_LABEL[t]} {x} {y} ({ct})" for t, x, y, ct in zip(a_type.tolist(), w1.tolist(), w2.tolist(),
                                                                        a_city, strict=True)]
    names[:n_f] = funder_names
    for i in range(n_f):
        a_city[i] = "Bruxelles" if i < 3 else cities[funder_country[i]][0]
    scope_nat = _choice(rng, ["local", "regional", "national", ""], np.array([0.35, 0.2, 0.25, 0.2]), n)
    scope = np.where(a_country == eu, np.where(rng.random(n) < 0.8, "european", "international"),
                     np.where(a_type == "local_authority", "local",
                              np.where(a_type == "regional_authority", "regional",
                                       np.where(a_type == "national_authority", "national", scope_nat))))
    has_alias = rng.random(n) < 0.1
    aliases = [("".join(wd[0] for wd in nm.split(" (")[0].split()).upper() if h else "")
               for nm, h in zip(names, has_alias.tolist(), strict=True)]
    has_web = rng.random(n) < 0.3
    web = [f"https://www.{x.lower()}{y.lower()}.org" if h else ""
           for x, y, h in zip(w1.tolist(), w2.tolist(), has_web.tolist(), strict=True)]

    actors = pd.DataFrame({
        "id": aid, "name": names, "aliases": aliases, "type": a_type, "country": a_code, "city": a_city,
        "scope": scope, "website": web, "source": _SOURCE, "section": "actors",
    })
    part_code = np.where(kind == "development_partnership",
                         np.char.add(np.char.add(code_c.astype(str), "-NAT-"),
                                     np.char.add(np.char.add(start.astype(str), "-"),
                                                 np.char.zfill(np.arange(n_p).astype(str), 5))),
                         "")
    partnerships = pd.DataFrame({
        "id": pid, "name": pnames, "kind": kind, "code": part_code, "theme": np.asarray(_THEMES, dtype=object)[theme_i],
        "level": level, "start_year": pd.array(start_l, dtype="Int64"),
        "end_year": pd.array([None if r else e for e, r in zip(end_l, running.tolist(), strict=True)], dtype="Int64"),
        "parent_id": np.where(parent >= 0, pid[np.maximum(parent, 0)], ""), "source": _SOURCE,
        "section": "partnerships",
    })
    kind_m = kind[m_p]
    lead_role = np.where(kind_m == "project", "coordinator", "lead")
    other = np.where(np.isin(kind_m, _NETWORK_KINDS), "member", _choice(rng, _ROLES_OTHER, _ROLES_OTHER_P, len(m_p)))
    memberships = pd.DataFrame({
        "actor_id": aid[m_a], "partnership_id": pid[m_p], "role": np.where(first_of_p, lead_role, other),
        "source": _SOURCE, "section": "memberships",
    })
    prog_names = np.asarray(_PROG_NAMES, dtype=object)
    f_start = np.concatenate([start[f_rec], np.full(len(grant_a), -1)])
    f_end = np.concatenate([np.where(running[f_rec], -1, end[f_rec]), np.full(len(grant_a), -1)])
    all_amount = np.concatenate([amount, grant_amount])
    funding = pd.DataFrame({
        "funder_id": aid[np.concatenate([f_funder, grant_funder])],
        "recipient_id": np.concatenate([pid[f_rec], aid[grant_a]]),
        "programme": prog_names[np.concatenate([f_prog, grant_prog])],
        "amount": all_amount, "currency": np.where(np.isnan(all_amount), "", "EUR"),
        "start_year": pd.array(np.where(f_start < 0, None, f_start).tolist(), dtype="Int64"),
        "end_year": pd.array(np.where(f_end < 0, None, f_end).tolist(), dtype="Int64"),
        "source": _SOURCE, "section": "funding",
    }).drop_duplicates(["funder_id", "recipient_id", "programme"], keep="first").reset_index(drop=True)
    links = pd.DataFrame({
        "source_id": aid[l_s], "target_id": aid[l_t], "kind": np.asarray(_LINK_KINDS, dtype=object)[l_kind],
        "year": pd.array(np.where(l_year < 0, None, l_year).tolist(), dtype="Int64"),
        "source": _SOURCE, "section": "links",
    })
    frames = {"actors": actors, "partnerships": partnerships, "memberships": memberships, "funding": funding,
              "links": links}
    for df in frames.values():
        for col in df.columns:
            if df[col].dtype == object or str(df[col].dtype).startswith("str"):
                df[col] = df[col].astype(object)
    return frames


def _int_or_none(v: object) -> int | None:
    return None if v is None or v is pd.NA else int(v)  # type: ignore[call-overload]


def generate(n_actors: int, seed: int = 0, params: Params | None = None) -> Dataset:
    """Generate a synthetic dataset of ``n_actors`` actors as graph-level records.

    Parameters
    ----------
    n_actors : int
        Number of actors (funders and European bodies included); at least 20.
    seed : int
        Seed: the same arguments always give the same records, in the same order.
    params : Params or None
        Shape parameters (defaults: `Params()`).

    Returns
    -------
    graph.model.Dataset
        Actors, partnerships, memberships (about ``3 * n_actors``), funding and links, every
        record valid for the model (closed vocabularies, references resolvable). See
        `generate_frames` and the module docstring for the distributions.

    Examples
    --------
    >>> ds = generate(1000, seed=1)
    >>> len(ds.actors), 2.7 < len(ds.memberships) / 1000 < 3.3
    (1000, True)
    """
    f = generate_frames(n_actors, seed, params)
    a, pt, m, fu, lk = (f[t] for t in ("actors", "partnerships", "memberships", "funding", "links"))
    ds = Dataset()
    ds.actors = [Actor(id=i, name=nm, type=t, aliases=(al,) if al else (), country=c, city=ct, scope=sc, website=w,
                       source=s, section=se)
                 for i, nm, al, t, c, ct, sc, w, s, se in zip(*(a[c].tolist() for c in a.columns), strict=True)]
    ds.partnerships = [
        Partnership(id=i, name=nm, kind=k, code=cd, theme=th, level=lv, start_year=_int_or_none(sy),
                    end_year=_int_or_none(ey), parent_id=par, source=s, section=se)
        for i, nm, k, cd, th, lv, sy, ey, par, s, se in zip(*(pt[c].tolist() for c in pt.columns), strict=True)]
    ds.memberships = [Membership(*r) for r in zip(*(m[c].tolist() for c in m.columns), strict=True)]
    ds.funding = [
        Funding(fi, ri, pr, None if am != am else float(am), cu, _int_or_none(sy), _int_or_none(ey), s, se)
        for fi, ri, pr, am, cu, sy, ey, s, se in zip(*(fu[c].tolist() for c in fu.columns), strict=True)]
    ds.links = [Link(si, ti, k, _int_or_none(y), s, se)
                for si, ti, k, y, s, se in zip(*(lk[c].tolist() for c in lk.columns), strict=True)]
    return ds


def write_csv_folder(frames: dict[str, pd.DataFrame], out: str | Path) -> dict[str, Path]:
    """Write generated frames as a folder of import-format CSV files (UTF-8, comma, header row).

    A fallback used when ``ingest.write_import_files`` is not available; the columns are those of
    the import format, empty cells for unknown values.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for table, df in frames.items():
        path = out / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(df.columns)
            cols = []
            for c in df.columns:
                s = df[c]
                if c == "amount":
                    cols.append(["" if v != v else f"{v:.0f}" for v in s.tolist()])
                else:
                    cols.append(["" if v is None or v is pd.NA else str(v) for v in s.tolist()])
            w.writerows(zip(*cols, strict=True))
        paths[table] = path
    return paths


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

