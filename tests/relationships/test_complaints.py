"""The complaint procedure: every transition, allowed and refused (graph unchanged), and deadlines per severity."""

from __future__ import annotations

import pytest

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from tests.relationships.support import Clock, client_at, error

RAISE = """
mutation($input: RaiseComplaintInput!) {
  raiseComplaint(input: $input) { id status escalationLevel opened acknowledged deadline overdue
                                  customer { id } service { id } }
}"""
MOVE = """
mutation($id: ID!, $status: ComplaintStatus!) {
  moveComplaint(id: $id, status: $status) { id status escalationLevel acknowledged overdue }
}"""
VIEW = """
query($id: ID!) { customerView(id: $id) { openComplaints { id status overdue deadline } } }"""

STATES = ["OPEN", "ACKNOWLEDGED", "ESCALATED", "RESOLVED", "CLOSED"]
ALLOWED = {
    ("OPEN", "ACKNOWLEDGED"), ("OPEN", "ESCALATED"),
    ("ACKNOWLEDGED", "RESOLVED"), ("ACKNOWLEDGED", "ESCALATED"),
    ("ESCALATED", "ACKNOWLEDGED"),
    ("RESOLVED", "CLOSED"),
}
# The shortest way from OPEN to each state.
PATH = {"OPEN": [], "ACKNOWLEDGED": ["ACKNOWLEDGED"], "ESCALATED": ["ESCALATED"],
        "RESOLVED": ["ACKNOWLEDGED", "RESOLVED"], "CLOSED": ["ACKNOWLEDGED", "RESOLVED", "CLOSED"]}


def _raise(client, id_: str = "cmp-2", severity: int = 2, **extra) -> dict:
    return client.data(RAISE, input={"id": id_, "customer": "retail-bu", "service": "web-shop",
                                     "severity": severity, **extra})["raiseComplaint"]


def _move(client, id_: str, status: str) -> dict:
    return client.data(MOVE, id=id_, status=status)["moveComplaint"]


def test_raised_complaint_starts_open_at_level_zero_opened_now(northwind_store: GraphStore) -> None:
    client = client_at(northwind_store, Clock("2026-02-01T10:00:00+00:00"))
    c = _raise(client)
    assert c == {"id": "cmp-2", "status": "OPEN", "escalationLevel": 0, "opened": "2026-02-01T10:00:00Z",
                 "acknowledged": None, "deadline": "2026-02-02T10:00:00Z", "overdue": False,
                 "customer": {"id": "retail-bu"}, "service": {"id": "web-shop"}}
    exported = {x["id"]: x for x in export_document(northwind_store)["complaints"]}
    assert exported["cmp-2"]["status"] == "OPEN" and exported["cmp-2"]["customer"] == "retail-bu"


@pytest.mark.parametrize(("frm", "to"), sorted(ALLOWED))
def test_allowed_transition(northwind_store: GraphStore, frm: str, to: str) -> None:
    client = client_at(northwind_store, Clock("2026-02-01T10:00:00+00:00"))
    _raise(client)
    for step in PATH[frm]:
        _move(client, "cmp-2", step)
    level = 1 if frm == "ESCALATED" else 0
    moved = _move(client, "cmp-2", to)
    assert moved["status"] == to
    assert moved["escalationLevel"] == level + (1 if to == "ESCALATED" else 0)


@pytest.mark.parametrize(("frm", "to"), [(f, t) for f in STATES for t in STATES if (f, t) not in ALLOWED])
def test_refused_transition_names_rule_and_both_states_and_changes_nothing(
    northwind_store: GraphStore, frm: str, to: str
) -> None:
    client = client_at(northwind_store, Clock("2026-02-01T10:00:00+00:00"))
    _raise(client)
    for step in PATH[frm]:
        _move(client, "cmp-2", step)
    before = export_document(northwind_store)
    err = error(client.execute(MOVE, id="cmp-2", status=to))
    assert err["extensions"]["code"] == "RULE_VIOLATION"
    assert err["extensions"]["rule"] == "complaint-procedure"
    assert err["message"].startswith("complaint-procedure:")
    assert f"from {frm} to {to}" in err["message"]
    assert export_document(northwind_store) == before


