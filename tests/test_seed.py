"""The seed dataset is traceable to its five source documents (../shared/seeds/)."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seed"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
DOCS = {
    "FDS-2005": "000_281584a3710e0b6e.txt",
    "EQUAL-NTN": "001_482beba33f3bb6c6.txt",
    "UMN-GUIDE-2022": "002_2bf0b4d25ea0c50f.txt",
    "UMN-CONF-2020": "003_232d1c580f5bd45c.txt",
    "CLIP-2011": "004_0565ee5e0391e3b5.txt",
}
TABLES = ("actors", "partnerships", "memberships", "funding", "links")


def rows(table: str) -> list[dict[str, str]]:
    with (SEED / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fold(text: str) -> str:
    """Accent- and case-insensitive, with spacing, hyphens and punctuation removed (PDF extractions)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s\-‐‑–—_/.,'’()]+", "", text)


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    if not SEEDS_DIR.is_dir():
        pytest.fail(f"the source documents are expected in {SEEDS_DIR} (../shared/seeds beside the repository)")
    return {doc: fold((SEEDS_DIR / name).read_text(encoding="utf-8", errors="replace")) for doc, name in DOCS.items()}


def test_every_row_cites_a_known_document_and_a_section():
    for table in TABLES:
        for i, r in enumerate(rows(table), start=2):
            assert r["source"] in DOCS, f"{table} row {i}: source {r['source']!r}"
            assert r["section"].strip(), f"{table} row {i}: no section"
    assert {r["id"] for r in rows("sources")} == set(DOCS)


def test_every_actor_name_or_alias_occurs_in_its_document(documents):
    missing = []
    for a in rows("actors"):
        names = [a["name"], *[x for x in a["aliases"].split(";") if x]]
        if not any(fold(n) in documents[a["source"]] for n in names):
            missing.append(f"{a['id']} ({a['source']})")
    assert not missing, f"not found in the cited document: {missing}"


def test_size_and_coverage():
    """On the order of 200+ actors and 40+ partnerships, every document contributing."""
    actors, partnerships = rows("actors"), rows("partnerships")
    assert len(actors) >= 200 and len(partnerships) >= 40
    assert set(Counter(a["source"] for a in actors)) == set(DOCS)
    codes = {p["code"] for p in partnerships}
    assert {"FR-NAT-2001-10039", "PT-2001-163", "FR-RAL-2001-11139"} <= codes


def test_readme_counts_match_the_files():
    readme = (SEED / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        data = rows(table)
        c = Counter(r["source"] for r in data)
        line = f"| {table} | " + " | ".join(str(c.get(d, 0)) for d in DOCS) + f" | {len(data)} |"
        assert line in readme, f"README.md is stale for {table}: expected {line}"


def test_ids_unique_across_actors_and_partnerships():
    actor_ids = [a["id"] for a in rows("actors")]
    partnership_ids = [p["id"] for p in rows("partnerships")]
    assert len(set(actor_ids)) == len(actor_ids)
    assert len(set(partnership_ids)) == len(partnership_ids)
    assert not set(actor_ids) & set(partnership_ids)
