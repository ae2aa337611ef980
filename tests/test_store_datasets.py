"""Datasets in both stores (the contract fixture): replace, shared records, conflicts, dry-run = real run, history."""

from __future__ import annotations

import dataclasses

import pytest

from graph import history
from graph.backup import dataset_fingerprint
from graph.datasets import ConflictError, remove_dataset
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Funding, Membership, Partnership
from ingest.update import plan_and_apply, store_state

SOURCES = [{"id": "DOC-A", "title": "Document A", "file": "a.txt", "description": "first"}]


def run(store, files: Dataset, dataset: str, *, replace=False, on_conflict=None, dry_run=False, sources=()):
    return plan_and_apply("no-such-file", files, list(sources), store, store_state(store), dataset=dataset,
                          replace=replace, on_conflict=on_conflict, dry_run=dry_run)


def owners_of(store) -> dict[str, dict]:
    return store.read_state()[1]


def analyst_dataset() -> Dataset:
    """A second dataset: its own actor and partnership, funded by the European Commission of `small_dataset`."""
    return Dataset(
        actors=[Actor("legacoop-piemonte", "Legacoop Piemonte", "social_economy", country="IT")],
        partnerships=[Partnership("prato-protocol", "Prato protocol", "agreement", level="local")],
        memberships=[Membership("legacoop-piemonte", "prato-protocol", "member")],
        funding=[Funding("european-commission", "prato-protocol", "AMIF", 5000.0, "EUR")],
    )


def test_records_belong_to_their_dataset(store, small_dataset):
    run(store, small_dataset, "seed", sources=SOURCES)
    run(store, analyst_dataset(), "analyst")
    owners = owners_of(store)
    assert owners["actors"][("cfdt",)] == "seed"
    assert owners["actors"][("legacoop-piemonte",)] == "analyst"
    assert owners["funding"][("european-commission", "prato-protocol", "AMIF")] == "analyst"
    assert store.dataset_counts() == {
        "analyst": {"actors": 1, "partnerships": 1, "memberships": 1, "funding": 1, "links": 0},
        "seed": {"actors": 4, "partnerships": 2, "memberships": 3, "funding": 2, "links": 2}}
    assert store.read_sources() == [{"dataset": "seed", **SOURCES[0]}]


def test_replace_deletes_exactly_the_missing_records_and_nothing_of_other_datasets(store, small_dataset):
    run(store, small_dataset, "seed")
    run(store, analyst_dataset(), "analyst")
    edited = dataclasses.replace(
        small_dataset,
        actors=[a for a in small_dataset.actors if a.id != "migracoes-e-desenvolvimento"],
        memberships=[m for m in small_dataset.memberships if m.actor_id != "migracoes-e-desenvolvimento"],
        links=[k for k in small_dataset.links if "migracoes-e-desenvolvimento" not in (k.source_id, k.target_id)])
    out = run(store, edited, "seed", replace=True)
    t = out.plan.tables
    assert [a.id for a in t["actors"].deleted] == ["migracoes-e-desenvolvimento"]
    assert len(t["memberships"].deleted) == 1 and len(t["links"].deleted) == 1
    after = store.read_dataset()
    assert "migracoes-e-desenvolvimento" not in {a.id for a in after.actors}
    assert {a.id for a in after.actors} == {a.id for a in edited.actors} | {"legacoop-piemonte"}
    assert len(after.memberships) == 3 and len(after.links) == 1 and len(after.funding) == 3


