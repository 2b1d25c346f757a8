"""Portfolio views with money: the month's cost by stage and kind, and costly retirement candidates.

Per-service January figures are those of northwind-retail.expected.json (costs:2026-01), summed by hand.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import northwind_expected
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import REMOVE_DEPENDENCY, UNLINK

JANUARY = "2026-01"
COSTS = northwind_expected()["costs:2026-01"]["services"]
COST = """query($p: String!) { portfolioCost(period: $p) { stage kind services direct total retained } }"""
CANDIDATES = """
query($p: String, $t: Float) {
  retirementCandidates(period: $p, costThreshold: $t) { service { id } reasons explanation cost }
}"""


def _cost(client: GraphQLClient, period: str = JANUARY) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["stage"], r["kind"]): r for r in client.data(COST, p=period)["portfolioCost"]}


def _candidates(client: GraphQLClient, **variables: Any) -> list[tuple[str, list[str], float | None]]:
    found = client.data(CANDIDATES, **variables)["retirementCandidates"]
    return [(c["service"]["id"], c["reasons"], c["cost"]) for c in found]


def test_cost_by_stage_and_kind_sums_the_services_of_each(northwind_client):
    cost = _cost(northwind_client)
    assert len(cost) == 6  # every stage and kind, zeros too
    live_facing = cost[("CATALOGUE", "CUSTOMER_FACING")]  # web-shop, point-of-sale, email, internet-access, payroll
    assert live_facing["services"] == 5
    assert live_facing["direct"] == pytest.approx(51600 + 21000 + 0 + 7200 + 12000)  # 91,800
    assert live_facing["total"] == pytest.approx(136693.33 + 64555 + 31200 + 33966.67 + 35985, abs=0.01)  # 302,400
    assert live_facing["retained"] == pytest.approx(live_facing["total"])  # nobody consumes them
    supporting = cost[("CATALOGUE", "SUPPORTING")]  # ten services, all their cost passed on
    assert supporting["services"] == 10
    assert supporting["direct"] == pytest.approx(25000 + 6000 + 18000 + 9000 + 7000 + 28800 + 57000 + 53000 + 8000)
    assert supporting["total"] == pytest.approx(
        43766.67 + 6000 + 53450 + 30000 + 20250 + 56300 + 57000 + 53000 + 4000 + 4000, abs=0.01
    )  # 327,766.67
    assert supporting["retained"] == pytest.approx(0.0, abs=1e-6)
    pipeline = cost[("PIPELINE", "CUSTOMER_FACING")]  # loyalty-app
    assert (pipeline["services"], pipeline["direct"], pipeline["retained"]) == (1, 5400.0, pytest.approx(6600.0))
    assert cost[("RETIRED", "CUSTOMER_FACING")] == {  # fax-gateway bears nothing
        "stage": "RETIRED", "kind": "CUSTOMER_FACING", "services": 1, "direct": 0.0, "total": 0.0, "retained": 0.0,
    }
    for key in (("PIPELINE", "SUPPORTING"), ("RETIRED", "SUPPORTING")):
        assert (cost[key]["services"], cost[key]["direct"], cost[key]["total"]) == (0, 0.0, 0.0)


def test_cost_by_stage_and_kind_matches_the_worked_figures_and_conserves_cost(northwind_client):
    cost = _cost(northwind_client)
    assert sum(r["direct"] for r in cost.values()) == pytest.approx(309000.0)  # totalDirect
    assert sum(r["retained"] for r in cost.values()) == pytest.approx(309000.0)  # conservation
    assert sum(r["total"] for r in cost.values()) == pytest.approx(sum(s["total"] for s in COSTS.values()), abs=0.1)


def test_a_month_without_cost_items_costs_nothing_and_a_bad_month_is_bad_input(northwind_client):
    assert all(r["direct"] == r["total"] == 0.0 for r in _cost(northwind_client, "2026-03").values())
    body = northwind_client.execute(COST, p="2026-1")
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]] == [("BAD_INPUT", "period")]


def test_a_service_without_outcome_above_the_threshold_is_costly(northwind_client):
    northwind_client.data(UNLINK, s="payroll", o="staff-paid")  # payroll: total 35,985 in January
    assert _candidates(northwind_client, p=JANUARY, t=30000.0) == [
        ("payroll", ["NO_OUTCOME", "COSTLY_WITHOUT_OUTCOME"], pytest.approx(35985.0))
    ]
    assert _candidates(northwind_client, p=JANUARY, t=40000.0) == [("payroll", ["NO_OUTCOME"], pytest.approx(35985.0))]
    assert _candidates(northwind_client) == [("payroll", ["NO_OUTCOME"], None)]  # without a month: as before
    explanation = northwind_client.data(CANDIDATES, p=JANUARY, t=30000.0)["retirementCandidates"][0]["explanation"]
    assert "COSTLY_WITHOUT_OUTCOME: its total cost in the month, 35985.00, is above the threshold 30000.00" in explanation


def test_costly_uses_total_cost_and_strictly_above_the_threshold(northwind_client):
    # Without consumers isp-uplink-b keeps its 4,000 (total = retained = direct); UNUSED and NO_OUTCOME already.
    northwind_client.data(REMOVE_DEPENDENCY, consumer="internet-access", provider="isp-uplink-b")
    assert _candidates(northwind_client, p=JANUARY, t=3999.99) == [
        ("isp-uplink-b", ["UNUSED", "NO_OUTCOME", "COSTLY_WITHOUT_OUTCOME"], pytest.approx(4000.0))
    ]
    assert _candidates(northwind_client, p=JANUARY, t=4000.0)[0][1] == ["UNUSED", "NO_OUTCOME"]


def test_a_costly_service_that_serves_an_outcome_is_no_candidate(northwind_client):
    assert _candidates(northwind_client, p=JANUARY, t=0.0) == []  # every live service serves an outcome


@pytest.mark.parametrize(
    ("variables", "field"),
    [({"t": 1000.0}, "period"), ({"p": JANUARY}, "costThreshold"), ({"p": JANUARY, "t": -1.0}, "costThreshold"),
     ({"p": "Jan", "t": 1.0}, "period")],
)
def test_cost_threshold_input_is_checked(northwind_client, variables, field):
    body = northwind_client.execute(CANDIDATES, **variables)
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]] == [("BAD_INPUT", field)]
