"""Moving services through PIPELINE -> CATALOGUE -> RETIRED through GraphQL, on each backend."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from graph_itsm.portfolio.canonical import normalise
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import (
    ADD_DEPENDENCY,
    CREATE_SERVICE,
    MOVE,
    add_cost_item,
    new_service,
    refused,
    service_entry,
)


def _catalogue_service(client: GraphQLClient, store: GraphStore, id_: str, **fields: Any) -> None:
    """A new service taken into the catalogue the proper way: risk assessed, a cost item, then the move."""
    client.data(CREATE_SERVICE, input=new_service(id_, riskAssessed=True, **fields))
    add_cost_item(store, id_, f"{id_}-cost")
    client.data(MOVE, service=id_, stage="CATALOGUE")


def _canonical(doc: dict[str, Any]) -> dict[str, Any]:
    return normalise(document_from_data(doc))


# --- due diligence ------------------------------------------------------------------------------------------


def test_catalogue_refused_before_the_risk_assessment(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    """loyalty-app has a business case and a cost item, but riskAssessed is false."""
    error = refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "due-diligence",
                    service="loyalty-app", stage="CATALOGUE")
    assert "'loyalty-app'" in error["message"] and "riskAssessed" in error["message"]
    assert error["extensions"]["services"] == ["loyalty-app"]


def test_catalogue_refused_without_business_case_or_cost_item(client: GraphQLClient, store: GraphStore) -> None:
    client.data(CREATE_SERVICE, input=new_service("sso", riskAssessed=True))
    error = refused(client, store, MOVE, "RULE_VIOLATION", "due-diligence", service="sso", stage="CATALOGUE")
    assert "neither a business case nor an allocated cost item" in error["message"]


def test_catalogue_after_due_diligence(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    northwind_client.data("mutation { updateService(id: \"loyalty-app\", input: {riskAssessed: true}) { id } }")
    move = northwind_client.data(MOVE, service="loyalty-app", stage="CATALOGUE")["moveServiceStage"]
    assert move == {"service": {"id": "loyalty-app", "stage": "CATALOGUE"}, "previousStage": "PIPELINE",
                    "replacement": None, "movedConsumers": []}
    assert service_entry(export_document(northwind_store), "loyalty-app")["stage"] == "CATALOGUE"


def test_catalogue_with_a_cost_item_and_no_business_case(client: GraphQLClient, store: GraphStore) -> None:
    _catalogue_service(client, store, "sso")
    assert client.data('{ service(id: "sso") { stage } }')["service"]["stage"] == "CATALOGUE"


# --- retirement ---------------------------------------------------------------------------------------------


def test_retirement_refused_while_catalogue_services_depend(northwind_client: GraphQLClient,
                                                           northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "retirement",
                    service="identity", stage="RETIRED")
    for consumer in ("web-shop", "email", "payroll", "database-platform"):
        assert f"'{consumer}'" in error["message"]
        assert consumer in error["extensions"]["services"]
    assert "loyalty-app" not in error["message"]  # a PIPELINE consumer does not hold a retirement back


def test_retire_identity_with_a_replacement_moves_every_consumer(northwind_client: GraphQLClient,
                                                                 northwind_store: GraphStore) -> None:
    _catalogue_service(northwind_client, northwind_store, "identity-v2", owner="security", criticality=5)
    before = export_document(northwind_store)
    consumers = sorted(s["id"] for s in before["services"]
                       if any(d["service"] == "identity" for d in s["dependsOn"]))
    assert consumers == ["database-platform", "email", "loyalty-app", "payroll", "web-shop"]

    move = northwind_client.data(MOVE, service="identity", stage="RETIRED", replacement="identity-v2")
    assert move["moveServiceStage"] == {"service": {"id": "identity", "stage": "RETIRED"},
                                        "previousStage": "CATALOGUE", "replacement": {"id": "identity-v2"},
                                        "movedConsumers": consumers}

    expected = copy.deepcopy(before)
    service_entry(expected, "identity")["stage"] = "RETIRED"
    for consumer in consumers:
        for dep in service_entry(expected, consumer)["dependsOn"]:
            if dep["service"] == "identity":
                dep["service"] = "identity-v2"  # share, redundancyGroup and demandFactor kept
    after = export_document(northwind_store)
    assert _canonical(after) == _canonical(expected)  # and nothing else changed
    for consumer in consumers:
        deps = {d["service"] for d in service_entry(after, consumer)["dependsOn"]}
        assert "identity-v2" in deps and "identity" not in deps


def test_retirement_keeps_edge_properties_and_merges_with_an_existing_edge(client: GraphQLClient,
                                                                           store: GraphStore) -> None:
    for sid in ("dc-east", "dc-west"):
        _catalogue_service(client, store, sid)
    _catalogue_service(client, store, "app")
    _catalogue_service(client, store, "batch")
    client.data(ADD_DEPENDENCY, consumer="app", provider="dc-east", share=0.3, group="hosting", factor=0.5)
    client.data(ADD_DEPENDENCY, consumer="app", provider="dc-west", share=0.2, group="hosting", factor=0.25)
    client.data(ADD_DEPENDENCY, consumer="batch", provider="dc-east", share=0.4, group="nightly", factor=2.0)

    move = client.data(MOVE, service="dc-east", stage="RETIRED", replacement="dc-west")["moveServiceStage"]
    assert move["movedConsumers"] == ["app", "batch"]
    deps = {s["id"]: s["dependsOn"] for s in export_document(store)["services"]}
    # batch did not depend on dc-west: its edge moves as it was
    assert deps["batch"] == [{"service": "dc-west", "share": 0.4, "redundancyGroup": "nightly", "demandFactor": 2.0}]
    # app did: it keeps its edge to dc-west (share, group) and the demand that went to dc-east goes there too
    assert deps["app"] == [{"service": "dc-west", "share": 0.2, "redundancyGroup": "hosting", "demandFactor": 0.75}]


def test_replacement_must_be_in_the_catalogue(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "replacement",
                    service="identity", stage="RETIRED", replacement="loyalty-app")
    assert "'loyalty-app' is in the PIPELINE" in error["message"]


def test_replacement_cannot_be_the_service_itself(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "replacement",
            service="identity", stage="RETIRED", replacement="identity")


def test_replacement_that_depends_on_the_service_is_refused(northwind_client: GraphQLClient,
                                                            northwind_store: GraphStore) -> None:
    """database-platform consumes identity: moving its edge would make it depend on itself."""
    error = refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "no-self-dependency",
                    service="identity", stage="RETIRED", replacement="database-platform")
    assert "'database-platform'" in error["message"]


def test_replacement_whose_shares_would_exceed_one_is_refused(northwind_client: GraphQLClient,
                                                              northwind_store: GraphStore) -> None:
    """backup would carry email's 0.6 and, from dc-east, network-core's 0.5."""
    northwind_client.data(ADD_DEPENDENCY, consumer="email", provider="backup", share=0.6)
    northwind_client.data(ADD_DEPENDENCY, consumer="network-core", provider="dc-east", share=0.5)
    error = refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "provider-shares",
                    service="dc-east", stage="RETIRED", replacement="backup")
    assert "'backup' would sum to 1.1" in error["message"] and "network-core 0.5 (new)" in error["message"]


def test_replacement_only_with_retirement(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    error = refused(northwind_client, northwind_store, MOVE, "BAD_INPUT",
                    service="loyalty-app", stage="CATALOGUE", replacement="identity")
    assert error["extensions"]["field"] == "replacement"


def test_retirement_without_catalogue_consumers(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    """isp-uplink-b only serves internet-access; once that moves to uplink-a, it can retire."""
    northwind_client.data('mutation { removeDependency(consumer: "internet-access", provider: "isp-uplink-b") { id } }')
    move = northwind_client.data(MOVE, service="isp-uplink-b", stage="RETIRED")["moveServiceStage"]
    assert move["service"]["stage"] == "RETIRED" and move["movedConsumers"] == []


def test_pipeline_service_can_be_cancelled(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    move = northwind_client.data(MOVE, service="loyalty-app", stage="RETIRED")["moveServiceStage"]
    assert move["previousStage"] == "PIPELINE" and move["service"]["stage"] == "RETIRED"


@pytest.mark.parametrize("stage", ["PIPELINE", "CATALOGUE"])
def test_retired_is_final(northwind_client: GraphQLClient, northwind_store: GraphStore, stage: str) -> None:
    error = refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "retired-is-final",
                    service="fax-gateway", stage=stage)
    assert "'fax-gateway'" in error["message"]


def test_catalogue_service_cannot_go_back_to_the_pipeline(northwind_client: GraphQLClient,
                                                          northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "lifecycle", service="email", stage="PIPELINE")


def test_moving_to_the_current_stage_is_refused(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, MOVE, "RULE_VIOLATION", "lifecycle", service="email", stage="CATALOGUE")


def test_unknown_service_and_bad_stage(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    refused(northwind_client, northwind_store, MOVE, "NOT_FOUND", service="nope", stage="RETIRED")
    refused(northwind_client, northwind_store, MOVE, "NOT_FOUND", service="identity", stage="RETIRED",
            replacement="nope")
    refused(northwind_client, northwind_store, MOVE, "BAD_INPUT", service="email", stage="LIVE")
    refused(northwind_client, northwind_store, MOVE, "BAD_INPUT", service="Not A Slug", stage="RETIRED")


def test_a_retirement_with_replacement_is_one_read_and_one_write(northwind_store: GraphStore) -> None:
    """However many consumers move: the facts of both services in one read, everything else in one write."""
    from graph_itsm.portfolio.lifecycle import move_service_stage

    northwind_store.round_trips = 0
    move = move_service_stage(northwind_store, "dc-west", "RETIRED", replacement_id="dc-east", actor="test")
    assert move.moved_consumers == ["backup", "database-platform", "network-core", "web-shop"]
    assert northwind_store.round_trips == 2
