"""`partnet analyse --write-back` and analyse/report/export reading stored results (issue 17.2), on both stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis.results import results_params
from graph.model import Actor, Dataset
from ingest.pipeline import load
from partnet.cli import cli

ROOT = Path(__file__).resolve().parents[1]

#: What stored results replace; after a write-back none of it may run again.
COMPUTING = [("analysis.centrality", "_actor_centrality"), ("analysis.communities", "_louvain"),
             ("analysis.results", "compute_results")]


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return load(ROOT / "data" / "seed").dataset


def _args(store) -> list[str]:
    return ["--store", store.name] + (["--db", str(store.path)] if store.name == "sqlite" else [])


def _forbid(monkeypatch) -> None:
    import importlib

    for module, name in COMPUTING:
        def boom(*a, _n=name, **k):
            raise AssertionError(f"{_n} recomputed although results are stored")
        monkeypatch.setattr(importlib.import_module(module), name, boom)


def test_write_back_then_analyse_report_export_read_stored_results(store, seed, tmp_path, monkeypatch):
    store.write(seed)
    first = CliRunner().invoke(cli, ["analyse", "--write-back", "--format", "json", *_args(store)])
    assert first.exit_code == 0, first.output
    assert "stored the results in the store" in first.stderr
    stored = store.read_results(results_params())
    assert stored is not None and len(stored.actors) == len(seed.actors)
    _forbid(monkeypatch)
    again = CliRunner().invoke(cli, ["analyse", "--format", "json", *_args(store)])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(first.stdout)  # the same findings, nothing recomputed
    rep = CliRunner().invoke(cli, ["report", str(tmp_path / "brief.html"), *_args(store)])
    assert rep.exit_code == 0, rep.output
    exp = CliRunner().invoke(cli, ["export", "--format", "csv", str(tmp_path / "csv"), *_args(store)])
    assert exp.exit_code == 0, exp.output
    assert (tmp_path / "csv" / "actor_metrics.csv").exists()


def test_stale_results_are_not_served(store, seed, monkeypatch):
    store.write(seed)
    assert CliRunner().invoke(cli, ["analyse", "--write-back", *_args(store)]).exit_code == 0
    store.write(Dataset(actors=[Actor("late-actor", "Late", "ngo", country="BE")]))
    assert store.read_results(results_params()) is None
    _forbid(monkeypatch)
    res = CliRunner().invoke(cli, ["analyse", "--format", "json", *_args(store)])
    assert res.exit_code != 0 and "recomputed" in repr(res.exception)  # it had to compute: nothing stale served


def test_other_options_are_other_results(sqlite_store, seed):
    sqlite_store.write(seed)
    args = _args(sqlite_store)
    assert CliRunner().invoke(cli, ["analyse", "--write-back", "--min-members", "3", *args]).exit_code == 0
    assert sqlite_store.read_results(results_params(min_members=3)) is not None
    assert sqlite_store.read_results(results_params()) is None


def test_read_only_refuses_write_back(sqlite_store, seed, monkeypatch):
    sqlite_store.write(seed)
    monkeypatch.setenv("PARTNET_READ_ONLY", "1")
    res = CliRunner().invoke(cli, ["analyse", "--write-back", *_args(sqlite_store)])
    assert res.exit_code == 1 and "PARTNET_READ_ONLY" in res.output and "Traceback" not in res.output
    assert sqlite_store.read_results(results_params()) is None
