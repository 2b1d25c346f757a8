"""The graphs the analytics tests run on: the northwind example, and northwind with a few additions that the
queries returning nothing on northwind (orphans, unserved outcomes, pipeline without a case, ...) can find."""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.store import GraphStore
from tests.conftest import northwind_data


def extended_northwind() -> dict[str, Any]:
    """Northwind plus:

    * ``legacy-ftp``: a catalogue supporting service nothing consumes;
    * ``old-dns``: a catalogue supporting service only the retired ``fax-gateway`` consumes;
    * ``chatbot``: a pipeline customer-facing service without a business case (one cost item), enabling the
      new outcome ``self-service`` (pursued by retail-bu), on top of the pipeline supporting ``vector-db``
      (no business case either, but consumed by chatbot, so not orphaned);
    * ``print-shop``: a catalogue customer-facing service hr-bu subscribes to, enabling no outcome, with a
      15,000 cost item in 2026-01;
    * outcomes ``paper-archive`` (enabled only by the retired fax-gateway) and ``green-it`` (enabled by nothing,
      pursued by hr-bu).
    """
    doc = northwind_data()
    doc["outcomes"] += [
        {"id": "self-service", "name": "Customers serve themselves"},
        {"id": "paper-archive", "name": "Paper records archived"},
        {"id": "green-it", "name": "IT carbon footprint halved"},
    ]
    common = {"riskAssessed": True, "dependsOn": [], "enables": []}
    doc["services"] += [
        {**common, "id": "legacy-ftp", "name": "Legacy FTP", "kind": "SUPPORTING", "stage": "CATALOGUE",
         "owner": "workplace", "criticality": 2},
        {**common, "id": "old-dns", "name": "Old DNS", "kind": "SUPPORTING", "stage": "CATALOGUE",
         "owner": "network", "criticality": 3},
        {**common, "id": "vector-db", "name": "Vector database", "kind": "SUPPORTING", "stage": "PIPELINE",
         "owner": "data", "criticality": 3, "riskAssessed": False},
        {**common, "id": "chatbot", "name": "Chatbot", "kind": "CUSTOMER_FACING", "stage": "PIPELINE",
         "owner": "ecommerce", "criticality": 2, "riskAssessed": False,
         "dependsOn": [{"service": "identity"}, {"service": "vector-db"}], "enables": ["self-service"]},
        {**common, "id": "print-shop", "name": "Print shop", "kind": "CUSTOMER_FACING", "stage": "CATALOGUE",
         "owner": "workplace", "criticality": 2, "dependsOn": [{"service": "network-core"}]},
    ]
    fax = next(s for s in doc["services"] if s["id"] == "fax-gateway")
    fax["dependsOn"].append({"service": "old-dns"})
    fax["enables"] = ["paper-archive"]
    customers = {c["id"]: c for c in doc["customers"]}
    customers["hr-bu"]["subscriptions"].append({"service": "print-shop", "units": 10})
    customers["hr-bu"]["pursues"].append("green-it")
    customers["retail-bu"]["pursues"].append("self-service")
    doc["costs"] += [
        {"id": "print-2026-01", "name": "Print fleet lease", "category": "OTHER", "nature": "OPEX",
         "period": "2026-01", "amount": 15000.0, "allocations": [{"service": "print-shop", "share": 1.0}]},
        {"id": "chatbot-poc-2026-01", "name": "Chatbot proof of concept", "category": "SOFTWARE", "nature": "OPEX",
         "period": "2026-01", "amount": 2000.0, "allocations": [{"service": "chatbot", "share": 1.0}]},
    ]
    return doc


@pytest.fixture
def extended_store(store: GraphStore) -> GraphStore:
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data

    import_document(store, document_from_data(extended_northwind()))
    return store
