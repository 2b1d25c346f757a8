"""The cost and budget reports page through their lists (`first`/`offset`, an order, counts beside them), so a
frontend reads a page of a 20,000-service report instead of all of it: northwind, both databases."""

from __future__ import annotations

import pytest

COST = """query($p: String!, $f: Int, $o: Int!, $by: ServiceCostOrder!, $io: CostItemOrder!) { costReport(period: $p) {
  counts { services costItems unallocated unrecovered }
  services(first: $f, offset: $o, orderBy: $by) { direct total retained service { id } }
  costItems(first: $f, offset: $o, orderBy: $io) { id amount }
  unallocated(first: $f, offset: $o) { amount costItem { id } }
  unrecovered { amount } } }"""
BUDGET = """query($p: String!, $f: Int, $o: Int!, $by: BudgetLineOrder!) { budgetReport(period: $p) {
  counts { services budgeted overBudget }
  services(first: $f, offset: $o, orderBy: $by) { service { id } total { budget actual variance } } } }"""


def _cost(client, first=None, offset=0, by="ID", items="ID"):
    return client.data(COST, p="2026-01", f=first, o=offset, by=by, io=items)["costReport"]


def test_cost_report_pages_add_up_to_the_whole_list_and_counts_say_how_long_it_is(northwind_client):
    whole = _cost(northwind_client)
    counts = whole["counts"]
    assert counts == {"services": len(whole["services"]), "costItems": len(whole["costItems"]),
                      "unallocated": len(whole["unallocated"]), "unrecovered": len(whole["unrecovered"])}
    assert counts["services"] > 3 and counts["costItems"] > 3 and counts["unallocated"] >= 1
    pages = [_cost(northwind_client, first=3, offset=o) for o in range(0, counts["services"], 3)]
    assert [s for p in pages for s in p["services"]] == whole["services"]
    assert [i for p in pages for i in p["costItems"]] == whole["costItems"]
    assert [u for p in pages for u in p["unallocated"]] == whole["unallocated"]
    assert [s["service"]["id"] for s in whole["services"]] == sorted(s["service"]["id"] for s in whole["services"])


@pytest.mark.parametrize(("order", "figure"), [("DIRECT_DESC", "direct"), ("TOTAL_DESC", "total"),
                                               ("RETAINED_DESC", "retained")])
def test_cost_report_services_largest_first(northwind_client, order, figure):
    whole = _cost(northwind_client)["services"]
    top = _cost(northwind_client, first=3, by=order)["services"]
    want = sorted(whole, key=lambda s: (-s[figure], s["service"]["id"]))[:3]
    assert top == want


def test_largest_cost_items_first(northwind_client):
    items = _cost(northwind_client, items="AMOUNT_DESC")["costItems"]
    assert [i["amount"] for i in items] == sorted((i["amount"] for i in items), reverse=True)
    assert items[0]["amount"] == max(i["amount"] for i in _cost(northwind_client)["costItems"])
    assert _cost(northwind_client, first=1, offset=1, items="AMOUNT_DESC")["costItems"] == items[1:2]


def test_a_negative_page_is_bad_input_naming_it(northwind_client):
    assert northwind_client.error_codes(COST, p="2026-01", f=-1, o=0, by="ID", io="ID") == ["BAD_INPUT"]


def test_budget_report_pages_orders_and_counts(northwind_client):
    def report(first=None, offset=0, by="ID"):
        return northwind_client.data(BUDGET, p="2026-01", f=first, o=offset, by=by)["budgetReport"]

    whole = report()
    lines = whole["services"]
    budgeted = [x for x in lines if x["total"]["budget"] > 0]
    assert whole["counts"] == {"services": len(lines), "budgeted": len(budgeted),
                               "overBudget": sum(1 for x in budgeted if x["total"]["variance"] < 0)}
    # northwind's January budgets (tests/finance/test_api_budgets_and_cases.py): web-shop 60,000 is the largest
    top = report(first=2, by="BUDGET_DESC")["services"]
    assert top[0]["service"]["id"] == "web-shop" and top[0]["total"]["budget"] == 60000.0
    assert top == sorted(lines, key=lambda x: (-x["total"]["budget"], x["service"]["id"]))[:2]
    assert report(first=2, by="ACTUAL_DESC")["services"] == sorted(
        lines, key=lambda x: (-x["total"]["actual"], x["service"]["id"]))[:2]
    assert report(first=2, by="VARIANCE_ASC")["services"] == sorted(
        lines, key=lambda x: (x["total"]["variance"], x["service"]["id"]))[:2]
    assert [x for o in range(0, len(lines), 4) for x in report(first=4, offset=o)["services"]] == lines


def test_budget_line_of_one_service(northwind_client):
    q = """query($id: ID!) { budgetReport(period: "2026-01") { service(id: $id) { service { id }
             direct { budget actual variance } } } }"""
    line = northwind_client.data(q, id="web-shop")["budgetReport"]["service"]
    assert line == {"service": {"id": "web-shop"}, "direct": {"budget": 60000.0, "actual": 51600.0, "variance": 8400.0}}
    assert northwind_client.data(q, id="nowhere")["budgetReport"]["service"] is None
