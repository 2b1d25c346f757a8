"""Recording, changing and deleting cost items through GraphQL; every refused write leaves the graph as it was."""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.portfolio.exporter import export_document

RECORD = """mutation($input: RecordCostItemInput!) { recordCostItem(input: $input) {
  id name category nature amount period unallocated allocations { share service { id } } } }"""
UPDATE = """mutation($id: ID!, $input: UpdateCostItemInput!) { updateCostItem(id: $id, input: $input) {
  id amount period allocations { share service { id } } } }"""
DELETE = """mutation($id: ID!) { deleteCostItem(id: $id) { id } }"""
COST = """query($s: ID!, $p: String!) { service(id: $s) { cost(period: $p) { direct total } } }"""


def _item(**changes: Any) -> dict[str, Any]:
    item = {"id": "gpu-lease-2026-02", "name": "GPU lease", "category": "HARDWARE", "nature": "OPEX", "amount": 1200.0,
            "period": "2026-02", "allocations": [{"service": "web-shop", "share": 0.75}]}
    return {**item, **changes}


def _refused(client, store, query: str, **variables: Any) -> dict[str, Any]:
    """The one error of a refused write, after checking the graph did not change."""
    before = export_document(store)
    body = client.execute(query, **variables)
    assert export_document(store) == before
    assert len(body["errors"]) == 1, body["errors"]
    return body["errors"][0]


def test_recorded_cost_item_is_allocated_in_its_month(northwind_client):
    item = northwind_client.data(RECORD, input=_item())["recordCostItem"]
    assert item["unallocated"] == pytest.approx(300.0)
    assert item["allocations"] == [{"share": 0.75, "service": {"id": "web-shop"}}]
    cost = northwind_client.data(COST, s="web-shop", p="2026-02")["service"]["cost"]
    assert cost == {"direct": 900.0, "total": 900.0}


def test_updated_allocations_replace_the_old_ones(northwind_client):
    northwind_client.data(RECORD, input=_item())
    updated = northwind_client.data(UPDATE, id="gpu-lease-2026-02", input={
        "amount": 2000.0, "allocations": [{"service": "payments", "share": 0.5}, {"service": "email", "share": 0.5}]})
    assert {a["service"]["id"] for a in updated["updateCostItem"]["allocations"]} == {"payments", "email"}
    assert northwind_client.data(COST, s="web-shop", p="2026-02")["service"]["cost"]["direct"] == 0.0
    assert northwind_client.data(COST, s="email", p="2026-02")["service"]["cost"]["direct"] == 1000.0
    northwind_client.data(UPDATE, id="gpu-lease-2026-02", input={"period": "2026-03"})
    assert northwind_client.data(COST, s="email", p="2026-02")["service"]["cost"]["direct"] == 0.0
    assert northwind_client.data(COST, s="email", p="2026-03")["service"]["cost"]["direct"] == 1000.0


def test_deleted_cost_item_no_longer_costs_anything(northwind_client, northwind_store):
    northwind_client.data(RECORD, input=_item())
    assert northwind_client.data(DELETE, id="gpu-lease-2026-02") == {"deleteCostItem": {"id": "gpu-lease-2026-02"}}
    assert northwind_client.data(COST, s="web-shop", p="2026-02")["service"]["cost"]["direct"] == 0.0
    assert "gpu-lease-2026-02" not in {k["id"] for k in export_document(northwind_store)["costs"]}


def test_every_write_is_in_the_audit_trail_of_the_services_concerned(northwind_client):
    northwind_client.data(RECORD, input=_item())
    history = northwind_client.data('{ service(id: "web-shop") { history { action target } } }')["service"]["history"]
    assert {"action": "recordCostItem", "target": "costItem:gpu-lease-2026-02"} in history


def test_shares_summing_over_one_are_a_rule_violation(northwind_client, northwind_store):
    shares = [{"service": "web-shop", "share": 0.7}, {"service": "email", "share": 0.4}]
    error = _refused(northwind_client, northwind_store, RECORD, input=_item(allocations=shares))
    assert error["extensions"]["code"] == "RULE_VIOLATION" and error["extensions"]["rule"] == "cost-item-shares"
    error = _refused(northwind_client, northwind_store, UPDATE, id="consulting-2026-01",
                     input={"allocations": [{"service": "web-shop", "share": 0.6}, {"service": "email", "share": 0.6}]})
    assert error["extensions"]["code"] == "RULE_VIOLATION"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": -1.0}, "amount"),
        ({"period": "2026-13"}, "period"),
        ({"period": "2026-2"}, "period"),
        ({"id": "Not A Slug"}, "id"),
        ({"allocations": [{"service": "web-shop", "share": 1.5}]}, "allocations[0].share"),
        ({"allocations": [{"service": "web-shop", "share": 0.2}, {"service": "web-shop", "share": 0.2}]},
         "allocations[1].service"),
    ],
)
def test_malformed_cost_item_is_bad_input_naming_the_field(northwind_client, northwind_store, changes, field):
    error = _refused(northwind_client, northwind_store, RECORD, input=_item(**changes))
    assert error["extensions"]["code"] == "BAD_INPUT"
    assert error["extensions"]["field"] == field


def test_unknown_category_is_bad_input(northwind_client, northwind_store):
    error = _refused(northwind_client, northwind_store, RECORD, input=_item(category="SNACKS"))
    assert error["extensions"]["code"] == "BAD_INPUT" and "category" in error["message"]


def test_negative_amount_on_update_is_bad_input(northwind_client, northwind_store):
    error = _refused(northwind_client, northwind_store, UPDATE, id="consulting-2026-01", input={"amount": -5.0})
    assert error["extensions"]["code"] == "BAD_INPUT" and error["extensions"]["field"] == "amount"


def test_another_currency_is_refused_and_the_portfolios_own_is_accepted(northwind_client, northwind_store):
    error = _refused(northwind_client, northwind_store, RECORD, input=_item(currency="USD"))
    assert error["extensions"]["code"] == "RULE_VIOLATION" and error["extensions"]["field"] == "currency"
    assert "EUR" in error["message"]
    northwind_client.data(RECORD, input=_item(currency="EUR"))


def test_allocation_to_an_unknown_service_is_not_found(northwind_client, northwind_store):
    error = _refused(northwind_client, northwind_store, RECORD,
                     input=_item(allocations=[{"service": "nowhere", "share": 0.5}]))
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["field"] == "allocations[0].service"


def test_a_taken_id_is_refused_and_an_unknown_one_is_not_found(northwind_client, northwind_store):
    error = _refused(northwind_client, northwind_store, RECORD, input=_item(id="consulting-2026-01"))
    assert error["extensions"]["code"] == "RULE_VIOLATION" and error["extensions"]["rule"] == "unique-id"
    for query, variables in ((UPDATE, {"id": "ghost", "input": {"amount": 1.0}}), (DELETE, {"id": "ghost"})):
        assert _refused(northwind_client, northwind_store, query, **variables)["extensions"]["code"] == "NOT_FOUND"
