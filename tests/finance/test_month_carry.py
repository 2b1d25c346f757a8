"""After a write of this process, the next cost question re-solves the month from the cost items held in memory
(carried through the write) instead of reading them all again, and answers what a fresh read answers."""

from __future__ import annotations

import pytest

from graph_itsm.api.app import create_app
from graph_itsm.finance import month_items
from graph_itsm.finance.model import ItemColumns
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient

COSTS = """{ costReport(period: "2026-01") { totalDirect totalRetained totalUnallocated
  services(first: 100) { service { id } direct total retained }
  costItems(first: 100) { id name category nature amount allocations { share service { id } } unallocated }
  unallocated(first: 100) { costItem { id } amount } } }"""
RECORD = """mutation ($input: RecordCostItemInput!) { recordCostItem(input: $input) { id } }"""
UPDATE = """mutation ($id: ID!, $input: UpdateCostItemInput!) { updateCostItem(id: $id, input: $input) { id } }"""
DELETE = """mutation ($id: ID!) { deleteCostItem(id: $id) { id } }"""
ADD = """mutation ($c: ID!, $p: ID!, $share: Float) {
  addDependency(input: {consumer: $c, provider: $p, share: $share}) { id } }"""
CREATE = """mutation ($id: ID!) { createService(input: {id: $id, name: "New", kind: SUPPORTING, owner: "ops",
  criticality: 2}) { id } }"""
MOVE = """mutation ($s: ID!, $stage: ServiceStage!) { moveServiceStage(input: {service: $s, stage: $stage}) {
  service { id } } }"""
BUDGET = """mutation { setBudget(serviceId: "web-shop", period: "2026-01", amount: 1000) { amount } }"""


def _rounded(report: dict) -> dict:
    """Figures to the cent (a carried month sums its items in another order than a read one)."""
    def cents(value):
        if isinstance(value, float):
            return round(value, 2)
        if isinstance(value, dict):
            return {k: cents(v) for k, v in value.items()}
        if isinstance(value, list):
            return [cents(v) for v in value]
        return value
    return cents(report)


WRITES = [
    (RECORD, {"input": {"id": "extra-2026-01", "name": "Extra", "category": "SOFTWARE", "nature": "OPEX",
                        "amount": 1234.5, "period": "2026-01",
                        "allocations": [{"service": "dc-east", "share": 0.5}, {"service": "web-shop", "share": 0.25}]}}),
    (UPDATE, {"id": "extra-2026-01", "input": {"amount": 2000.0, "allocations": [{"service": "payments", "share": 1.0}]}}),
    (UPDATE, {"id": "servers-2026-01", "input": {"amount": 999.0}}),
    (ADD, {"c": "web-shop", "p": "backup", "share": 0.1}),
    (CREATE, {"id": "aaa-first"}),  # numbered first: every other service's number moves up
    (RECORD, {"input": {"id": "new-2026-01", "name": "New", "category": "PEOPLE", "nature": "OPEX", "amount": 10.0,
                        "period": "2026-01", "allocations": [{"service": "aaa-first", "share": 1.0}]}}),
    (ADD, {"c": "aaa-first", "p": "dc-east"}),
    (MOVE, {"s": "aaa-first", "stage": "RETIRED"}),
    (BUDGET, {}),
    (UPDATE, {"id": "extra-2026-01", "input": {"period": "2026-02"}}),  # leaves the month
    (DELETE, {"id": "dc-west-facility-2026-01"}),
]


def test_cost_questions_after_writes_answer_from_the_carried_month_as_a_fresh_read_does(
    northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    client.data(COSTS)  # the month is read once
    reads = _count_month_reads(monkeypatch)
    for query, variables in WRITES:
        client.data(query, **variables)
        carried = client.data(COSTS)
        assert reads == [], (query, variables)  # carried, not read
        fresh = GraphQLClient(create_app(northwind_store)).data(COSTS)
        assert _rounded(carried) == _rounded(fresh), (query, variables)
        reads.clear()
    # carried as the columns it was read as, never turned into an object per item (seconds at a million items)
    held = app.state.graph_itsm.extras["finance"]._items["2026-01"].items
    assert isinstance(held, ItemColumns) and "new-2026-01" in held.ids and "dc-west-facility-2026-01" not in held.ids


def test_a_write_the_month_cannot_be_carried_through_reads_it_again(
    northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    client.data(COSTS)
    reads = _count_month_reads(monkeypatch)
    # a new strategic objective changes no cost item, but the month is not told so
    # (month_items.CARRIED_UNCHANGED)
    client.data('mutation { createStrategicObjective(input: {id: "new-goal", name: "New"}) { id } }')
    client.data(COSTS)
    assert reads == [1]


def test_with_rebuild_on_write_every_month_is_read_again(
    northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPH_ITSM_REBUILD_ON_WRITE", "1")
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    client.data(COSTS)
    reads = _count_month_reads(monkeypatch)
    client.data(*WRITES[0][:1], **WRITES[0][1])
    client.data(COSTS)
    assert reads == [1]


def _count_month_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets an entry each time a month's cost items are read from the database (MonthItems.of)."""
    reads: list[int] = []
    real = month_items.MonthItems.of.__func__
    monkeypatch.setattr(month_items.MonthItems, "of",
                        classmethod(lambda cls, *a, **k: reads.append(1) or real(cls, *a, **k)))
    return reads
