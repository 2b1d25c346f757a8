"""Satisfaction surveys (trend, latest, change) and relationship manager assignment."""

from __future__ import annotations

import pytest

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from tests.relationships.support import error

SATISFACTION = """
query($id: ID!) {
  customer(id: $id) { satisfaction { latest { period score comment } trend { period score } change } }
}"""
RECORD = """
mutation($customerId: ID!, $period: String!, $score: Int!, $comment: String) {
  recordSurvey(customerId: $customerId, period: $period, score: $score, comment: $comment) { period score comment }
}"""
ASSIGN = """
mutation($customerId: ID!, $manager: RelationshipManagerInput!) {
  assignRelationshipManager(customerId: $customerId, manager: $manager) { id relationshipManager { id name email } }
}"""


def _satisfaction(client, customer: str) -> dict:
    return client.data(SATISFACTION, id=customer)["customer"]["satisfaction"]


def test_northwind_survey_trend_oldest_first_with_change(northwind_client) -> None:
    assert _satisfaction(northwind_client, "retail-bu") == {
        "latest": {"period": "2026-01", "score": 4, "comment": "better"},
        "trend": [{"period": "2025-12", "score": 3}, {"period": "2026-01", "score": 4}],
        "change": 1,
    }


def test_change_is_null_with_one_survey_and_latest_null_with_none(northwind_client) -> None:
    assert _satisfaction(northwind_client, "finance-bu")["change"] is None
    assert _satisfaction(northwind_client, "hr-bu") == {"latest": None, "trend": [], "change": None}


def test_recorded_survey_joins_the_trend_and_replaces_its_month(northwind_client) -> None:
    northwind_client.data(RECORD, customerId="retail-bu", period="2026-02", score=2, comment="outage again")
    s = _satisfaction(northwind_client, "retail-bu")
    assert s["latest"] == {"period": "2026-02", "score": 2, "comment": "outage again"}
    assert s["change"] == -2
    northwind_client.data(RECORD, customerId="retail-bu", period="2026-02", score=5)
    s = _satisfaction(northwind_client, "retail-bu")
    assert [p["score"] for p in s["trend"]] == [3, 4, 5] and s["change"] == 1


@pytest.mark.parametrize(("period", "score", "field"), [("2026-13", 3, "period"), ("2026-1", 3, "period"),
                                                         ("2026-02", 0, "score"), ("2026-02", 6, "score")])
def test_record_survey_bad_input_names_the_field(northwind_client, northwind_store: GraphStore,
                                                  period: str, score: int, field: str) -> None:
    before = export_document(northwind_store)
    err = error(northwind_client.execute(RECORD, customerId="retail-bu", period=period, score=score))
    assert err["extensions"]["code"] == "BAD_INPUT" and err["extensions"]["field"] == field
    assert export_document(northwind_store) == before


def test_record_survey_for_unknown_customer_is_not_found(northwind_client) -> None:
    err = error(northwind_client.execute(RECORD, customerId="nobody", period="2026-02", score=3))
    assert err["extensions"]["code"] == "NOT_FOUND"


def test_reassigning_a_manager_replaces_the_old_link(northwind_client, northwind_store: GraphStore) -> None:
    carla = {"id": "brm-carla", "name": "Carla Dias", "email": "carla@example.org"}
    got = northwind_client.data(ASSIGN, customerId="retail-bu", manager=carla)["assignRelationshipManager"]
    assert got == {"id": "retail-bu", "relationshipManager": carla}
    managers = {c["id"]: c.get("relationshipManager", {}).get("id") for c in export_document(northwind_store)["customers"]}
    assert managers == {"retail-bu": "brm-carla", "finance-bu": "brm-ana", "hr-bu": "brm-omar",
                        "franchise-co": "brm-omar"}
    # back to an existing manager, whose details are updated by id
    omar = {"id": "brm-omar", "name": "Omar Haddad", "email": "omar.haddad@example.org"}
    northwind_client.data(ASSIGN, customerId="retail-bu", manager=omar)
    customers = {c["id"]: c["relationshipManager"] for c in export_document(northwind_store)["customers"]}
    assert customers["retail-bu"] == omar and customers["hr-bu"] == omar


def test_assign_manager_bad_email_names_the_field(northwind_client, northwind_store: GraphStore) -> None:
    before = export_document(northwind_store)
    err = error(northwind_client.execute(ASSIGN, customerId="retail-bu",
                                         manager={"id": "brm-x", "name": "X", "email": "not-an-email"}))
    assert err["extensions"]["code"] == "BAD_INPUT" and err["extensions"]["field"] == "manager.email"
    assert export_document(northwind_store) == before


def test_satisfaction_of_every_customer_is_one_batched_read(northwind_client, northwind_store: GraphStore) -> None:
    northwind_store.round_trips = 0
    customers = northwind_client.data("{ customers { id satisfaction { change } } }")["customers"]
    assert len(customers) == 4
    assert northwind_store.round_trips == 2  # the list, then one batch of surveys


def test_relationship_writes_leave_the_topology_version_alone(northwind_client, northwind_store: GraphStore) -> None:
    from graph_itsm.store import library

    def versions() -> tuple[int, int]:
        q = library()
        return (northwind_store.read(q["store/get_version"])[0]["version"],
                northwind_store.read(q["store/get_topology_version"])[0]["version"])

    graph, topology = versions()
    northwind_client.data(RECORD, customerId="hr-bu", period="2026-02", score=4)
    northwind_client.data(ASSIGN, customerId="hr-bu",
                          manager={"id": "brm-ana", "name": "Ana Costa", "email": "ana@example.org"})
    assert versions() == (graph + 2, topology)