def test_a_shared_record_survives_a_replace_and_a_removal(store, small_dataset):
    run(store, small_dataset, "seed")
    run(store, analyst_dataset(), "analyst")  # its funding points at the seed's european-commission
    without_ec = dataclasses.replace(
        small_dataset, actors=[a for a in small_dataset.actors if a.id != "european-commission"], funding=[])
    out = run(store, without_ec, "seed", replace=True)
    kept = out.plan.tables["actors"].kept_shared
    assert [(r.id, by) for r, by in kept] == [("european-commission", ["analyst"])]
    assert "european-commission" in {a.id for a in store.read_dataset().actors}
    plan = remove_dataset(store, "seed")
    assert [r.id for r, _ in plan.tables["actors"].kept_shared] == ["european-commission"]
    left = store.read_dataset()
    assert {a.id for a in left.actors} == {"european-commission", "legacoop-piemonte"}
    assert len(left.funding) == 1 and len(left.memberships) == 1
    assert store.dataset_counts()["seed"]["actors"] == 1  # the kept funder stays in its dataset


def _colliding() -> Dataset:
    ds = analyst_dataset()
    ds.actors.append(Actor("cfdt", "CFDT Piemonte", "ngo", country="IT", source="MINE"))
    ds.memberships.append(Membership("cfdt", "prato-protocol", "partner"))
    return ds


def test_a_conflict_writes_nothing_and_names_both_datasets(store, small_dataset):
    run(store, small_dataset, "seed")
    before = dataset_fingerprint(store.read_dataset()), store.data_version(), store.read_history()
    with pytest.raises(ConflictError) as e:
        run(store, _colliding(), "analyst")
    assert (dataset_fingerprint(store.read_dataset()), store.data_version(), store.read_history()) == before
    text = str(e.value)
    assert e.value.exit_code == 1
    assert "actors cfdt belongs to dataset 'seed'" in text
    assert "name: 'Confédération Française Démocratique du Travail' (seed) vs 'CFDT Piemonte' (analyst)" in text
    assert "type: 'trade_union' (seed) vs 'ngo' (analyst)" in text and "source" not in text.split("->")[0]
    assert "--on-conflict keep" in text


def test_identical_content_is_not_a_conflict(store, small_dataset):
    run(store, small_dataset, "seed")
    ec = next(a for a in small_dataset.actors if a.id == "european-commission")
    ds = analyst_dataset()
    ds.actors.append(dataclasses.replace(ec, source="OTHER-DOC", section="p. 9"))  # provenance differs only
    out = run(store, ds, "analyst")
    assert out.plan.tables["actors"].shared == 1 and not out.plan.conflicts
    assert owners_of(store)["actors"][("european-commission",)] == "seed"


def test_on_conflict_keep_and_update(store, small_dataset):
    run(store, small_dataset, "seed")
    out = run(store, _colliding(), "analyst", on_conflict="keep")
    cfdt = next(a for a in store.read_dataset().actors if a.id == "cfdt")
    assert cfdt.name.startswith("Confédération") and len(out.plan.conflicts) == 1
    assert ("cfdt", "prato-protocol") in {(m.actor_id, m.partnership_id) for m in store.read_dataset().memberships}
    run(store, _colliding(), "analyst", on_conflict="update")
    cfdt = next(a for a in store.read_dataset().actors if a.id == "cfdt")
    assert (cfdt.name, cfdt.type) == ("CFDT Piemonte", "ngo")
    assert owners_of(store)["actors"][("cfdt",)] == "seed"
    last = store.read_history()[-1]
    assert last["dataset"] == "analyst" and last["counts"]["conflicts_resolved"] == 1
    assert last["counts"]["changed"] == 1


