"""Creating, updating and deleting services through GraphQL, with input checked at the edge."""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import (
    CREATE_SERVICE,
    DELETE_SERVICE,
    SUBSCRIBE,
    UPDATE_SERVICE,
    new_service,
    refused,
    service_entry,
)


def test_create_service_enters_the_pipeline(client: GraphQLClient, store: GraphStore) -> None:
    created = client.data(CREATE_SERVICE, input=new_service(
        "crm", name="CRM", kind="CUSTOMER_FACING", owner="sales", criticality=4, provider="THIRD_PARTY",
        supplier="Acme", capacity=500.0, pricing={"model": "COST_PLUS", "markup": 0.15}, description="Customers"))
    assert created["createService"] == {
        "id": "crm", "name": "CRM", "kind": "CUSTOMER_FACING", "stage": "PIPELINE", "owner": "sales",
        "provider": "THIRD_PARTY", "supplier": "Acme", "criticality": 4, "capacity": 500.0, "riskAssessed": False,
        "pricing": {"model": "COST_PLUS", "markup": 0.15, "price": None},
    }
    assert service_entry(export_document(store), "crm") == {
        "id": "crm", "name": "CRM", "description": "Customers", "kind": "CUSTOMER_FACING", "stage": "PIPELINE",
        "owner": "sales", "provider": "THIRD_PARTY", "supplier": "Acme", "criticality": 4, "riskAssessed": False,
        "capacity": 500.0, "pricing": {"model": "COST_PLUS", "markup": 0.15}, "enables": [], "dependsOn": [],
    }


def test_create_refuses_an_id_in_use(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, CREATE_SERVICE, "RULE_VIOLATION", "unique-id",
                    input=new_service("email"))
    assert "'email'" in error["message"]


@pytest.mark.parametrize(("fields", "field"), [
    ({"id": "Not A Slug"}, "id"),
    ({"criticality": 6}, "criticality"),
    ({"criticality": 0}, "criticality"),
    ({"capacity": -1.0}, "capacity"),
    ({"name": ""}, "name"),
    ({"supplier": "Acme"}, "supplier"),  # only with THIRD_PARTY
    ({"provider": "THIRD_PARTY"}, "supplier"),  # THIRD_PARTY needs one
    ({"pricing": {"model": "COST_PLUS"}}, "pricing.markup"),
    ({"pricing": {"model": "FIXED", "price": -5.0}}, "pricing.price"),
])
def test_create_refuses_bad_input_naming_the_field(northwind_client: GraphQLClient, northwind_store: GraphStore,
                                                   fields: dict[str, Any], field: str) -> None:
    error = refused(northwind_client, northwind_store, CREATE_SERVICE, "BAD_INPUT",
                    input={**new_service("crm"), **fields})
    assert error["extensions"]["field"] == field
    assert error["message"].startswith(f"{field}: ")


def test_create_refuses_a_bad_enum(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, CREATE_SERVICE, "BAD_INPUT", input=new_service("crm", kind="SOLD"))


