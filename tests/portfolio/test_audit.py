"""The audit trail: every write records who, when, what, before and after, queryable per service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from graph_itsm.errors import RuleViolation
from graph_itsm.portfolio import dependencies, service as services
from graph_itsm.portfolio.audit import history_of_services
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import ADD_DEPENDENCY, CREATE_SERVICE, MOVE, UPDATE_SERVICE, new_service, run

HISTORY = """
query($id: ID!) { service(id: $id) { history { id at actor action target before after version } } }"""


def _history(client: GraphQLClient, service_id: str) -> list[dict[str, Any]]:
    return client.data(HISTORY, id=service_id)["service"]["history"]


def test_each_write_is_recorded_newest_first(client: GraphQLClient) -> None:
    client.data(CREATE_SERVICE, input=new_service("crm", criticality=2))
    client.data(UPDATE_SERVICE, id="crm", input={"criticality": 4})
    history = _history(client, "crm")
    assert [e["action"] for e in history] == ["updateService", "createService"]
    update, create = history
    assert update["version"] > create["version"]
    assert update["actor"] == create["actor"] == "test-admin"  # the default test client: an admin token of that name
    assert update["target"] == "service:crm"
    assert update["before"]["criticality"] == 2 and update["after"]["criticality"] == 4
    assert create["before"] is None and create["after"]["stage"] == "PIPELINE"
    assert datetime.fromisoformat(update["at"].replace("Z", "+00:00")) >= datetime.fromisoformat(
        create["at"].replace("Z", "+00:00"))


def test_an_edge_change_is_in_the_history_of_both_ends(northwind_client: GraphQLClient) -> None:
    northwind_client.data(ADD_DEPENDENCY, consumer="email", provider="backup", share=0.2)
    for end in ("email", "backup"):
        entry = _history(northwind_client, end)[0]
        assert entry["action"] == "addDependency" and entry["target"] == "dependency:email->backup"
        assert entry["before"] is None
        assert entry["after"] == {"consumer": "email", "provider": "backup", "share": 0.2}


def test_retirement_with_replacement_is_recorded_for_every_service_it_touched(
    northwind_client: GraphQLClient, northwind_store: GraphStore
) -> None:
    northwind_client.data(ADD_DEPENDENCY, consumer="point-of-sale", provider="identity", share=0.1)
    northwind_client.data('mutation { removeDependency(consumer: "database-platform", provider: "identity") { id } }')
    northwind_client.data(MOVE, service="identity", stage="RETIRED", replacement="database-platform")
    entry = _history(northwind_client, "identity")[0]
    assert entry["action"] == "moveServiceStage"
    assert entry["before"]["stage"] == "CATALOGUE" and entry["after"]["stage"] == "RETIRED"
    assert entry["after"]["replacement"] == "database-platform"
    # point-of-sale already depended on database-platform: its edge there is kept (share 0.3)
    assert {"service": "point-of-sale", "share": 0.1} in entry["before"]["consumers"]
    assert {"service": "point-of-sale", "share": 0.3} in entry["after"]["moved"]
    for touched in ("database-platform", "web-shop", "email", "payroll", "loyalty-app", "point-of-sale"):
        assert _history(northwind_client, touched)[0]["id"] == entry["id"]


def test_refused_writes_leave_no_entry(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    before = run(northwind_store, "MATCH (a:AuditEntry) RETURN count(a) AS n")
    northwind_client.execute(MOVE, service="identity", stage="RETIRED")
    assert run(northwind_store, "MATCH (a:AuditEntry) RETURN count(a) AS n") == before


def test_import_records_one_entry_with_the_counts(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    rows = run(northwind_store, "MATCH (a:AuditEntry) RETURN properties(a) AS a")
    assert len(rows) == 1
    entry = rows[0]["a"]
    assert entry["action"] == "import" and entry["actor"] == "anonymous" and entry["target"] == "portfolio"
    history = _history(northwind_client, "web-shop")
    assert [e["action"] for e in history] == ["import"]
    assert history[0]["after"]["counts"]["services"] == 17
    assert history[0]["after"]["counts"]["customers"] == 4


def test_deleted_service_leaves_its_entry_with_its_last_values(northwind_client: GraphQLClient,
                                                               northwind_store: GraphStore) -> None:
    northwind_client.data('mutation { deleteService(id: "fax-gateway") { id } }')
    entry = _history(northwind_client, "network-core")[0]  # fax-gateway depended on it
    assert entry["action"] == "deleteService" and entry["after"] is None
    assert entry["before"]["stage"] == "RETIRED" and entry["before"]["dependsOn"] == [{"service": "network-core"}]


def test_history_is_batched_whatever_the_number_of_services(northwind_client: GraphQLClient,
                                                            northwind_store: GraphStore) -> None:
    query = "query($n: Int) { services(first: $n) { nodes { id history { action } } } }"

    def trips(n: int) -> int:
        northwind_store.round_trips = 0
        northwind_client.data(query, n=n)
        return northwind_store.round_trips

    trips(1)  # the first list of a topology version reads the service index
    assert trips(2) == trips(17)


def test_the_actor_is_recorded(store: GraphStore) -> None:
    services.create_service(store, new_service("crm"), actor="ana@example.org")
    [[entry]] = history_of_services(store, ["crm"])
    assert entry.actor == "ana@example.org" and entry.action == "createService"


def test_a_write_landing_between_check_and_write_is_caught(northwind_store: GraphStore,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process raises a share into backup after our checks read the graph: our write must not go
    through on stale facts. It is checked again, and now breaks the share rule."""
    store = northwind_store
    real_read = type(store).read
    raced = []

    def read(self: GraphStore, query: Any, params: dict[str, Any] | None = None) -> Any:
        rows = real_read(self, query, params)
        if query.name == "portfolio/rules/service_facts" and not raced:
            raced.append(True)
            dependencies.add_dependency(self, "payroll", "backup", {"share": 0.7}, actor="other-process")
        return rows

    monkeypatch.setattr(type(store), "read", read)
    with pytest.raises(RuleViolation, match="provider-shares: .*'backup' would sum to 1.2"):
        dependencies.add_dependency(store, "email", "backup", {"share": 0.5}, actor="us")
    monkeypatch.undo()
    [history] = history_of_services(store, ["email"])
    assert [e.actor for e in history] == ["anonymous"]  # the import only: nothing of ours was written
