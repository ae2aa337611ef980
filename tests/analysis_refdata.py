"""Reference networks for the analysis tests, written in the import format and loaded through ingest.

- Padgett's Florentine families (``networkx.florentine_families_graph``): the families are actors,
  the marriage ties are LINKED_TO links.
- Davis's Southern Women (``networkx.davis_southern_women_graph``): the women are actors, the 14
  social events are partnerships, attendance is membership.

Both are written as CSV files (actors.csv, partnerships.csv, memberships.csv, funding.csv,
links.csv) in a folder and read back with ``ingest.load`` so that the reference checks exercise
the same path as a user's files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from graph.convert import dataset_to_graph
from graph.model import slugify

HEADERS = {
    "actors": ["id", "name", "aliases", "type", "country", "city", "scope", "website", "source", "section"],
    "partnerships": ["id", "name", "kind", "code", "theme", "level", "start_year", "end_year", "parent_id",
                     "source", "section"],
    "memberships": ["actor_id", "partnership_id", "role", "source", "section"],
    "funding": ["funder_id", "recipient_id", "programme", "amount", "currency", "start_year", "end_year",
                "source", "section"],
    "links": ["source_id", "target_id", "kind", "year", "source", "section"],
}


def write_folder(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write one CSV per table (missing tables as header-only files) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, header in HEADERS.items():
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=header)
            w.writeheader()
            for row in tables.get(table, []):
                w.writerow({k: row.get(k, "") for k in header})
    return folder


def load_graph(folder: Path) -> nx.MultiDiGraph:
    """Load an import-format folder with ``ingest.load`` and return its property graph.

    Any error fails the test. An actors-and-links network such as Padgett's marriages has no
    partnerships: the import format accepts that with a warning.
    """
    from ingest import load

    result = load(folder)
    assert result.report.ok, result.report.format_text()
    return dataset_to_graph(result.dataset)


def florentine_folder(folder: Path) -> Path:
    """Padgett's Florentine families as actors (type ``other``, country IT) with marriage links."""
    fl = nx.florentine_families_graph()
    actors = [{"id": slugify(n), "name": n, "type": "other", "country": "IT", "city": "Florence",
               "source": "padgett", "section": "marriage"} for n in sorted(fl)]
    links = [{"source_id": slugify(u), "target_id": slugify(v), "kind": "other", "source": "padgett",
              "section": "marriage"} for u, v in sorted(fl.edges)]
    return write_folder(folder, {"actors": actors, "links": links})


def davis_folder(folder: Path) -> Path:
    """Davis's Southern Women as actors (type ``other``, country US) attending events (partnerships)."""
    dw = nx.davis_southern_women_graph()
    women, events = dw.graph["top"], dw.graph["bottom"]
    actors = [{"id": slugify(w), "name": w, "type": "other", "country": "US", "source": "davis",
               "section": "women"} for w in women]
    parts = [{"id": slugify(e), "name": e, "kind": "initiative", "source": "davis", "section": "events"}
             for e in events]
    members = [{"actor_id": slugify(w), "partnership_id": slugify(e), "role": "member", "source": "davis",
                "section": "attendance"} for w, e in (_oriented(u, v, set(women)) for u, v in dw.edges)]
    return write_folder(folder, {"actors": actors, "partnerships": parts, "memberships": members})


def _oriented(u: str, v: str, women: set[str]) -> tuple[str, str]:
    return (u, v) if u in women else (v, u)
