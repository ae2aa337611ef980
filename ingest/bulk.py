"""``partnet ingest --bulk``: an EMPTY local Neo4j filled by ``neo4j-admin database import full``.

Steps (`bulk_ingest`): read and validate the files exactly as ``partnet ingest`` does (any error:
nothing touched); refuse unless the store is the local server of ``scripts/neo4j-local`` (its Bolt
port, on 127.0.0.1) and holds no partnet record; write the records as neo4j-admin CSV files
(`write_import_csvs`: the same labels, relationship types, properties and ``dataset`` as the online
path, plus the ``PartnetMeta`` node and the history entry); stop the server, run the import tool
from the server's own jars (``org.neo4j.cli.AdminTool database import full``, the class behind
``neo4j-admin``), start the server and create the constraints and indexes a fresh store has (the
records are written in the current schema: nothing to migrate). Reference:
https://neo4j.com/docs/operations-manual/5/tools/neo4j-admin/neo4j-admin-import/
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from graph.errors import StoreError
from graph.model import Dataset

__all__ = ["BulkRefused", "admin_import", "bulk_ingest", "check_local", "check_target", "write_import_csvs"]

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-local"
_ARRAY = "\x1f"  # aliases' array delimiter: a control character no name contains
_ADMIN = "org.neo4j.cli.AdminTool"
#: The import tool's JVM: C1 only. A run of seconds on a small machine loses more CPU to C2's
#: compiling than C2's code gains back (bench/bulk_path.py measures it against the default JVM).
JVM_OPTIONS = ("-Xmx1g", "-XX:TieredStopAtLevel=1")


class BulkRefused(StoreError):
    """The bulk path does not apply to this store (remote, not the local server, or not empty)."""


def _home() -> Path:
    env = os.environ.get("PARTNET_NEO4J_HOME")
    return Path(env).expanduser().resolve() if env else ROOT / ".neo4j"


def check_local(settings: Any) -> dict[str, Any]:
    """The local server's state (``state.json``) when ``settings`` point at it; else raise `BulkRefused`.

    Decided from the URI alone (host 127.0.0.1/localhost and the Bolt port the state file of
    ``$PARTNET_NEO4J_HOME`` records), before any connection: a remote server is refused at once.
    """
    uri = settings.display_uri
    host_port = uri.partition("://")[2].split("/")[0]
    host, _, port = host_port.rpartition(":")
    try:
        state = json.loads((_home() / "state.json").read_text())
    except (OSError, ValueError):
        state = {}
    if host not in ("127.0.0.1", "localhost") or not state or str(state.get("bolt_port")) != port:
        raise BulkRefused(f"--bulk only fills the local server of scripts/neo4j-local; {uri} is not it",
                          hint="use partnet ingest without --bulk for this server (the online path), or start the "
                          "local one: scripts/neo4j-local start && eval \"$(scripts/neo4j-local env)\"")
    return state


def check_target(store: Any) -> dict[str, Any]:
    """The local server's state when ``store`` is it (`check_local`) and is empty; else raise `BulkRefused`."""
    state = check_local(store.settings)
    counts = store.counts()
    history = store.read_history()
    if any(counts.values()) or history:
        held = ", ".join(f"{k} {v:,}" for k, v in counts.items() if v)
        raise BulkRefused(f"--bulk needs an empty database; the local server holds {held or 'an import history'}",
                          hint="use partnet ingest without --bulk to add to it (or partnet store restore/"
                          "remove the datasets first); --bulk replaces the whole database")
    return state


def _writer(path: Path, header: list[str]):
    f = path.open("w", newline="", encoding="utf-8")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    return f, w


def _opt(v: Any) -> Any:
    return "" if v is None else v


