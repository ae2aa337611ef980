"""Property: any valid dataset written by `write_import_files` loads back identical (CSV folder and xlsx)."""

from __future__ import annotations

import dataclasses
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model import (
    ACTOR_TYPES,
    LEVELS,
    LINK_KINDS,
    PARTNERSHIP_KINDS,
    ROLES,
    SCOPES,
    Actor,
    Dataset,
    Funding,
    Link,
    Membership,
    Partnership,
)
from ingest import load, write_import_files

_EXCLUDED = "\u00a0\u2007\u202f\ufeff\u200b\u2060\u180e"


def _fixed_point(s: str) -> bool:
    return s == s.strip() and unicodedata.is_normalized("NFC", s)


#: text that the normaliser leaves as it is: no control or line-break characters, no surrounding
#: spaces, NFC; anything else (accents, scripts, emoji, quotes, delimiters, formula signs) is allowed.
text = (st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), blacklist_characters=_EXCLUDED),
                max_size=25)
        .map(lambda s: unicodedata.normalize("NFC", s).strip())
        .filter(_fixed_point))
nonempty = text.filter(bool)
formulaish = st.sampled_from(["=1+1", "+33 1 23", "-dash", "@home", "'quoted", "'=x", "a,b;c", 'say "hi"', "€"])
any_text = st.one_of(text, formulaish)
year = st.one_of(st.none(), st.integers(1900, 2100))
amount = st.one_of(st.none(), st.floats(min_value=0, max_value=1e15, allow_nan=False).map(abs),
                   st.sampled_from([0.0, 123.456, 1234.5, 999.999, 1e-7]))


def _opt(values):
    return st.one_of(st.just(""), st.sampled_from(values))


@st.composite
def datasets(draw) -> Dataset:
    n_actors = draw(st.integers(2, 6))
    n_parts = draw(st.integers(1, 4))
    actors = []
    for i in range(n_actors):
        aliases = draw(st.lists(nonempty.filter(lambda s: ";" not in s), max_size=3, unique=True))
        actors.append(Actor(
            id=f"a{i}-{draw(text.filter(lambda s: ';' not in s))}".strip(), name=draw(st.one_of(nonempty, formulaish)),
            type=draw(st.sampled_from(tuple(ACTOR_TYPES))), aliases=tuple(aliases),
            country=draw(_opt(["FR", "DE", "GR", "GB", "PT", "XK"])), city=draw(any_text), scope=draw(_opt(SCOPES)),
            website=draw(_opt(["https://example.org/a?b=c&d", "www.union.eu", "http://x.y"])),
            source=draw(any_text), section=draw(any_text)))
    parts = []
    for j in range(n_parts):
        start = draw(year)
        end = draw(st.one_of(st.none(), st.integers(start, 2100))) if start is not None else draw(year)
        parent = draw(st.one_of(st.just(""), st.sampled_from([p.id for p in parts]))) if parts else ""
        parts.append(Partnership(
            id=f"p{j}-{draw(text)}".strip(), name=draw(nonempty), kind=draw(st.sampled_from(PARTNERSHIP_KINDS)),
            code=draw(any_text), theme=draw(any_text), level=draw(_opt(LEVELS)), start_year=start, end_year=end,
            parent_id=parent, source=draw(any_text), section=draw(any_text)))
    a_ids = [a.id for a in actors]
    p_ids = [p.id for p in parts]
    pairs = draw(st.lists(st.tuples(st.sampled_from(a_ids), st.sampled_from(p_ids)), min_size=1, max_size=8,
                          unique=True))
    memberships = [Membership(a, p, draw(st.sampled_from(ROLES)), draw(any_text), draw(any_text)) for a, p in pairs]
    funding = []
    for funder, recipient, programme in draw(st.lists(
            st.tuples(st.sampled_from(a_ids), st.sampled_from(a_ids + p_ids), text), max_size=4,
            unique_by=lambda t: (t[0], t[1], t[2]))):
        if funder == recipient:
            continue
        start = draw(year)
        end = draw(st.one_of(st.none(), st.integers(start, 2100))) if start is not None else draw(year)
        funding.append(Funding(funder, recipient, programme, draw(amount), draw(_opt(["EUR", "USD", "CHF"])), start,
                               end, draw(any_text), draw(any_text)))
    links = []
    for s, t, kind in draw(st.lists(st.tuples(st.sampled_from(a_ids), st.sampled_from(a_ids),
                                              st.sampled_from(LINK_KINDS)), max_size=4, unique=True)):
        if s != t:
            links.append(Link(s, t, kind, draw(year), draw(any_text), draw(any_text)))
    return Dataset(actors, parts, memberships, funding, links)


def _sixteen_digits(ds: Dataset) -> Dataset:
    """The dataset as a workbook keeps it: openpyxl writes numbers with 16 significant digits (Excel shows 15)."""
    funding = [dataclasses.replace(f, amount=None if f.amount is None else float(f"{f.amount:.16g}"))
               for f in ds.funding]
    return Dataset(ds.actors, ds.partnerships, ds.memberships, funding, ds.links)


def _round_trip(ds: Dataset, target: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = write_import_files(ds, Path(tmp) / target)
        result = load(out)
        assert result.report.ok, result.report.format_text()
        assert not [w for w in result.report.warnings if w.code not in ("likely-duplicate", "no-records")], \
            result.report.format_text()
        expected = _sixteen_digits(ds) if target.endswith(".xlsx") else ds  # CSV keeps every float exactly
        assert result.dataset.sorted() == expected.sorted()


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(datasets())
def test_csv_round_trip(ds):
    _round_trip(ds, "folder")


@_SETTINGS
@given(datasets())
def test_xlsx_round_trip(ds):
    _round_trip(ds, "book.xlsx")


def test_written_csv_neutralises_formulas_and_xlsx_has_no_formula_cells(tmp_path):
    import openpyxl

    ds = Dataset(actors=[Actor("a1", "=HYPERLINK(\"http://x\")", "ngo", city="+33", section="@cmd"),
                         Actor("a2", "-2+3", "ngo")],
                 partnerships=[Partnership("p1", "P", "project")],
                 memberships=[Membership("a1", "p1")])
    folder = write_import_files(ds, tmp_path / "csv")
    text = (folder / "actors.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",'+33," in text and "'-2+3" in text
    book = write_import_files(ds, tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(book)
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    assert load(folder).dataset.sorted() == ds.sorted() == load(book).dataset.sorted()
