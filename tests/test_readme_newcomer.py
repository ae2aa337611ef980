"""The README's newcomer path (issue 18): every command it shows after the two commands really works."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnet.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    text = README[README.index(title):]
    return text[:text.index("\n### ", 4)]


def _commands(section: str) -> list[list[str]]:
    """The ``partnet ...`` lines of the indented blocks, comments dropped, as argument lists."""
    lines = re.findall(r"^    partnet (.*)$", section, flags=re.M)
    return [shlex.split(line.split("#")[0]) for line in lines]


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    r = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert r.exit_code == 0, (args, r.output)
    return r.output


def test_scripts_start_uses_the_demo_store_the_readme_names():
    start = (ROOT / "scripts" / "start").read_text(encoding="utf-8")
    assert "PARTNET_DB=" in start and ".partnet/seed.db" in start
    section = _section("### Then: the `partnet` command")
    assert ".partnet/seed.db" in section and "source .venv/bin/activate" in section and ".venv/bin/partnet" in section


@pytest.mark.slow
def test_the_demo_store_commands_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "seed.db"
    _run(["ingest", str(ROOT / "data" / "seed"), "--db", str(db)])
    commands = _commands(_section("### Then: the `partnet` command"))
    assert [c[0] for c in commands] == ["store", "analyse", "report"]
    for args in commands:
        _run(args, env={"PARTNET_DB": str(db)})
    assert (tmp_path / "brief.html").stat().st_size > 1000


def test_your_own_data_walkthrough_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    section = _section("### Your own data to the dashboard")
    commands = _commands(section)
    assert [c[0] for c in commands] == ["template", "ingest", "ingest", "serve"]
    _run(commands[0])
    # "fill it": the example rows the README shows, appended to the template's files
    for table, rows in re.findall(r"^    (\w+\.csv) +\S+\n((?:    {10,}\S.*\n)+)", section, flags=re.M):
        with (tmp_path / "my-data" / table).open("a", encoding="utf-8") as f:
            f.write("".join(r.strip() + "\n" for r in rows.splitlines()))
    dry = _run(commands[1])
    assert "dry run" in dry and not (tmp_path / "my.db").exists()
    out = _run(commands[2])
    assert "written to" in out and (tmp_path / "my.db").exists()
    analysed = _run(["analyse", "--db", "my.db"])
    assert re.search(r"actors:\s+2\b", analysed) and re.search(r"partnerships:\s+1\b", analysed)
    # serve takes the options shown (tests/test_cli_papercuts.py starts it for real)
    serve_help = _run([commands[3][0], "--help"])
    assert all(opt in serve_help for opt in commands[3][1:] if opt.startswith("--"))
