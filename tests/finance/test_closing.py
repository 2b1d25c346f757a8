"""Closing a month (spec: Closing a month): a closed month's reports answer from what was stored, whatever the
graph does afterwards; writes to it are refused; an admin reopens it with a reason.

The portfolio, worked by hand (EUR): `db` (supporting) costs 1,000 a month; `app` (customer-facing) 200 of its
own. `app` bears 0.6 of `db`, `web` (customer-facing) 0.4. So in January (and February, same items):
db total 1,000, retained 0; app total 200 + 600 = 800, retained 800; web total 400, retained 400.
`app` is split equally between c1 and c2 (400 each); `web` goes to c2 alone (400). c1 pays 400, c2 800; cost
items 1,200 = allocated 1,200 + unrecovered 0.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store.backup import dump

JAN, FEB = "2026-01", "2026-02"


def _doc() -> dict[str, Any]:
    def items(period: str) -> list[dict[str, Any]]:
        return [
            {"id": f"db-{period}", "name": "DB hosting", "category": "HARDWARE", "nature": "OPEX", "amount": 1000.0,
             "period": period, "allocations": [{"service": "db", "share": 1.0}]},
            {"id": f"app-{period}", "name": "App licences", "category": "SOFTWARE", "nature": "OPEX",
             "amount": 200.0, "period": period, "allocations": [{"service": "app", "share": 1.0}]},
        ]

    return {
        "currency": "EUR",
        "services": [
            {"id": "db", "name": "Database", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "it", "criticality": 3},
            {"id": "app", "name": "App", "kind": "CUSTOMER_FACING", "stage": "CATALOGUE", "owner": "it",
             "criticality": 3, "dependsOn": [{"service": "db", "share": 0.6}]},
            {"id": "web", "name": "Web", "kind": "CUSTOMER_FACING", "stage": "CATALOGUE", "owner": "it",
             "criticality": 3, "dependsOn": [{"service": "db", "share": 0.4}]},
        ],
        "customers": [
            {"id": "c1", "name": "One", "type": "INTERNAL", "subscriptions": [{"service": "app"}]},
            {"id": "c2", "name": "Two", "type": "INTERNAL", "subscriptions": [{"service": "app"}, {"service": "web"}]},
        ],
        "costs": items(JAN) + items(FEB),
        "budgets": [{"service": "app", "period": JAN, "amount": 900.0}],
    }


@pytest.fixture
def small(store):
    import_document(store, document_from_data(_doc()))
    from graph_itsm.api.app import create_app
    from tests.graphql_client import GraphQLClient

    app = create_app(store)
    return GraphQLClient(app), app, store


REPORT = """query($p: String!) { costReport(period: $p) {
  totalDirect totalUnrecovered
  unrecoveredByReason { reason amount }
  reconciliation { costItems allocatedToCustomers unrecovered balanced }
  services { service { id } direct total retained byCategory { category total } }
} }"""
COST = """query($s: ID!, $p: String!) { service(id: $s) { cost(period: $p) { direct total retained unrecovered
  trace { source sourceId share amount } } } }"""
STATEMENT = """query($c: ID!, $p: String!) { chargeStatement(customerId: $c, period: $p) {
  issued issuedBy total lines { service { id } cost charge } } }"""
BUDGET = """query($p: String!) { budgetReport(period: $p) { services { service { id } direct { budget actual }
  total { actual } } } }"""
CLOSE = """mutation($p: String!) { closePeriod(period: $p) { period state closedBy closedAt } }"""
REOPEN = """mutation($p: String!, $r: String!) { reopenPeriod(period: $p, reason: $r) {
  period state reopenedBy reopenReason } }"""
ADD_DEP = """mutation($c: ID!, $p: ID!, $s: Float) { addDependency(input: {consumer: $c, provider: $p, share: $s}) {
  id } }"""
SUBSCRIBE = """mutation($c: ID!, $s: ID!) { subscribe(input: {customer: $c, service: $s}) { since } }"""
PERIODS = "{ periods { nodes { period state closedBy } } }"


def _services(report: dict) -> dict[str, tuple[float, float, float]]:
    """Each service's (direct, total, retained), in cents."""
    return {s["service"]["id"]: (round(s["direct"], 2), round(s["total"], 2), round(s["retained"], 2))
            for s in report["services"]}