def write_import_csvs(ds: Dataset, dataset: str, folder: Path, history: dict[str, Any],
                      schema_version: int = 0, sources: list[dict[str, Any]] = ()) -> list[str]:
    """Write ``ds`` (every record in ``dataset``) as neo4j-admin CSV files in ``folder``; return the tool's
    ``--nodes``/``--relationships`` arguments. Empty text is left out (the read path reads it back as "").

    ``schema_version`` goes to the ``PartnetMeta`` node (0: the store's first connection migrates
    the data as a store of an old partnet's). The import tool of Community Edition creates no
    index or constraint: `bulk_ingest` creates them once the server is up.
    """
    folder.mkdir(parents=True, exist_ok=True)
    args = []

    def table(name: str, kind: str, header: list[str], rows) -> None:
        f, w = _writer(folder / f"{name}.csv", header)
        with f:
            w.writerows(rows)
        args.append(f"--{kind}={name.split('-')[0]}={folder / f'{name}.csv'}")

    table("Actor", "nodes", ["id:ID(Actor)", "name", "aliases:string[]", "type", "family", "country", "city", "scope",
                             "website", "source", "section", "dataset"],
          ((a.id, a.name, _ARRAY.join(a.aliases), a.type, a.family, a.country, a.city, a.scope, a.website, a.source,
            a.section, dataset) for a in ds.actors))
    table("Partnership", "nodes", [
        "id:ID(Partnership)", "name", "kind", "code", "theme", "level", "start_year:int", "end_year:int", "parent_id",
        "source", "section", "status", "members_complete:boolean", "dataset"],
        ((p.id, p.name, p.kind, p.code, p.theme, p.level, _opt(p.start_year), _opt(p.end_year), p.parent_id,
          p.source, p.section, p.status, "" if p.members_complete is None else str(p.members_complete).lower(),
          dataset) for p in ds.partnerships))
    table("PartnetMeta", "nodes", [":ID(Meta)", "key", "schema_version:int", "data_version:int", "history_seq:int"],
          [("meta", "meta", schema_version, 1, 1)])
    table("PartnetHistory", "nodes", [":ID(History)", "seq:int", "at", "action", "dataset", "files", "counts",
                                      "version"],
          [(1, 1, history["at"], history["action"], history["dataset"], json.dumps(history.get("files") or []),
            json.dumps(history.get("counts") or {}), history.get("version", ""))])
    table("PartnetSource", "nodes", [":ID(Source)", "dataset", "id", "title", "file", "description"],
          [(i, dataset, *(str(src.get(c) or "") for c in ("id", "title", "file", "description")))
           for i, src in enumerate(sources)])
    table("PART_OF", "relationships", [":START_ID(Partnership)", ":END_ID(Partnership)"],
          ((p.id, p.parent_id) for p in ds.partnerships if p.parent_id))
    table("MEMBER_OF", "relationships", [":START_ID(Actor)", ":END_ID(Partnership)", "role", "source", "section",
                                         "dataset"],
          ((m.actor_id, m.partnership_id, m.role, m.source, m.section, dataset) for m in ds.memberships))
    parts = {p.id for p in ds.partnerships}
    for end, keep in (("Partnership", True), ("Actor", False)):
        table(f"FUNDS-{end}", "relationships", [
            ":START_ID(Actor)", f":END_ID({end})", "programme", "amount:double", "currency", "start_year:int",
            "end_year:int", "source", "section", "dataset"],
            ((f.funder_id, f.recipient_id, f.programme, _opt(f.amount), f.currency, _opt(f.start_year),
              _opt(f.end_year), f.source, f.section, dataset) for f in ds.funding
             if (f.recipient_id in parts) == keep))
    table("LINKED_TO", "relationships", [":START_ID(Actor)", ":END_ID(Actor)", "kind", "year:int", "source",
                                         "section", "dataset"],
          ((k.source_id, k.target_id, k.kind, _opt(k.year), k.source, k.section, dataset) for k in ds.links))
    return args


