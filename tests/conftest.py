"""Shared fixtures: the two stores behind one parametrised fixture, and small datasets.

Neo4j: the tests use the server named by NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD, or else the
local server of ``scripts/neo4j-local`` when it is running. When none answers, the Neo4j
half is skipped on a developer machine (with how to enable it) and FAILS in CI
(``CI`` or ``PARTNET_REQUIRE_NEO4J`` set): nothing is skipped in CI.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

import pytest

from graph.config import Neo4jSettings
from graph.errors import StoreUnavailable
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership
from graph.store import Store

ROOT = Path(__file__).resolve().parents[1]
NEO4J_SCRIPT = ROOT / "scripts" / "neo4j-local"
# the dashboard keeps its views on disk (dashboard.page_cache): in the tests, in a directory of their own
os.environ.setdefault("PARTNET_CACHE_DIR", tempfile.mkdtemp(prefix="partnet-test-views-"))


def _require(what: str) -> bool:
    return bool(os.environ.get("CI") or os.environ.get(f"PARTNET_REQUIRE_{what}"))


def _local_neo4j_env() -> dict[str, str]:
    if "NEO4J_URI" in os.environ:
        return {}
    if not NEO4J_SCRIPT.exists():
        return {}
    status = subprocess.run([str(NEO4J_SCRIPT), "status"], capture_output=True, text=True)
    if status.returncode != 0:
        return {}
    out = subprocess.run([str(NEO4J_SCRIPT), "env"], capture_output=True, text=True, check=True).stdout
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = shlex.split(value)[0] if value else ""
    return env


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    """Settings of a reachable Neo4j server (skip locally / fail in CI when there is none)."""
    os.environ.update(_local_neo4j_env())
    settings = Neo4jSettings.from_env()
    if "NEO4J_URI" not in os.environ:
        msg = ("no Neo4j server: start one with `scripts/neo4j-local start` (needs Java 17 and Maven), "
               "or set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD")
        if _require("NEO4J"):
            pytest.fail(msg)
        pytest.skip(msg)
    return settings


@pytest.fixture(scope="session")
def neo4j_store_session(neo4j_settings: Neo4jSettings):
    from graph.neo4j_store import Neo4jStore

    try:
        st = Neo4jStore(neo4j_settings, batch_size=7)  # small batches: every write spans several
    except StoreUnavailable as e:
        if _require("NEO4J"):
            pytest.fail(f"Neo4j unreachable in CI: {e}")
        pytest.skip(str(e))
    yield st
    st.close()


@pytest.fixture
def neo4j_store(neo4j_store_session) -> Store:
    """An empty Neo4j store (the server's data, its history and sources are deleted before each test)."""
    return clear_neo4j(neo4j_store_session)


def clear_neo4j(st: Store) -> Store:
    """Delete every record of the Neo4j store ``st``, with its history and sources; return it."""
    st.delete_all()
    st._driver.execute_query("MATCH (n) WHERE n:PartnetHistory OR n:PartnetSource DETACH DELETE n",
                             database_=st.settings.database)
    st._driver.execute_query("MATCH (m:PartnetMeta {key: 'meta'}) REMOVE m.history_seq",
                             database_=st.settings.database)
    return st


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    """An empty SQLite store in the test's temporary folder."""
    from graph.sqlite_store import SQLiteStore

    st = SQLiteStore(tmp_path / "partnet.db")
    yield st
    st.close()


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request) -> Store:
    """Each test using it runs once per store: the contract both stores keep."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def small_dataset() -> Dataset:
    """Every record type and property, with non-ASCII names."""
    return Dataset(
        actors=[
            Actor(id="cfdt", name="Confédération Française Démocratique du Travail", type="trade_union",
                  aliases=("CFDT", "Confédération française"), country="FR", city="Paris", scope="national",
                  website="https://www.cfdt.fr", source="EQUAL-NTN", section="3.2 France"),
            Actor(id="migracoes-e-desenvolvimento", name="Migrações e Desenvolvimento", type="ngo",
                  country="PT", city="Lisboa", source="EQUAL-NTN", section="3.1 Portugal"),
            Actor(id="ljubljana", name="Ljubljana – Mestna občina", type="local_authority", country="SI",
                  city="Ljubljana", scope="local", source="CLIP-2011", section="Annex"),
            Actor(id="european-commission", name="European Commission", type="eu_institution", scope="european",
                  source="UMN-CONF-2020", section="Header"),
        ],
        partnerships=[
            Partnership(id="ntn-fr", name="Réseau thématique national", kind="thematic_network", level="national",
                        start_year=2002, end_year=2005, source="EQUAL-NTN", section="2"),
            Partnership(id="fr-nat-2001-10456", name="LUCIDITÉ", kind="development_partnership",
                        code="FR-NAT-2001-10456", theme="discrimination à l'embauche", level="national",
                        start_year=2002, end_year=2005, parent_id="ntn-fr", source="EQUAL-NTN", section="3.2"),
        ],
        memberships=[
            Membership("cfdt", "fr-nat-2001-10456", "lead", "EQUAL-NTN", "3.2"),
            Membership("migracoes-e-desenvolvimento", "fr-nat-2001-10456", "partner", "EQUAL-NTN", "3.2"),
            Membership("ljubljana", "ntn-fr", "observer"),
        ],
        funding=[
            Funding("european-commission", "fr-nat-2001-10456", "ESF/EQUAL", 125000.5, "EUR", 2002, 2005,
                    "EQUAL-NTN", "1"),
            Funding("european-commission", "cfdt", "AMIF", None, "", None, None, "UMN-CONF-2020", "p. 1"),
        ],
        links=[Link("ljubljana", "migracoes-e-desenvolvimento", "exchange", 2020, "UMN-CONF-2020", "Jour 2"),
               Link("cfdt", "ljubljana", "twinning", None)],
    )


@pytest.fixture(scope="session")
def own_neo4j(tmp_path_factory):
    """A private Neo4j server (tests/safety.py `OwnNeo4j`) that fault and secrets tests may kill or reconfigure."""
    import shutil

    from safety import OwnNeo4j

    if shutil.which("java") is None:
        msg = "no Java: the Neo4j fault tests start their own server with scripts/neo4j-local"
        if _require("NEO4J"):
            pytest.fail(msg)
        pytest.skip(msg)
    server = OwnNeo4j(tmp_path_factory.mktemp("own-neo4j"))
    server.start()
    yield server
    server.script("stop", "--timeout", "30")
    shutil.rmtree(server.home, ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    """In CI nothing may skip: a skipped test turns the run red."""
    if not (os.environ.get("CI") or os.environ.get("PARTNET_REQUIRE_NEO4J")):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped; in CI every test must run", red=True)
        session.exitstatus = 1
