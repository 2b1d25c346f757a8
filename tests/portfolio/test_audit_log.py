"""``auditLog``: every change (not only services), newest first, filtered by actor, action, entity and time,
paged like ``services``."""

from __future__ import annotations

from graph_itsm.paging import MAX_PAGE_SIZE

LOG = """
query($f: AuditFilter, $first: Int, $after: String) {
  auditLog(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { action target actor at version } }
  }
}"""
SET_BUDGET = 'mutation { setBudget(serviceId: "web-shop", period: "2026-02", amount: 900) { amount } }'
SURVEY = 'mutation { recordSurvey(customerId: "hr-bu", period: "2026-02", score: 3) { score } }'
RAISE = 'mutation { raiseComplaint(input: {id: "cmp-7", customer: "hr-bu", severity: 3}) { id } }'


def _log(client, **variables) -> dict:
    return client.data(LOG, **variables)["auditLog"]


def test_every_kind_of_change_is_in_the_log_newest_first(northwind_client) -> None:
    for mutation in (SET_BUDGET, SURVEY, RAISE):
        northwind_client.data(mutation)
    log = _log(northwind_client)
    actions = [e["node"]["action"] for e in log["edges"]]
    assert actions[:4] == ["raiseComplaint", "recordSurvey", "setBudget", "import"]
    versions = [e["node"]["version"] for e in log["edges"]]
    assert versions == sorted(versions, reverse=True)
    assert log["totalCount"] == 4


def test_filters_by_entity_action_actor_and_time(northwind_client) -> None:
    for mutation in (SET_BUDGET, SURVEY, RAISE):
        northwind_client.data(mutation)
    targets = lambda **f: [e["node"]["target"] for e in _log(northwind_client, f=f)["edges"]]  # noqa: E731
    assert targets(entity="complaint") == ["complaint:cmp-7"]
    assert targets(entity="survey:hr-bu:2026-02") == ["survey:hr-bu:2026-02"]
    assert targets(entity="budget") == ["budget:web-shop:2026-02"]
    assert targets(action="import") == ["portfolio"]
    assert targets(actor="someone-else") == []
    assert len(targets(actor="test-admin")) == 3  # the mutations, by the default test client
    assert targets(actor="anonymous") == ["portfolio"]  # the fixture's import
    newest = _log(northwind_client, first=1)["edges"][0]["node"]["at"]
    assert targets(since=newest) == ["complaint:cmp-7"]
    assert "complaint:cmp-7" not in targets(until=newest)
    assert northwind_client.error_codes(LOG, f={"since": "yesterday"}) == ["BAD_INPUT"]


def test_pages_with_cursors(northwind_client) -> None:
    for mutation in (SET_BUDGET, SURVEY, RAISE):
        northwind_client.data(mutation)
    first = _log(northwind_client, first=3)
    assert first["pageInfo"]["hasNextPage"] is True and len(first["edges"]) == 3
    rest = _log(northwind_client, first=3, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["action"] for e in rest["edges"]] == ["import"] and rest["pageInfo"]["hasNextPage"] is False
    assert northwind_client.error_codes(LOG, first=MAX_PAGE_SIZE + 1) == ["TOO_COMPLEX"]
    assert northwind_client.error_codes(LOG, after="garbage") == ["BAD_INPUT"]
