"""Pages by default (issues 10 and 15): every list of the API that can be long answers a page, `first` 100 by
default (also when null) and at most 1000 (BAD_INPUT naming `first` beyond), with its count beside it."""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.api.app import create_app
from graph_itsm.paging import LIST_MAX_PAGE_SIZE, LIST_PAGE_SIZE
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from tests.graphql_client import GraphQLClient

CONSUMERS, OUTCOMES = 150, 120  # more than a default page, fewer than the maximum


def _wide() -> dict[str, Any]:
    """A hub with 150 consumers; it enables 120 outcomes, each pursued by its own customer, who subscribes to one
    consumer."""
    outcomes = [{"id": f"o-{i:03}", "name": f"Outcome {i}"} for i in range(OUTCOMES)]
    services = [{"id": "hub", "name": "Hub", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "ops",
                 "criticality": 3, "enables": [o["id"] for o in outcomes]}]
    services += [{"id": f"s-{i:03}", "name": f"Service {i}", "kind": "CUSTOMER_FACING", "stage": "CATALOGUE",
                  "owner": "ops", "criticality": 2, "dependsOn": [{"service": "hub"}]} for i in range(CONSUMERS)]
    customers = [{"id": f"c-{i:03}", "name": f"Customer {i}", "type": "EXTERNAL", "pursues": [f"o-{i:03}"],
                  "subscriptions": [{"service": f"s-{i:03}", "units": 1}]} for i in range(OUTCOMES)]
    return {"currency": "EUR", "outcomes": outcomes, "services": services, "customers": customers}


@pytest.fixture
def wide(store) -> GraphQLClient:
    import_document(store, document_from_data(_wide()))
    return GraphQLClient(create_app(store))


def _bad_first(client: GraphQLClient, document: str) -> None:
    body = client.execute(document)
    errors = body.get("errors") or []
    assert [e["extensions"]["code"] for e in errors] == ["BAD_INPUT"], body
    assert errors[0]["extensions"].get("field") == "first" and str(LIST_MAX_PAGE_SIZE) in errors[0]["message"]


def test_impact_lists_answer_a_default_page_with_their_counts(wide):
    d = wide.data("""{ impact(failed: ["hub"]) {
        counts { services customerFacing outcomes customers }
        services { service { id } } nulls: services(first: null) { distance } all: services(first: 1000) { distance }
        rest: services(offset: 100) { distance } customerFacing { distance } outcomes { status } customers { status }
        chargesAtRisk(period: "2026-01") { customersCount customers { total } } } }""")["impact"]
    assert d["counts"] == {"services": CONSUMERS + 1, "customerFacing": CONSUMERS, "outcomes": OUTCOMES,
                           "customers": OUTCOMES}
    assert len(d["services"]) == len(d["nulls"]) == LIST_PAGE_SIZE
    assert d["services"][0]["service"]["id"] == "hub"  # by distance, then id
    assert len(d["all"]) == CONSUMERS + 1 and len(d["rest"]) == CONSUMERS + 1 - LIST_PAGE_SIZE
    assert len(d["customerFacing"]) == len(d["outcomes"]) == len(d["customers"]) == LIST_PAGE_SIZE
    assert d["chargesAtRisk"]["customersCount"] == OUTCOMES and len(d["chargesAtRisk"]["customers"]) == LIST_PAGE_SIZE


@pytest.mark.parametrize("field", ["services", "customerFacing", "outcomes { status }", "customers { status }"])
def test_an_impact_page_over_the_maximum_is_bad_input_naming_first(wide, field):
    name, _, sub = field.partition(" ")
    _bad_first(wide, f'{{ impact(failed: ["hub"]) {{ {name}(first: {LIST_MAX_PAGE_SIZE + 1}) '
                     f'{sub or "{ distance }"} }} }}')


def test_outcomes_and_customers_are_pages_with_counts(wide):
    d = wide.data("""{ outcomes { id } outcomesCount restO: outcomes(offset: 100) { id }
                       customers { id } customersCount restC: customers(first: 5, offset: 118) { id } }""")
    assert len(d["outcomes"]) == LIST_PAGE_SIZE and d["outcomesCount"] == OUTCOMES
    assert [o["id"] for o in d["restO"]] == [f"o-{i:03}" for i in range(100, OUTCOMES)]
    assert len(d["customers"]) == LIST_PAGE_SIZE and d["customersCount"] == OUTCOMES
    assert [c["id"] for c in d["restC"]] == ["c-118", "c-119"]
    _bad_first(wide, "{ outcomes(first: 1001) { id } }")
    _bad_first(wide, "{ customers(first: -1) { id } }")


def test_a_service_s_lists_are_pages_with_counts(wide):
    s = wide.data("""{ service(id: "hub") { consumers { service { id } } consumersCount
        more: consumers(first: 1000) { share } enables { id } enablesCount dependenciesCount
        valueSheet { outcomes { id } outcomesCount customers { id } customersCount } } }""")["service"]
    assert len(s["consumers"]) == LIST_PAGE_SIZE and s["consumersCount"] == CONSUMERS and len(s["more"]) == CONSUMERS
    assert len(s["enables"]) == LIST_PAGE_SIZE and s["enablesCount"] == OUTCOMES and s["dependenciesCount"] == 0
    assert len(s["valueSheet"]["outcomes"]) == LIST_PAGE_SIZE and s["valueSheet"]["outcomesCount"] == OUTCOMES
    assert s["valueSheet"]["customersCount"] == OUTCOMES
    _bad_first(wide, '{ service(id: "hub") { consumers(first: 1001) { share } } }')


def test_an_outcome_s_and_a_report_s_lists_are_pages_with_counts(wide):
    d = wide.data("""{ outcome(id: "o-000") { enabledBy { id } enabledByCount pursuedByCount }
        dependencies(id: "s-000") { distance } dependenciesCount(id: "s-000")
        retirementCandidates { reasons } retirementCandidatesCount pipelineByNpv { npv } pipelineByNpvCount
        demandReport { services { demand } servicesCount }
        costReport(period: "2026-01") { services { total } servicesCount costItemsCount } }""")
    assert d["outcome"] == {"enabledBy": [{"id": "hub"}], "enabledByCount": 1, "pursuedByCount": 1}
    assert d["dependencies"] == [{"distance": 1}] and d["dependenciesCount"] == 1
    # every consumer serves no outcome: all 150 are candidates, a page of them listed
    assert len(d["retirementCandidates"]) == LIST_PAGE_SIZE and d["retirementCandidatesCount"] == CONSUMERS
    assert d["pipelineByNpv"] == [] and d["pipelineByNpvCount"] == 0
    assert len(d["demandReport"]["services"]) == LIST_PAGE_SIZE and d["demandReport"]["servicesCount"] == CONSUMERS + 1
    cost = d["costReport"]
    assert len(cost["services"]) == LIST_PAGE_SIZE and cost["servicesCount"] == CONSUMERS + 1
    assert cost["costItemsCount"] == 0
    _bad_first(wide, '{ costReport(period: "2026-01") { services(first: 5000) { total } } }')
