"""Impact analysis and dependency look-ups through GraphQL, on every backend."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest

from graph_itsm.store import GraphStore
from tests.conftest import northwind_data, northwind_expected
from tests.graphql_client import GraphQLClient

EXPECTED = northwind_expected()
IMPACT_KEYS = sorted(k for k in EXPECTED if k.startswith("impact:"))
DOC = northwind_data()
# provider -> consumers, and consumer -> providers, of the worked example
CONSUMERS: dict[str, set[str]] = {}
PROVIDERS: dict[str, set[str]] = {}
for _s in DOC["services"]:
    for _d in _s.get("dependsOn", []):
        CONSUMERS.setdefault(_d["service"], set()).add(_s["id"])
        PROVIDERS.setdefault(_s["id"], set()).add(_d["service"])

REPORT = """
query Impact($failed: [ID!]!, $maxDepth: Int, $retired: [ID!], $first: Int, $offset: Int) {
  impact(failed: $failed, maxDepth: $maxDepth, whatIfRetired: $retired) {
    counts { services down degraded customerFacing outcomes customers }
    services(first: $first, offset: $offset) { service { id name } status distance path stage assumedRetired }
    customerFacing { service { id } status distance }
    outcomes { outcome { id name } status }
    customers { customer { id name } status }
  }
}
"""


def _impact(client: GraphQLClient, failed: list[str], **variables: Any) -> dict[str, Any]:
    return client.data(REPORT, failed=failed, **variables)["impact"]


def _bfs(start: set[str], graph: dict[str, set[str]]) -> dict[str, int]:
    distance = {s: 0 for s in start}
    queue = deque(start)
    while queue:
        v = queue.popleft()
        for w in sorted(graph.get(v, ())):
            if w not in distance:
                distance[w] = distance[v] + 1
                queue.append(w)
    return distance


@pytest.mark.parametrize("key", IMPACT_KEYS)
def test_northwind_impact_matches_the_worked_answers(northwind_client: GraphQLClient, key: str) -> None:
    expected = EXPECTED[key]
    failed = key.split(":", 1)[1].split(",")
    report = _impact(northwind_client, failed)

    services = {r["service"]["id"]: {"distance": r["distance"], "status": r["status"]} for r in report["services"]}
    assert services == expected["services"]
    assert sorted(r["service"]["id"] for r in report["customerFacing"]) == sorted(expected["customerFacing"])
    assert {r["outcome"]["id"]: r["status"] for r in report["outcomes"]} == expected["outcomes"]
    assert {r["customer"]["id"]: r["status"] for r in report["customers"]} == expected["customers"]

    down = sum(1 for v in expected["services"].values() if v["status"] == "DOWN")
    assert report["counts"] == {
        "services": len(expected["services"]),
        "down": down,
        "degraded": len(expected["services"]) - down,
        "customerFacing": len(expected["customerFacing"]),
        "outcomes": len(expected["outcomes"]),
        "customers": len(expected["customers"]),
    }
    # Ordered by distance, then id; every path a real shortest path from a failed service.
    keys = [(r["distance"], r["service"]["id"]) for r in report["services"]]
    assert keys == sorted(keys)
    for r in report["services"]:
        path = r["path"]
        assert path[0] in failed and path[-1] == r["service"]["id"]
        assert len(path) == r["distance"] + 1
        assert all(b in CONSUMERS[a] for a, b in zip(path, path[1:]))
        assert r["assumedRetired"] is False


def test_unknown_failed_ids_are_not_found_naming_them(northwind_client: GraphQLClient) -> None:
    body = northwind_client.execute(REPORT, failed=["dc-east", "dc-nowhere", "ghost"])
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "'dc-nowhere'" in error["message"] and "'ghost'" in error["message"]
    assert error["extensions"]["ids"] == ["dc-nowhere", "ghost"]


def test_unknown_retired_id_is_not_found(northwind_client: GraphQLClient) -> None:
    assert northwind_client.error_codes(REPORT, failed=[], retired=["nope"]) == ["NOT_FOUND"]


def test_negative_max_depth_is_bad_input(northwind_client: GraphQLClient) -> None:
    assert northwind_client.error_codes(REPORT, failed=["dc-east"], maxDepth=-1) == ["BAD_INPUT"]


def test_max_depth_limits_what_is_reported_not_the_statuses(northwind_client: GraphQLClient) -> None:
    full = EXPECTED["impact:dc-east"]["services"]
    report = _impact(northwind_client, ["dc-east"], maxDepth=1)
    services = {r["service"]["id"]: {"distance": r["distance"], "status": r["status"]} for r in report["services"]}
    assert services == {k: v for k, v in full.items() if v["distance"] <= 1}
    assert services["mail-platform"]["status"] == "DOWN"
    assert [r["service"]["id"] for r in report["customerFacing"]] == ["web-shop"]
    assert report["counts"]["services"] == len(services)
    # Outcomes and customers follow from the reported services only: web-shop, DEGRADED.
    assert {r["outcome"]["id"]: r["status"] for r in report["outcomes"]} == {
        o: "DEGRADED" for o in next(s for s in DOC["services"] if s["id"] == "web-shop")["enables"]
    }
    assert _impact(northwind_client, ["dc-east"], maxDepth=0)["counts"]["services"] == 1


def test_what_if_retiring_a_service_shows_what_it_would_break(northwind_client: GraphQLClient) -> None:
    alone = _impact(northwind_client, [], retired=["isp-uplink-a"])
    assert [(r["service"]["id"], r["status"], r["distance"], r["assumedRetired"]) for r in alone["services"]] == [
        ("isp-uplink-a", "DOWN", 0, True),
        ("internet-access", "DEGRADED", 1, False),
    ]
    # With uplink-a retired, a failure of uplink-b takes internet access down: no redundancy is left.
    both = _impact(northwind_client, ["isp-uplink-b"], retired=["isp-uplink-a"])
    rows = {r["service"]["id"]: (r["status"], r["assumedRetired"]) for r in both["services"]}
    assert rows == {
        "isp-uplink-a": ("DOWN", True),
        "isp-uplink-b": ("DOWN", False),
        "internet-access": ("DOWN", False),
    }
    outcomes = set(next(s for s in DOC["services"] if s["id"] == "internet-access")["enables"])
    assert {r["outcome"]["id"]: r["status"] for r in both["outcomes"]} == {o: "DOWN" for o in outcomes}
    assert {r["customer"]["id"]: r["status"] for r in both["customers"]} == {
        c["id"]: "DOWN"
        for c in DOC["customers"]
        if any(x["service"] == "internet-access" for x in c["subscriptions"]) or outcomes & set(c["pursues"])
    }


def test_pages_concatenate_to_the_whole_list(northwind_client: GraphQLClient) -> None:
    failed = ["dc-east", "dc-west"]
    whole = _impact(northwind_client, failed)["services"]
    assert len(whole) == len(EXPECTED["impact:dc-east,dc-west"]["services"])
    pages = []
    for offset in range(0, len(whole), 4):
        pages += _impact(northwind_client, failed, first=4, offset=offset)["services"]
    assert pages == whole
    assert _impact(northwind_client, failed, first=0)["services"] == []
    assert _impact(northwind_client, failed, offset=100)["services"] == []
    assert _impact(northwind_client, failed, offset=10)["services"] == whole[10:]
    assert northwind_client.error_codes(REPORT, failed=failed, first=-1) == ["BAD_INPUT"]
    assert northwind_client.error_codes(REPORT, failed=failed, offset=-1) == ["BAD_INPUT"]


DEPENDENCIES = """
query Deps($id: ID!, $maxDepth: Int) { dependencies(id: $id, maxDepth: $maxDepth) { service { id name } distance } }
"""


@pytest.mark.parametrize("service_id", ["web-shop", "database-platform", "identity", "dc-east"])
def test_dependencies_lists_everything_needed_with_distances(northwind_client: GraphQLClient, service_id: str) -> None:
    rows = northwind_client.data(DEPENDENCIES, id=service_id)["dependencies"]
    expected = _bfs({service_id}, PROVIDERS)
    del expected[service_id]  # not listed, even though identity and database-platform form a cycle
    assert [(r["service"]["id"], r["distance"]) for r in rows] == sorted(expected.items(), key=lambda kv: (kv[1], kv[0]))


def test_dependencies_max_depth_and_errors(northwind_client: GraphQLClient) -> None:
    rows = northwind_client.data(DEPENDENCIES, id="web-shop", maxDepth=1)["dependencies"]
    assert {r["service"]["id"] for r in rows} == PROVIDERS["web-shop"]
    assert northwind_client.error_codes(DEPENDENCIES, id="nope") == ["NOT_FOUND"]
    assert northwind_client.error_codes(DEPENDENCIES, id="web-shop", maxDepth=-2) == ["BAD_INPUT"]


def test_round_trips_do_not_grow_with_the_rows(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    """Version check, then one batched query each for the page's services, the outcomes and the customers."""
    _impact(northwind_client, ["dc-east", "dc-west"], first=1)  # builds the projection
    trips = []
    for first in (1, 14):
        northwind_store.round_trips = 0
        report = _impact(northwind_client, ["dc-east", "dc-west"], first=first)
        assert len(report["services"]) == first
        trips.append(northwind_store.round_trips)
    assert trips[0] == trips[1] <= 5
