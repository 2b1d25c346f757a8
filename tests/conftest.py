"""Fixtures shared by every test: one store per available backend, emptied before each test.

The embedded FalkorDB always runs. Neo4j runs when ``NEO4J_URI`` is set (with ``NEO4J_USER`` and
``NEO4J_PASSWORD``; ``.ci/run`` starts the server in ../shared/neo4j and sets it) or when a Docker engine
answers (testcontainers starts Neo4j 5.26); otherwise its tests are skipped, the reason printed once.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from graph_itsm.config import Settings
from graph_itsm.store import GraphStore, open_store

REPO = Path(__file__).resolve().parents[1]
# Copies of ../shared/examples, so the suite needs nothing beside the clone.
EXAMPLES = REPO / "tests" / "data"
NORTHWIND = EXAMPLES / "northwind-retail.json"


def northwind_data() -> dict[str, Any]:
    return json.loads(NORTHWIND.read_text())


def northwind_expected() -> dict[str, Any]:
    return json.loads((EXAMPLES / "northwind-retail.expected.json").read_text())


def _docker_available() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def embedded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("graph-itsm-data"))


@pytest.fixture(scope="session")
def _falkordb_store(embedded_settings: Settings) -> Iterator[GraphStore]:
    store = open_store(embedded_settings)
    yield store
    store.close()


_NEO4J_IMAGE = "neo4j:5.26.30-community"  # the server line CI runs (../shared/neo4j) and docker-compose.yml uses


@functools.cache
def _neo4j_unavailable() -> str | None:
    """Why the Neo4j half cannot run here, or None when it can (NEO4J_URI set, or a Docker engine answers)."""
    if os.environ.get("NEO4J_URI"):
        return None
    if _docker_available():
        return None
    return "Neo4j backend: NEO4J_URI is not set and no Docker engine answers (testcontainers needs one)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _neo4j_unavailable()
    if reason:
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if "neo4j" in item.keywords:
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Skip reasons once each, with how many tests they cover (instead of one line per test location)."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"SKIPPED {count} test{'s' if count != 1 else ''}: {reason}")


@pytest.fixture(scope="session")
def _neo4j_store() -> Iterator[GraphStore]:
    """One Neo4j server for the whole run (emptied before each test by ``store``). A NEO4J_URI that does not
    answer fails the tests that need it: it is never turned into a skip."""
    reason = _neo4j_unavailable()
    if reason:
        pytest.skip(reason)
    uri = os.environ.get("NEO4J_URI")
    container = None
    if not uri:
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer(_NEO4J_IMAGE)
        container.start()
        uri = container.get_connection_url()
        user, password = "neo4j", container.password
    else:
        user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    store = open_store(Settings(db_url=uri, neo4j_user=user, neo4j_password=password))
    yield store
    store.close()
    if container is not None:
        container.stop()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """An empty graph on each available backend."""
    s: GraphStore = request.getfixturevalue(f"_{request.param}_store")
    s.clear()
    s.round_trips = 0
    return s


@pytest.fixture
def falkordb(_falkordb_store: GraphStore) -> GraphStore:
    """An empty graph on the embedded database only (for embedded-specific behaviour)."""
    _falkordb_store.clear()
    _falkordb_store.round_trips = 0
    return _falkordb_store


@pytest.fixture
def northwind_store(store: GraphStore) -> GraphStore:
    """Each backend with the northwind example imported."""
    from graph_itsm.portfolio.parsing import load_document
    from graph_itsm.portfolio.importer import import_document

    import_document(store, load_document(NORTHWIND))
    store.round_trips = 0
    return store


@pytest.fixture
def client(store: GraphStore):
    from graph_itsm.api.app import create_app
    from tests.graphql_client import GraphQLClient

    return GraphQLClient(create_app(store))


@pytest.fixture
def northwind_client(northwind_store: GraphStore):
    from graph_itsm.api.app import create_app
    from tests.graphql_client import GraphQLClient

    return GraphQLClient(create_app(northwind_store))
