"""What every root field of the API needs: one line a field, the only place roles are attached to fields.

A field missing here is refused for everyone but ``admin`` (and ``tests/access/test_every_field.py`` fails), so a
new query or mutation is declared by adding one line: ``"Mutation.closeMonth": needs(Role.FINANCE),``.
``customer_arg`` lets a ``customer`` principal call the field for its own customer only (the argument must be
its customer id; ``filter.customer`` names a field of an input argument). The schema's field descriptions end with what each field needs (see :func:`describe`).
Nested fields inherit their root field's decision; for ``customer`` principals :data:`CUSTOMER_VISIBLE` also
narrows what they may select on shared types (no dependencies, costs or history of services).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_itsm.access.roles import READERS, Role

__all__ = ["Rule", "needs", "POLICY", "CUSTOMER_VISIBLE", "rule_for", "describe", "allowed_fields"]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    customer_arg: str | None = None  # a customer principal may call it with this argument = its customer
    anyone: bool = False  # every request may call it, anonymous and role-less ones too

    def text(self) -> str:
        if self.anyone:
            return "Roles: admin and anyone else, anonymous requests too."
        names = sorted({r.value for r in self.roles} | {Role.ADMIN.value})
        if self.customer_arg:
            names.append(f"customer (own `{self.customer_arg}` only)")
        return "Roles: " + ", ".join(names) + "."


def needs(*roles: Role | frozenset[Role], customer_arg: str | None = None) -> Rule:
    flat: set[Role] = set()
    for r in roles:
        flat |= set(r) if isinstance(r, frozenset) else {r}
    return Rule(frozenset(flat), customer_arg)


READ = needs(READERS)
ANALYTICS = needs(Role.ARCHITECT)
PORTFOLIO = needs(Role.PORTFOLIO)
FINANCE = needs(Role.FINANCE)
RELATIONSHIP = needs(Role.RELATIONSHIP)

POLICY: dict[str, Rule] = {
    "Query.me": Rule(frozenset(), anyone=True),  # who the server takes this request for
    # reads
    "Query.service": READ,
    "Query.services": READ,
    "Query.complaints": READ,
    "Query.auditLog": READ,
    "Query.outcome": READ,
    "Query.outcomes": READ,
    "Query.outcomesCount": READ,
    "Query.customer": needs(READERS, customer_arg="id"),
    "Query.customers": READ,
    "Query.customersCount": READ,
    "Query.portfolioCounts": READ,
    "Query.portfolioCost": READ,
    "Query.catalogue": READ,
    "Query.valueSheet": READ,
    "Query.retirementCandidates": READ,
    "Query.retirementCandidatesCount": READ,
    "Query.impact": READ,
    "Query.dependencies": READ,
    "Query.dependenciesCount": READ,
    "Query.costReport": READ,
    "Query.chargeStatement": needs(READERS, customer_arg="customerId"),
    "Query.budgetReport": READ,
    "Query.periods": READ,
    "Query.statements": needs(READERS, customer_arg="filter.customer"),
    "Query.surveys": needs(READERS, customer_arg="filter.customer"),
    "Query.revenue": READ,
    "Query.pipelineByNpv": READ,
    "Query.pipelineByNpvCount": READ,
    "Query.strategicObjectives": READ,
    "Query.strategicObjective": READ,
    "Query.strategy": READ,
    "Query.forecast": READ,
    "Query.demandWhatIf": READ,
    "Query.demandReport": READ,
    "Query.customerView": needs(READERS, customer_arg="id"),
    "Query.analytics": ANALYTICS,
    "Query.runAnalytics": ANALYTICS,
    "Query.cypher": ANALYTICS,
    # portfolio writes
    "Mutation.createService": PORTFOLIO,
    "Mutation.importBackstage": PORTFOLIO,  # a catalog becomes services and dependencies
    "Mutation.updateService": PORTFOLIO,
    "Mutation.deleteService": PORTFOLIO,
    "Mutation.moveServiceStage": PORTFOLIO,
    "Mutation.addDependency": PORTFOLIO,
    "Mutation.removeDependency": PORTFOLIO,
    "Mutation.linkOutcome": PORTFOLIO,
    "Mutation.unlinkOutcome": PORTFOLIO,
    "Mutation.createOutcome": PORTFOLIO,
    "Mutation.createStrategicObjective": PORTFOLIO,  # strategy writes (graph_itsm/strategy)
    "Mutation.updateStrategicObjective": PORTFOLIO,
    "Mutation.deleteStrategicObjective": PORTFOLIO,
    "Mutation.serveObjective": PORTFOLIO,
    "Mutation.unserveObjective": PORTFOLIO,
    "Mutation.supportObjective": PORTFOLIO,
    "Mutation.unsupportObjective": PORTFOLIO,
    "Mutation.updateOutcome": PORTFOLIO,
    "Mutation.deleteOutcome": PORTFOLIO,
    "Mutation.createCustomer": PORTFOLIO,
    "Mutation.updateCustomer": PORTFOLIO,
    "Mutation.deleteCustomer": PORTFOLIO,
    "Mutation.subscribe": PORTFOLIO,
    "Mutation.unsubscribe": PORTFOLIO,
    # finance writes
    "Mutation.recordCostItem": FINANCE,
    "Mutation.updateCostItem": FINANCE,
    "Mutation.deleteCostItem": FINANCE,
    "Mutation.setPricing": FINANCE,
    "Mutation.setBudget": FINANCE,
    "Mutation.deleteBudget": FINANCE,
    "Mutation.setBusinessCase": FINANCE,
    "Mutation.deleteBusinessCase": FINANCE,
    "Mutation.importFocus": FINANCE,  # billing rows become cost items
    "Mutation.issueChargeStatement": FINANCE,
    "Mutation.closePeriod": FINANCE,
    "Mutation.reopenPeriod": needs(),  # admin only (spec: Closing a month)
    "Mutation.markStatementPaid": FINANCE,
    "Mutation.settleDispute": FINANCE,
    # the customer disputes its own statement, or its relationship manager does
    "Mutation.disputeStatement": needs(Role.RELATIONSHIP, customer_arg="customerId"),
    # relationship writes
    "Mutation.raiseComplaint": RELATIONSHIP,
    "Mutation.moveComplaint": RELATIONSHIP,
    "Mutation.recordSurvey": RELATIONSHIP,
    "Mutation.deleteSurvey": RELATIONSHIP,
    "Mutation.assignRelationshipManager": RELATIONSHIP,
}

# Undeclared fields: admin only (deny by default).
_UNDECLARED = Rule(frozenset())

# For customer principals: the only fields they may select on these types (types not listed are open, since
# they are reached only through the customer's own view, statements and subscriptions).
CUSTOMER_VISIBLE: dict[str, frozenset[str]] = {
    "Service": frozenset({"id", "name", "description", "kind", "stage", "pricing", "__typename"}),
    "BusinessOutcome": frozenset({"id", "name", "description", "__typename"}),
    "Customer": frozenset({"id", "name", "description", "type", "relationshipManager", "subscriptions",
                           "satisfaction", "__typename"}),
}


def allowed_fields(principal: Any) -> list[str]:
    """The root fields ``principal`` may call (a customer-bound one: for its own customer), as ``Type.field``."""
    found = []
    for name, rule in POLICY.items():
        may = rule.anyone or principal.has_any(rule.roles) or bool(
            rule.customer_arg and Role.CUSTOMER in principal.roles and principal.customer)
        if may and not (principal.anonymous and name.startswith("Mutation.")):
            found.append(name)
    return sorted(found)


def rule_for(type_name: str, field_name: str) -> Rule:
    return POLICY.get(f"{type_name}.{field_name}", _UNDECLARED)


def describe(*root_types: Any) -> None:
    """Append each root field's roles to its description (so ``schema.graphql`` says it). Idempotent."""
    for root in root_types:
        definition = root.__strawberry_definition__
        for f in definition.fields:
            text = rule_for(definition.name, f.graphql_name or _camel(f.python_name)).text()
            if f.description and text in f.description:
                continue
            f.description = f"{f.description} {text}" if f.description else text


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)
