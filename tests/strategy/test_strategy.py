"""Strategy management on the demo portfolio, each backend: the strategy view with figures worked by hand, the
objectives' round trip through the document, the mutations and who may make them.

The demo's retained costs of 2026-01 (tests/data/northwind-retail.expected.json, costs:2026-01): web-shop
136,693.33 (GROW), point-of-sale 64,555, payroll 35,985, internet-access 33,966.67, email 31,200 (all RUN),
loyalty-app 6,600 (TRANSFORM, pipeline); every supporting service passes all its cost on (retains 0). Total
309,000 = the month's direct cost.
* RUN 165,706.67 (53.63 %), GROW 136,693.33 (44.24 %), TRANSFORM 6,600 (2.14 %).
* Targets: digital-growth 0.5/0.3/0.2, efficient-operations 0.8/0.15/0.05, customer-loyalty 0.2/0.3/0.5; the
  portfolio's are their means: RUN 0.5, GROW 0.25, TRANSFORM 0.25.
* Pipeline investment: bc-loyalty, 250,000, TRANSFORM.
* digital-growth <- trade-online <- web-shop, internet-access: 170,660 (GROW 136,693.33, RUN 33,966.67).
* efficient-operations <- orders-24h <- web-shop, point-of-sale; served by payroll: 237,233.33 (RUN 100,540).
* customer-loyalty: served only by loyalty-app (pipeline): no live service; 6,600 TRANSFORM, 250,000 pipeline.
"""

from __future__ import annotations

import argparse
import json

import pytest

from graph_itsm.api.app import create_app
from graph_itsm.portfolio.canonical import equivalent
from graph_itsm.portfolio.demo import load_demo
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore
from graph_itsm.strategy import cli
from tests.graphql_client import GraphQLClient

VIEW = """query($p: String!) { strategy(period: $p) { months totalSpend totalPipelineInvestment
  categories { category spend share target gap pipelineInvestment pipelineShare }
  objectives { objective { id } services liveServices spend categories { category spend target pipelineInvestment } }
  objectivesWithoutLiveService { id owner horizon }
  unalignedServices { id supportsAligned } } }"""


@pytest.fixture
def client(store: GraphStore) -> GraphQLClient:
    load_demo(store, replace=True)
    return GraphQLClient(create_app(store))


def test_spend_and_pipeline_by_category_against_the_targets(client: GraphQLClient) -> None:
    view = client.data(VIEW, p="2026-01")["strategy"]
    assert view["months"] == ["2026-01"]
    assert view["totalSpend"] == pytest.approx(309000.0)
    assert view["totalPipelineInvestment"] == 250000.0
    got = {c["category"]: c for c in view["categories"]}
    assert set(got) == {"RUN", "GROW", "TRANSFORM"}  # every service has a category: no uncategorised line
    assert got["RUN"]["spend"] == pytest.approx(165706.67, abs=0.01)
    assert got["GROW"]["spend"] == pytest.approx(136693.33, abs=0.01)
    assert got["TRANSFORM"]["spend"] == pytest.approx(6600.0)
    assert got["RUN"]["share"] == pytest.approx(165706.6667 / 309000, abs=1e-6)
    assert [got[c]["target"] for c in ("RUN", "GROW", "TRANSFORM")] == pytest.approx([0.5, 0.25, 0.25])
    assert got["TRANSFORM"]["gap"] == pytest.approx(6600 / 309000 - 0.25)
    assert got["TRANSFORM"]["pipelineInvestment"] == 250000.0 and got["TRANSFORM"]["pipelineShare"] == 1.0
    assert got["RUN"]["pipelineInvestment"] == 0.0


def test_each_objective_with_the_services_behind_it(client: GraphQLClient) -> None:
    view = client.data(VIEW, p="2026-01")["strategy"]
    lines = {o["objective"]["id"]: o for o in view["objectives"]}
    assert list(lines) == ["customer-loyalty", "digital-growth", "efficient-operations"]
    growth = lines["digital-growth"]
    assert growth["services"] == growth["liveServices"] == ["internet-access", "web-shop"]
    assert growth["spend"] == pytest.approx(170660.0, abs=0.01)
    ops = lines["efficient-operations"]
    assert ops["liveServices"] == ["payroll", "point-of-sale", "web-shop"]
    assert ops["spend"] == pytest.approx(237233.33, abs=0.01)
    run = next(c for c in ops["categories"] if c["category"] == "RUN")
    assert run["spend"] == pytest.approx(100540.0) and run["target"] == 0.8
    loyalty = lines["customer-loyalty"]
    assert loyalty["services"] == ["loyalty-app"] and loyalty["liveServices"] == []
    transform = next(c for c in loyalty["categories"] if c["category"] == "TRANSFORM")
    assert transform["spend"] == 6600.0 and transform["pipelineInvestment"] == 250000.0
    assert view["objectivesWithoutLiveService"] == [{"id": "customer-loyalty", "owner": "cmo", "horizon": 2028}]


