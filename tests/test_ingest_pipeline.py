"""The public API: load, ingest (into both stores, idempotent), references by name, derived ids, sources."""

from __future__ import annotations

import networkx as nx
import pytest
from ingest_support import snapshot, valid_tables, write_csvs, write_workbook

import ingest as ingest_pkg
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from ingest import IngestResult, LoadResult, Report, ValidationError, ingest, load


def test_public_names():
    for name in ("load", "ingest", "write_import_files", "write_template", "Report", "LoadResult", "IngestResult",
                 "ValidationError"):
        assert hasattr(ingest_pkg, name), name
    assert issubclass(ValidationError, PartnetError) and ValidationError.exit_code == 1


def test_load_gives_typed_records_and_an_empty_report(tmp_path):
    result = load(write_csvs(tmp_path / "in"))
    assert isinstance(result, LoadResult) and isinstance(result.report, Report)
    assert result.report.ok and result.report.problems == [] and result.report.errors == []
    assert result.report.format_text() == "no problems found"
    assert result.report.to_frame().empty
    ds = result.dataset
    assert ds.counts() == {"actors": 4, "partnerships": 2, "memberships": 3, "funding": 1, "links": 1}
    cfdt = next(a for a in ds.actors if a.id == "cfdt")
    assert cfdt.aliases == ("CFDT",) and cfdt.family == "trade_unions" and cfdt.country == "FR"
    dp1 = next(p for p in ds.partnerships if p.id == "dp1")
    assert (dp1.start_year, dp1.end_year, dp1.parent_id) == (2002, 2004, "net")
    assert ds.funding[0].amount == 125000.5 and ds.funding[0].currency == "EUR"


def test_ingest_writes_exactly_the_files_and_rerunning_changes_nothing(store, tmp_path):
    folder = write_csvs(tmp_path / "in")
    expected = load(folder).dataset
    result = ingest(folder, store)
    assert isinstance(result, IngestResult) and not result.dry_run
    assert result.written == expected.counts()
    assert result.counts_after["Actor"] == 4 and result.counts_after["PART_OF"] == 1
    assert store.read_dataset().sorted() == expected.sorted()
    # every record carries the dataset named after the folder, and the graph the stored sources
    owners = {t: {r.key: "in" for r in getattr(expected, t)} for t in expected.TABLES}
    read = store.read_graph()
    assert nx.utils.graphs_equal(read, dataset_to_graph(expected, owners=owners, sources=store.read_sources()))
    first = snapshot(store)
    again = ingest(folder, store)
    assert again.written == dict.fromkeys(expected.counts(), 0)  # nothing new or changed: nothing written
    assert again.plan.totals()["unchanged"] == len(expected)
    assert snapshot(store) == first


def test_workbook_ingest_equals_csv_ingest(store, tmp_path):
    ingest(write_workbook(tmp_path / "book.xlsx"), store)
    assert store.read_dataset().sorted() == load(write_csvs(tmp_path / "in")).dataset.sorted()


def test_dry_run_writes_nothing(store, tmp_path, small_dataset):
    store.write(small_dataset)
    before = snapshot(store)
    result = ingest(write_csvs(tmp_path / "in"), store, dry_run=True)
    assert result.dry_run and result.written == {} and result.dataset_counts["actors"] == 4
    assert snapshot(store) == before
    assert ingest(write_csvs(tmp_path / "in2"), None, dry_run=True).dataset_counts["memberships"] == 3


def test_synonyms_and_country_forms_in_a_file(tmp_path):
    tables = valid_tables()
    tables["actors"][1][3:5] = ["Syndicat", "France"]
    tables["actors"][2][3:5] = ["Commune", "Belgique"]
    tables["actors"][3][3:5] = ["EU institution", ""]
    tables["actors"][4][3:5] = ["ONG", "PRT"]
    tables["actors"].append(["gr", "Athens Labour Centre", "", "trade-union", "EL", "", "", "", "", ""])
    tables["actors"].append(["gb", "Unite", "", "Trade Union", "UK", "", "", "", "", ""])
    tables["partnerships"][1][2] = "réseau thématique"
    tables["partnerships"][2][2] = "Partenariat de développement"
    tables["memberships"][1][2] = "chef de file"
    tables["memberships"][2][2] = "Partenaire"
    tables["memberships"][3][2] = "coordinateur"
    tables["links"][1][2] = "échange"
    result = load(write_csvs(tmp_path / "in", tables))
    assert result.report.ok, result.report.format_text()
    actors = {a.id: (a.type, a.country) for a in result.dataset.actors}
    assert actors == {"cfdt": ("trade_union", "FR"), "ville-de-liege": ("local_authority", "BE"),
                      "ec": ("eu_institution", ""), "ngo-a": ("ngo", "PT"), "gr": ("trade_union", "GR"),
                      "gb": ("trade_union", "GB")}
    assert {p.id: p.kind for p in result.dataset.partnerships} == {"net": "thematic_network",
                                                                   "dp1": "development_partnership"}
    assert sorted(m.role for m in result.dataset.memberships) == ["coordinator", "lead", "partner"]
    assert result.dataset.links[0].kind == "exchange"


