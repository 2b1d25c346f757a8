"""GET /impact.ndjson: the whole report as one JSON object a line, outside the GraphQL executor."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import northwind_data, northwind_expected
from tests.graphql_client import GraphQLClient

EXPECTED = northwind_expected()
NAMES = {s["id"]: s["name"] for s in northwind_data()["services"]}


def _stream(client: GraphQLClient, **params: Any) -> list[dict[str, Any]]:
    response = client.http.get("/impact.ndjson", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.text.splitlines()
    assert response.text.endswith("\n") or not lines
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED if k.startswith("impact:")))
def test_stream_lists_every_impacted_service_like_graphql(northwind_client: GraphQLClient, key: str) -> None:
    failed = key.split(":", 1)[1]
    rows = _stream(northwind_client, failed=failed)
    assert {r["id"]: {"distance": r["distance"], "status": r["status"]} for r in rows} == EXPECTED[key]["services"]
    assert all(r["name"] == NAMES[r["id"]] and r["assumedRetired"] is False for r in rows)
    graphql = northwind_client.data(
        "query($f: [ID!]!) { impact(failed: $f) { services { service { id } status distance path } } }",
        f=failed.split(","),
    )["impact"]["services"]
    assert [(r["id"], r["status"], r["distance"], r["path"]) for r in rows] == [
        (g["service"]["id"], g["status"], g["distance"], g["path"]) for g in graphql
    ]


def test_stream_takes_max_depth_and_what_if_retired(northwind_client: GraphQLClient) -> None:
    rows = _stream(northwind_client, failed="dc-east", maxDepth="1")
    assert {r["id"] for r in rows} == {k for k, v in EXPECTED["impact:dc-east"]["services"].items() if v["distance"] <= 1}
    rows = _stream(northwind_client, failed="isp-uplink-b", whatIfRetired="isp-uplink-a")
    assert [(r["id"], r["status"], r["assumedRetired"]) for r in rows] == [
        ("isp-uplink-a", "DOWN", True),
        ("isp-uplink-b", "DOWN", False),
        ("internet-access", "DOWN", False),
    ]
    # Repeated parameters work as well as commas.
    assert _stream(northwind_client, failed=["dc-east", "dc-west"]) == _stream(northwind_client, failed="dc-east,dc-west")


def _error(client: GraphQLClient, status: int, **params: Any) -> dict[str, Any]:
    response = client.http.get("/impact.ndjson", params=params)
    assert response.status_code == status, response.text
    (error,) = response.json()["errors"]
    return error


def test_unknown_ids_are_a_404_naming_them(northwind_client: GraphQLClient) -> None:
    error = _error(northwind_client, 404, failed="dc-east,ghost", whatIfRetired="")
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["ids"] == ["ghost"] and "'ghost'" in error["message"]
    assert _error(northwind_client, 404, failed="dc-east", whatIfRetired="nope")["extensions"]["ids"] == ["nope"]


@pytest.mark.parametrize(
    "params",
    [{}, {"failed": ""}, {"failed": "dc-east", "maxDepth": "two"}, {"failed": "dc-east", "maxDepth": "-1"}],
)
def test_bad_input_is_a_400_with_a_code(northwind_client: GraphQLClient, params: dict[str, str]) -> None:
    assert _error(northwind_client, 400, **params)["extensions"]["code"] == "BAD_INPUT"
