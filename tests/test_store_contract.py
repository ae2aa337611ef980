"""The contract both stores keep: the same tests run against SQLite and a real Neo4j server."""

from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

from graph.errors import IntegrityError, ReadOnlyError
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership
from graph.store import COUNT_KEYS

EMPTY_COUNTS = dict.fromkeys(COUNT_KEYS, 0)


def expected_counts(ds: Dataset) -> dict[str, int]:
    return {"Actor": len(ds.actors), "Partnership": len(ds.partnerships), "MEMBER_OF": len(ds.memberships),
            "FUNDS": len(ds.funding), "LINKED_TO": len(ds.links),
            "PART_OF": sum(1 for p in ds.partnerships if p.parent_id)}


def test_empty_store_reads_empty(store):
    assert store.counts() == EMPTY_COUNTS
    assert len(store.read_dataset()) == 0
    g = store.read_graph()
    assert g.number_of_nodes() == 0 and g.number_of_edges() == 0
    frames = store.read_frames()
    assert set(frames) == {"actors", "partnerships", "memberships", "funding", "links"}
    assert all(df.empty for df in frames.values())
    assert "id" in frames["actors"].columns


def test_round_trip_every_record_and_property(store, small_dataset):
    written = store.write(small_dataset)
    assert written == small_dataset.counts()
    assert store.read_dataset().sorted() == small_dataset.sorted()
    assert store.counts() == expected_counts(small_dataset)


def test_non_ascii_names_survive_exactly(store, small_dataset):
    store.write(small_dataset)
    names = {a.name for a in store.read_dataset().actors}
    assert "Confédération Française Démocratique du Travail" in names
    assert "Migrações e Desenvolvimento" in names
    assert "Ljubljana – Mestna občina" in names


def test_graph_view_has_every_property(store, small_dataset):
    store.write(small_dataset)
    g = store.read_graph()
    assert isinstance(g, nx.MultiDiGraph)
    cfdt = g.nodes["cfdt"]
    assert cfdt["label"] == "Actor" and cfdt["family"] == "trade_unions"
    assert cfdt["aliases"] == ["CFDT", "Confédération française"]
    assert cfdt["website"] == "https://www.cfdt.fr" and cfdt["section"] == "3.2 France"
    dp = g.nodes["fr-nat-2001-10456"]
    assert dp["label"] == "Partnership" and dp["code"] == "FR-NAT-2001-10456" and dp["start_year"] == 2002
    assert g.has_edge("fr-nat-2001-10456", "ntn-fr", key="PART_OF")
    assert g.edges["cfdt", "fr-nat-2001-10456", "MEMBER_OF"]["role"] == "lead"
    funds = g.edges["european-commission", "fr-nat-2001-10456", "FUNDS:ESF/EQUAL"]
    assert funds["amount"] == pytest.approx(125000.5) and funds["currency"] == "EUR" and funds["end_year"] == 2005
    assert g.edges["european-commission", "cfdt", "FUNDS:AMIF"]["amount"] is None
    assert g.edges["ljubljana", "migracoes-e-desenvolvimento", "LINKED_TO:exchange"]["year"] == 2020
    types = sorted(d["type"] for *_, d in g.edges(data=True))
    assert types.count("MEMBER_OF") == 3 and types.count("FUNDS") == 2 and types.count("LINKED_TO") == 2


def test_frames_view(store, small_dataset):
    store.write(small_dataset)
    frames = store.read_frames()
    actors = frames["actors"].set_index("id")
    assert actors.loc["cfdt", "aliases"] == "CFDT;Confédération française"
    assert actors.loc["ljubljana", "family"] == "authorities"
    assert len(frames["memberships"]) == 3
    assert str(frames["partnerships"]["start_year"].dtype) == "Int64"


def test_rewrite_is_idempotent(store, small_dataset):
    store.write(small_dataset)
    before = store.read_dataset().sorted()
    store.write(small_dataset)
    store.write(small_dataset)
    assert store.counts() == expected_counts(small_dataset)
    assert store.read_dataset().sorted() == before


def test_upsert_updates_properties(store, small_dataset):
    store.write(small_dataset)
    renamed = dataclasses.replace(small_dataset.actors[0], name="CFDT (renamed)", city="Lyon")
    moved = dataclasses.replace(small_dataset.partnerships[1], parent_id="")
    store.write(Dataset(actors=[renamed], partnerships=[moved],
                        memberships=[Membership("cfdt", "fr-nat-2001-10456", "partner")]))
    ds = store.read_dataset()
    cfdt = next(a for a in ds.actors if a.id == "cfdt")
    assert (cfdt.name, cfdt.city) == ("CFDT (renamed)", "Lyon")
    assert store.counts()["PART_OF"] == 0
    assert store.counts()["MEMBER_OF"] == 3
    roles = {(m.actor_id, m.partnership_id): m.role for m in ds.memberships}
    assert roles[("cfdt", "fr-nat-2001-10456")] == "partner"


