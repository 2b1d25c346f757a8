"""Importing into a graph that already holds a portfolio: the kind, stage and share rules also hold for
references the document only makes to services of the graph."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from graph_itsm.errors import BadInput
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore
from tests.conftest import northwind_data


def _customer(id_: str, *subscriptions: dict[str, Any]) -> dict[str, Any]:
    return {"id": id_, "name": id_, "type": "EXTERNAL", "subscriptions": list(subscriptions)}


def _service(id_: str, *depends_on: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": id_, "name": id_, "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "o", "criticality": 2,
            "dependsOn": list(depends_on), **fields}


def _problems(store: GraphStore, **lists: Any) -> list[str]:
    """Import a partial document that must be refused; nothing may change. Return its problems."""
    before = export_document(store)
    with pytest.raises(BadInput) as caught:
        import_document(store, document_from_data({"currency": "EUR", **lists}))
    assert export_document(store) == before
    return caught.value.details


def test_subscription_to_a_graph_supporting_service_is_refused(northwind_store: GraphStore) -> None:
    problems = _problems(northwind_store, customers=[_customer("acme", {"service": "identity"})])
    assert problems == ["customers[0].subscriptions[0].service: 'identity' is a SUPPORTING service; "
                        "customers subscribe only to CUSTOMER_FACING services"]


def test_subscription_to_graph_pipeline_and_retired_services(northwind_store: GraphStore) -> None:
    problems = _problems(northwind_store, customers=[
        _customer("acme", {"service": "loyalty-app"}, {"service": "fax-gateway"})])
    assert problems == [
        "customers[0].subscriptions[0].service: 'loyalty-app' is in the PIPELINE; customers subscribe only to "
        "CATALOGUE services",
        "customers[0].subscriptions[1].service: 'fax-gateway' is RETIRED; a subscription to it needs a "
        "specialBusinessCase",
    ]
    import_document(northwind_store, document_from_data({"currency": "EUR", "customers": [
        _customer("acme", {"service": "fax-gateway", "specialBusinessCase": "archive"})]}))


def test_dependency_shares_add_up_with_the_graph(northwind_store: GraphStore) -> None:
    """payments carries 0.8 + 0.2 in the graph already."""
    problems = _problems(northwind_store, services=[_service("billing", {"service": "payments", "share": 0.1})])
    assert len(problems) == 1
    assert problems[0].startswith("services[0].dependsOn[0].share: shares of the dependencies on 'payments' sum "
                                  "to 1.1, more than 1 (with 'point-of-sale' in the graph, 'web-shop' in the graph)")


def test_a_listed_consumer_replaces_its_own_shares(northwind_store: GraphStore) -> None:
    """Re-importing web-shop with a smaller share frees room for a new consumer in the same document."""
    web_shop = copy.deepcopy(next(s for s in northwind_data()["services"] if s["id"] == "web-shop"))
    web_shop["dependsOn"][0]["share"] = 0.5
    import_document(northwind_store, document_from_data({"currency": "EUR", "services": [
        web_shop, _service("billing", {"service": "payments", "share": 0.3})]}))


def test_subscription_shares_add_up_with_the_graph(northwind_store: GraphStore) -> None:
    problems = _problems(northwind_store, customers=[_customer("acme", {"service": "web-shop", "share": 0.2})])
    assert problems == ["customers[0].subscriptions[0].share: shares of the subscriptions to 'web-shop' sum to 1.2, "
                        "more than 1 (with 'franchise-co' in the graph, 'retail-bu' in the graph)"]


def test_a_service_with_subscribers_in_the_graph_keeps_its_kind(northwind_store: GraphStore) -> None:
    email = next(s for s in northwind_data()["services"] if s["id"] == "email")
    problems = _problems(northwind_store, services=[{**email, "kind": "SUPPORTING"}])
    assert problems == ["services[0].kind: 'email' has subscribers in the graph (finance-bu, hr-bu, retail-bu); "
                        "customers subscribe only to CUSTOMER_FACING services"]


def test_reimporting_northwind_is_still_accepted(northwind_store: GraphStore) -> None:
    before = export_document(northwind_store)
    import_document(northwind_store, document_from_data(northwind_data()))
    assert export_document(northwind_store) == before
