"""An issued statement's life cycle (spec "Charging"): ISSUED -> PAID, or -> DISPUTED (with a reason) -> ISSUED
(settled, with a credit line that never edits the lines) or PAID; revenue collected and outstanding from these
states; lines in cents that add up to the rounded total (largest remainder).

Hand-worked on the northwind example, January: franchise-co subscribes to point-of-sale (FIXED, 900.00 a
subscription) and to web-shop (COST_PLUS 10 % on its 0.3 share of web-shop's retained 136,693.33: 41,008.00,
charged 45,108.80), so its statement totals 46,008.80.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from graph_itsm.finance.settlement import cents
from tests.graphql_client import GraphQLClient

JANUARY = "2026-01"
FRANCHISE_TOTAL = 900.0 + 1.1 * 0.3 * 136693.33333333334  # 46,008.80

ISSUE = """mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) { state amountDue } }"""
STATEMENT = """query($c: ID!, $p: String!) { chargeStatement(customerId: $c, period: $p) {
  state total amountDue paidAt lines { service { id } charge chargeRounded } totalRounded
  credits { amount reason by } history { from to by reason credit } } }"""
SETTLEMENT = "state total credited amountDue paidAt credits { amount reason } history { from to reason credit }"
PAY = f"""mutation($c: ID!, $p: String!) {{ markStatementPaid(customerId: $c, period: $p) {{ {SETTLEMENT} }} }}"""
DISPUTE = f"""mutation($c: ID!, $p: String!, $r: String!) {{ disputeStatement(customerId: $c, period: $p, reason: $r) {{
  {SETTLEMENT} }} }}"""
SETTLE = f"""mutation($c: ID!, $p: String!, $r: String!, $credit: Float) {{
  settleDispute(customerId: $c, period: $p, reason: $r, credit: $credit) {{ {SETTLEMENT} }} }}"""
REVENUE = """query($p: String!) { revenue(period: $p) { billed credited collected outstanding disputed
  customers { customer { id } state billed credited due collected outstanding } } }"""


def _statement(client, customer: str = "franchise-co") -> dict:
    return client.data(STATEMENT, c=customer, p=JANUARY)["chargeStatement"]


def _revenue(client) -> dict:
    return client.data(REVENUE, p=JANUARY)["revenue"]


def test_issued_paid_disputed_settled_with_a_credit_and_paid(northwind_client, northwind_store) -> None:
    from graph_itsm.api.app import create_app

    issued = northwind_client.data(ISSUE, c="franchise-co", p=JANUARY)["issueChargeStatement"]
    assert issued == {"state": "ISSUED", "amountDue": pytest.approx(FRANCHISE_TOTAL)}
    before = _statement(northwind_client)
    assert _revenue(northwind_client)["outstanding"] == pytest.approx(FRANCHISE_TOTAL)

    # the customer disputes its own statement, with its reason
    customer = GraphQLClient(create_app(northwind_store), roles=["customer"], customer="franchise-co",
                             name="franchise-portal")
    disputed = customer.data(DISPUTE, c="franchise-co", p=JANUARY, r="the POS fee was waived in January")["disputeStatement"]
    assert disputed["state"] == "DISPUTED" and disputed["amountDue"] == pytest.approx(FRANCHISE_TOTAL)
    revenue = _revenue(northwind_client)
    assert revenue["disputed"] == pytest.approx(FRANCHISE_TOTAL) and revenue["collected"] == 0

    # settled with a credit line of the 900.00 fee: the amount due falls, the lines stay as issued
    settled = northwind_client.data(SETTLE, c="franchise-co", p=JANUARY, r="fee waived, as agreed", credit=900.0)["settleDispute"]
    assert settled["state"] == "ISSUED"
    assert settled["credited"] == 900.0 and settled["amountDue"] == pytest.approx(FRANCHISE_TOTAL - 900.0)
    after = _statement(northwind_client)
    assert after["lines"] == before["lines"] and after["total"] == before["total"]
    assert after["credits"] == [{"amount": 900.0, "reason": "fee waived, as agreed", "by": "test-admin"}]

    paid = northwind_client.data(PAY, c="franchise-co", p=JANUARY)["markStatementPaid"]
    assert paid["state"] == "PAID" and paid["paidAt"]
    assert [(m["from"], m["to"]) for m in paid["history"]] == [
        ("ISSUED", "DISPUTED"), ("DISPUTED", "ISSUED"), ("ISSUED", "PAID")]
    assert paid["history"][0]["reason"] == "the POS fee was waived in January"
    assert paid["history"][1]["credit"] == 900.0

    revenue = _revenue(northwind_client)
    assert revenue["billed"] == pytest.approx(FRANCHISE_TOTAL) and revenue["credited"] == 900.0
    assert revenue["collected"] == pytest.approx(45108.80) and revenue["outstanding"] == 0
    assert revenue["customers"] == [{"customer": {"id": "franchise-co"}, "state": "PAID",
                                     "billed": pytest.approx(FRANCHISE_TOTAL), "credited": 900.0,
                                     "due": pytest.approx(45108.80), "collected": pytest.approx(45108.80),
                                     "outstanding": 0.0}]
    audit = northwind_client.data("""{ auditLog(filter: {entity: "statement:franchise-co:2026-01"}) {
        nodes { action actor } } }""")["auditLog"]["nodes"]
    actions = [(e["action"], e["actor"]) for e in audit]
    assert ("disputeStatement", "franchise-portal") in actions and ("markStatementPaid", "test-admin") in actions


def test_moves_outside_the_life_cycle_are_refused_and_change_nothing(northwind_client) -> None:
    body = northwind_client.execute(PAY, c="retail-bu", p=JANUARY)  # never issued
    assert body["errors"][0]["extensions"]["rule"] == "statement-not-issued"
    northwind_client.data(ISSUE, c="franchise-co", p=JANUARY)
    body = northwind_client.execute(SETTLE, c="franchise-co", p=JANUARY, r="nothing to settle", credit=None)
    assert body["errors"][0]["extensions"]["rule"] == "statement-life-cycle"
    assert "ISSUED to ISSUED" in body["errors"][0]["message"]
    northwind_client.data(PAY, c="franchise-co", p=JANUARY)
    body = northwind_client.execute(DISPUTE, c="franchise-co", p=JANUARY, r="too late")
    assert body["errors"][0]["extensions"]["rule"] == "statement-life-cycle"
    assert "PAID to DISPUTED" in body["errors"][0]["message"]
    statement = _statement(northwind_client)
    assert statement["state"] == "PAID" and len(statement["history"]) == 1


def test_bad_reasons_and_credits_name_their_field(northwind_client) -> None:
    northwind_client.data(ISSUE, c="franchise-co", p=JANUARY)
    body = northwind_client.execute(DISPUTE, c="franchise-co", p=JANUARY, r="   ")
    assert body["errors"][0]["extensions"]["field"] == "reason"
    northwind_client.data(DISPUTE, c="franchise-co", p=JANUARY, r="wrong share")
    for credit in (-5.0, 0.0, 50000.0):  # not positive, or above the 46,008.80 due
        body = northwind_client.execute(SETTLE, c="franchise-co", p=JANUARY, r="settled", credit=credit)
        assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"
        assert body["errors"][0]["extensions"]["field"] == "credit"
    assert _statement(northwind_client)["state"] == "DISPUTED" and _statement(northwind_client)["credits"] == []


def test_a_customer_disputes_only_its_own_statement_and_never_pays(northwind_client, northwind_store) -> None:
    from graph_itsm.api.app import create_app

    northwind_client.data(ISSUE, c="franchise-co", p=JANUARY)
    other = GraphQLClient(create_app(northwind_store), roles=["customer"], customer="retail-bu")
    assert other.error_codes(DISPUTE, c="franchise-co", p=JANUARY, r="not mine") == ["FORBIDDEN"]
    own = GraphQLClient(create_app(northwind_store), roles=["customer"], customer="franchise-co")
    assert own.error_codes(PAY, c="franchise-co", p=JANUARY) == ["FORBIDDEN"]
    relationship = GraphQLClient(create_app(northwind_store), roles=["relationship"])
    assert relationship.data(DISPUTE, c="franchise-co", p=JANUARY, r="raised for the customer")[
        "disputeStatement"]["state"] == "DISPUTED"
    assert _statement(northwind_client)["state"] == "DISPUTED"


def test_lines_in_cents_add_up_to_the_rounded_total(northwind_client) -> None:
    # retail-bu's January: 3,200 + 25,475 + 900 + 105,253.8667 = 134,828.8667, shown as 134,828.87
    statement = _statement(northwind_client, "retail-bu")
    assert statement["totalRounded"] == 134828.87
    assert sum(Decimal(str(line["chargeRounded"])) for line in statement["lines"]) == Decimal("134828.87")


@pytest.mark.parametrize("amounts, rounded, total", [
    ([1 / 3, 1 / 3, 1 / 3], ["0.34", "0.33", "0.33"], "1.00"),  # a cent left over goes to the first of equals
    ([0.005, 0.005], ["0.01", "0.00"], "0.01"),  # rounding each half up would show 0.02
    ([10.126, 20.124, 0.0], ["10.13", "20.12", "0.00"], "30.25"),  # the largest remainder gets the cent
    ([], [], "0.00"),
])
def test_largest_remainder_cents(amounts, rounded, total) -> None:
    got, got_total = cents(amounts)
    assert [str(c) for c in got] == rounded and str(got_total) == total
    assert sum(got, Decimal(0)) == got_total


def test_statements_issued_by_closing_a_month_are_collected_after_it(northwind_client) -> None:
    """Closing January issues every customer's statement; collecting them is not a change of the month's costs,
    so a closed month's statements still move to PAID, and revenue follows."""
    northwind_client.data('mutation { closePeriod(period: "2026-01") { state } }')
    revenue = _revenue(northwind_client)
    assert [c["customer"]["id"] for c in revenue["customers"]] == ["finance-bu", "franchise-co", "hr-bu", "retail-bu"]
    assert revenue["collected"] == 0 and revenue["outstanding"] == pytest.approx(revenue["billed"])
    northwind_client.data(PAY, c="franchise-co", p=JANUARY)
    revenue = _revenue(northwind_client)
    assert revenue["collected"] == pytest.approx(FRANCHISE_TOTAL)
    assert revenue["outstanding"] == pytest.approx(revenue["billed"] - FRANCHISE_TOTAL)
    listed = northwind_client.data("""{ statements(filter: {period: "2026-01", state: PAID}) {
        nodes { customer { id } state } } }""")["statements"]["nodes"]
    assert listed == [{"customer": {"id": "franchise-co"}, "state": "PAID"}]


def test_the_same_life_cycle_on_the_demo_portfolio(store) -> None:
    """The demo (northwind with the strategy additions) gives franchise-co the same January statement."""
    from graph_itsm.api.app import create_app
    from graph_itsm.portfolio.demo import load_demo

    load_demo(store)
    client = GraphQLClient(create_app(store))
    assert client.data(ISSUE, c="franchise-co", p=JANUARY)["issueChargeStatement"]["amountDue"] == pytest.approx(
        FRANCHISE_TOTAL)
    client.data(DISPUTE, c="franchise-co", p=JANUARY, r="the POS fee was waived")
    client.data(SETTLE, c="franchise-co", p=JANUARY, r="waived", credit=900.0)
    client.data(PAY, c="franchise-co", p=JANUARY)
    revenue = _revenue(client)
    assert revenue["collected"] == pytest.approx(45108.80) and revenue["credited"] == 900.0
    assert _statement(client, "retail-bu")["totalRounded"] == 134828.87