def test_empty_ids_are_derived_and_references_may_use_names_aliases_and_codes(tmp_path):
    tables = valid_tables()
    tables["actors"][1][0] = ""  # cfdt -> from its name
    tables["partnerships"][2][0] = ""  # dp1 -> from its code PT-2001-001
    tables["partnerships"][1][0] = ""  # net -> from its name
    tables["partnerships"][2][8] = "National network"  # parent by name
    tables["memberships"][1][:2] = ["CFDT", "PT-2001-001"]  # alias and code
    tables["memberships"][2][1] = "pt-2001-001"
    tables["memberships"][3][:2] = ["Ville de Liège", "national network"]  # names, any case
    tables["funding"][1][:2] = ["European Commission", "PT-2001-001"]
    tables["links"][1][:2] = ["VILLE-DE-LIEGE", "Migrants Aid"]
    result = load(write_csvs(tmp_path / "in", tables))
    assert result.report.ok, result.report.format_text()
    ds = result.dataset
    assert "confederation-francaise-democratique-du-travail" in {a.id for a in ds.actors}
    assert {p.id: p.parent_id for p in ds.partnerships} == {"national-network": "", "pt-2001-001": "national-network"}
    assert {(m.actor_id, m.partnership_id) for m in ds.memberships} == {
        ("confederation-francaise-democratique-du-travail", "pt-2001-001"), ("ngo-a", "pt-2001-001"),
        ("ville-de-liege", "national-network")}
    assert (ds.funding[0].funder_id, ds.funding[0].recipient_id) == ("ec", "pt-2001-001")
    assert (ds.links[0].source_id, ds.links[0].target_id) == ("ville-de-liege", "ngo-a")


def test_name_without_latin_letters_gets_a_stable_hash_id_with_a_warning(tmp_path):
    tables = valid_tables()
    tables["actors"].append(["", "Δήμος Αθηναίων", "", "commune", "GR", "", "", "", "", ""])
    first = load(write_csvs(tmp_path / "a", tables))
    second = load(write_csvs(tmp_path / "b", tables))
    (w,) = first.report.warnings
    assert w.code == "derived-id" and w.row == 6
    ids = {a.id for a in first.dataset.actors} - {"cfdt", "ville-de-liege", "ec", "ngo-a"}
    assert ids == {a.id for a in second.dataset.actors} - {"cfdt", "ville-de-liege", "ec", "ngo-a"}
    assert next(iter(ids)).startswith("actor-")


def test_sources_table_is_read_and_unknown_sources_warn(tmp_path):
    tables = valid_tables()
    tables["sources"] = [["id", "title", "file", "description"], ["DOC", "A document", "doc.txt", "what it is"]]
    tables["links"][1][4] = "OTHER-DOC"
    result = load(write_csvs(tmp_path / "in", tables))
    assert result.sources == [{"id": "DOC", "title": "A document", "file": "doc.txt", "description": "what it is"}]
    (w,) = result.report.warnings
    assert (w.code, w.table, w.row, w.value) == ("unknown-source", "links", 2, "OTHER-DOC")


def test_validation_error_carries_the_report(tmp_path, sqlite_store):
    tables = valid_tables()
    tables["actors"][1][3] = "wizard"
    with pytest.raises(ValidationError) as e:
        ingest(write_csvs(tmp_path / "in", tables), sqlite_store)
    assert len(e.value.report.errors) == 1
    assert "1 error" in str(e.value) and "nothing was written" in str(e.value)
    assert sqlite_store.counts()["Actor"] == 0


def test_repeated_relationship_rows_warn_and_the_last_wins(store, tmp_path):
    tables = valid_tables()
    tables["memberships"].append(["cfdt", "dp1", "coordinator", "DOC", "7"])
    result = ingest(write_csvs(tmp_path / "in", tables), store)
    (w,) = result.report.warnings
    assert (w.code, w.row) == ("repeated-row", 5) and "row 2" in w.message
    roles = {(m.actor_id, m.partnership_id): m.role for m in store.read_dataset().memberships}
    assert roles[("cfdt", "dp1")] == "coordinator"
