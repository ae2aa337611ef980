"""Likely duplicate actors: warnings naming both rows, never merged; blocking keeps it far from O(n²)."""

from __future__ import annotations

import time
import unicodedata

import pytest
from ingest_support import valid_tables, write_csvs

from ingest import ingest, load
from ingest.validate import likely_duplicates, name_key


def _with_actors(tmp_path, *rows):
    tables = valid_tables()
    for row in rows:
        tables["actors"].append(list(row) + [""] * (10 - len(row)))
    return load(write_csvs(tmp_path / "in", tables))


@pytest.mark.parametrize("a, b", [
    ("Migrações e Desenvolvimento", "MIGRACOES E DESENVOLVIMENTO"),
    ("Verein für Arbeit e.V.", "Verein fur Arbeit"),
    ("Solidar GmbH", "Solidar"),
    ("Atelier Solidaire ASBL", "atelier solidaire"),
    ("Work Together Ltd.", "Work-Together"),
    ("Cooperativa Sociale S.p.A.", "Cooperativa Sociale"),
    ("Integra SA", "INTEGRA"),
])
def test_same_name_up_to_case_accents_punctuation_and_legal_form(a, b):
    assert name_key(a) == name_key(b)


def test_exact_duplicate_warns_with_both_rows_and_keeps_both(tmp_path):
    result = _with_actors(tmp_path, ("cfdt-2", "CFDT - Confédération Française Démocratique du Travail", "", "syndicat",
                                     "FR"),
                          ("cfdt-3", "Confederation francaise democratique du travail", "", "union", "France"))
    assert result.report.ok
    warnings = [w for w in result.report.warnings if w.code == "likely-duplicate"]
    assert [(w.row, w.column) for w in warnings] == [(6, "name"), (7, "name")]
    assert all("row 2" in w.message and "'cfdt'" in w.message for w in warnings)
    assert "similar in the same country" in warnings[0].message  # the acronym in front: a fuzzy match
    assert "the same name" in warnings[1].message  # only case and accents differ
    assert warnings[1].value == "Confederation francaise democratique du travail"
    assert {a.id for a in result.dataset.actors} >= {"cfdt", "cfdt-2", "cfdt-3"}  # nothing merged


def test_fuzzy_duplicate_within_a_country(tmp_path):
    result = _with_actors(tmp_path, ("x1", "Associação de Apoio aos Imigrantes de Lisboa", "", "ngo", "PT"),
                          ("x2", "Associacao de Apoio ao Imigrantes de Lisboa", "", "ngo", "Portugal"))
    (w,) = [w for w in result.report.warnings if w.code == "likely-duplicate"]
    assert w.row == 7 and "row 6" in w.message and "similar in the same country" in w.message


def test_fuzzy_match_across_countries_is_not_reported(tmp_path):
    result = _with_actors(tmp_path, ("x1", "Associação de Apoio aos Imigrantes de Lisboa", "", "ngo", "PT"),
                          ("x2", "Associacao de Apoio ao Imigrantes de Lisboa", "", "ngo", "ES"))
    assert not [w for w in result.report.warnings if w.code == "likely-duplicate"]


def test_names_that_differ_by_a_number_are_different_organisations(tmp_path):
    result = _with_actors(tmp_path, ("p3", "Université Paris 3 Sorbonne Nouvelle", "", "research", "FR"),
                          ("p8", "Université Paris 8 Sorbonne Nouvelle", "", "research", "FR"))
    assert not [w for w in result.report.warnings if w.code == "likely-duplicate"]


def test_nfc_and_nfd_forms_of_one_name_are_the_same_name(tmp_path):
    nfd = unicodedata.normalize("NFD", "Ville de Liège")
    result = _with_actors(tmp_path, ("liege-2", nfd, "", "commune", "BE"))
    (w,) = [w for w in result.report.warnings if w.code == "likely-duplicate"]
    assert w.value == "Ville de Liège"  # normalised to NFC
    # with empty ids, the NFC and NFD forms derive the same id: an error naming both rows
    tables = valid_tables()
    tables["actors"].append(["", "Café Solidaire", "", "ngo", "FR", "", "", "", "", ""])
    tables["actors"].append(["", unicodedata.normalize("NFD", "Café Solidaire"), "", "ngo", "FR", "", "", "", "", ""])
    errors = load(write_csvs(tmp_path / "nfd", tables)).report.errors
    assert [(e.code, e.row, e.value) for e in errors] == [("duplicate-id", 7, "cafe-solidaire")]
    assert "row 6" in errors[0].message


