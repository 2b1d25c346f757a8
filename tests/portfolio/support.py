"""Helpers shared by the portfolio API tests: the mutations as GraphQL documents, and a check that a refused
mutation left the graph exactly as it was."""

from __future__ import annotations

from typing import Any

from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from graph_itsm.store.queries import parse_query
from tests.graphql_client import GraphQLClient

CREATE_SERVICE = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) { id name kind stage owner provider supplier criticality capacity riskAssessed
                                 pricing { model markup price } }
}"""
UPDATE_SERVICE = """
mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id name kind stage owner provider supplier criticality riskAssessed
                                          pricing { model markup price } }
}"""
DELETE_SERVICE = "mutation($id: ID!) { deleteService(id: $id) { id } }"
MOVE = """
mutation($service: ID!, $stage: ServiceStage!, $replacement: ID) {
  moveServiceStage(input: {service: $service, stage: $stage, replacement: $replacement}) {
    service { id stage } previousStage replacement { id } movedConsumers
  }
}"""
ADD_DEPENDENCY = """
mutation($consumer: ID!, $provider: ID!, $share: Float, $group: String, $factor: Float) {
  addDependency(input: {consumer: $consumer, provider: $provider, share: $share, redundancyGroup: $group,
                        demandFactor: $factor}) {
    id dependencies { service { id } share redundancyGroup demandFactor }
  }
}"""
REMOVE_DEPENDENCY = """
mutation($consumer: ID!, $provider: ID!) {
  removeDependency(consumer: $consumer, provider: $provider) { id dependencies { service { id } } }
}"""
LINK = "mutation($s: ID!, $o: ID!) { linkOutcome(service: $s, outcome: $o) { id enables { id } } }"
UNLINK = "mutation($s: ID!, $o: ID!) { unlinkOutcome(service: $s, outcome: $o) { id enables { id } } }"
CREATE_OUTCOME = "mutation($input: CreateOutcomeInput!) { createOutcome(input: $input) { id name description } }"
UPDATE_OUTCOME = """
mutation($id: ID!, $input: UpdateOutcomeInput!) { updateOutcome(id: $id, input: $input) { id name description } }"""
DELETE_OUTCOME = "mutation($id: ID!) { deleteOutcome(id: $id) { id } }"
CREATE_CUSTOMER = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name type } }"
UPDATE_CUSTOMER = """
mutation($id: ID!, $input: UpdateCustomerInput!) {
  updateCustomer(id: $id, input: $input) { id name type description relationshipManager { id } }
}"""
DELETE_CUSTOMER = "mutation($id: ID!) { deleteCustomer(id: $id) { id } }"
SUBSCRIBE = """
mutation($customer: ID!, $service: ID!, $since: String, $share: Float, $units: Float, $special: String) {
  subscribe(input: {customer: $customer, service: $service, since: $since, share: $share, units: $units,
                    specialBusinessCase: $special}) {
    customer { id } service { id } since share units specialBusinessCase
  }
}"""
UNSUBSCRIBE = """
mutation($customer: ID!, $service: ID!) {
  unsubscribe(customer: $customer, service: $service) { id subscriptions { service { id } } }
}"""


def new_service(id_: str, **fields: Any) -> dict[str, Any]:
    """A CreateServiceInput: a supporting service by default."""
    return {"id": id_, "name": id_.replace("-", " ").title(), "kind": "SUPPORTING", "owner": "platform",
            "criticality": 3, **fields}


def run(store: GraphStore, text: str, **params: Any) -> list[dict[str, Any]]:
    """Ad-hoc read for assertions (tests only; the application uses the named query library)."""
    header = "// name: test/adhoc\n// returns: many\n" + "".join(f"// param {p}: any\n" for p in params)
    return store.read(parse_query(header + text, name="test/adhoc"), params)


def snapshot(store: GraphStore) -> tuple[dict[str, Any], int]:
    """The whole portfolio as a document, and how many audit entries there are."""
    audit = run(store, "MATCH (a:AuditEntry) RETURN count(a) AS n")[0]["n"]
    return export_document(store), audit


def refused(client: GraphQLClient, store: GraphStore, query: str, code: str, rule: str | None = None,
            **variables: Any) -> dict[str, Any]:
    """Run a mutation that must fail with ``code`` (and ``extensions.rule``), leaving the graph and the audit
    trail unchanged; return the error."""
    before = snapshot(store)
    body = client.execute(query, **variables)
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    error = errors[0]
    assert error["extensions"]["code"] == code, error
    if rule is not None:
        assert error["extensions"].get("rule") == rule, error
        assert error["message"].startswith(f"{rule}: "), error
    assert snapshot(store) == before, "a refused mutation changed the graph"
    return error


def service_entry(doc: dict[str, Any], service_id: str) -> dict[str, Any]:
    return next(s for s in doc["services"] if s["id"] == service_id)


def add_cost_item(store: GraphStore, service_id: str, item_id: str = "licence-2026-01") -> None:
    """Allocate a cost item to a service (there is no cost mutation yet: through a partial import)."""
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data

    import_document(store, document_from_data({
        "currency": "EUR",
        "costs": [{"id": item_id, "name": "Licence", "category": "SOFTWARE", "nature": "OPEX",
                   "period": "2026-01", "amount": 1000.0, "allocations": [{"service": service_id, "share": 1.0}]}],
    }))
