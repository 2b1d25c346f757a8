"""Searching and paging through services: filters, stable cursors, page-size limit."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import CREATE_SERVICE, new_service

PAGE = """
query($filter: ServiceFilter, $first: Int, $after: String) {
  services(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
  }
}"""


def _ids(client: GraphQLClient, **variables: Any) -> list[str]:
    return [e["node"]["id"] for e in client.data(PAGE, **variables)["services"]["edges"]]


def _all_pages(client: GraphQLClient, first: int, **variables: Any) -> list[list[str]]:
    pages, after = [], None
    while True:
        page = client.data(PAGE, first=first, after=after, **variables)["services"]
        pages.append([e["node"]["id"] for e in page["edges"]])
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


def test_paging_by_five_yields_every_service_exactly_once(northwind_client: GraphQLClient) -> None:
    pages = _all_pages(northwind_client, 5)
    assert [len(p) for p in pages] == [5, 5, 5, 2]
    seen = [sid for page in pages for sid in page]
    assert len(seen) == len(set(seen)) == 17
    assert seen == sorted(seen)
    assert northwind_client.data(PAGE, first=5)["services"]["totalCount"] == 17


def test_cursors_are_stable_when_services_are_added(northwind_client: GraphQLClient) -> None:
    first = northwind_client.data(PAGE, first=5)["services"]
    northwind_client.data(CREATE_SERVICE, input=new_service("aaa-first"))  # sorts before the cursor
    after = _ids(northwind_client, first=5, after=first["pageInfo"]["endCursor"])
    assert after == _ids(northwind_client, first=20)[6:11]
    assert "aaa-first" not in after


def test_filters_combine(northwind_client: GraphQLClient) -> None:
    assert _ids(northwind_client, filter={"kind": "CUSTOMER_FACING", "stage": "CATALOGUE"}) == [
        "email", "internet-access", "payroll", "point-of-sale", "web-shop"]
    assert _ids(northwind_client, filter={"owner": "ecommerce"}) == ["loyalty-app", "payments", "web-shop"]
    assert _ids(northwind_client, filter={"provider": "THIRD_PARTY"}) == ["isp-uplink-a", "isp-uplink-b", "payments"]
    assert _ids(northwind_client, filter={"search": "PLATFORM"}) == ["database-platform", "mail-platform"]
    pages = _all_pages(northwind_client, 2, filter={"kind": "SUPPORTING"})
    assert sum(len(p) for p in pages) == 10


def test_empty_page_and_last_page(northwind_client: GraphQLClient) -> None:
    page = northwind_client.data(PAGE, first=0)["services"]
    assert page["edges"] == [] and page["pageInfo"] == {"hasNextPage": True, "endCursor": None}
    page = northwind_client.data(PAGE, first=500)["services"]
    assert len(page["edges"]) == 17 and page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("cursor", ["not-a-cursor", "!!!", base64.urlsafe_b64encode(b"customer:x").decode(), ""])
def test_a_bad_cursor_is_bad_input(northwind_client: GraphQLClient, cursor: str) -> None:
    body = northwind_client.execute(PAGE, first=5, after=cursor)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "after"


def test_a_page_above_the_limit_is_too_complex(northwind_client: GraphQLClient) -> None:
    body = northwind_client.execute(PAGE, first=501)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["TOO_COMPLEX"]
    assert "500" in body["errors"][0]["message"]


def test_a_negative_page_size_is_bad_input(northwind_client: GraphQLClient) -> None:
    assert northwind_client.error_codes(PAGE, first=-1) == ["BAD_INPUT"]


def test_paging_costs_two_round_trips_whatever_the_page_size(northwind_client: GraphQLClient,
                                                             northwind_store: GraphStore) -> None:
    northwind_client.data(PAGE, first=1)  # the first list of a topology version reads the service index
    northwind_store.round_trips = 0
    northwind_client.data(PAGE, first=17)
    assert northwind_store.round_trips == 2  # the version check and the page (the count is the index's)
