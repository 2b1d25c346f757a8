"""`surveys`: satisfaction surveys by customer and months, as a cursor connection; a customer token lists its own
customer's only."""

from __future__ import annotations

from tests.graphql_client import GraphQLClient

LIST = """query($f: SurveyFilter, $first: Int, $after: String) { surveys(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { customer { id } period score comment } } }"""


def _rows(found: dict) -> list[tuple[str, str, int]]:
    return [(n["customer"]["id"], n["period"], n["score"]) for n in found["nodes"]]


def test_surveys_by_customer_and_months(northwind_client):
    # northwind: retail-bu 2025-12 (3), 2026-01 (4); finance-bu 2026-01 (5)
    everything = northwind_client.data(LIST)["surveys"]
    assert _rows(everything) == [("finance-bu", "2026-01", 5), ("retail-bu", "2025-12", 3), ("retail-bu", "2026-01", 4)]
    assert everything["totalCount"] == 3
    assert _rows(northwind_client.data(LIST, f={"customer": "retail-bu"})["surveys"]) == [
        ("retail-bu", "2025-12", 3), ("retail-bu", "2026-01", 4)]
    assert _rows(northwind_client.data(LIST, f={"from": "2026-01"})["surveys"]) == [
        ("finance-bu", "2026-01", 5), ("retail-bu", "2026-01", 4)]
    assert _rows(northwind_client.data(LIST, f={"to": "2025-12"})["surveys"]) == [("retail-bu", "2025-12", 3)]
    assert northwind_client.data(LIST, f={"from": "2026-02", "to": "2026-12"})["surveys"]["totalCount"] == 0


def test_pages_follow_the_cursor_and_sizes_are_checked(northwind_client):
    first = northwind_client.data(LIST, first=2)["surveys"]
    assert first["pageInfo"]["hasNextPage"] is True and len(first["nodes"]) == 2
    rest = northwind_client.data(LIST, first=2, after=first["pageInfo"]["endCursor"])["surveys"]
    assert _rows(rest) == [("retail-bu", "2026-01", 4)] and rest["pageInfo"]["hasNextPage"] is False
    assert northwind_client.error_codes(LIST, first=501) == ["TOO_COMPLEX"]
    assert northwind_client.error_codes(LIST, after="junk") == ["BAD_INPUT"]
    body = northwind_client.execute(LIST, f={"from": "January"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT" and body["errors"][0]["extensions"]["field"] == "from"


def test_a_customer_token_lists_its_own_surveys_only(northwind_store):
    from graph_itsm.api.app import create_app

    portal = GraphQLClient(create_app(northwind_store), roles=["customer"], customer="retail-bu")
    assert len(portal.data(LIST, f={"customer": "retail-bu"})["surveys"]["nodes"]) == 2
    assert portal.error_codes(LIST, f={"customer": "finance-bu"}) == ["FORBIDDEN"]
    assert portal.error_codes(LIST) == ["FORBIDDEN"]