def test_write_referring_to_stored_records(store, small_dataset):
    store.write(small_dataset)
    store.write(Dataset(memberships=[Membership("european-commission", "ntn-fr", "associate")]))
    assert store.counts()["MEMBER_OF"] == 4


@pytest.mark.parametrize("bad", [
    Dataset(memberships=[Membership("nobody", "ntn-fr")]),
    Dataset(memberships=[Membership("cfdt", "no-such-partnership")]),
    Dataset(funding=[Funding("nobody", "ntn-fr", "AMIF")]),
    Dataset(funding=[Funding("european-commission", "nowhere", "AMIF")]),
    Dataset(links=[Link("cfdt", "nobody", "exchange")]),
    Dataset(partnerships=[Partnership(id="orphan", name="Orphan", kind="project", parent_id="no-parent")]),
], ids=["member-actor", "member-partnership", "funder", "recipient", "link-target", "parent"])
def test_failing_batch_leaves_no_partial_data(store, small_dataset, bad):
    """A write whose later part fails rolls back whole: nothing of it lands, nothing stored is lost."""
    store.write(small_dataset)
    before = store.read_dataset().sorted()
    good_part = Dataset(
        actors=[Actor(id=f"new-actor-{i}", name=f"New actor {i}", type="ngo", country="BE") for i in range(20)],
        partnerships=[Partnership(id="new-p", name="New partnership", kind="project")],
        memberships=[Membership(f"new-actor-{i}", "new-p") for i in range(20)],
    )
    mixed = Dataset(**{t: getattr(good_part, t) + getattr(bad, t) for t in Dataset.TABLES})
    with pytest.raises(IntegrityError) as err:
        store.write(mixed)
    assert "nothing was written" in str(err.value)
    assert store.read_dataset().sorted() == before
    assert store.counts() == expected_counts(small_dataset)


def test_failing_batch_into_empty_store(store):
    with pytest.raises(IntegrityError):
        store.write(Dataset(actors=[Actor(id="a", name="A", type="ngo", country="FR")],
                            memberships=[Membership("a", "missing")]))
    assert store.counts() == EMPTY_COUNTS


def test_delete_all(store, small_dataset):
    store.write(small_dataset)
    store.delete_all()
    assert store.counts() == EMPTY_COUNTS
    assert len(store.read_dataset()) == 0
    store.write(small_dataset)
    assert store.counts() == expected_counts(small_dataset)


def test_data_version_changes_on_write(store, small_dataset):
    v0 = store.data_version()
    store.write(small_dataset)
    v1 = store.data_version()
    assert v1 != v0
    assert store.data_version() == v1
    store.delete_all()
    assert store.data_version() not in (v0, v1)


def test_info_names_store_and_location(store, small_dataset):
    store.write(small_dataset)
    info = store.info()
    assert info.name in ("sqlite", "neo4j")
    assert info.schema_version >= 1
    assert info.counts == expected_counts(small_dataset)
    if info.name == "neo4j":
        assert info.location.startswith(("bolt://", "neo4j://"))
        assert info.details["server"].startswith("Neo4j/5.")
    else:
        assert info.location.endswith("partnet.db")


def test_large_batched_write(store):
    """More rows than one batch (the Neo4j fixture uses batches of 7): all land, once."""
    n = 250
    ds = Dataset(
        actors=[Actor(id=f"a{i}", name=f"Acteur n° {i}", type="employer", country="FR") for i in range(n)],
        partnerships=[Partnership(id=f"p{i}", name=f"P{i}", kind="project") for i in range(25)],
        memberships=[Membership(f"a{i}", f"p{i % 25}", "member") for i in range(n)],
    )
    store.write(ds)
    store.write(ds)
    assert store.counts()["Actor"] == n and store.counts()["MEMBER_OF"] == n


def test_read_only_store_refuses_writes(store, small_dataset, tmp_path):
    from graph.neo4j_store import Neo4jStore
    from graph.sqlite_store import SQLiteStore

    store.write(small_dataset)
    if isinstance(store, SQLiteStore):
        ro = SQLiteStore(store.path, read_only=True)
    else:
        ro = Neo4jStore(store.settings, read_only=True)
    try:
        assert ro.counts() == expected_counts(small_dataset)
        with pytest.raises(ReadOnlyError):
            ro.write(small_dataset)
        with pytest.raises(ReadOnlyError):
            ro.delete_all()
    finally:
        ro.close()
    assert store.counts() == expected_counts(small_dataset)
