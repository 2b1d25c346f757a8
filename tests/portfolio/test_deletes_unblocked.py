"""A business case, complaint or survey can no longer block ``deleteService`` or ``deleteCustomer`` for good:
business cases are withdrawn, surveys and budgets removed, and complaints closed (never deleted: a CLOSED
complaint stays, keeping the id of what it was about)."""

from __future__ import annotations

from tests.graphql_client import GraphQLClient

CREATE_SERVICE = "mutation($i: CreateServiceInput!) { createService(input: $i) { id } }"
CREATE_CUSTOMER = "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }"
SET_CASE = """mutation($s: ID!) { setBusinessCase(serviceId: $s, input: {investment: 1000, annualBenefit: 600,
    annualRunningCost: 100, years: 3, discountRate: 0.05}) { id } }"""
DELETE_CASE = "mutation($s: ID!) { deleteBusinessCase(serviceId: $s) { id } }"
SET_BUDGET = 'mutation($s: ID!) { setBudget(serviceId: $s, period: "2026-02", amount: 500) { amount } }'
DELETE_BUDGET = 'mutation($s: ID!) { deleteBudget(serviceId: $s, period: "2026-02") { id } }'
RAISE = "mutation($i: RaiseComplaintInput!) { raiseComplaint(input: $i) { id } }"
MOVE = "mutation($id: ID!, $to: ComplaintStatus!) { moveComplaint(id: $id, status: $to) { status } }"
SURVEY = 'mutation($c: ID!) { recordSurvey(customerId: $c, period: "2026-02", score: 2) { score } }'
DELETE_SURVEY = 'mutation($c: ID!, $p: String!) { deleteSurvey(customerId: $c, period: $p) { id } }'
DELETE_SERVICE = "mutation($id: ID!) { deleteService(id: $id) { id } }"
DELETE_CUSTOMER = "mutation($id: ID!) { deleteCustomer(id: $id) { id } }"
CYPHER = "query($q: String!) { cypher(query: $q) { rows } }"


def _rule_error(client: GraphQLClient, query: str, **variables) -> dict:
    errors = client.execute(query, **variables)["errors"]
    assert len(errors) == 1
    return errors[0]


def _close(client: GraphQLClient, complaint: str) -> None:
    for status in ("ACKNOWLEDGED", "RESOLVED", "CLOSED"):
        client.data(MOVE, id=complaint, to=status)


def _setup(client: GraphQLClient) -> None:
    client.data(CREATE_SERVICE, i={"id": "kiosk", "name": "Kiosk", "kind": "CUSTOMER_FACING", "owner": "retail",
                                   "criticality": 2})
    client.data(CREATE_CUSTOMER, i={"id": "popup-shop", "name": "Pop-up shop", "type": "EXTERNAL"})
    client.data(SET_CASE, s="kiosk")
    client.data(SET_BUDGET, s="kiosk")
    client.data(RAISE, i={"id": "cmp-kiosk", "customer": "popup-shop", "service": "kiosk", "severity": 3})
    client.data(SURVEY, c="popup-shop")


def test_a_service_with_a_business_case_budget_and_complaint_can_be_deleted_once_they_are_settled(client):
    _setup(client)
    error = _rule_error(client, DELETE_SERVICE, id="kiosk")
    assert error["extensions"]["rule"] == "still-referenced"
    for what in ("budgets", "business cases", "complaints 'cmp-kiosk'"):
        assert what in error["message"]
    client.data(DELETE_CASE, s="kiosk")
    client.data(DELETE_BUDGET, s="kiosk")
    assert "complaints 'cmp-kiosk'" in _rule_error(client, DELETE_SERVICE, id="kiosk")["message"]  # still open
    _close(client, "cmp-kiosk")
    assert client.data(DELETE_SERVICE, id="kiosk")["deleteService"]["id"] == "kiosk"
    assert client.data('{ service(id: "kiosk") { id } }')["service"] is None
    rows = client.data(CYPHER, q="MATCH (c:Complaint {id: 'cmp-kiosk'}) RETURN c.status, c.serviceId")["cypher"]["rows"]
    assert rows == [["CLOSED", "kiosk"]]  # the complaint is kept, with the id of what it was about


def test_a_customer_with_a_survey_and_a_complaint_can_be_deleted_once_they_are_settled(client):
    _setup(client)
    error = _rule_error(client, DELETE_CUSTOMER, id="popup-shop")
    assert error["extensions"]["rule"] == "still-referenced"
    assert "surveys" in error["message"] and "complaints 'cmp-kiosk'" in error["message"]
    assert client.data(DELETE_SURVEY, c="popup-shop", p="2026-02")["deleteSurvey"]["id"] == "popup-shop:2026-02"
    _close(client, "cmp-kiosk")
    assert client.data(DELETE_CUSTOMER, id="popup-shop")["deleteCustomer"]["id"] == "popup-shop"
    rows = client.data(CYPHER, q="MATCH (c:Complaint {id: 'cmp-kiosk'}) RETURN c.customerId")["cypher"]["rows"]
    assert rows == [["popup-shop"]]


def test_withdrawing_what_is_not_there_is_not_found_and_changes_nothing(client):
    _setup(client)
    client.data(DELETE_CASE, s="kiosk")
    assert client.error_codes(DELETE_CASE, s="kiosk") == ["NOT_FOUND"]
    assert client.error_codes(DELETE_SURVEY, c="popup-shop", p="2026-03") == ["NOT_FOUND"]
    assert client.error_codes(DELETE_SURVEY, c="popup-shop", p="March") == ["BAD_INPUT"]
    assert client.data('{ customer(id: "popup-shop") { satisfaction { latest { score } } } }')[
        "customer"]["satisfaction"]["latest"]["score"] == 2


def test_withdrawals_are_in_the_audit_trail(client):
    _setup(client)
    client.data(DELETE_CASE, s="kiosk")
    history = client.data('{ service(id: "kiosk") { history { action before } } }')["service"]["history"]
    assert history[0]["action"] == "deleteBusinessCase"
    assert history[0]["before"]["businessCases"] == ["case-kiosk"]
