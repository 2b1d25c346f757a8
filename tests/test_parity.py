"""Same answers on both databases: the northwind example and a generated portfolio, imported into the embedded
FalkorDB and into Neo4j, answer every public question identically (services, impact, costs to the cent,
charge statements, budgets, demand, analytics rows, the export document)."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from graph_itsm.api.app import create_app
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore
from tests.conftest import northwind_data
from tests.graphql_client import GraphQLClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate  # noqa: E402

pytestmark = pytest.mark.neo4j

PERIOD = "2026-01"

SERVICES = """
query($first: Int, $after: String, $period: String!) {
  services(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name description kind stage owner provider supplier criticality capacity riskAssessed
      pricing { model markup price }
      dependencies { share redundancyGroup demandFactor service { id } }
      consumers { share redundancyGroup service { id } }
      dependenciesCount consumersCount subscriptionsCount
      enables { id name }
      subscriptions { customer { id } since share units specialBusinessCase }
      cost(period: $period) {
        direct total retained unrecovered
        byCategory { category direct total retained }
        trace { __typename }
        origins { costItemId name category nature amount }
      }
      demand { demand capacity utilisation }
      businessCase { investment annualBenefit npv roi payback }
    } }
  }
}"""

IMPACT = """
query($failed: [ID!]!, $depth: Int, $retired: [ID!]) {
  impact(failed: $failed, maxDepth: $depth, whatIfRetired: $retired) {
    counts { services down degraded customerFacing outcomes customers live planned }
    services { service { id } status distance path stage assumedRetired }
    customerFacing { service { id } }
    outcomes { outcome { id } status }
    customers { customer { id } status }
  }
}"""

DEPENDENCIES = "query($id: ID!) { dependencies(id: $id) { service { id } distance } }"

FINANCE = """
query($period: String!) {
  costReport(period: $period) {
    totalDirect totalRetained totalUnallocated totalUnrecovered
    services { service { id } direct total retained }
    costItems { id amount }
    unallocated { __typename }
  }
  budgetReport(period: $period) { __typename }
  demandReport { services { service { id } demand utilisation } flagged { service { id } } }
  portfolioCounts { total byStage { stage count } byKind { kind count } }
  portfolioCost(period: $period) { stage kind direct total retained }
  retirementCandidates { service { id } reasons }
  pipelineByNpv { npv }
}"""

STATEMENT = """
query($customer: ID!, $period: String!) {
  chargeStatement(customerId: $customer, period: $period) {
    period currency issued total totalCost
    customer { id }
    lines { service { id } cost charge fraction basis pricing units markup price origins { costItemId amount } }
  }
  customerView(id: $customer, period: $period) {
    services { __typename }
    outcomes { id }
  }
}"""

ANALYTICS = "query { analytics { name params { name required default } } }"
RUN = "query($name: String!) { runAnalytics(name: $name) { columns rows truncated } }"


def _rounded(value: Any) -> Any:
    """Floats to 1e-6 (money is compared to the cent and far finer); everything else as it is."""
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else repr(value)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _answers(store: GraphStore, doc: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(question, answer) for every public question this test asks of one database."""
    client = GraphQLClient(create_app(store))
    ids = sorted(s["id"] for s in doc["services"])
    customers = sorted(c["id"] for c in doc.get("customers", []))

    after = None
    while True:
        page = client.execute(SERVICES, first=25, after=after, period=PERIOD)
        yield f"services after {after}", page
        info = (page.get("data") or {}).get("services", {}).get("pageInfo", {})
        if not info.get("hasNextPage"):
            break
        after = info["endCursor"]
    # every service failing alone, a few together, with depths and what-if retirements, then dependencies
    for sid in ids:
        yield f"impact {sid}", client.execute(IMPACT, failed=[sid])
        yield f"dependencies {sid}", client.execute(DEPENDENCIES, id=sid)
    for k in range(0, len(ids) - 2, max(1, len(ids) // 7)):
        failed = ids[k : k + 3]
        yield f"impact {failed}", client.execute(IMPACT, failed=failed)
        yield f"impact {failed} depth 1", client.execute(IMPACT, failed=failed[:1], depth=1, retired=failed[1:])
    yield "finance", client.execute(FINANCE, period=PERIOD)
    for cid in customers:
        yield f"statement {cid}", client.execute(STATEMENT, customer=cid, period=PERIOD)
    queries = client.execute(ANALYTICS)
    yield "analytics", queries
    for q in queries["data"]["analytics"]:
        if not any(p["required"] for p in q["params"]):
            yield f"analytics {q['name']}", client.execute(RUN, name=q["name"])
    yield "export", export_document(store)


def _compare(falkordb: GraphStore, neo4j: GraphStore, doc: dict[str, Any]) -> int:
    for store in (falkordb, neo4j):
        store.clear()
        import_document(store, document_from_data(doc))
    asked = 0
    for (question, a), (same, b) in zip(_answers(falkordb, doc), _answers(neo4j, doc), strict=True):
        assert question == same
        assert "errors" not in a, (question, a)
        assert _rounded(a) == _rounded(b), question
        asked += 1
    return asked


def test_northwind_answers_are_identical_on_both_databases(
    _falkordb_store: GraphStore, _neo4j_store: GraphStore
) -> None:
    assert _compare(_falkordb_store, _neo4j_store, northwind_data()) > 50


def test_generated_portfolio_answers_are_identical_on_both_databases(
    _falkordb_store: GraphStore, _neo4j_store: GraphStore
) -> None:
    doc = generate(150, 3, seed=7, period=PERIOD)
    assert _compare(_falkordb_store, _neo4j_store, doc) > 150
