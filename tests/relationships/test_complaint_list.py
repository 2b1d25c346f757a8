"""``complaints``: every complaint, filtered by customer, service, status and overdue, paged like ``services``."""

from __future__ import annotations

from graph_itsm.relationships.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from graph_itsm.store import GraphStore
from tests.relationships.support import Clock, client_at

RAISE = "mutation($i: RaiseComplaintInput!) { raiseComplaint(input: $i) { id } }"
MOVE = "mutation($id: ID!, $s: ComplaintStatus!) { moveComplaint(id: $id, status: $s) { status } }"
LIST = """
query($f: ComplaintFilter, $first: Int, $after: String) {
  complaints(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id status overdue customer { id } service { id } } }
  }
}"""


def _ids(client, **variables) -> list[str]:
    return [e["node"]["id"] for e in client.data(LIST, **variables)["complaints"]["edges"]]


def _client(store: GraphStore):
    # The example's cmp-1 (retail-bu, web-shop, severity 2) was opened 2026-01-12T09:30Z and is OPEN.
    clock = Clock("2026-02-01T10:00:00+00:00")
    client = client_at(store, clock)
    client.data(RAISE, i={"id": "cmp-2", "customer": "hr-bu", "service": "email", "severity": 4})
    client.data(RAISE, i={"id": "cmp-3", "customer": "retail-bu", "severity": 1})
    client.data(MOVE, id="cmp-3", s="ACKNOWLEDGED")
    clock.set("2026-02-03T10:00:00+00:00")  # cmp-1 long overdue, cmp-2 (5 days) not yet, cmp-3 acknowledged
    return client


def test_filters_by_customer_service_status_and_overdue(northwind_store: GraphStore) -> None:
    client = _client(northwind_store)
    assert _ids(client) == ["cmp-1", "cmp-2", "cmp-3"]
    assert _ids(client, f={"customer": "retail-bu"}) == ["cmp-1", "cmp-3"]
    assert _ids(client, f={"service": "email"}) == ["cmp-2"]
    assert _ids(client, f={"status": "ACKNOWLEDGED"}) == ["cmp-3"]
    assert _ids(client, f={"overdue": True}) == ["cmp-1"]
    assert _ids(client, f={"overdue": False, "status": "OPEN"}) == ["cmp-2"]
    assert _ids(client, f={"customer": "retail-bu", "status": "OPEN", "overdue": True}) == ["cmp-1"]
    node = client.data(LIST, f={"service": "email"})["complaints"]["edges"][0]["node"]
    assert node == {"id": "cmp-2", "status": "OPEN", "overdue": False, "customer": {"id": "hr-bu"},
                    "service": {"id": "email"}}


def test_pages_with_cursors_like_services(northwind_store: GraphStore) -> None:
    client = _client(northwind_store)
    first = client.data(LIST, first=2)["complaints"]
    assert [e["node"]["id"] for e in first["edges"]] == ["cmp-1", "cmp-2"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] is True
    rest = client.data(LIST, first=2, after=first["pageInfo"]["endCursor"])["complaints"]
    assert [e["node"]["id"] for e in rest["edges"]] == ["cmp-3"] and rest["pageInfo"]["hasNextPage"] is False
    assert client.error_codes(LIST, first=MAX_PAGE_SIZE + 1) == ["TOO_COMPLEX"]
    assert client.error_codes(LIST, first=-1) == ["BAD_INPUT"]
    assert client.error_codes(LIST, after="bm90LWEtY3Vyc29y") == ["BAD_INPUT"]
    assert DEFAULT_PAGE_SIZE < MAX_PAGE_SIZE


def test_a_closed_complaint_of_a_deleted_customer_is_still_listed(northwind_store: GraphStore) -> None:
    client = _client(northwind_store)
    client.data('mutation { createCustomer(input: {id: "gone", name: "Gone", type: "EXTERNAL"}) { id } }'
                .replace('"EXTERNAL"', "EXTERNAL"))
    client.data(RAISE, i={"id": "cmp-9", "customer": "gone", "severity": 3})
    for status in ("ACKNOWLEDGED", "RESOLVED", "CLOSED"):
        client.data(MOVE, id="cmp-9", s=status)
    client.data('mutation { deleteCustomer(id: "gone") { id } }')
    assert _ids(client, f={"customer": "gone"}) == ["cmp-9"]
    assert _ids(client, f={"status": "CLOSED"}) == ["cmp-9"]