def test_update_changes_only_the_given_fields(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    before = service_entry(export_document(northwind_store), "payments")
    updated = northwind_client.data(UPDATE_SERVICE, id="payments", input={"criticality": 4, "owner": "finance-it"})
    assert updated["updateService"]["criticality"] == 4
    after = service_entry(export_document(northwind_store), "payments")
    assert after == {**before, "criticality": 4, "owner": "finance-it"}


def test_update_clears_optional_fields_given_as_null(northwind_client: GraphQLClient,
                                                     northwind_store: GraphStore) -> None:
    northwind_client.data(UPDATE_SERVICE, id="web-shop", input={"pricing": None, "capacity": None})
    entry = service_entry(export_document(northwind_store), "web-shop")
    assert "pricing" not in entry and "capacity" not in entry


def test_update_to_internal_drops_the_supplier(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    northwind_client.data(UPDATE_SERVICE, id="payments", input={"provider": "INTERNAL"})
    entry = service_entry(export_document(northwind_store), "payments")
    assert entry["provider"] == "INTERNAL" and "supplier" not in entry


@pytest.mark.parametrize(("patch", "field"), [
    ({"name": None}, "name"),
    ({"criticality": 9}, "criticality"),
    ({"provider": "THIRD_PARTY", "supplier": None}, "supplier"),
])
def test_update_refuses_bad_input(northwind_client: GraphQLClient, northwind_store: GraphStore,
                                  patch: dict[str, Any], field: str) -> None:
    error = refused(northwind_client, northwind_store, UPDATE_SERVICE, "BAD_INPUT", id="email", input=patch)
    assert error["extensions"]["field"] == field


def test_update_of_an_unknown_service_is_not_found(northwind_client: GraphQLClient,
                                                   northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, UPDATE_SERVICE, "NOT_FOUND", id="nope", input={"criticality": 2})


def test_subscribed_service_cannot_become_supporting(northwind_client: GraphQLClient,
                                                     northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, UPDATE_SERVICE, "RULE_VIOLATION", "kind",
                    id="email", input={"kind": "SUPPORTING"})
    assert "'email'" in error["message"] and "retail-bu" in error["message"]


def test_delete_refused_while_referenced_naming_the_references(northwind_client: GraphQLClient,
                                                               northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, DELETE_SERVICE, "RULE_VIOLATION", "still-referenced",
                    id="web-shop")
    message = error["message"]
    assert "subscribers 'franchise-co', 'retail-bu'" in message
    assert "'consulting-2026-01'" in message and "'ecommerce-team-2026-01'" in message  # cost items
    assert "budgets" in message
    error = refused(northwind_client, northwind_store, DELETE_SERVICE, "RULE_VIOLATION", "still-referenced",
                    id="dc-west")
    assert "consumers 'backup', 'database-platform', 'network-core', 'web-shop'" in error["message"]
    assert set(error["extensions"]["services"]) >= {"dc-west", "backup", "web-shop"}


def test_delete_removes_an_unreferenced_service_with_its_own_edges(northwind_client: GraphQLClient,
                                                                   northwind_store: GraphStore) -> None:
    """fax-gateway (RETIRED) has no subscribers, no consumers and no costs; its dependency goes with it."""
    assert northwind_client.data(DELETE_SERVICE, id="fax-gateway") == {"deleteService": {"id": "fax-gateway"}}
    doc = export_document(northwind_store)
    assert "fax-gateway" not in {s["id"] for s in doc["services"]}
    assert northwind_client.data('{ service(id: "fax-gateway") { id } }') == {"service": None}


def test_delete_of_an_unknown_service_is_not_found(client: GraphQLClient, store: GraphStore) -> None:
    refused(client, store, DELETE_SERVICE, "NOT_FOUND", id="nope")


def test_later_fields_of_a_request_see_earlier_mutations(northwind_client: GraphQLClient) -> None:
    """Mutations run one after the other; the loaders a field filled must not answer for a later one."""
    data = northwind_client.data("""
        mutation {
          a: updateService(id: "email", input: {criticality: 2}) { id subscriptions { customer { id } } }
          b: unsubscribe(customer: "hr-bu", service: "email") { id }
          c: updateService(id: "email", input: {criticality: 3}) { id criticality subscriptions { customer { id } } }
        }""")
    assert len(data["a"]["subscriptions"]) == 3
    assert [s["customer"]["id"] for s in data["c"]["subscriptions"]] == ["finance-bu", "retail-bu"]
    assert data["c"]["criticality"] == 3


def test_created_service_takes_subscriptions_once_in_the_catalogue(client: GraphQLClient, store: GraphStore) -> None:
    client.data(CREATE_SERVICE, input=new_service("crm", kind="CUSTOMER_FACING"))
    client.data('mutation { createCustomer(input: {id: "sales-bu", name: "Sales", type: INTERNAL}) { id } }')
    refused(client, store, SUBSCRIBE, "RULE_VIOLATION", "subscription", customer="sales-bu", service="crm")