def test_escalation_raises_level_each_time_and_returns_via_acknowledged(northwind_store: GraphStore) -> None:
    client = client_at(northwind_store, Clock("2026-02-01T10:00:00+00:00"))
    _raise(client)
    assert _move(client, "cmp-2", "ESCALATED")["escalationLevel"] == 1
    assert _move(client, "cmp-2", "ACKNOWLEDGED")["escalationLevel"] == 1
    assert _move(client, "cmp-2", "ESCALATED")["escalationLevel"] == 2
    assert _move(client, "cmp-2", "ACKNOWLEDGED")["escalationLevel"] == 2


def test_acknowledged_time_is_the_first_acknowledgement(northwind_store: GraphStore) -> None:
    clock = Clock("2026-02-01T10:00:00+00:00")
    client = client_at(northwind_store, clock)
    _raise(client)
    clock.set("2026-02-01T11:00:00+00:00")
    assert _move(client, "cmp-2", "ACKNOWLEDGED")["acknowledged"] == "2026-02-01T11:00:00Z"
    clock.set("2026-02-01T12:00:00+00:00")
    _move(client, "cmp-2", "ESCALATED")
    assert _move(client, "cmp-2", "ACKNOWLEDGED")["acknowledged"] == "2026-02-01T11:00:00Z"


@pytest.mark.parametrize(("severity", "deadline"), [
    (1, "2026-02-01T14:00:00Z"), (2, "2026-02-02T10:00:00Z"), (3, "2026-02-04T10:00:00Z"), (4, "2026-02-06T10:00:00Z"),
])
def test_overdue_only_after_the_severity_deadline_while_unacknowledged(
    northwind_store: GraphStore, severity: int, deadline: str
) -> None:
    clock = Clock("2026-02-01T10:00:00+00:00")
    client = client_at(northwind_store, clock)
    _raise(client, severity=severity)

    def flags() -> dict:
        found = client.data(VIEW, id="retail-bu")["customerView"]["openComplaints"]
        return next(c for c in found if c["id"] == "cmp-2")

    clock.set(deadline.replace("Z", "+00:00"))
    assert flags() == {"id": "cmp-2", "status": "OPEN", "overdue": False, "deadline": deadline}
    clock.set(deadline.replace(":00Z", ":01+00:00"))
    assert flags()["overdue"] is True
    _move(client, "cmp-2", "ESCALATED")  # escalated without acknowledgement: still overdue
    assert flags()["overdue"] is True
    _move(client, "cmp-2", "ACKNOWLEDGED")
    assert flags()["overdue"] is False


def test_raise_complaint_bad_input_and_unknown_ids(northwind_store: GraphStore) -> None:
    client = client_at(northwind_store, Clock("2026-02-01T10:00:00+00:00"))
    before = export_document(northwind_store)
    err = error(client.execute(RAISE, input={"id": "cmp-9", "customer": "retail-bu", "severity": 5}))
    assert err["extensions"]["code"] == "BAD_INPUT" and err["extensions"]["field"] == "severity"
    err = error(client.execute(RAISE, input={"id": "cmp-9", "customer": "nobody", "severity": 1}))
    assert err["extensions"]["code"] == "NOT_FOUND"
    err = error(client.execute(RAISE, input={"id": "cmp-1", "customer": "retail-bu", "severity": 1}))
    assert err["extensions"]["code"] == "RULE_VIOLATION" and err["extensions"]["rule"] == "unique-id"
    assert error(client.execute(MOVE, id="cmp-9", status="ACKNOWLEDGED"))["extensions"]["code"] == "NOT_FOUND"
    assert export_document(northwind_store) == before
