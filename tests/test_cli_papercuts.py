"""Papercuts of the command line (issue 18): serve stops its dashboard on SIGTERM, commands on an
empty store, store info creates nothing, export's format, --excel and --force."""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
def test_sigterm_to_serve_stops_the_dashboard_and_frees_the_port(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "partnet", "serve", "--db", str(tmp_path / "s.db"),
                             "--port", str(port)], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 90
        while not _answers(port):
            assert proc.poll() is None, "partnet serve ended before the dashboard answered"
            assert time.monotonic() < deadline, "the dashboard never answered"
            time.sleep(0.5)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "the dashboard runs in a child process"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        gone, alive = psutil.wait_procs(children, timeout=5)
        assert not alive, f"still running after SIGTERM: {[c.pid for c in alive]}"
        assert not _answers(port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for c in children:  # whatever the test found, even if partnet serve left it behind
            if c.is_running():
                c.kill()


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    """A store that held data and was cleared (what `store clear` leaves)."""
    from graph.model import Actor, Dataset
    from graph.sqlite_store import SQLiteStore

    db = tmp_path_factory.mktemp("empty") / "e.db"
    with SQLiteStore(db) as st:
        st.write(Dataset(actors=[Actor(id="a", name="A", type="ngo")]))
        st.delete_all()
    return db


@pytest.mark.parametrize("args", [
    ["analyse"], ["report", "OUT.html"], ["export", "--format", "csv", "OUT"],
    ["export", "--format", "xlsx", "OUT.xlsx"],
    ["export", "--format", "gexf", "OUT.gexf"], ["export", "--format", "graphml", "OUT.graphml"],
    ["export", "OUT.gexf"],
    ["plan"], ["introductions"], ["funding"],
])
def test_every_command_on_an_empty_store_says_so_and_exits_1(empty_db, tmp_path, args):
    from click.testing import CliRunner

    from partnet.cli import cli

    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    r = CliRunner().invoke(cli, [*args, "--db", str(empty_db)])
    assert r.exit_code == 1, r.output
    assert "the store is empty" in r.output and "partnet ingest" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output and not list(tmp_path.iterdir())


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    from click.testing import CliRunner

    from partnet.cli import cli

    db = tmp_path_factory.mktemp("seed") / "seed.db"
    r = CliRunner().invoke(cli, ["ingest", str(ROOT / "data" / "seed"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return db


def _export(db, *args):
    from click.testing import CliRunner

    from partnet.cli import cli

    return CliRunner().invoke(cli, ["export", *map(str, args), "--db", str(db)])


@pytest.mark.parametrize(("name", "check"), [
    ("g.gexf", lambda p: p.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "gexf" in p.read_text()),
    ("g.graphml", lambda p: "<graphml" in p.read_text(encoding="utf-8")),
    ("g.xlsx", lambda p: p.read_bytes()[:2] == b"PK"),
    ("tables", lambda p: (p / "actors.csv").exists()),
])
def test_export_takes_the_format_from_out(seed_db, tmp_path, name, check):
    r = _export(seed_db, tmp_path / name)
    assert r.exit_code == 0, r.output
    assert check(tmp_path / name)


def test_export_refuses_an_unknown_extension_and_excel_for_a_graph(seed_db, tmp_path):
    r = _export(seed_db, tmp_path / "g.pdf")
    assert r.exit_code == 1 and "cannot tell the export format" in r.output and "--format" in r.output
    r = _export(seed_db, "--excel", tmp_path / "g.gexf")
    assert r.exit_code == 1 and "--excel is for CSV" in r.output
    assert not list(tmp_path.iterdir())


def test_export_excel_csv_is_utf8_with_bom_and_semicolons(seed_db, tmp_path):
    out = tmp_path / "excel"
    r = _export(seed_db, "--excel", out)
    assert r.exit_code == 0, r.output
    raw = (out / "actors.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.split(";")[:2] == ["id", "name"] and "," not in header
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert all(len(row) == len(rows[0]) for row in rows)
    assert any("é" in cell or "ü" in cell or "ç" in cell for row in rows for cell in row)  # accents intact
    plain = (tmp_path / "plain")
    assert _export(seed_db, "--format", "csv", plain).exit_code == 0
    assert not (plain / "actors.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_overwrites_only_with_force(seed_db, tmp_path):
    out = tmp_path / "g.gexf"
    assert _export(seed_db, out).exit_code == 0
    out.write_text("mine", encoding="utf-8")
    r = _export(seed_db, out)
    assert r.exit_code == 1 and "exists" in r.output and "--force" in r.output
    assert out.read_text(encoding="utf-8") == "mine"
    r = _export(seed_db, "--force", out)
    assert r.exit_code == 0 and out.read_text(encoding="utf-8") != "mine"
    folder = tmp_path / "t"
    assert _export(seed_db, folder).exit_code == 0
    r = _export(seed_db, folder)
    assert r.exit_code == 1 and "--force" in r.output
    assert _export(seed_db, "--force", folder).exit_code == 0
