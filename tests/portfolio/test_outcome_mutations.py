"""Business outcomes and the services that enable them, through GraphQL."""

from __future__ import annotations

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import (
    CREATE_OUTCOME,
    DELETE_OUTCOME,
    LINK,
    UNLINK,
    UPDATE_OUTCOME,
    refused,
    service_entry,
)


def test_create_update_and_delete_an_outcome(client: GraphQLClient, store: GraphStore) -> None:
    created = client.data(CREATE_OUTCOME, input={"id": "close-books", "name": "Books closed in 3 days"})
    assert created["createOutcome"] == {"id": "close-books", "name": "Books closed in 3 days", "description": None}
    updated = client.data(UPDATE_OUTCOME, id="close-books", input={"description": "Month end"})
    assert updated["updateOutcome"]["description"] == "Month end"
    assert export_document(store)["outcomes"] == [
        {"id": "close-books", "name": "Books closed in 3 days", "description": "Month end"}]
    client.data(DELETE_OUTCOME, id="close-books")
    assert export_document(store)["outcomes"] == []


def test_outcome_input_is_checked(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, CREATE_OUTCOME, "RULE_VIOLATION", "unique-id",
            input={"id": "orders-24h", "name": "Again"})
    refused(northwind_client, northwind_store, CREATE_OUTCOME, "BAD_INPUT", input={"id": "x", "name": ""})
    refused(northwind_client, northwind_store, UPDATE_OUTCOME, "BAD_INPUT", id="orders-24h", input={"name": None})


def test_link_and_unlink_a_service(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    linked = northwind_client.data(LINK, s="payroll", o="staff-communicate")["linkOutcome"]
    assert linked == {"id": "payroll", "enables": [{"id": "staff-communicate"}, {"id": "staff-paid"}]}
    assert sorted(service_entry(export_document(northwind_store), "payroll")["enables"]) == [
        "staff-communicate", "staff-paid"]
    unlinked = northwind_client.data(UNLINK, s="payroll", o="staff-communicate")["unlinkOutcome"]
    assert unlinked == {"id": "payroll", "enables": [{"id": "staff-paid"}]}
    refused(northwind_client, northwind_store, UNLINK, "NOT_FOUND", s="payroll", o="staff-communicate")
    refused(northwind_client, northwind_store, LINK, "NOT_FOUND", s="payroll", o="nope")


def test_outcome_in_use_cannot_be_deleted(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, DELETE_OUTCOME, "RULE_VIOLATION", "still-referenced",
                    id="staff-paid")
    assert "'payroll'" in error["message"] and "'finance-bu', 'hr-bu'" in error["message"]
    assert error["extensions"]["services"] == ["payroll"]
