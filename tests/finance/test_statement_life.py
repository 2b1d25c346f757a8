"""An issued statement's life (spec: Charging): ISSUED -> PAID, or ISSUED -> DISPUTED -> ISSUED (settled, with an
optional credit line that never edits the lines) or PAID; revenue collected and outstanding per month and
customer; lines rounded to cents by largest remainder so they add up to the rounded total.

Figures: the portfolio of test_closing, worked by hand there: in January c1 is charged 400 (app), c2 800
(app 400 + web 400)."""

from __future__ import annotations

import pytest

from graph_itsm.finance.statements import cents
from graph_itsm.store.backup import dump
from tests.finance.test_closing import small  # noqa: F401  (the fixture)
from tests.graphql_client import GraphQLClient

ISSUE = """mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) { state total } }"""
PAY = """mutation($c: ID!, $p: String!) { payStatement(customerId: $c, period: $p) { state due changes } }"""
DISPUTE = """mutation($c: ID!, $p: String!, $r: String!) { disputeStatement(customerId: $c, period: $p, reason: $r) {
  state changes } }"""
SETTLE = """mutation($c: ID!, $p: String!, $credit: Float, $note: String) {
  settleDispute(customerId: $c, period: $p, credit: $credit, note: $note) {
  state total due credits { amount note by } lines { service { id } charge } } }"""
REVENUE = """query($from: String, $to: String, $customer: ID) { revenue(from: $from, to: $to, customer: $customer) {
  collected outstanding lines { period customer { id } state charged credited collected outstanding } } }"""
STATEMENT = """query($c: ID!, $p: String!) { chargeStatement(customerId: $c, period: $p) {
  state total roundedTotal due lines { service { id } charge roundedCharge } } }"""
JAN = "2026-01"


def test_largest_remainder_rounding_adds_up_to_the_rounded_total():
    assert cents([10 / 3] * 3) == ([3.34, 3.33, 3.33], 10.0)  # naive rounding: 9.99
    assert cents([0.335, 0.335, 0.33]) == ([0.34, 0.33, 0.33], 1.0)  # the first of equal remainders gets it
    assert cents([1.005, 2.334, 3.333]) == ([1.01, 2.33, 3.33], 6.67)  # 100.5 + 233.4 + 333.3 = 667.2 cents
    assert cents([]) == ([], 0.0)


def test_dispute_settle_with_a_credit_then_pay(small):
    client, app, store = small
    client.data(ISSUE, c="c2", p=JAN)
    client.data(ISSUE, c="c1", p=JAN)
    portal = GraphQLClient(app, roles=["customer"], customer="c2")
    disputed = portal.data(DISPUTE, c="c2", p=JAN, r="web was down a week")["disputeStatement"]
    assert disputed["state"] == "DISPUTED" and disputed["changes"]["disputeReason"] == "web was down a week"
    assert portal.error_codes(DISPUTE, c="c1", p=JAN, r="not mine") == ["FORBIDDEN"]
    assert portal.error_codes(PAY, c="c2", p=JAN) == ["FORBIDDEN"]

    finance = GraphQLClient(app, roles=["finance"])
    settled = finance.data(SETTLE, c="c2", p=JAN, credit=100.0, note="a week of web")["settleDispute"]
    assert settled["state"] == "ISSUED" and settled["total"] == 800.0 and settled["due"] == 700.0
    assert settled["credits"] == [{"amount": 100.0, "note": "a week of web", "by": "test-finance"}]
    assert {x["service"]["id"]: x["charge"] for x in settled["lines"]} == {"app": 400.0, "web": 400.0}  # unchanged

    revenue = client.data(REVENUE, **{"from": JAN, "to": JAN})["revenue"]
    assert (revenue["collected"], revenue["outstanding"]) == (0.0, 400.0 + 700.0)
    assert finance.data(PAY, c="c2", p=JAN)["payStatement"]["state"] == "PAID"
    revenue = client.data(REVENUE)["revenue"]
    assert revenue["lines"] == [
        {"period": JAN, "customer": {"id": "c1"}, "state": "ISSUED", "charged": 400.0, "credited": 0.0,
         "collected": 0.0, "outstanding": 400.0},
        {"period": JAN, "customer": {"id": "c2"}, "state": "PAID", "charged": 800.0, "credited": 100.0,
         "collected": 700.0, "outstanding": 0.0},
    ]
    assert (revenue["collected"], revenue["outstanding"]) == (700.0, 400.0)
    assert client.data(REVENUE, customer="c1")["revenue"]["outstanding"] == 400.0
    # the statement itself: still its lines and total, now PAID
    st = client.data(STATEMENT, c="c2", p=JAN)["chargeStatement"]
    assert (st["state"], st["total"], st["due"]) == ("PAID", 800.0, 700.0)
    entries = client.data("""{ auditLog(filter: {entity: "statement:c2:2026-01"}) { nodes { action actor } } }""")
    assert [e["action"] for e in entries["auditLog"]["nodes"]] == [
        "payStatement", "settleDispute", "disputeStatement", "issueChargeStatement"]


def test_an_issued_statement_may_be_paid_straight_away_or_from_a_dispute(small):
    client, _, _ = small
    client.data(ISSUE, c="c1", p=JAN)
    client.data(ISSUE, c="c2", p=JAN)
    assert client.data(PAY, c="c1", p=JAN)["payStatement"]["state"] == "PAID"
    client.data(DISPUTE, c="c2", p=JAN, r="too high")
    assert client.data(PAY, c="c2", p=JAN)["payStatement"]["state"] == "PAID"


@pytest.mark.parametrize(("moves", "last", "code"), [
    ([], (PAY, {}), "NOT_FOUND"),  # not issued
    ([ISSUE, PAY], (PAY, {}), "RULE_VIOLATION"),  # PAID is final
    ([ISSUE, PAY], (DISPUTE, {"r": "late"}), "RULE_VIOLATION"),
    ([ISSUE], (SETTLE, {}), "RULE_VIOLATION"),  # nothing to settle
    ([ISSUE], (DISPUTE, {"r": "  "}), "BAD_INPUT"),
], ids=["not-issued", "pay-twice", "dispute-paid", "settle-issued", "blank-reason"])
def test_moves_outside_the_life_cycle_are_refused_and_change_nothing(small, moves, last, code):
    client, _, store = small
    for move in moves:
        client.data(move, c="c1", p=JAN)
    before = dump(store)["nodes"]
    query, extra = last
    assert client.error_codes(query, c="c1", p=JAN, **extra) == [code]
    assert dump(store)["nodes"] == before


def test_a_credit_above_what_is_due_is_refused(small):
    client, _, _ = small
    client.data(ISSUE, c="c1", p=JAN)
    client.data(DISPUTE, c="c1", p=JAN, r="too high")
    assert client.error_codes(SETTLE, c="c1", p=JAN, credit=400.01) == ["BAD_INPUT"]
    assert client.data(SETTLE, c="c1", p=JAN, credit=400.0)["settleDispute"]["due"] == 0.0


def test_rounded_lines_add_up_to_the_rounded_total(northwind_client):
    for customer in ("retail-bu", "finance-bu", "hr-bu", "franchise-co"):
        st = northwind_client.data(STATEMENT, c=customer, p=JAN)["chargeStatement"]
        rounded = [x["roundedCharge"] for x in st["lines"]]
        assert round(sum(int(round(r * 100)) for r in rounded)) == int(round(st["roundedTotal"] * 100))
        assert st["roundedTotal"] == round(st["total"], 2)
        assert all(abs(r - x["charge"]) < 0.01 for r, x in zip(rounded, st["lines"]))
