"""The actors of a synthetic network: countries, funders, the others' type and activity, their attributes.

`draw_population` is the generator's first stage (who exists, where, how active);
`actor_frame` draws the attributes shown to users (city, name, scope, aliases, website) and
builds the ``actors`` table. Both draw from the generator's one random source, in that order
inside `synthetic.generator.generate_frames`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic._shared import SOURCE, choice, pseudo_words
from synthetic.params import COUNTRIES, EU_TYPE_WEIGHTS, TYPE_WEIGHTS, Params

__all__ = ["Population", "actor_frame", "draw_population"]

_TYPE_LABEL = {
    "local_authority": "Municipality of", "regional_authority": "Region of", "national_authority": "Ministry of",
    "public_agency": "Employment Agency", "eu_institution": "European Agency", "international_organisation":
    "International Office", "employer": "Enterprise", "employer_organisation": "Employers' Federation",
    "social_economy": "Cooperative", "trade_union": "Trade Union", "ngo": "Association", "network": "Network",
    "foundation": "Foundation", "migrant_organisation": "Migrant Association", "research": "Institute",
    "consultancy": "Consultancy", "media": "Media", "other": "Organisation",
}


@dataclass
class Population:
    """The actors as drawn by `draw_population` (index ``i`` is actor ``i``; funders come first).

    Attributes
    ----------
    n, n_c, n_f : int
        Actors, countries and funders.
    eu : int
        The country index (``n_c``) of the pseudo-country of European/international bodies.
    codes : list of str
        The countries' ISO codes (country index -> code).
    funder_names : list of str
        The funders' names.
    funder_country : list of int
        The funders' country indexes.
    ministry_of, esf_of : numpy.ndarray
        Per country, the actor index of its ministry and of its ESF+ managing authority (the
        Commission, 0, when the dataset is too small to have one).
    a_type, a_country : numpy.ndarray
        Every actor's type and country index.
    active, weight : numpy.ndarray
        Whether the actor is in any partnership, and its Pareto activity weight (0 if not).
    """

    n: int
    n_c: int
    eu: int
    codes: list[str]
    funder_names: list[str]
    funder_country: list[int]
    n_f: int
    ministry_of: np.ndarray
    esf_of: np.ndarray
    a_type: np.ndarray
    a_country: np.ndarray
    active: np.ndarray
    weight: np.ndarray


def draw_population(rng: np.random.Generator, n: int, p: Params) -> Population:
    """Draw the countries in use, the funders and every other actor's country, type and activity.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    n : int
        Number of actors.
    p : Params
        Shape parameters.

    Returns
    -------
    Population

    Raises
    ------
    ValueError
        When the funders would be half the actors or more.

    Notes
    -----
    The ``n_c`` most populous countries are used, weighted by population to the power 0.8; each
    has a ministry (and an ESF+ managing authority from 2,000 actors), after three EU funders. A
    share ``p.eu_share`` of the others are European bodies; types follow `TYPE_WEIGHTS` (national)
    or `EU_TYPE_WEIGHTS`; a share ``p.isolated_share`` is inactive; activity weights are Pareto
    (``p.activity_alpha``) capped at ``p.max_activity``.
    """
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
    t_nat = choice(rng, list(TYPE_WEIGHTS), np.array(list(TYPE_WEIGHTS.values())), rest)
    t_eu = choice(rng, list(EU_TYPE_WEIGHTS), np.array(list(EU_TYPE_WEIGHTS.values())), rest)
    a_type = np.concatenate([np.asarray(funder_types, dtype=object), np.where(is_eu, t_eu, t_nat)])
    a_country = np.concatenate([np.asarray(funder_country), country]).astype(np.int64)
    active = np.concatenate([np.zeros(n_f, dtype=bool), rng.random(rest) >= p.isolated_share])
    weight = np.where(active, np.minimum(rng.pareto(p.activity_alpha, size=n) + 1.0, p.max_activity), 0.0)
    return Population(n=n, n_c=n_c, eu=eu, codes=codes, funder_names=funder_names, funder_country=funder_country,
                      n_f=n_f, ministry_of=ministry_of, esf_of=esf_of, a_type=a_type, a_country=a_country,
                      active=active, weight=weight)


def actor_frame(rng: np.random.Generator, people: Population, aid: np.ndarray) -> pd.DataFrame:
    """Draw the actors' attributes and build the ``actors`` table.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    people : Population
        The actors drawn by `draw_population`.
    aid : numpy.ndarray
        The actors' ids.

    Returns
    -------
    pandas.DataFrame
        The ``actors`` table of the import format.

    Notes
    -----
    A city of the actor's country (Brussels, Geneva, Strasbourg or Luxembourg for European
    bodies); a name from the type's label and pseudo-words (funders keep theirs); a scope from
    the type or the country; an acronym alias for 10 % and a website for 30 % of the actors.
    """
    n, n_f, eu, codes = people.n, people.n_f, people.eu, people.codes
    a_type, a_country = people.a_type, people.a_country
    funder_names, funder_country = people.funder_names, people.funder_country
    # -- actor attributes ------------------------------------------------------------------------
    all_codes = np.asarray(codes + [""], dtype=object)
    a_code = all_codes[a_country]
    city_pick = rng.random(n)
    cities = [COUNTRIES[c][1] if c else ("Bruxelles", "Genève", "Strasbourg", "Luxembourg") for c in codes + [""]]
    a_city = [cities[c][int(u * len(cities[c]))] for c, u in zip(a_country.tolist(), city_pick.tolist(),
                                                                   strict=True)]
    w1, w2 = pseudo_words(rng, n, 2), pseudo_words(rng, n, 3)
    names = [f"{_TYPE_LABEL[t]} {x} {y} ({ct})" for t, x, y, ct in zip(a_type.tolist(), w1.tolist(), w2.tolist(),
                                                                        a_city, strict=True)]
    names[:n_f] = funder_names
    for i in range(n_f):
        a_city[i] = "Bruxelles" if i < 3 else cities[funder_country[i]][0]
    scope_nat = choice(rng, ["local", "regional", "national", ""], np.array([0.35, 0.2, 0.25, 0.2]), n)
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
        "scope": scope, "website": web, "source": SOURCE, "section": "actors",
    })
    return actors
