"""`statements`: issued charge statements by month, customer and state, as a cursor connection; a customer token
lists its own customer's only."""

from __future__ import annotations

import pytest

from tests.graphql_client import GraphQLClient

LIST = """query($f: StatementFilter, $first: Int, $after: String) { statements(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { customer { id } period state issued total lines { service { id } charge } } } } }"""
ISSUE = """mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) { total } }"""


@pytest.fixture
def issued(northwind_client):
    totals = {}
    for customer, period in (("retail-bu", "2026-01"), ("finance-bu", "2026-01"), ("retail-bu", "2026-02")):
        totals[(customer, period)] = northwind_client.data(ISSUE, c=customer, p=period)["issueChargeStatement"]["total"]
    return northwind_client, totals


def _keys(found: dict) -> list[tuple[str, str]]:
    return [(e["node"]["customer"]["id"], e["node"]["period"]) for e in found["edges"]]


def test_every_issued_statement_in_customer_then_month_order(issued):
    client, totals = issued
    found = client.data(LIST)["statements"]
    assert _keys(found) == [("finance-bu", "2026-01"), ("retail-bu", "2026-01"), ("retail-bu", "2026-02")]
    assert found["totalCount"] == 3
    for e in found["edges"]:
        node = e["node"]
        assert node["state"] == "ISSUED" and node["issued"] is True
        assert node["total"] == totals[(node["customer"]["id"], node["period"])]
    assert client.data(LIST, f={"period": "2026-01"})["statements"]["totalCount"] == 2
    assert _keys(client.data(LIST, f={"customer": "retail-bu", "period": "2026-02"})["statements"]) == [
        ("retail-bu", "2026-02")]
    assert client.data(LIST, f={"state": "ISSUED"})["statements"]["totalCount"] == 3


def test_pages_follow_the_cursor(issued):
    client, _ = issued
    first = client.data(LIST, first=2)["statements"]
    assert _keys(first) == [("finance-bu", "2026-01"), ("retail-bu", "2026-01")]
    assert first["pageInfo"]["hasNextPage"] is True and first["totalCount"] == 3
    rest = client.data(LIST, first=2, after=first["pageInfo"]["endCursor"])["statements"]
    assert _keys(rest) == [("retail-bu", "2026-02")] and rest["pageInfo"]["hasNextPage"] is False
    assert client.error_codes(LIST, first=501) == ["TOO_COMPLEX"]
    assert client.error_codes(LIST, after="junk") == ["BAD_INPUT"]
    assert client.error_codes(LIST, f={"period": "2026-1"}) == ["BAD_INPUT"]


def test_a_customer_token_lists_its_own_statements_only(issued, northwind_store):
    client, _ = issued
    from graph_itsm.api.app import create_app

    portal = GraphQLClient(create_app(northwind_store), roles=["customer"], customer="retail-bu")
    own = portal.data(LIST, f={"customer": "retail-bu"})["statements"]
    assert _keys(own) == [("retail-bu", "2026-01"), ("retail-bu", "2026-02")]
    assert portal.error_codes(LIST, f={"customer": "finance-bu"}) == ["FORBIDDEN"]
    assert portal.error_codes(LIST) == ["FORBIDDEN"]  # all customers' statements: not for a customer token
    viewer = GraphQLClient(create_app(northwind_store), roles=["viewer"])
    assert viewer.data(LIST)["statements"]["totalCount"] == 3
