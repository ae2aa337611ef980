"""`partnet plan`, `partnet introductions` and `partnet funding` on the seed and on a generated network."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graph.convert import dataset_to_graph
from partnet.cli import cli

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


def _store(path: Path, ds) -> Path:
    from graph.sqlite_store import SQLiteStore

    st = SQLiteStore(path)
    st.write(ds)
    st.close()
    return path


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    from ingest import load

    res = load(SEED)
    assert res.report.ok
    return _store(tmp_path_factory.mktemp("seed") / "seed.db", res.dataset), dataset_to_graph(res.dataset)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from synthetic.generator import generate

    ds = generate(500, seed=11)
    return _store(tmp_path_factory.mktemp("gen") / "gen.db", ds), dataset_to_graph(ds)


def run(*args: str):
    res = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in res.output
    return res


def test_plan_ten_seats_on_the_seed(seed):
    db, g = seed
    res = run("plan", "--seats", "10", "--db", str(db))
    assert res.exit_code == 0, res.output
    assert "covers 15 of 31 groups" in res.output and "exact" in res.output
    out = json.loads(run("plan", "--seats", "10", "--db", str(db), "--format", "json").output)
    assert out["method"] == "exact" and out["optimal"] and out["covered"] == 15 and out["groups"] == 31
    assert len(out["invitees"]) == 10
    # 26 countries and 5 families; each invitee brings one country, so 10 seats reach 10 + 5
    assert {r["family"] for r in out["invitees"]} >= {"authorities", "enterprises", "trade_unions", "ngos",
                                                     "target_public"}
    assert len({r["country"] for r in out["invitees"]}) == 10
    for line in res.output.splitlines():
        assert len(line) <= 100 or "  " not in line.strip()


def test_plan_set_cover_must_exclude_and_csv(seed):
    db, g = seed
    cgil = "confederazione-generale-italiana-del-lavoro"
    out = json.loads(run("plan", "--db", str(db), "--format", "json", "--must", cgil,
                         "--exclude", "city-of-liege").output)
    ids = [r["actor_id"] for r in out["invitees"]]
    assert out["covered"] == out["groups"] == 31 and len(ids) == 26
    assert ids[0] == cgil and "city-of-liege" not in ids
    res = run("plan", "--db", str(db), "--format", "csv", "--seats", "3")
    df = pd.read_csv(__import__("io").StringIO(res.output))
    assert list(df.columns)[:3] == ["order", "actor_id", "name"] and len(df) == 3


@pytest.mark.parametrize("args, phrase", [
    (["--seats", "0"], "at least one seat"),
    (["--seats", "-2"], "at least one seat"),
    (["--must", "nobody"], "'nobody' is not in the data"),
    (["--exclude", "nobody"], "'nobody' is not in the data"),
    (["--cover", "wizards"], "cannot cover 'wizards'"),
    (["--time-limit", "0"], "time limit"),
])
def test_plan_bad_input_exits_1(seed, args, phrase):
    res = run("plan", "--db", str(seed[0]), *args)
    assert res.exit_code == 1 and phrase in res.output


def test_missing_store_exits_2(tmp_path):
    for cmd in ("plan", "introductions", "funding"):
        res = run(cmd, "--db", str(tmp_path / "missing.db"))
        assert res.exit_code == 2 and "does not exist" in res.output


def test_introductions_for_one_partnership(seed):
    db, g = seed
    from analysis._tables import memberships_frame
    from analysis.introductions import suggest_introductions
    from analysis.status import analysed_graph

    analysed = analysed_graph(g)  # proposed partnerships left out, as the command does by default
    res = run("introductions", "--partnership", "fr-nat-2001-10039", "--db", str(db), "--format", "json")
    rows = json.loads(res.output)["introductions"]
    mem = memberships_frame(analysed)
    members = set(mem.loc[mem["partnership_id"] == "fr-nat-2001-10039", "actor_id"])
    direct = suggest_introductions(analysed, top=10**6)
    direct = direct[(direct["context"] == "fr-nat-2001-10039") | direct["actor_a"].isin(members)
                    | direct["actor_b"].isin(members)]
    assert rows and [(r["actor_a"], r["actor_b"]) for r in rows] == \
        list(zip(direct["actor_a"], direct["actor_b"], strict=True))[: len(rows)]
    # LATITUDE, a French DP without a union, meets the French CFDT through its partner ADIA France
    assert ("adia-france", "confederation-francaise-democratique-du-travail") in \
        {(r["actor_a"], r["actor_b"]) for r in rows}
    # the Liège partnership (local, Belgium) gets the Greek Athens Labour Centre only with --cross-border
    pid = "union-migrant-net-liege-partnership"
    home = json.loads(run("introductions", "--partnership", pid, "--db", str(db),
                          "--format", "json").output)["introductions"]
    wide = json.loads(run("introductions", "--partnership", pid, "--cross-border", "--db", str(db),
                          "--format", "json").output)["introductions"]
    assert ("reves", "athens-labour-centre") in {(r["actor_a"], r["actor_b"]) for r in wide}
    assert ("reves", "athens-labour-centre") not in {(r["actor_a"], r["actor_b"]) for r in home}
    every = json.loads(run("introductions", "--db", str(db), "--format", "json", "--top", "3").output)
    want = suggest_introductions(analysed, top=3)
    assert [(r["gap"], r["actor_a"], r["actor_b"]) for r in every["introductions"]] == \
        list(zip(want["gap"], want["actor_a"], want["actor_b"], strict=True))
    bad = run("introductions", "--partnership", "nope", "--db", str(db))
    assert bad.exit_code == 1 and "'nope' is not in the data" in bad.output
    assert run("introductions", "--top", "0", "--db", str(db)).exit_code == 1


def _export_funding(g) -> pd.DataFrame:
    from analysis.export import export_tables

    return export_tables(g, metrics=pd.DataFrame())["funding"]


@pytest.mark.parametrize("which", ["seed", "generated"])
@pytest.mark.parametrize("by", ["funder", "programme", "country", "recipient"])
def test_funding_totals_equal_the_exported_funding_table(request, which, by):
    db, g = request.getfixturevalue(which)
    res = run("funding", "--by", by, "--db", str(db), "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    exp = _export_funding(g)
    known = exp[exp["amount"].notna()]
    want = known.groupby(known["currency"].replace("", "unspecified"))["amount"].sum()
    assert out["totals"]["ties"] == len(exp)
    assert out["totals"]["ties_unknown_amount"] == int(exp["amount"].isna().sum())
    for cur, total in want.items():
        assert out["totals"]["amounts"][cur] == pytest.approx(total)
        assert sum(r[f"amount_{cur}"] or 0.0 for r in out["groups"]) == pytest.approx(total)
    if by != "country":  # a partition of the ties
        assert sum(r["ties"] for r in out["groups"]) == len(exp)
        key = {"funder": "funder_id", "recipient": "recipient_id", "programme": "programme"}[by]
        per = exp.assign(programme=exp["programme"].replace("", "(unspecified)")).groupby(key)
        got = {r[by]: r for r in out["groups"]}
        for k, grp in per:
            assert got[k]["ties"] == len(grp)
            assert got[k]["unknown_amount_share"] == pytest.approx(grp["amount"].isna().mean())


def test_funding_by_recipient_concentration(seed):
    db, g = seed
    from analysis.funding import funding_concentration

    out = json.loads(run("funding", "--by", "recipient", "--db", str(db), "--format", "json").output)
    conc = funding_concentration(g, partnerships_only=False).set_index("recipient_id")
    assert len(out["groups"]) == len(conc)
    for r in out["groups"]:
        assert r["hhi"] == pytest.approx(conc.at[r["recipient"], "hhi"])
        assert r["single_funder"] == bool(conc.at[r["recipient"], "funders"] == 1)
    table = run("funding", "--by", "funder", "--db", str(db)).output
    assert "european-commission" in table and "400,115,000.00" in table and "Total: 42 funding ties" in table


def test_plan_on_a_generated_network(generated):
    db, g = generated
    out = json.loads(run("plan", "--seats", "8", "--cover", "families,countries,communities", "--db", str(db),
                         "--format", "json").output)
    assert out["method"] == "exact" and len(out["invitees"]) <= 8 and out["covered"] <= out["groups"]


def test_analyse_fits_100_columns_never_cuts_ids_and_counts_rows(seed, monkeypatch):
    db, g = seed
    monkeypatch.delenv("COLUMNS", raising=False)
    res = run("analyse", "--db", str(db))
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert max(len(x) for x in lines) <= 100
    assert "…" not in res.output
    doc = json.loads(run("analyse", "--db", str(db), "--format", "json").output)
    for name in ("central", "brokers", "isolated", "no_union", "funding_dependence"):
        sec = doc["sections"][name]
        key = "id" if name in ("central", "brokers", "isolated") else ("partnership_id" if name == "no_union"
                                                                       else "recipient_id")
        for r in sec["rows"]:
            assert r[key] in res.output.split()  # whole ids, copyable
        if sec["total"] > sec["shown"]:
            assert f"{sec['shown']} of {sec['total']}; --top {sec['total']} shows all" in res.output
    assert doc["sections"]["central"]["total"] == sum(1 for _, d in g.nodes(data=True) if d["label"] == "Actor")
    narrow = CliRunner(env={"COLUMNS": "60"}).invoke(cli, ["analyse", "--db", str(db), "--section", "central"]).output
    assert max(len(x) for x in narrow.splitlines()) <= 60 or "columns left out" in narrow
    assert "city-of-liege" in narrow.split()


def test_analyse_json_sections_and_rules(seed):
    db, g = seed
    from analysis.gaps import check_rules

    doc = json.loads(run("analyse", "--db", str(db), "--format", "json", "--section", "rules",
                         "--section", "figures").output)
    assert list(doc["sections"]) == ["rules", "figures"]
    for sec in doc["sections"].values():
        assert set(sec) == {"title", "shown", "total", "ranked", "note", "columns", "rows"}
    from analysis.status import analysed_graph

    # rules are checked on the analysed graph (the proposed European Pact left out) and its evidence basis
    want = check_rules(analysed_graph(g)).groupby("rule_id")["partnership_id"].apply(lambda s: sorted(set(s))).to_dict()
    got = {r["rule_id"]: r["partnership_ids"] for r in doc["sections"]["rules"]["rows"]}
    assert got == want and set(want["dp-needs-union"]) >= {"fr-nat-2001-10039", "fr-nat-2004-41892"}
    table = run("analyse", "--db", str(db), "--section", "rules").output
    assert "dp-needs-union: 3 partnerships break" in table and "fr-nat-2001-10039" in table


def test_analyse_csv_folder_markdown_and_bad_input(seed, tmp_path):
    db, _ = seed
    res = run("analyse", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "f"))
    assert res.exit_code == 0
    assert (tmp_path / "f" / "rules.csv").exists() and (tmp_path / "f" / "central.csv").exists()
    central = pd.read_csv(tmp_path / "f" / "central.csv")
    assert len(central) == 10 and central["id"].iloc[0] == "city-of-liege"
    md = run("analyse", "--db", str(db), "--format", "markdown", "--section", "no_union", "--top", "3").output
    assert md.startswith("## Partnerships without a trade union") and "3 of 35" in md
    assert run("analyse", "--db", str(db), "--format", "csv").exit_code == 1
    bad = run("analyse", "--db", str(db), "--section", "wizards")
    assert bad.exit_code == 1 and "unknown section 'wizards'" in bad.output


def test_analyse_amounts_have_two_decimals():
    from partnet.tables_out import render_table

    df = pd.DataFrame({"id": ["a", "b"], "amount": [60000.0, 375000.25], "share": [0.5, 0.25], "n": [1200, 3]})
    text = render_table(df)
    assert "60,000.00" in text and "375,000.25" in text and "50.0%" in text and "1,200" in text


def test_readme_questions_commands_exist():
    import re

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Questions"):]
    section = section[:section.index("\n## ", 4)]
    commands = re.findall(r"^    partnet (plan|introductions|funding|compare)(.*)$", section, flags=re.M)
    assert {c for c, _ in commands} == {"plan", "introductions", "funding", "compare"}
    for cmd, rest in commands:
        help_text = CliRunner().invoke(cli, [cmd, "--help"]).output
        for option in re.findall(r"--[a-z-]+", rest):
            assert option in help_text, (cmd, option)
