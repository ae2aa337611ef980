"""Cell normalisation: amounts, years, text, vocabulary synonyms (English and French) and countries."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.countries import country_code
from ingest.normalise import CellError, clean_text, format_amount, parse_amount, parse_year, vocab_value


def _collect():
    notes = []
    return notes, lambda code, message, hint="": notes.append(code)


# -- amounts -------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("1234", 1234.0), ("1234.56", 1234.56), ("1234,56", 1234.56), ("1,234.56", 1234.56), ("1.234,56", 1234.56),
    ("1 234,56", 1234.56), ("1\u00a0234,56", 1234.56), ("1\u202f234.5", 1234.5), ("1'234.50", 1234.5),
    ("1.234.567", 1234567.0), ("1,234,567", 1234567.0), ("1.234.567,89", 1234567.89), ("1,234,567.89", 1234567.89),
    ("0,125", 0.125), ("1234,567", 1234567 / 1000), ("12,5", 12.5), ("1.5E+06", 1.5e6), ("0", 0.0),
    ("100 000 000", 1e8), (" 42 ", 42.0), (125000.5, 125000.5), (7, 7.0),
])
def test_amounts_accepted(text, value):
    assert parse_amount(text) == pytest.approx(value)


@pytest.mark.parametrize("text, code", [
    ("abc", "bad-amount"), ("-5", "negative-amount"), ("−5", "negative-amount"), ("(5)", "negative-amount"),
    (-5.0, "negative-amount"), ("1,234", "ambiguous-amount"), ("12.500", "ambiguous-amount"),
    ("1,23.4", "bad-amount"), ("€100", "currency-in-amount"), ("12 34", "bad-amount"), ("1.2.3", "bad-amount"),
    ("5.", "bad-amount"), ("nan", "bad-amount"), ("inf", "bad-amount"), (float("nan"), "bad-amount"),
    ("1.234.56", "bad-amount"), ("1,234,56.7", "bad-amount"), (True, "bad-amount"),
])
def test_amounts_refused(text, code):
    with pytest.raises(CellError) as e:
        parse_amount(text)
    assert e.value.code == code
    assert e.value.hint


def test_ambiguous_amount_is_settled_when_the_source_says_how():
    assert parse_amount("1,234", decimal="either") == 1.234
    assert parse_amount("1.234", decimal="either") == 1.234
    assert parse_amount("1.234", decimal=",") == 1234.0
    assert parse_amount("1,234", decimal=",") == 1.234


def test_empty_amount_is_unknown():
    assert parse_amount("") is None and parse_amount(None) is None and parse_amount("   ") is None


@given(st.floats(min_value=0, max_value=1e18, allow_nan=False, allow_infinity=False))
def test_written_amounts_read_back_exactly(x):
    assert parse_amount(format_amount(x)) == x


# -- years ---------------------------------------------------------------------------
@pytest.mark.parametrize("raw, year", [("2005", 2005), (2005, 2005), (2005.0, 2005), ("2005.0", 2005),
                                       (" 1900 ", 1900), ("2100", 2100), ("", None), (None, None)])
def test_years_accepted(raw, year):
    notes, warn = _collect()
    assert parse_year(raw, warn) == year
    assert notes == []


@pytest.mark.parametrize("raw, code", [("20O5", "bad-year"), ("3000", "year-out-of-range"), (3000, "year-out-of-range"),
                                       ("1899", "year-out-of-range"), ("2005-06", "bad-year"), ("05", "bad-year"),
                                       (2005.5, "bad-year"), ("two thousand", "bad-year")])
def test_years_refused(raw, code):
    with pytest.raises(CellError) as e:
        parse_year(raw, lambda *a: None)
    assert e.value.code == code


def test_a_typed_letter_o_is_pointed_out():
    with pytest.raises(CellError) as e:
        parse_year("20O5", lambda *a: None)
    assert "letter O" in e.value.hint


def test_excel_date_in_a_year_cell_gives_its_year_with_a_warning():
    notes, warn = _collect()
    assert parse_year(dt.datetime(2005, 3, 1), warn) == 2005
    assert notes == ["date-as-year"]


# -- text ----------------------------------------------------------------------------
def test_text_is_trimmed_of_ordinary_and_no_break_spaces():
    notes, warn = _collect()
    assert clean_text("\u00a0 \u202fVille de Liège\u00a0\t ", warn) == "Ville de Liège"
    assert clean_text("\ufeff\u200bCGT\u200b", warn) == "CGT"
    assert clean_text("Paris\u00a0Nord", warn) == "Paris Nord"
    assert notes == []


def test_text_is_nfc_normalised():
    nfd = unicodedata.normalize("NFD", "Confédération")
    assert nfd != "Confédération"
    assert clean_text(nfd, lambda *a: None) == "Confédération"


def test_control_characters_are_removed_with_a_warning():
    notes, warn = _collect()
    assert clean_text("CG\x00T\x07", warn) == "CGT"
    assert notes == ["control-characters"]
    notes, warn = _collect()
    assert clean_text("line one\r\nline two", warn) == "line one line two"
    assert notes == ["line-break-in-cell"]
    assert clean_text("\x1b", warn) == "" and clean_text(" \x00 ", warn) == ""  # nothing left (found by fuzzing)


def test_spreadsheet_formula_escape_is_removed_but_apostrophes_are_kept():
    w = lambda *a: None  # noqa: E731
    assert clean_text("'=SUM(A1)", w) == "=SUM(A1)"
    assert clean_text("''=x", w) == "'=x"
    assert clean_text("'s-Hertogenbosch", w) == "'s-Hertogenbosch"
    assert clean_text("=1+1", w) == "=1+1"


def test_excel_values_become_text():
    notes, warn = _collect()
    assert clean_text(12345, warn) == "12345"
    assert clean_text(12345.0, warn) == "12345"
    assert clean_text(1.5, warn) == "1.5"
    assert clean_text(dt.datetime(2020, 5, 1), warn) == "2020-05-01"
    assert notes == ["date-in-text"]


# -- vocabularies --------------------------------------------------------------------
@pytest.mark.parametrize("vocab, text, value", [
    ("type", "syndicat", "trade_union"), ("type", "Syndicat", "trade_union"), ("type", "union", "trade_union"),
    ("type", "trade-union", "trade_union"), ("type", "Trade Union", "trade_union"),
    ("type", "TRADE_UNION", "trade_union"),
    ("type", "Trade unions", "trade_union"), ("type", "Fédération syndicale", "trade_union"),
    ("type", "ONG", "ngo"), ("type", "NGO", "ngo"), ("type", "association", "ngo"), ("type", "ASBL", "ngo"),
    ("type", "commune", "local_authority"), ("type", "municipality", "local_authority"),
    ("type", "city", "local_authority"), ("type", "ville", "local_authority"),
    ("type", "Municipalité", "local_authority"),
    ("type", "région", "regional_authority"), ("type", "ministère", "national_authority"),
    ("type", "Pôle emploi", None), ("type", "public employment service", "public_agency"),
    ("type", "entreprise", "employer"), ("type", "organisation patronale", "employer_organisation"),
    ("type", "coopérative", "social_economy"), ("type", "économie sociale", "social_economy"),
    ("type", "réseau", "network"), ("type", "fondation", "foundation"),
    ("type", "association de migrants", "migrant_organisation"), ("type", "université", "research"),
    ("type", "bureau d'études", "consultancy"), ("type", "presse", "media"), ("type", "autre", "other"),
    ("kind", "DP", "development_partnership"), ("kind", "partenariat de développement", "development_partnership"),
    ("kind", "réseau thématique", "thematic_network"), ("kind", "projet", "project"),
    ("kind", "réseau de villes", "city_network"), ("kind", "pacte", "pact"), ("kind", "accord", "agreement"),
    ("kind", "échange", "exchange"),
    ("role", "coordinateur", "coordinator"), ("role", "Coordinatrice", "coordinator"), ("role", "chef de file", "lead"),
    ("role", "Chef de File", "lead"), ("role", "lead partner", "lead"), ("role", "partenaire", "partner"),
    ("role", "membre", "member"), ("role", "partenaire associé", "associate"), ("role", "observateur", "observer"),
    ("scope", "européen", "european"), ("level", "EU", "european"), ("link_kind", "jumelage", "twinning"),
    ("type", "wizard", None), ("role", "boss", None),
])
def test_vocabulary_synonyms_in_english_and_french(vocab, text, value):
    assert vocab_value(vocab, text) == value


# -- countries -----------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("FR", "FR"), ("fr", "FR"), ("FRA", "FR"), ("France", "FR"), ("france", "FR"), ("250", "FR"),
    ("Germany", "DE"), ("Allemagne", "DE"), ("Deutschland", "DE"), ("DEU", "DE"),
    ("UK", "GB"), ("United Kingdom", "GB"), ("Royaume-Uni", "GB"), ("Great Britain", "GB"), ("GBR", "GB"),
    ("EL", "GR"), ("Greece", "GR"), ("Grèce", "GR"), ("Ελλάδα", "GR"), ("GRC", "GR"),
    ("España", "ES"), ("Espagne", "ES"), ("Spain", "ES"), ("Italia", "IT"), ("Belgique", "BE"), ("België", "BE"),
    ("Pays-Bas", "NL"), ("the Netherlands", "NL"), ("Holland", "NL"), ("Österreich", "AT"), ("Autriche", "AT"),
    ("Polska", "PL"), ("Česko", "CZ"), ("Czech Republic", "CZ"), ("Sverige", "SE"), ("България", "BG"),
    ("Bulgarie", "BG"), ("Türkiye", "TR"), ("Turkey", "TR"), ("Moldova, Republic of", "MD"), ("Moldova", "MD"),
    ("Kosovo", "XK"), ("Suisse", "CH"), ("Schweiz", "CH"), ("Portugal", "PT"), ("  portugal ", "PT"),
    ("Frnce", None), ("Europe", None), ("EU", None), ("XX", None), ("", None),
])
def test_countries_in_any_common_form(text, code):
    assert country_code(text) == code


def test_repeated_shared_values_are_converted_once_and_still_warn_each_time():
    """`normalise_table` remembers the clean value of a repeated id or provenance text, but a raw value
    whose cleaning warned is cleaned (and warned about) on every row, and a too-long one fails on every row."""
    from ingest.format import table
    from ingest.normalise import normalise_table
    from ingest.readers import RawTable
    from ingest.report import Report

    long_id = "x" * 201
    rows = [["a1", "p1", "  src  "], ["a1", "p1", "  src  "], ["a\u00001", "p1", "src"], ["a\u00001", "p1", "src"],
            [long_id, "p1", "src"], [long_id, "p1", "src"], ["a1", "p1", "  src  "]]
    raw = RawTable("m.csv", ["actor_id", "partnership_id", "source"], 1, iter(enumerate(rows, start=2)))
    report = Report()
    out = normalise_table(raw, table("memberships"), report)
    assert out.column("actor_id") == ["a1", "a1", "a1", "a1", "", "", "a1"]
    assert out.column("source") == ["src"] * 7
    assert [p.row for p in report.problems if p.code == "control-characters"] == [4, 5]
    assert [p.row for p in report.problems if p.code == "too-long"] == [6, 7]
    assert out.bad == {4, 5}
    assert out.column("actor_id")[0] is out.column("actor_id")[6]  # one string object per distinct id
