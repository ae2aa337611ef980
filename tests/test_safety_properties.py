"""Properties (hypothesis): whatever bytes or values come in, partnet answers with a report or a clean
load, never a traceback - and what it accepts, the stores keep exactly.

Complements tests/test_ingest_fuzz.py (the file readers) with the other readers of outside
data - the upload archive check, the backup-file check - and with the path from a validated
load into both stores.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.backup import check_partnet_file, dataset_fingerprint
from graph.errors import PartnetError, StoreError
from graph.model import ACTOR_TYPES, PARTNERSHIP_KINDS, ROLES, Actor, Dataset, Membership, Partnership
from graph.sqlite_store import SQLiteStore
from ingest.archive import ArchiveError, extract_zip

_FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])
# Text the stores must keep exactly: any code point but NUL and surrogates.
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@_FAST
@given(data=st.binary(max_size=4000), prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06"]))
def test_arbitrary_bytes_as_an_upload_zip(data, prefix):
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "out"
        try:
            files = extract_zip(prefix + data, dest, name="upload.zip")
        except ArchiveError as e:
            assert "upload.zip" in e.message and e.hint
            assert not dest.exists() or not any(dest.rglob("*"))
        else:
            for f in files:
                assert Path(f).resolve().is_relative_to(dest.resolve())


@_FAST
@given(names=st.lists(st.text(max_size=30), min_size=1, max_size=6), data=st.binary(max_size=200))
def test_zips_with_arbitrary_entry_names(names, data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            with contextlib.suppress(ValueError, UnicodeEncodeError, IndexError):  # zipfile refuses some names
                z.writestr(n or "x", data)
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "out"
        try:
            files = extract_zip(buf.getvalue(), dest, name="names.zip")
        except ArchiveError as e:
            assert e.message
        else:
            for f in files:
                assert Path(f).resolve().is_relative_to(dest.resolve())
            for f in Path(tmp).rglob("*"):
                assert f.resolve().is_relative_to(Path(tmp).resolve())


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory) -> bytes:
    db = tmp_path_factory.mktemp("bk") / "b.db"
    with SQLiteStore(db) as s:
        s.write(Dataset(actors=[Actor(id=f"a{i}", name=f"A {i}", type="ngo") for i in range(50)]))
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    return db.read_bytes()


@_FAST
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 40000)), junk=st.binary(max_size=64))
def test_damaged_backup_files_are_refused_cleanly(good_backup, flips, cut, junk):
    blob = bytearray(good_backup)
    for pos, val in flips:
        blob[pos % len(blob)] = val
    if cut is not None:
        blob = blob[:cut] + junk
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "b.db"
        f.write_bytes(bytes(blob))
        try:
            res = check_partnet_file(f)
        except StoreError as e:
            assert str(f) in e.message
        else:
            assert res.counts["Actor"] >= 0 and len(res.fingerprint) == 64


def _records():
    actor = st.builds(lambda i, name, city, aliases, t: Actor(id=f"a{i}", name=name, city=city, aliases=tuple(aliases),
                                                              type=t),
                      st.integers(0, 30), TEXT, TEXT, st.lists(TEXT, max_size=3), st.sampled_from(sorted(ACTOR_TYPES)))
    part = st.builds(lambda i, name, code, k: Partnership(id=f"p{i}", name=name, code=code, kind=k),
                     st.integers(0, 5), TEXT, TEXT, st.sampled_from(PARTNERSHIP_KINDS))
    return st.tuples(st.lists(actor, min_size=1, max_size=12), st.lists(part, min_size=1, max_size=4),
                     st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100), st.sampled_from(ROLES)), max_size=12))


def _dataset(actors, parts, links) -> Dataset:
    ds = Dataset(actors=actors, partnerships=parts).deduplicated()
    a_ids, p_ids = [a.id for a in ds.actors], [p.id for p in ds.partnerships]
    ds.memberships = [Membership(a_ids[i % len(a_ids)], p_ids[j % len(p_ids)], r) for i, j, r in links]
    return ds.deduplicated()


@_FAST
@given(rec=_records())
def test_any_text_round_trips_exactly_through_sqlite(rec):
    ds = _dataset(*rec)
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "s.db") as s:
        s.write(ds)
        assert dataset_fingerprint(s.read_dataset()) == dataset_fingerprint(ds)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(rec=_records())
def test_any_text_round_trips_exactly_through_neo4j(neo4j_store, rec):
    ds = _dataset(*rec)
    neo4j_store.delete_all()
    neo4j_store.write(ds)
    assert dataset_fingerprint(neo4j_store.read_dataset()) == dataset_fingerprint(ds)


_CELL = st.one_of(TEXT, st.sampled_from(["", " ", "=1+1", "-5", "1,5", "20O5", "3000", "NaN", "inf", "1e400",
                                         "trade_union", "ngo", "FR", "Atlantis", "\u00a0", "☃", "'", '"']))


@_FAST
@given(actors=st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=1, max_size=8),
       members=st.lists(st.lists(_CELL, min_size=3, max_size=3), max_size=8))
def test_well_formed_tables_with_wrong_values_load_cleanly_or_not_at_all(actors, members):
    """Any cells in the right columns: `ingest` either refuses (store unchanged) or writes exactly what `load` read."""
    from ingest import ValidationError, ingest, load

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for name, header, rows in (("actors", ["id", "name", "type", "country"], actors),
                                   ("partnerships", ["id", "name", "kind"], [["p1", "P one", "project"]]),
                                   ("memberships", ["actor_id", "partnership_id", "role"], members)):
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
            (folder / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8")
        with SQLiteStore(Path(tmp) / "s.db") as s:
            s.write(Dataset(actors=[Actor(id="keep", name="Kept", type="ngo")]))
            before = dataset_fingerprint(s.read_dataset())
            loaded = load(folder)
            try:
                ingest(folder, s)
            except ValidationError as e:
                assert not loaded.report.ok and e.report.errors
                assert dataset_fingerprint(s.read_dataset()) == before
            except PartnetError as e:  # any other refusal must be the project's own, with a message
                assert e.message
                assert dataset_fingerprint(s.read_dataset()) == before
            else:
                assert loaded.report.ok
                got = s.read_dataset()
                assert {a.id for a in loaded.dataset.actors} <= {a.id for a in got.actors}
                expected = Dataset(**{t: getattr(loaded.dataset, t) for t in Dataset.TABLES})
                expected.actors = expected.actors + [Actor(id="keep", name="Kept", type="ngo")]
                assert dataset_fingerprint(got) == dataset_fingerprint(expected)