def test_services_serving_no_objective_and_enabling_no_outcome(client: GraphQLClient) -> None:
    # every customer-facing service enables an outcome (loyalty-app serves one); the 13 supporting services do
    # neither, and all are needed by one that does; fax-gateway is retired and left out
    unaligned = client.data(VIEW, p="2026-01")["strategy"]["unalignedServices"]
    assert [u["id"] for u in unaligned] == [
        "backup", "database-platform", "db-node-1", "db-node-2", "db-node-3", "dc-east", "dc-west", "identity",
        "isp-uplink-a", "isp-uplink-b", "mail-platform", "network-core", "payments"]
    assert all(u["supportsAligned"] for u in unaligned)
    # a new supporting service nothing needs is unaligned and supports nothing
    client.data('mutation { createService(input: {id: "lab", name: "Lab", kind: SUPPORTING, owner: "it", '
                'criticality: 1, investmentCategory: TRANSFORM}) { id } }')
    unaligned = client.data(VIEW, p="2026")["strategy"]["unalignedServices"]
    assert {"id": "lab", "supportsAligned": False} in unaligned


def test_a_year_counts_its_months_with_costs(client: GraphQLClient) -> None:
    view = client.data(VIEW, p="2026")["strategy"]
    assert view["months"] == ["2026-01"] and view["totalSpend"] == pytest.approx(309000.0)
    empty = client.data(VIEW, p="2025")["strategy"]
    assert empty["months"] == [] and empty["totalSpend"] == 0.0
    assert {c["share"] for c in empty["categories"]} == {None}
    error = client.execute(VIEW, p="26-01")["errors"][0]
    assert error["extensions"]["code"] == "BAD_INPUT" and error["extensions"]["field"] == "period"


def test_objectives_and_categories_round_trip_through_the_document(store: GraphStore, client: GraphQLClient) -> None:
    exported = export_document(store)
    assert exported["objectives"][0] == {"id": "customer-loyalty", "name": "Customers come back", "owner": "cmo",
                                         "horizon": 2028, "targetShare": {"RUN": 0.2, "GROW": 0.3, "TRANSFORM": 0.5},
                                         "supportedBy": []}
    (loyalty,) = [s for s in exported["services"] if s["id"] == "loyalty-app"]
    assert loyalty["investmentCategory"] == "TRANSFORM" and loyalty["serves"] == ["customer-loyalty"]
    assert exported["businessCases"][0]["investmentCategory"] == "TRANSFORM"
    import_document(store, document_from_data(exported))  # idempotent
    assert equivalent(export_document(store), exported)


def test_objective_mutations(client: GraphQLClient) -> None:
    created = client.data("""mutation { createStrategicObjective(input: {id: "cut-costs", name: "Cut run costs",
        owner: "cfo", horizon: 2027, targetShare: [{category: RUN, share: 0.6}, {category: TRANSFORM, share: 0.4}]})
        { id owner horizon targetShare { category share } servedBy } }""")["createStrategicObjective"]
    assert created == {"id": "cut-costs", "owner": "cfo", "horizon": 2027, "servedBy": [],
                       "targetShare": [{"category": "RUN", "share": 0.6}, {"category": "TRANSFORM", "share": 0.4}]}
    served = client.data('mutation { serveObjective(service: "email", objective: "cut-costs") { servedBy } }')
    assert served["serveObjective"]["servedBy"] == ["email"]
    supported = client.data('mutation { supportObjective(outcome: "staff-paid", objective: "cut-costs") '
                            "{ supportedBy } }")
    assert supported["supportObjective"]["supportedBy"] == ["staff-paid"]
    updated = client.data('mutation { updateStrategicObjective(id: "cut-costs", input: {owner: null, horizon: 2028}) '
                          "{ owner horizon name } }")["updateStrategicObjective"]
    assert updated == {"owner": None, "horizon": 2028, "name": "Cut run costs"}
    view = client.data(VIEW, p="2026-01")["strategy"]
    line = next(o for o in view["objectives"] if o["objective"]["id"] == "cut-costs")
    assert line["liveServices"] == ["email", "payroll"]  # email serves it, payroll enables staff-paid
    assert line["spend"] == pytest.approx(31200 + 35985)
    client.data('mutation { unserveObjective(service: "email", objective: "cut-costs") { id } }')
    client.data('mutation { unsupportObjective(outcome: "staff-paid", objective: "cut-costs") { id } }')
    assert client.data('{ strategicObjective(id: "cut-costs") { servedBy supportedBy } }')["strategicObjective"] == {
        "servedBy": [], "supportedBy": []}
    assert client.data('mutation { deleteStrategicObjective(id: "cut-costs") { id } }')["deleteStrategicObjective"]
    assert client.data('{ strategicObjective(id: "cut-costs") { id } }')["strategicObjective"] is None
    assert len(client.data("{ strategicObjectives { id } }")["strategicObjectives"]) == 3