def _charges(client, customer: str, period: str) -> dict[str, float]:
    st = client.data(STATEMENT, c=customer, p=period)["chargeStatement"]
    return {line["service"]["id"]: round(line["charge"], 2) for line in st["lines"]}


def _change_the_graph(client) -> None:
    """app now bears 0.2 of db (db keeps 0.4), and c1 subscribes to web too."""
    client.data(ADD_DEP, c="app", p="db", s=0.2)
    client.data(SUBSCRIBE, c="c1", s="web")


def test_a_closed_month_answers_from_what_was_stored(small):
    client, _, _ = small
    before = client.data(REPORT, p=JAN)["costReport"]
    assert _services(before) == {"app": (200.0, 800.0, 800.0), "db": (1000.0, 1000.0, 0.0),
                                 "web": (0.0, 400.0, 400.0)}
    closed = client.data(CLOSE, p=JAN)["closePeriod"]
    assert closed["state"] == "CLOSED" and closed["closedBy"] and closed["closedAt"]
    # every customer's statement was issued by the closing
    for customer, total in (("c1", 400.0), ("c2", 800.0)):
        st = client.data(STATEMENT, c=customer, p=JAN)["chargeStatement"]
        assert st["issued"] is True and st["total"] == pytest.approx(total)

    _change_the_graph(client)

    after = client.data(REPORT, p=JAN)["costReport"]
    assert after == before  # every figure, categories and reconciliation included
    assert after["reconciliation"] == {"costItems": 1200.0, "allocatedToCustomers": 1200.0, "unrecovered": 0.0,
                                       "balanced": True}
    jan_app = client.data(COST, s="app", p=JAN)["service"]["cost"]
    assert (jan_app["total"], jan_app["unrecovered"]) == (800.0, 0.0)
    assert {t["sourceId"]: t["amount"] for t in jan_app["trace"]} == {"app-2026-01": 200.0, "db": 600.0}
    assert _charges(client, "c1", JAN) == {"app": 400.0}  # c1's web subscription came after the closing
    budget = {s["service"]["id"]: s for s in client.data(BUDGET, p=JAN)["budgetReport"]["services"]}
    assert budget["app"]["direct"] == {"budget": 900.0, "actual": 200.0} and budget["app"]["total"]["actual"] == 800.0

    # February is open: computed live on today's graph. db keeps 1 - 0.2 - 0.4 = 0.4 of 1,000 = 400;
    # app: 200 + 0.2 * 1,000 = 400, split between c1 and c2 (200 each); web: 400, split between c1 and c2 now.
    feb = client.data(REPORT, p=FEB)["costReport"]
    assert _services(feb) == {"app": (200.0, 400.0, 400.0), "db": (1000.0, 1000.0, 400.0),
                              "web": (0.0, 400.0, 400.0)}
    assert {r["reason"]: r["amount"] for r in feb["unrecoveredByReason"]}["RETAINED_BY_SUPPORTING"] == pytest.approx(400.0)
    assert feb["reconciliation"]["allocatedToCustomers"] == pytest.approx(800.0)
    assert _charges(client, "c1", FEB) == {"app": 200.0, "web": 200.0}


def test_the_cli_costs_of_a_closed_month_are_the_stored_ones(small):
    from graph_itsm.finance.cli import report_of

    client, _, store = small
    client.data(CLOSE, p=JAN)
    _change_the_graph(client)
    jan, feb = report_of(store, JAN), report_of(store, FEB)
    assert (jan["allocatedToCustomers"], jan["unrecovered"], jan["balanced"]) == (1200.0, 0.0, True)
    assert (feb["allocatedToCustomers"], feb["unrecovered"], feb["balanced"]) == (800.0, 400.0, True)  # cents


RECORD = """mutation($input: RecordCostItemInput!) { recordCostItem(input: $input) { id } }"""
UPDATE = """mutation($id: ID!, $input: UpdateCostItemInput!) { updateCostItem(id: $id, input: $input) { id } }"""
DELETE = """mutation($id: ID!) { deleteCostItem(id: $id) { id } }"""
SET_BUDGET = """mutation($s: ID!, $p: String!, $a: Float!) { setBudget(serviceId: $s, period: $p, amount: $a) {
  period } }"""
DELETE_BUDGET = """mutation($s: ID!, $p: String!) { deleteBudget(serviceId: $s, period: $p) { id } }"""
_NEW = {"id": "late", "name": "Late invoice", "category": "SOFTWARE", "nature": "OPEX", "amount": 50.0,
        "period": JAN, "allocations": [{"service": "app", "share": 1.0}]}


