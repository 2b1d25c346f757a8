"""Months and their state (`periods`): every month with cost items, budgets, issued statements or a closing
record, newest first, paged like `services`."""

from __future__ import annotations

from typing import Any

PERIODS = """query($first: Int, $after: String) { periods(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { period state closedAt closedBy } }
  nodes { period } } }"""
RECORD = """mutation($input: RecordCostItemInput!) { recordCostItem(input: $input) { id } }"""
SET_BUDGET = """mutation($s: ID!, $p: String!, $a: Float!) { setBudget(serviceId: $s, period: $p, amount: $a) { period } }"""
ISSUE = """mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) { period } }"""


def _item(period: str) -> dict[str, Any]:
    return {"id": f"lease-{period}", "name": "Lease", "category": "HARDWARE", "nature": "OPEX", "amount": 100.0,
            "period": period, "allocations": [{"service": "web-shop", "share": 1.0}]}


def test_every_month_with_costs_budgets_or_statements_newest_first(northwind_client):
    northwind_client.data(RECORD, input=_item("2025-11"))
    northwind_client.data(SET_BUDGET, s="web-shop", p="2026-03", a=10.0)
    northwind_client.data(ISSUE, c="retail-bu", p="2026-02")  # a statement of a month without costs
    found = northwind_client.data(PERIODS)["periods"]
    assert [n["period"] for n in found["nodes"]] == ["2026-03", "2026-02", "2026-01", "2025-11"]
    assert found["totalCount"] == 4 and found["pageInfo"]["hasNextPage"] is False
    assert {e["node"]["state"] for e in found["edges"]} == {"OPEN"}
    assert all(e["node"]["closedAt"] is None and e["node"]["closedBy"] is None for e in found["edges"])


def test_pages_follow_the_cursor(northwind_client):
    for period in ("2025-10", "2025-11", "2025-12"):
        northwind_client.data(RECORD, input=_item(period))
    first = northwind_client.data(PERIODS, first=2)["periods"]
    assert [n["period"] for n in first["nodes"]] == ["2026-01", "2025-12"]
    assert first["pageInfo"]["hasNextPage"] is True and first["totalCount"] == 4
    rest = northwind_client.data(PERIODS, first=2, after=first["pageInfo"]["endCursor"])["periods"]
    assert [n["period"] for n in rest["nodes"]] == ["2025-11", "2025-10"]
    assert rest["pageInfo"]["hasNextPage"] is False


def test_page_size_and_cursor_are_checked(northwind_client):
    assert northwind_client.error_codes(PERIODS, first=501) == ["TOO_COMPLEX"]
    assert northwind_client.error_codes(PERIODS, first=-1) == ["BAD_INPUT"]
    assert northwind_client.error_codes(PERIODS, after="nonsense") == ["BAD_INPUT"]


def test_a_viewer_may_list_months(northwind_store):
    from graph_itsm.api.app import create_app
    from tests.graphql_client import GraphQLClient

    viewer = GraphQLClient(create_app(northwind_store), roles=["viewer"])
    assert viewer.data(PERIODS)["periods"]["nodes"] == [{"period": "2026-01"}]
