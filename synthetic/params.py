"""What the synthetic generator is given: its shape parameters (`Params`) and the reference tables.

`COUNTRIES` (population and cities), `TYPE_WEIGHTS`/`EU_TYPE_WEIGHTS` (the mix of actor types)
and `PROGRAMMES` (funders' roles and amounts) are the realistic proportions the package doc
(`synthetic`) describes; `Params` holds the knobs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COUNTRIES", "EU_TYPE_WEIGHTS", "HORIZON2020_TARGETS", "PROFILES", "PROFILE_SIZES", "PROGRAMMES",
           "TYPE_WEIGHTS", "Params", "profile"]

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


@dataclass(frozen=True)
class Params:
    """The knobs of the generator (defaults give the realistic shape described in the package doc, `synthetic`).

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
    single_share : float
        Share of partnerships with exactly one member (individual grants); 0 draws none.
    solo_share : float
        Share of active actors who hold only single-member partnerships (one each), so have no tie.
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
    single_share: float = 0.0
    solo_share: float = 0.0


#: The figures of all of Horizon 2020 (CORDIS export, measured for issue 18) that the
#: ``horizon2020`` profile is calibrated to (see `synthetic.shape.network_figures` for each name).
HORIZON2020_TARGETS: dict[str, float] = {
    "actors": 35_871, "partnerships": 31_451, "memberships": 144_726, "ties": 796_670,
    "single_member_share": 0.606, "size_max": 186, "no_tie_share": 0.117, "components": 4_417,
    "giant_share": 0.868, "degree_median": 17, "degree_p99": 521, "degree_max": 6_825,
}

#: Named shapes for `partnet generate --profile` and the benchmark. ``default``: the EQUAL/AMIF-like
#: shape of the package doc. ``horizon2020``: a framework programme (about 61 % individual grants,
#: consortia of ~10 spanning countries, a few research organisations in thousands of projects, no
#: bilateral links, every organisation a participant), calibrated to `HORIZON2020_TARGETS`.
PROFILES: dict[str, Params] = {
    "default": Params(),
    "horizon2020": Params(
        memberships_per_actor=4.1, isolated_share=0.0, single_share=0.606, solo_share=0.06,
        cross_border_share=0.6, size_median=8.0, size_sigma=0.7, network_share=0.01, tail_alpha=1.6,
        max_size=186, activity_alpha=0.9, max_activity=5000.0, links_per_actor=0.0),
}
#: The number of actors a profile is measured at (``partnet generate --profile`` without ``--actors``).
PROFILE_SIZES: dict[str, int] = {"horizon2020": 35_871}


def profile(name: str) -> Params:
    """The `Params` of the profile ``name`` (a key of `PROFILES`).

    Raises
    ------
    KeyError
        With the known names, when ``name`` is not one.
    """
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None
