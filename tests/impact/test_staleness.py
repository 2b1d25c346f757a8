"""Two API processes on one database: a write through either is seen by impact on the other at once."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from graph_itsm.api.app import create_app
from graph_itsm.config import Settings
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data, load_document
from graph_itsm.store import GraphStore, open_store
from tests.conftest import NORTHWIND
from tests.graphql_client import GraphQLClient

QUERY = "query($f: [ID!]!) { impact(failed: $f) { counts { services } services { service { id } status } } }"


@pytest.fixture
def two_stores(tmp_path: Path) -> Iterator[tuple[GraphStore, GraphStore]]:
    settings = Settings(data_dir=tmp_path / "db")
    first = open_store(settings)
    second = open_store(settings)  # joins the server the first one started
    try:
        yield first, second
    finally:
        second.close()
        first.close()


def _consumer_of(provider: str, sid: str) -> object:
    return document_from_data({
        "currency": "EUR",
        "services": [{"id": sid, "name": sid, "kind": "CUSTOMER_FACING", "stage": "PIPELINE", "owner": "ops",
                      "criticality": 2, "dependsOn": [{"service": provider}]}],
    })


def _impacted(client: GraphQLClient, failed: str) -> dict[str, str]:
    rows = client.data(QUERY, f=[failed])["impact"]["services"]
    return {r["service"]["id"]: r["status"] for r in rows}


def test_a_write_through_one_app_is_seen_by_impact_on_the_other(two_stores: tuple[GraphStore, GraphStore]) -> None:
    store_a, store_b = two_stores
    import_document(store_a, load_document(NORTHWIND))
    app_a, app_b = GraphQLClient(create_app(store_a)), GraphQLClient(create_app(store_b))
    before = _impacted(app_b, "isp-uplink-a")  # app B builds and caches its projection
    assert before == _impacted(app_a, "isp-uplink-a")
    assert "kiosk" not in before

    import_document(store_a, _consumer_of("isp-uplink-a", "kiosk"))  # written through app A's store
    assert _impacted(app_b, "isp-uplink-a")["kiosk"] == "DOWN"

    import_document(store_b, _consumer_of("kiosk", "kiosk-display"))  # and the other way round
    assert _impacted(app_a, "isp-uplink-a")["kiosk-display"] == "DOWN"
    assert _impacted(app_b, "isp-uplink-a")["kiosk-display"] == "DOWN"


def test_the_stream_is_not_stale_either(two_stores: tuple[GraphStore, GraphStore]) -> None:
    store_a, store_b = two_stores
    import_document(store_a, load_document(NORTHWIND))
    app_b = GraphQLClient(create_app(store_b))
    assert "kiosk" not in app_b.http.get("/impact.ndjson", params={"failed": "dc-west"}).text
    import_document(store_a, _consumer_of("dc-west", "kiosk"))
    assert '"id":"kiosk"' in app_b.http.get("/impact.ndjson", params={"failed": "dc-west"}).text