@pytest.mark.parametrize(("query", "variables"), [
    (RECORD, {"input": _NEW}),
    (UPDATE, {"id": "app-2026-01", "input": {"amount": 250.0}}),
    (UPDATE, {"id": "app-2026-02", "input": {"period": JAN}}),  # moving an item into the closed month
    (UPDATE, {"id": "app-2026-01", "input": {"period": FEB}}),  # or out of it
    (UPDATE, {"id": "app-2026-01", "input": {"allocations": [{"service": "web", "share": 1.0}]}}),
    (DELETE, {"id": "db-2026-01"}),
    (SET_BUDGET, {"s": "app", "p": JAN, "a": 1.0}),
    (DELETE_BUDGET, {"s": "app", "p": JAN}),
], ids=["record", "update", "move-in", "move-out", "reallocate", "delete", "set-budget", "delete-budget"])
def test_writes_to_a_closed_month_are_refused_and_change_nothing(small, query, variables):
    client, _, store = small
    client.data(CLOSE, p=JAN)
    before = dump(store)
    body = client.execute(query, **variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RULE_VIOLATION" and error["extensions"]["rule"] == "period-closed"
    assert "correction" in error["message"] and "open month" in error["message"]
    assert {k: v for k, v in dump(store).items() if k != "createdAt"} == {
        k: v for k, v in before.items() if k != "createdAt"}


def test_open_months_still_take_writes(small):
    client, _, _ = small
    client.data(CLOSE, p=JAN)
    client.data(RECORD, input={**_NEW, "period": FEB})
    client.data(SET_BUDGET, s="app", p=FEB, a=5.0)
    assert client.data(COST, s="app", p=FEB)["service"]["cost"]["direct"] == 250.0


def test_an_import_touching_a_closed_month_is_refused(small):
    from graph_itsm.errors import RuleViolation

    client, _, store = small
    client.data(CLOSE, p=JAN)
    before = dump(store)["nodes"]
    doc = {"currency": "EUR", "costs": [{**_NEW, "id": "late-import"}]}
    with pytest.raises(RuleViolation) as refused:
        import_document(store, document_from_data(doc))
    assert refused.value.extensions["rule"] == "period-closed"
    with pytest.raises(RuleViolation):
        import_document(store, document_from_data({"currency": "EUR", "budgets": [
            {"service": "web", "period": JAN, "amount": 3.0}]}))
    assert dump(store)["nodes"] == before
    import_document(store, document_from_data({"currency": "EUR", "costs": [{**_NEW, "id": "feb", "period": FEB}]}))


def test_closing_twice_is_refused(small):
    client, _, _ = small
    client.data(CLOSE, p=JAN)
    body = client.execute(CLOSE, p=JAN)
    assert body["errors"][0]["extensions"]["code"] == "RULE_VIOLATION"
    assert body["errors"][0]["extensions"]["rule"] == "period-closed"


def test_statements_issued_before_the_closing_stay_as_issued(small):
    client, _, _ = small
    client.data("""mutation { issueChargeStatement(customerId: "c2", period: "2026-01") { total } }""")
    client.data(ADD_DEP, c="app", p="db", s=0.2)  # c2's January would now be 200 + 400 = 600 live
    client.data(CLOSE, p=JAN)
    assert client.data(STATEMENT, c="c2", p=JAN)["chargeStatement"]["total"] == 800.0  # the issued one
    assert client.data(STATEMENT, c="c1", p=JAN)["chargeStatement"]["total"] == pytest.approx(200.0)  # issued at closing


def test_reopening_needs_admin_and_a_reason_and_makes_the_month_live(small):
    from tests.graphql_client import GraphQLClient

    client, app, _ = small
    finance = GraphQLClient(app, roles=["finance"])
    assert finance.data(CLOSE, p=JAN)["closePeriod"]["state"] == "CLOSED"
    assert finance.error_codes(REOPEN, p=JAN, r="late invoice") == ["FORBIDDEN"]
    assert client.error_codes(REOPEN, p=JAN, r="  ") == ["BAD_INPUT"]
    assert client.error_codes(REOPEN, p=FEB, r="never closed") == ["RULE_VIOLATION"]
    _change_the_graph(client)
    reopened = client.data(REOPEN, p=JAN, r="late invoice from the DB vendor")["reopenPeriod"]
    assert reopened["state"] == "OPEN" and reopened["reopenReason"] == "late invoice from the DB vendor"
    # live again: January now reads like February
    assert _services(client.data(REPORT, p=JAN)["costReport"])["db"] == (1000.0, 1000.0, 400.0)
    # the statements issued at closing stay issued and unchanged
    assert client.data(STATEMENT, c="c1", p=JAN)["chargeStatement"]["total"] == 400.0
    assert _charges(client, "c1", JAN) == {"app": 400.0}
    client.data(RECORD, input=_NEW)  # the month takes corrections again
    entries = client.data("""{ auditLog(filter: {entity: "period:2026-01"}) { nodes { action after } } }""")
    actions = [e["action"] for e in entries["auditLog"]["nodes"]]
    assert actions == ["reopenPeriod", "closePeriod"]
    assert entries["auditLog"]["nodes"][0]["after"]["reason"] == "late invoice from the DB vendor"
    # closed again: the new figures are stored
    client.data(CLOSE, p=JAN)
    client.data(ADD_DEP, c="app", p="db", s=0.6)
    assert _services(client.data(REPORT, p=JAN)["costReport"])["app"] == (250.0, 450.0, 450.0)


def test_periods_show_the_state(small):
    client, _, _ = small
    client.data(CLOSE, p=JAN)
    assert client.data(PERIODS)["periods"]["nodes"] == [
        {"period": FEB, "state": "OPEN", "closedBy": None}, {"period": JAN, "state": "CLOSED", "closedBy": "test-admin"}]


def test_backup_and_restore_carry_the_closed_month(small, tmp_path):
    from graph_itsm.store.backup import backup, restore

    client, _, store = small
    client.data(CLOSE, p=JAN)
    path = tmp_path / "closed.json"
    backup(store, path)
    original = dump(store)
    labels = {tuple(n["labels"]) for n in original["nodes"]}
    assert ("Period",) in labels and ("PeriodSnapshot",) in labels
    store.write_all([(__import__("graph_itsm.store", fromlist=["library"]).library()["store/clear_graph"], {})])
    restore(store, path)
    assert dump(store)["nodes"] == original["nodes"]
    from graph_itsm.api.app import create_app
    from tests.graphql_client import GraphQLClient

    again = GraphQLClient(create_app(store))
    _change_the_graph(again)
    assert _services(again.data(REPORT, p=JAN)["costReport"])["app"] == (200.0, 800.0, 800.0)
    assert again.error_codes(RECORD, input=_NEW) == ["RULE_VIOLATION"]


def test_northwind_january_stays_as_closed_when_web_shop_stops_using_payments(northwind_client):
    """northwind-retail.expected.json: web-shop's January total is 136,693.33, with 0.8 of payments' total
    (payments: direct 27,000 + its providers). Without that edge web-shop would lose 0.8 of payments' total."""
    q = """query { service(id: "web-shop") { cost(period: "2026-01") { total } } }"""
    northwind_client.data(CLOSE, p=JAN)
    northwind_client.data("""mutation { removeDependency(consumer: "web-shop", provider: "payments") { id } }""")
    assert northwind_client.data(q)["service"]["cost"]["total"] == pytest.approx(136693.33333333334)
    northwind_client.data(REOPEN, p=JAN, r="recheck")
    assert northwind_client.data(q)["service"]["cost"]["total"] < 136693.33 - 10000


def test_a_focus_import_into_a_closed_month_is_refused(store):
    from graph_itsm.errors import RuleViolation
    from graph_itsm.finance.closing import close_period
    from graph_itsm.finance.service import FinanceCache
    from graph_itsm.formats.focus import import_focus, load_focus_mapping
    from graph_itsm.topology.cache import TopologyCache
    from tests.formats.test_focus import SAAS_C, _portfolio

    _portfolio(store)
    close_period(store, FinanceCache(store, TopologyCache(store)), "2025-05", actor="finance-lead")
    before = dump(store)["nodes"]
    mapping = load_focus_mapping(text="rules: [{service: hosting, serviceName: '*'}]")
    with pytest.raises(RuleViolation) as refused:
        import_focus(store, [SAAS_C], mapping)  # a file with rows of April to June 2025
    assert refused.value.extensions["rule"] == "period-closed" and "2025-05" in refused.value.message
    assert dump(store)["nodes"] == before