@pytest.mark.parametrize("replace", [False, True])
def test_the_dry_run_diff_is_what_the_real_run_does(store, small_dataset, replace):
    run(store, small_dataset, "seed")
    run(store, analyst_dataset(), "analyst")
    edited = dataclasses.replace(
        small_dataset,
        actors=[dataclasses.replace(a, name="CFDT") if a.id == "cfdt" else a for a in small_dataset.actors
                if a.id != "ljubljana"] + [Actor("new-one", "New One", "ngo")],
        memberships=[m for m in small_dataset.memberships if m.actor_id != "ljubljana"],
        links=[k for k in small_dataset.links if "ljubljana" not in (k.source_id, k.target_id)])
    before = store.read_dataset()
    dry = run(store, edited, "seed", replace=replace, dry_run=True)
    assert store.read_dataset().sorted() == before.sorted()
    real = run(store, edited, "seed", replace=replace)
    assert {t: d.counts() for t, d in dry.plan.tables.items()} == {t: d.counts() for t, d in real.plan.tables.items()}
    changed = dry.plan.tables["actors"].changed
    assert [(o.name, n.name) for o, n in changed] == [("Confédération Française Démocratique du Travail", "CFDT")]
    # the store now holds: what was there, minus the deletions, plus new and changed records
    expect = {t: {r.key: r for r in getattr(before, t)} for t in Dataset.TABLES}
    for t, d in dry.plan.tables.items():
        for r in d.deleted:
            del expect[t][r.key]
        for r in d.new + [n for _, n in d.changed]:
            expect[t][r.key] = r
    expected = Dataset(**{t: list(v.values()) for t, v in expect.items()})
    assert store.read_dataset().sorted() == expected.sorted()
    assert bool(dry.plan.tables["actors"].deleted) == replace


def test_history_lines_are_exact(store, small_dataset, monkeypatch):
    times = iter(["2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", "2026-01-03T10:00:00Z"])
    monkeypatch.setattr(history, "utc_now", lambda: next(times))
    monkeypatch.setattr(history, "partnet_version", lambda: "9.9")
    run(store, small_dataset, "seed")
    run(store, dataclasses.replace(small_dataset, links=[]), "seed", replace=True)
    remove_dataset(store, "seed")
    lines = [history.format_entry(e) for e in store.read_history()]
    assert lines == [
        "#1 2026-01-01T10:00:00Z ingest seed: new 13, changed 0, deleted 0, kept shared 0, conflicts resolved 0; "
        "no files; partnet 9.9",
        "#2 2026-01-02T10:00:00Z replace seed: new 0, changed 0, deleted 2, kept shared 0, conflicts resolved 0; "
        "no files; partnet 9.9",
        "#3 2026-01-03T10:00:00Z remove seed: new 0, changed 0, deleted 11, kept shared 0, conflicts resolved 0; "
        "no files; partnet 9.9",
    ]
    assert store.counts()["Actor"] == 0


def test_removing_an_unknown_dataset_is_a_clear_error(store, small_dataset):
    run(store, small_dataset, "seed")
    with pytest.raises(PartnetError, match="(?s)no dataset 'nope'.*datasets are: seed"):
        remove_dataset(store, "nope")


def test_replace_updates_the_datasets_sources(store, small_dataset):
    run(store, small_dataset, "seed", sources=SOURCES)
    other = [{"id": "DOC-B", "title": "Document B", "file": "", "description": ""}]
    run(store, small_dataset, "seed", sources=other, replace=True)
    assert [s["id"] for s in store.read_sources()] == ["DOC-B"]
    run(store, small_dataset, "seed", sources=SOURCES)
    assert [s["id"] for s in store.read_sources()] == ["DOC-A", "DOC-B"]
    remove_dataset(store, "seed")
    assert store.read_sources() == []


def test_a_change_planned_before_another_write_is_refused_then_replanned(store, small_dataset):
    from graph.datasets import StaleStateError

    stale = store_state(store)  # read before the other write
    run(store, small_dataset, "seed")
    before = dataset_fingerprint(store.read_dataset())
    plan = run(store, analyst_dataset(), "analyst", dry_run=True).plan
    change = plan.change()
    change.expected_version = stale.version
    with pytest.raises(StaleStateError):
        store.apply(change)
    assert dataset_fingerprint(store.read_dataset()) == before
    # plan_and_apply re-reads the store and plans again
    out = plan_and_apply("-", analyst_dataset(), [], store, stale, dataset="analyst")
    assert out.plan.totals()["new"] == 4 and store.dataset_counts()["analyst"]["actors"] == 1
