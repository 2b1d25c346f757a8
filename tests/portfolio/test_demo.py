"""The demo goes only into an empty database: edits made after it are never overwritten by loading it again;
``replace`` starts over in one audited write (each backend)."""

from __future__ import annotations

from graph_itsm.api.app import create_app
from graph_itsm.portfolio.demo import load_demo
from graph_itsm.store import GraphStore
from graph_itsm.store.backup import dump
from tests.graphql_client import GraphQLClient

RETIRE = """mutation { moveServiceStage(input: {service: "payroll", stage: RETIRED}) { service { stage } } }"""
COST = """mutation { updateCostItem(id: "servers-2026-01", input: {amount: 80000}) { amount } }"""
BUDGET = """mutation { setBudget(serviceId: "web-shop", period: "2026-01", amount: 150000) { amount } }"""
STATE = """query {
  service(id: "payroll") { stage }
  costReport(period: "2026-01") { totalDirect }
  budgetReport(period: "2026-01") { portfolio { direct { budget } } }
}"""
TRAIL = """query { service(id: "web-shop") { history { action actor before after } } }"""


def _edited(store: GraphStore) -> tuple[GraphQLClient, dict]:
    assert load_demo(store) is not None
    client = GraphQLClient(create_app(store))
    demo_state = client.data(STATE)
    client.data(RETIRE)
    client.data(COST)
    client.data(BUDGET)
    edited = client.data(STATE)
    assert edited != demo_state and edited["service"]["stage"] == "RETIRED"
    return client, edited


def test_loading_the_demo_again_keeps_every_edit(store: GraphStore) -> None:
    client, edited = _edited(store)
    graph = dump(store)
    assert load_demo(store) is None
    assert client.data(STATE) == edited
    assert dump(store)["nodes"] == graph["nodes"] and dump(store)["relationships"] == graph["relationships"]


def test_replace_starts_over_with_the_demo_and_says_who_did_it(store: GraphStore) -> None:
    client, edited = _edited(store)
    summary = load_demo(store, replace=True, actor="cli:ada")
    assert summary is not None and summary.counts["services"] == 20
    state = client.data(STATE)
    assert state["service"]["stage"] == "CATALOGUE" and state != edited
    (entry,) = client.data(TRAIL)["service"]["history"]  # the trail starts over with the replacement
    assert entry["action"] == "replace" and entry["actor"] == "cli:ada"
    assert entry["after"]["source"] == "demo" and entry["before"]["nodes"] > 0
