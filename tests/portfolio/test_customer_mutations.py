"""Customers and their subscriptions through GraphQL."""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import (
    CREATE_CUSTOMER,
    DELETE_CUSTOMER,
    SUBSCRIBE,
    UNSUBSCRIBE,
    UPDATE_CUSTOMER,
    refused,
)


def _customer(store: GraphStore, customer_id: str) -> dict[str, Any]:
    return next(c for c in export_document(store)["customers"] if c["id"] == customer_id)


def _subscription(store: GraphStore, customer_id: str, service_id: str) -> dict[str, Any] | None:
    subs = _customer(store, customer_id)["subscriptions"]
    return next((s for s in subs if s["service"] == service_id), None)


def test_create_update_and_delete_a_customer(client: GraphQLClient, store: GraphStore) -> None:
    created = client.data(CREATE_CUSTOMER, input={"id": "sales-bu", "name": "Sales", "type": "INTERNAL"})
    assert created == {"createCustomer": {"id": "sales-bu", "name": "Sales", "type": "INTERNAL"}}
    updated = client.data(UPDATE_CUSTOMER, id="sales-bu", input={"type": "EXTERNAL", "description": "Spun off"})
    assert updated["updateCustomer"] == {"id": "sales-bu", "name": "Sales", "type": "EXTERNAL",
                                         "description": "Spun off", "relationshipManager": None}
    assert client.data(DELETE_CUSTOMER, id="sales-bu") == {"deleteCustomer": {"id": "sales-bu"}}
    assert export_document(store)["customers"] == []


def test_customer_input_is_checked(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, CREATE_CUSTOMER, "RULE_VIOLATION", "unique-id",
            input={"id": "hr-bu", "name": "HR", "type": "INTERNAL"})
    error = refused(northwind_client, northwind_store, CREATE_CUSTOMER, "BAD_INPUT",
                    input={"id": "hr bu", "name": "HR", "type": "INTERNAL"})
    assert error["extensions"]["field"] == "id"
    refused(northwind_client, northwind_store, UPDATE_CUSTOMER, "BAD_INPUT", id="hr-bu", input={"name": None})
    refused(northwind_client, northwind_store, UPDATE_CUSTOMER, "NOT_FOUND", id="nope", input={"name": "X"})


def test_update_keeps_the_relationship_manager(northwind_client: GraphQLClient) -> None:
    data = northwind_client.data(UPDATE_CUSTOMER, id="retail-bu", input={"name": "Retail"})["updateCustomer"]
    assert data["name"] == "Retail" and data["relationshipManager"] is not None


def test_customer_with_subscriptions_or_history_cannot_be_deleted(northwind_client: GraphQLClient,
                                                                  northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, DELETE_CUSTOMER, "RULE_VIOLATION", "still-referenced",
                    id="retail-bu")
    assert "'web-shop'" in error["message"] and "surveys" in error["message"] and "complaints" in error["message"]


def test_subscribe_and_unsubscribe(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    sub = northwind_client.data(SUBSCRIBE, customer="hr-bu", service="payroll", since="2026-02-01", units=5.0)
    assert sub["subscribe"] == {"customer": {"id": "hr-bu"}, "service": {"id": "payroll"}, "since": "2026-02-01",
                                "share": None, "units": 5.0, "specialBusinessCase": None}
    assert _subscription(northwind_store, "hr-bu", "payroll") == {"service": "payroll", "since": "2026-02-01",
                                                                   "units": 5.0}
    data = northwind_client.data(UNSUBSCRIBE, customer="hr-bu", service="payroll")["unsubscribe"]
    assert {"service": {"id": "payroll"}} not in data["subscriptions"]
    assert _subscription(northwind_store, "hr-bu", "payroll") is None
    refused(northwind_client, northwind_store, UNSUBSCRIBE, "NOT_FOUND", customer="hr-bu", service="payroll")


def test_subscribing_again_replaces_the_subscription(northwind_client: GraphQLClient,
                                                     northwind_store: GraphStore) -> None:
    northwind_client.data(SUBSCRIBE, customer="retail-bu", service="web-shop", share=0.6)
    assert _subscription(northwind_store, "retail-bu", "web-shop") == {"service": "web-shop", "share": 0.6}


def test_subscription_to_a_supporting_service_is_refused(northwind_client: GraphQLClient,
                                                         northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, SUBSCRIBE, "RULE_VIOLATION", "subscription",
                    customer="hr-bu", service="identity")
    assert "'identity' is a SUPPORTING service" in error["message"]


def test_subscription_to_a_pipeline_service_is_refused(northwind_client: GraphQLClient,
                                                       northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, SUBSCRIBE, "RULE_VIOLATION", "subscription",
                    customer="hr-bu", service="loyalty-app")
    assert "PIPELINE" in error["message"]


def test_new_subscription_to_a_retired_service_needs_a_special_business_case(
    northwind_client: GraphQLClient, northwind_store: GraphStore
) -> None:
    error = refused(northwind_client, northwind_store, SUBSCRIBE, "RULE_VIOLATION", "subscription",
                    customer="hr-bu", service="fax-gateway")
    assert "specialBusinessCase" in error["message"] and "'fax-gateway'" in error["message"]
    northwind_client.data(SUBSCRIBE, customer="hr-bu", service="fax-gateway", special="Legal archive until 2027")
    assert _subscription(northwind_store, "hr-bu", "fax-gateway") == {
        "service": "fax-gateway", "specialBusinessCase": "Legal archive until 2027"}


def test_subscription_shares_above_one_are_refused(northwind_client: GraphQLClient,
                                                   northwind_store: GraphStore) -> None:
    """web-shop's subscriptions carry 0.7 (retail-bu) and 0.3 (franchise-co)."""
    error = refused(northwind_client, northwind_store, SUBSCRIBE, "RULE_VIOLATION", "subscription-shares",
                    customer="hr-bu", service="web-shop", share=0.1)
    assert "'web-shop' would sum to 1.1" in error["message"]


@pytest.mark.parametrize(("variables", "field"), [
    ({"share": 2.0}, "share"),
    ({"units": -3.0}, "units"),
    ({"since": "01/02/2026"}, "since"),
    ({"special": ""}, "specialBusinessCase"),
    ({"customer": "HR"}, "customer"),
])
def test_bad_subscription_input_is_refused(northwind_client: GraphQLClient, northwind_store: GraphStore,
                                           variables: dict[str, Any], field: str) -> None:
    error = refused(northwind_client, northwind_store, SUBSCRIBE, "BAD_INPUT",
                    **{"customer": "hr-bu", "service": "payroll", **variables})
    assert error["extensions"]["field"] == field


def test_subscription_to_unknown_ids_is_not_found(northwind_client: GraphQLClient,
                                                  northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, SUBSCRIBE, "NOT_FOUND", customer="nope", service="email")
    refused(northwind_client, northwind_store, SUBSCRIBE, "NOT_FOUND", customer="hr-bu", service="nope")


def test_a_subscription_costs_two_reads_and_one_write(northwind_store: GraphStore) -> None:
    from graph_itsm.portfolio.customers import subscribe

    northwind_store.round_trips = 0
    subscribe(northwind_store, "hr-bu", "payroll", {"units": 3.0}, actor="test")
    assert northwind_store.round_trips == 3  # the service's facts, the customer's, the write
