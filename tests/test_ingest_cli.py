"""``partnet ingest`` and ``partnet template`` through click's CliRunner and as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from ingest_support import snapshot, valid_tables, write_csvs

from graph.sqlite_store import SQLiteStore
from partnet.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _bad(tmp_path: Path) -> Path:
    tables = valid_tables()
    tables["actors"][2][3] = "wizard"
    tables["memberships"][3][0] = "nobody"
    tables["funding"][1][3] = "1,234"
    return write_csvs(tmp_path / "bad", tables)


def _db_snapshot(db: Path):
    with SQLiteStore(db) as st:
        return snapshot(st)


def test_ingest_prints_a_summary_and_rerunning_changes_nothing(tmp_path):
    db = tmp_path / "p.db"
    folder = write_csvs(tmp_path / "in")
    first = _run("ingest", str(folder), "--db", str(db))
    assert first.exit_code == 0, first.output
    assert "written to" in first.output and "warnings" in first.output
    lines = {line.split()[0]: line.split()[1:] for line in first.output.splitlines() if line.startswith("  ")}
    # in files, new, changed, unchanged, kept, deleted, kept (shared), conflicts
    assert lines["actors"] == ["4", "4", "0", "0", "0", "0", "0", "0"]
    assert lines["memberships"] == ["3", "3", "0", "0", "0", "0", "0", "0"]
    assert "in store: actors 4, partnerships 2, memberships 3" in first.output
    assert lines["warnings"] == ["0"]
    state = _db_snapshot(db)
    second = _run("ingest", str(folder), "--db", str(db))
    assert second.exit_code == 0
    assert _db_snapshot(db) == state


def test_validation_errors_exit_1_with_the_report_and_nothing_written(tmp_path):
    db = tmp_path / "p.db"
    _run("ingest", str(write_csvs(tmp_path / "good")), "--db", str(db))
    before = _db_snapshot(db)
    result = _run("ingest", str(_bad(tmp_path)), "--db", str(db))
    assert result.exit_code == 1
    out = result.output
    assert "3 errors:" in out
    assert 'actors.csv:3 type "wizard": unknown type -> use one of:' in out
    assert 'memberships.csv:4 actor_id "nobody": no actor has the id' in out
    assert 'funding.csv:2 amount "1,234": ambiguous amount' in out
    assert "nothing was written" in result.stderr
    assert "Traceback" not in out + result.stderr
    assert out.index("errors:") < out.index("warning") if "warning" in out else True
    assert _db_snapshot(db) == before


def test_errors_come_before_warnings(tmp_path):
    tables = valid_tables()
    tables["actors"][0].append("notes")
    for row in tables["actors"][1:]:
        row.append("x")
    tables["actors"][1][3] = "wizard"
    result = _run("ingest", str(write_csvs(tmp_path / "in", tables)), "--db", str(tmp_path / "p.db"))
    assert result.exit_code == 1
    assert result.output.index("1 error:") < result.output.index("1 warning:")


def test_dry_run_writes_nothing(tmp_path):
    db = tmp_path / "p.db"
    result = _run("ingest", str(write_csvs(tmp_path / "in")), "--db", str(db), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was written" in result.output
    assert not db.exists()
    _run("ingest", str(write_csvs(tmp_path / "in")), "--db", str(db))
    before = _db_snapshot(db)
    tables = valid_tables()
    tables["actors"].append(["new", "New actor", "", "ngo", "", "", "", "", "", ""])
    assert _run("ingest", str(write_csvs(tmp_path / "in2", tables)), "--db", str(db), "--dry-run").exit_code == 0
    assert _db_snapshot(db) == before


def test_report_file_lists_every_problem(tmp_path):
    out = tmp_path / "report.csv"
    result = _run("ingest", str(_bad(tmp_path)), "--db", str(tmp_path / "p.db"), "--report", str(out))
    assert result.exit_code == 1
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert sorted(frame["code"]) == ["ambiguous-amount", "unknown-reference", "unknown-value"]
    assert set(frame["row"]) == {"2", "3", "4"}


def test_unknown_format_for_the_path_exits_1(tmp_path):
    result = _run("ingest", str(write_csvs(tmp_path / "in")), "--db", str(tmp_path / "p.db"), "--format", "workbook")
    assert result.exit_code == 1 and "folder was given as a workbook" in result.output


def test_missing_path_exits_1(tmp_path):
    result = _run("ingest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "p.db"))
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_neo4j_unreachable_exits_2_without_the_password(tmp_path):
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": "sentinel-Pw-93731"}
    result = _run("ingest", str(write_csvs(tmp_path / "in")), "--store", "neo4j", env=env)
    assert result.exit_code == 2
    assert "bolt://127.0.0.1:1" in result.stderr
    assert "sentinel-Pw-93731" not in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_cli_into_neo4j_is_idempotent(neo4j_store, tmp_path):
    folder = write_csvs(tmp_path / "in")
    env = {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD") if k in os.environ}
    first = _run("ingest", str(folder), "--store", "neo4j", env=env)
    assert first.exit_code == 0, first.output + first.stderr
    state = snapshot(neo4j_store)
    assert state[0]["Actor"] == 4
    assert _run("ingest", str(folder), "--store", "neo4j", env=env).exit_code == 0
    assert snapshot(neo4j_store) == state
    bad = _run("ingest", str(_bad(tmp_path)), "--store", "neo4j", env=env)
    assert bad.exit_code == 1
    assert snapshot(neo4j_store) == state


def test_template_command_writes_the_committed_templates(tmp_path):
    result = _run("template", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 0 and "wrote" in result.output
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"
    assert _run("template", str(tmp_path / "csv")).exit_code == 0
    for f in (ROOT / "data" / "template").glob("*.csv"):
        assert (tmp_path / "csv" / f.name).read_bytes() == f.read_bytes()
    blocked = tmp_path / "file"
    blocked.write_text("x")
    result = _run("template", str(blocked / "sub"))
    assert result.exit_code == 1 and "cannot write the template" in result.stderr


# -- a real process ------------------------------------------------------------------
def _partnet(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PARTNET_STORE", None)
    return subprocess.run([sys.executable, "-m", "partnet", *args], capture_output=True, text=True,
                          env=full_env, cwd=ROOT, timeout=300)


def test_real_process_exit_codes_and_no_traceback(tmp_path):
    db = str(tmp_path / "p.db")
    tables = valid_tables()
    for i in range(6000):
        tables["actors"].append([f"gen-{i}", f"Generated organisation {i}", "", "ngo", "FR", "", "", "", "", ""])
    ok = _partnet("ingest", str(write_csvs(tmp_path / "big", tables)), "--db", db)
    assert ok.returncode == 0, ok.stderr
    assert "actors" in ok.stderr and "rows" in ok.stderr  # the progress bar, on stderr
    assert "6,004" in ok.stdout
    bad = _partnet("ingest", str(_bad(tmp_path)), "--db", db)
    assert bad.returncode == 1 and "unknown type" in bad.stdout
    binary = tmp_path / "bin"
    binary.mkdir()
    write_csvs(binary)
    (binary / "actors.csv").write_bytes(bytes(range(256)) * 20)
    assert _partnet("ingest", str(binary), "--db", db).returncode == 1
    text_as_xlsx = tmp_path / "book.xlsx"
    text_as_xlsx.write_text("id,name\n", encoding="utf-8")
    not_excel = _partnet("ingest", str(text_as_xlsx), "--db", db)
    assert not_excel.returncode == 1 and "not an Excel workbook" in not_excel.stdout
    down = _partnet("ingest", str(write_csvs(tmp_path / "in")), "--store", "neo4j",
                    env={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "sentinel-Pw-93731"})
    assert down.returncode == 2 and "sentinel-Pw-93731" not in down.stdout + down.stderr
    for proc in (ok, bad, not_excel, down):
        assert "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("args", [["ingest", "--help"], ["template", "--help"]])
def test_help(args):
    result = _run(*args)
    assert result.exit_code == 0 and "Usage" in result.output