def test_warnings_do_not_block_the_write(store, tmp_path):
    tables = valid_tables()
    tables["actors"].append(["cfdt-bis", "CFDT confédération française démocratique du travail", "", "trade_union",
                             "FR", "", "", "", "", ""])
    result = ingest(write_csvs(tmp_path / "in", tables), store)
    assert [w.code for w in result.report.warnings] == ["likely-duplicate"]
    assert store.counts()["Actor"] == 5


def test_likely_duplicates_pairs_and_reasons():
    names = ["Caritas Europa", "caritas europa asbl", "Caritas Europe", "Solidar", "Solidar"]
    countries = ["BE", "BE", "BE", "BE", "DE"]
    pairs = likely_duplicates(names, countries)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (0, 2), (3, 4)]
    assert "same name" in pairs[0][2] and "similar" in pairs[1][2] and "same name" in pairs[2][2]


def test_blocking_scales_to_100k_actors():
    import random

    rng = random.Random(7)
    words = ["centre", "union", "migrants", "ville", "association", "institut", "réseau", "emploi", "accueil",
             "solidarité", "formation", "jeunes", "femmes", "santé", "logement", "culture"]
    names = [" ".join(rng.sample(words, 4)) + f" {rng.choice('abcdefghij')}{i}" for i in range(100_000)]
    countries = [rng.choice(["FR", "DE", "IT", "ES", "PT"]) for _ in names]
    names[50_000] = names[10] + "."
    countries[50_000] = countries[10]
    t = time.perf_counter()
    pairs = likely_duplicates(names, countries)
    elapsed = time.perf_counter() - t
    assert (10, 50_000) in {(i, j) for i, j, _ in pairs}
    assert elapsed < 30, f"{elapsed:.1f} s for 100k names"


def test_fuzzy_rule_matches_token_sort_ratio_brute_force():
    """The sorted-neighbourhood pass scores token-sorted keys with plain ``ratio``: the same pairs as
    rapidfuzz's ``token_sort_ratio`` on the raw keys, checked by brute force over every pair in a window."""
    import random

    from rapidfuzz import fuzz

    rng = random.Random(3)
    words = ["centre", "union", "européen", "ville", "association", "institut", "réseau", "emploi", "accueil",
             "solidarité", "formation", "jeunes", "GmbH", "santé", "e.V.", "culture", "Paris", "3", "8"]
    names = [" ".join(rng.sample(words, rng.randint(2, 5))) for _ in range(400)]
    names += [n + rng.choice(["s", " x", ".", "e"]) for n in names[:150]]
    countries = [rng.choice(["FR", "DE"]) for _ in names]
    got = {(i, j) for i, j, why in likely_duplicates(names, countries) if "similar" in why}
    keys = [name_key(n) for n in names]
    exact = {(i, j) for i, j, why in likely_duplicates(names, countries) if "same name" in why}
    firsts = {k: i for i, k in reversed(list(enumerate(keys)))}
    # every fuzzy pair found really scores >= 92 by token_sort_ratio, same country, same numbers
    for i, j in got:
        assert fuzz.token_sort_ratio(keys[i], keys[j]) >= 92 and countries[i] == countries[j]
        assert firsts[keys[i]] == i and firsts[keys[j]] == j
    # and every such pair among the first records of their key is found (the window covers these few)
    brute = {(i, j) for i in set(firsts.values()) for j in set(firsts.values()) if i < j
             and countries[i] == countries[j] and fuzz.token_sort_ratio(keys[i], keys[j]) >= 92
             and sorted(t for t in keys[i].split() if any(c.isdigit() for c in t))
             == sorted(t for t in keys[j].split() if any(c.isdigit() for c in t))}
    assert brute <= got | exact and got