def test_bad_objective_input_names_the_field_and_changes_nothing(client: GraphQLClient) -> None:
    cases = [
        ('createStrategicObjective(input: {id: "x", name: "X", targetShare: [{category: RUN, share: 0.7}, '
         '{category: GROW, share: 0.5}]}) { id }', "BAD_INPUT", "targetShare"),
        ('createStrategicObjective(input: {id: "x", name: "X", targetShare: [{category: RUN, share: 1.5}]}) { id }',
         "BAD_INPUT", "targetShare.RUN"),
        ('createStrategicObjective(input: {id: "Bad Id", name: "X"}) { id }', "BAD_INPUT", "id"),
        ('createStrategicObjective(input: {id: "digital-growth", name: "X"}) { id }', "RULE_VIOLATION", None),
        ('serveObjective(service: "nope", objective: "digital-growth") { id }', "NOT_FOUND", "service"),
        ('supportObjective(outcome: "orders-24h", objective: "nope") { id }', "NOT_FOUND", "objective"),
        ('unserveObjective(service: "email", objective: "digital-growth") { id }', "NOT_FOUND", "objective"),
    ]
    before = client.data("{ strategicObjectives { id servedBy supportedBy } }")
    for mutation, code, field in cases:
        error = client.execute("mutation { " + mutation + " }")["errors"][0]
        assert error["extensions"]["code"] == code, (mutation, error)
        if field:
            assert error["extensions"].get("field") == field, (mutation, error)
    assert client.data("{ strategicObjectives { id servedBy supportedBy } }") == before


def test_strategy_writes_are_for_portfolio_and_admin(store: GraphStore, client: GraphQLClient) -> None:
    app = client.app
    create = 'mutation { createStrategicObjective(input: {id: "o-%s", name: "O"}) { id } }'
    for role in ("viewer", "finance", "architect", "relationship"):
        error = GraphQLClient(app, roles=[role]).execute(create % role)["errors"][0]
        assert error["extensions"]["code"] == "FORBIDDEN", role
    assert GraphQLClient(app, roles=["portfolio"]).data(create % "p")["createStrategicObjective"]["id"] == "o-p"
    assert GraphQLClient(app, roles=["viewer"]).data('{ strategy(period: "2026-01") { totalSpend } }')


def test_the_cli_prints_the_view(store: GraphStore, capsys: pytest.CaptureFixture[str]) -> None:
    load_demo(store, replace=True)
    assert cli.run(argparse.Namespace(period="2026-01", format="json"), lambda: _Unclosed(store)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_spend"] == 309000.0
    assert [o["id"] for o in data["objectives_without_live_service"]] == ["customer-loyalty"]
    assert cli.run(argparse.Namespace(period="2026-01", format="table"), lambda: _Unclosed(store)) == 0
    text = capsys.readouterr().out
    assert "TRANSFORM" in text and "6,600.00" in text and "NO LIVE SERVICE" in text


class _Unclosed:
    """The test's store, handed to the command without letting it close the session's connection."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def close(self) -> None:
        pass


def test_the_analytics_query_finds_objectives_without_live_service(store: GraphStore, client: GraphQLClient) -> None:
    from graph_itsm.analytics import run_analysis

    def rows() -> list[list]:
        return run_analysis(store, "find_objectives_without_live_service").rows

    assert rows() == [["customer-loyalty", "Customers come back", "cmo", 2028, ["loyalty-app"], []]]
    # an outcome a live service enables supports it now: it has a live service behind it
    client.data('mutation { supportObjective(outcome: "staff-paid", objective: "customer-loyalty") { id } }')
    assert rows() == []
