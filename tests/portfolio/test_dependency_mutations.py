"""Adding, changing and removing DEPENDS_ON edges through GraphQL."""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import ADD_DEPENDENCY, REMOVE_DEPENDENCY, refused, service_entry


def _deps(store: GraphStore, service_id: str) -> list[dict[str, Any]]:
    return service_entry(export_document(store), service_id)["dependsOn"]


def test_add_dependency_with_its_properties(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    result = northwind_client.data(ADD_DEPENDENCY, consumer="email", provider="isp-uplink-a", share=0.25,
                                   group="uplink", factor=0.1)["addDependency"]
    assert result["id"] == "email"
    assert {"service": {"id": "isp-uplink-a"}, "share": 0.25, "redundancyGroup": "uplink",
            "demandFactor": 0.1} in result["dependencies"]
    assert {"service": "isp-uplink-a", "share": 0.25, "redundancyGroup": "uplink",
            "demandFactor": 0.1} in _deps(northwind_store, "email")


def test_adding_an_existing_dependency_replaces_its_properties(northwind_client: GraphQLClient,
                                                               northwind_store: GraphStore) -> None:
    northwind_client.data(ADD_DEPENDENCY, consumer="web-shop", provider="payments", share=0.5)
    deps = [d for d in _deps(northwind_store, "web-shop") if d["service"] == "payments"]
    assert deps == [{"service": "payments", "share": 0.5}]


def test_cycles_are_allowed(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    """backup depends on dc-west; dc-west may depend on backup (spec rule 5)."""
    northwind_client.data(ADD_DEPENDENCY, consumer="dc-west", provider="backup")
    assert _deps(northwind_store, "dc-west") == [{"service": "backup"}]


def test_self_dependency_is_refused(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, ADD_DEPENDENCY, "RULE_VIOLATION", "no-self-dependency",
                    consumer="backup", provider="backup")
    assert error["extensions"]["services"] == ["backup"]


def test_provider_shares_above_one_are_refused(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    """payments carries web-shop 0.8 and point-of-sale 0.2 already."""
    error = refused(northwind_client, northwind_store, ADD_DEPENDENCY, "RULE_VIOLATION", "provider-shares",
                    consumer="email", provider="payments", share=0.1)
    assert "'payments' would sum to 1.1" in error["message"]
    assert "web-shop 0.8" in error["message"] and "email 0.1 (new)" in error["message"]
    assert error["extensions"]["services"][:2] == ["payments", "email"]


def test_raising_an_existing_share_above_one_is_refused(northwind_client: GraphQLClient,
                                                        northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, ADD_DEPENDENCY, "RULE_VIOLATION", "provider-shares",
            consumer="point-of-sale", provider="payments", share=0.3)
    # but lowering one to make room is fine, and the edge's own old share does not count twice
    northwind_client.data(ADD_DEPENDENCY, consumer="web-shop", provider="payments", share=0.7)
    northwind_client.data(ADD_DEPENDENCY, consumer="point-of-sale", provider="payments", share=0.3)


def test_new_dependency_on_a_retired_service_is_refused(northwind_client: GraphQLClient,
                                                        northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, ADD_DEPENDENCY, "RULE_VIOLATION", "retired-provider",
                    consumer="email", provider="fax-gateway")
    assert "'fax-gateway' is RETIRED" in error["message"]


@pytest.mark.parametrize(("variables", "field"), [
    ({"share": 1.5}, "share"),
    ({"share": -0.1}, "share"),
    ({"factor": -1.0}, "demandFactor"),
    ({"group": ""}, "redundancyGroup"),
    ({"consumer": "Email"}, "consumer"),
])
def test_bad_edge_input_is_refused(northwind_client: GraphQLClient, northwind_store: GraphStore,
                                   variables: dict[str, Any], field: str) -> None:
    error = refused(northwind_client, northwind_store, ADD_DEPENDENCY, "BAD_INPUT",
                    **{"consumer": "email", "provider": "backup", **variables})
    assert error["extensions"]["field"] == field


def test_unknown_ends_are_not_found(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, ADD_DEPENDENCY, "NOT_FOUND", consumer="email", provider="nope")
    assert error["extensions"]["field"] == "provider"
    refused(northwind_client, northwind_store, REMOVE_DEPENDENCY, "NOT_FOUND", consumer="email", provider="backup")


def test_remove_dependency(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    result = northwind_client.data(REMOVE_DEPENDENCY, consumer="email", provider="identity")["removeDependency"]
    assert result == {"id": "email", "dependencies": [{"service": {"id": "mail-platform"}}]}
    assert _deps(northwind_store, "email") == [{"service": "mail-platform"}]
