"""The customer view on northwind."""

from __future__ import annotations

from graph_itsm.store import GraphStore
from tests.relationships.support import Clock, client_at, error

VIEW = """
query($id: ID!, $period: String) {
  customerView(id: $id, period: $period) {
    customer { id name relationshipManager { id } }
    services { service { id } stage health }
    outcomes { id }
    charges { period total lines { service { id } charge } }
    satisfaction { latest { period score } trend { period score } change }
    openComplaints { id status severity deadline overdue service { id } }
  }
}"""
STATEMENT = """
query($id: ID!, $period: String!) { chargeStatement(customerId: $id, period: $period) { total lines { service { id } charge } } }"""


def test_customer_view_of_retail_on_northwind(northwind_store: GraphStore) -> None:
    client = client_at(northwind_store, Clock("2026-01-12T12:00:00+00:00"))
    view = client.data(VIEW, id="retail-bu", period="2026-01")["customerView"]
    assert view["customer"] == {"id": "retail-bu", "name": view["customer"]["name"],
                                "relationshipManager": {"id": "brm-ana"}}
    assert view["services"] == [
        {"service": {"id": sid}, "stage": "CATALOGUE", "health": "HEALTHY"}
        for sid in ("email", "internet-access", "point-of-sale", "web-shop")
    ]
    assert [o["id"] for o in view["outcomes"]] == ["orders-24h", "trade-online"]
    statement = client.data(STATEMENT, id="retail-bu", period="2026-01")["chargeStatement"]
    assert {k: view["charges"][k] for k in ("total", "lines")} == statement
    assert view["charges"]["total"] > 0
    assert view["satisfaction"]["change"] == 1
    assert view["openComplaints"] == [{"id": "cmp-1", "status": "OPEN", "severity": 2,
                                       "deadline": "2026-01-13T09:30:00Z", "overdue": False,
                                       "service": {"id": "web-shop"}}]


def test_customer_view_flags_overdue_and_leaves_out_closed_complaints(northwind_store: GraphStore) -> None:
    clock = Clock("2026-01-14T00:00:00+00:00")
    client = client_at(northwind_store, clock)
    view = client.data(VIEW, id="retail-bu")["customerView"]
    assert view["charges"] is None
    assert [(c["id"], c["overdue"]) for c in view["openComplaints"]] == [("cmp-1", True)]
    move = "mutation($id: ID!, $s: ComplaintStatus!) { moveComplaint(id: $id, status: $s) { status } }"
    for status in ("ACKNOWLEDGED", "RESOLVED"):
        client.data(move, id="cmp-1", s=status)
    assert [(c["status"], c["overdue"]) for c in client.data(VIEW, id="retail-bu")["customerView"]["openComplaints"]] \
        == [("RESOLVED", False)]
    client.data(move, id="cmp-1", s="CLOSED")
    assert client.data(VIEW, id="retail-bu")["customerView"]["openComplaints"] == []


def test_retired_service_shows_unavailable(northwind_store: GraphStore) -> None:
    client = client_at(northwind_store, Clock("2026-01-12T12:00:00+00:00"))
    client.data('mutation { moveServiceStage(input: {service: "payroll", stage: RETIRED}) { service { stage } } }')
    services = client.data(VIEW, id="finance-bu")["customerView"]["services"]
    assert {"service": {"id": "payroll"}, "stage": "RETIRED", "health": "UNAVAILABLE"} in services
    assert {s["health"] for s in services if s["service"]["id"] != "payroll"} == {"HEALTHY"}


def test_customer_view_errors(northwind_store: GraphStore) -> None:
    client = client_at(northwind_store, Clock("2026-01-12T12:00:00+00:00"))
    assert error(client.execute(VIEW, id="nobody"))["extensions"]["code"] == "NOT_FOUND"
    err = error(client.execute(VIEW, id="retail-bu", period="2026-1"))
    assert err["extensions"]["code"] == "BAD_INPUT" and err["extensions"]["field"] == "period"