def admin_import(args: list[str], home: Path | None = None, jvm: tuple[str, ...] = JVM_OPTIONS) -> float:
    """Run ``neo4j-admin database import full`` (from the local server's jars) on a STOPPED server; seconds taken."""
    home = home or _home()
    cache = Path(os.environ.get("PARTNET_NEO4J_CACHE") or home / "lib")
    libs = sorted(p for p in cache.iterdir() if (p / ".complete").exists()) if cache.exists() else []
    if not libs:
        raise StoreError(f"no Neo4j jars under {cache}", hint="run scripts/neo4j-local install")
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    cmd = ["java", *jvm, "-cp", f"{libs[-1]}/*", _ADMIN, "database", "import", "full", "neo4j",
           "--overwrite-destination=true", f"--array-delimiter=U+{ord(_ARRAY):04X}", "--multiline-fields=true",
           f"--report-file={home / 'logs' / 'import.report'}", *args]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise StoreError(f"neo4j-admin import failed: {(done.stderr or done.stdout).strip()[-800:]}",
                         hint=f"see {home / 'logs' / 'import.report'}")
    return time.perf_counter() - t0


def _script_async(*args: str) -> subprocess.Popen:
    return subprocess.Popen([str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen, what: str) -> None:
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise StoreError(f"scripts/neo4j-local {what} failed: {(err or out).strip()[-500:]}")


def _script(*args: str) -> None:
    _finish(_script_async(*args), " ".join(args))


def bulk_ingest(path: str | Path, store: Any, *, dataset: str | None = None, work: Path | None = None) -> dict:
    """Validate ``path`` and load it into the EMPTY local Neo4j behind ``store`` with neo4j-admin (see the module).

    ``store`` is closed on return (the server restarts). Returns the timings (s) and counts.
    Raises `ingest.errors.ValidationError` before anything is touched, `BulkRefused` on a remote
    or non-empty database.
    """
    import tempfile

    from graph.history import entry, file_hashes
    from graph.neo4j_store import SCHEMA_VERSION
    from ingest.errors import ValidationError
    from ingest.pipeline import _load
    from ingest.update import default_dataset_name

    t0 = time.perf_counter()
    check_target(store)
    result = _load(Path(path), format="auto", progress=False, programme=None, known=None)
    if not result.report.ok:
        raise ValidationError(result.report, path=str(path))
    name = dataset or default_dataset_name(path)
    ds = result.dataset
    counts = ds.counts()
    hist = entry("ingest", name, files=file_hashes(path), counts={"new": sum(counts.values())})
    t_valid = time.perf_counter()
    folder = work or Path(tempfile.mkdtemp(prefix="partnet-bulk-"))
    store.close()
    stopping = _script_async("stop")  # the server stops while the CSV files are written
    try:
        args = write_import_csvs(ds, name, folder, hist, SCHEMA_VERSION, result.sources)
        t_csv = time.perf_counter()
        _finish(stopping, "stop")
        t_stop = time.perf_counter()
        t_import = admin_import(args)
    finally:
        t_imported = time.perf_counter()
        stopping.communicate()
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)
        _script("start")  # the server comes back, imported or (anything failed) as it was
    t_start = time.perf_counter()
    from graph import neo4j_datasets as nd
    from graph import results_neo4j as rn
    from graph.config import Neo4jSettings
    from graph.neo4j_store import Neo4jStore

    with Neo4jStore(Neo4jSettings.from_env()) as st:  # the uniqueness constraints
        # the indexes and constraints every schema step adds (the records are written in the current
        # schema: no data to migrate, which would scan every node and relationship)
        nd.migrate(st, SCHEMA_VERSION, name)
        rn.migrate(st)
        t_schema = time.perf_counter()
        after = st.counts()
    return {"counts": counts, "in_store": after, "validate_s": t_valid - t0, "csv_s": t_csv - t_valid,
            "stop_s": t_stop - t_csv, "admin_import_s": t_import, "import_s": t_imported - t_stop,
            "start_s": t_start - t_imported, "schema_s": t_schema - t_start, "total_s": time.perf_counter() - t0,
            "folder": str(folder), "admin_args": args}
