"""Finance writes: cost items with their allocations, budgets, business cases and pricing.

Each write is checked at the edge (the portfolio document's models: slugs, ``YYYY-MM`` periods, non-negative
amounts, known categories), then against the graph (the portfolio's single currency, the services named, the
shares of one cost item summing to at most 1), and sent as one audited atomic write with the version bump
(``portfolio.writes.commit``). A refused write changes nothing. None of these writes changes the dependency
structure, so none can make cost allocation singular (see ``guard`` for the writes that can).
"""

from __future__ import annotations

from typing import Any

from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.finance.linear import LEAK_TOLERANCE
from graph_itsm.finance.periods import refuse_closed
from graph_itsm.portfolio import document as model
from graph_itsm.portfolio import rules
from graph_itsm.portfolio import service as portfolio_service
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.edits import check_id, validate_model
from graph_itsm.portfolio.facts import read_services
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore, library
from graph_itsm.finance.business_case import evaluate as evaluate_case

__all__ = [
    "record_cost_item", "update_cost_item", "delete_cost_item", "set_budget", "delete_budget",
    "set_business_case", "set_pricing", "COST_ITEM_SHARES", "CURRENCY",
]

COST_ITEM_SHARES = "cost-item-shares"
CURRENCY = "currency"
_ITEM_KEYS = ("name", "description", "category", "nature", "period", "amount")
_CASE_KEYS = ("name", "description", "investment", "annualBenefit", "annualRunningCost", "years", "discountRate",
              "objectives", "nonFinancialImpacts", "investmentCategory")


# -- cost items ----------------------------------------------------------------------------------------------


def _item_facts(store: GraphStore, item_id: str, services: list[str]) -> dict[str, Any]:
    rows = store.read(library()["finance/rules/cost_item_facts"], {"id": item_id, "services": services})
    facts = rows[0]
    facts["allocations"] = [a for a in facts.get("allocations") or [] if a.get("service") is not None]
    return facts


def _check_currency(currency: str | None, facts: dict[str, Any]) -> None:
    kept = facts.get("currency")
    if currency is not None and kept is not None and currency != kept:
        raise RuleViolation(
            f"{CURRENCY}: the portfolio is kept in {kept}; a cost in {currency} cannot be recorded (one currency "
            "per portfolio: convert it first)",
            rule=CURRENCY, field="currency",
        )


def _checked_item(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The node properties (every key present) and allocations of a cost item given in document keys."""
    entry = {k: v for k, v in data.items() if v is not None and k != "currency"}
    for key in ("amount",):
        if isinstance(entry.get(key), int):
            entry[key] = float(entry[key])
    entry["allocations"] = [
        {**a, "share": float(a["share"]) if isinstance(a.get("share"), int) else a.get("share")}
        for a in entry.get("allocations") or []
    ]
    item = validate_model(model.CostItem, entry).model_dump(mode="json", by_alias=True)
    allocations = item.pop("allocations")
    seen: set[str] = set()
    for j, a in enumerate(allocations):
        if a["service"] in seen:
            raise BadInput(f"allocations[{j}].service: {a['service']!r} is allocated twice; give one share a service",
                           field=f"allocations[{j}].service")
        seen.add(a["service"])
    total = sum(a["share"] for a in allocations)
    if total > 1.0 + LEAK_TOLERANCE:
        parts = ", ".join(f"{a['service']} {a['share']:g}" for a in allocations)
        raise RuleViolation(
            f"{COST_ITEM_SHARES}: the shares of cost item {item['id']!r} sum to {total:g}, more than 1 ({parts}); "
            "what is not allocated stays unallocated, nothing can be allocated twice",
            rule=COST_ITEM_SHARES, field="allocations",
        )
    return {k: item.get(k) for k in _ITEM_KEYS}, allocations


def _put_item(store: GraphStore, item_id: str, data: dict[str, Any], *, create: bool, actor: str) -> dict[str, Any]:
    check_id(item_id, "id")
    currency = data.get("currency")

    def plan() -> Change:
        wanted = [a.get("service") for a in data.get("allocations") or [] if isinstance(a.get("service"), str)]
        facts = _item_facts(store, item_id, wanted)
        current = facts.get("item")
        if create:
            rules.check_new_id(current, "cost item", item_id)
            merged = data
        elif current is None:
            raise NotFound(f"id: there is no cost item {item_id!r}", field="id")
        else:
            merged = {**{k: current.get(k) for k in _ITEM_KEYS}, "allocations": facts["allocations"], **data}
        _check_currency(currency, facts)
        props, allocations = _checked_item({**merged, "id": item_id})
        refuse_closed(store, [props["period"], (current or {}).get("period")], "the cost items")
        known = set(facts.get("known") or []) | {a["service"] for a in facts["allocations"]}
        for j, a in enumerate(allocations):
            if a["service"] not in known:
                raise NotFound(f"allocations[{j}].service: there is no service {a['service']!r}",
                               field=f"allocations[{j}].service")
        before = None if current is None else {**compact(current), "allocations": facts["allocations"]}
        after = {"id": item_id, **compact(props), "allocations": allocations}
        services = [a["service"] for a in facts["allocations"]] + [a["service"] for a in allocations]
        return Change("recordCostItem" if create else "updateCostItem", f"costItem:{item_id}", before, after, services,
                      [("finance/write/put_cost_item", {"id": item_id, "props": props, "allocations": allocations})],
                      facts["version"], after, topology=False)

    return commit(store, actor, plan)


def record_cost_item(store: GraphStore, data: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """A new cost item (document keys: id, name, description, category, nature, period, amount, allocations
    [{service, share}], and an optional ``currency`` that must be the portfolio's). Returns it as written."""
    return _put_item(store, str(data.get("id")), data, create=True, actor=actor)


def update_cost_item(store: GraphStore, item_id: str, patch: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """Change fields of a cost item; ``allocations``, when given, replace the item's allocations as a whole."""
    return _put_item(store, item_id, patch, create=False, actor=actor)


def delete_cost_item(store: GraphStore, item_id: str, *, actor: str) -> str:
    check_id(item_id, "id")

    def plan() -> Change:
        facts = _item_facts(store, item_id, [])
        if facts.get("item") is None:
            raise NotFound(f"id: there is no cost item {item_id!r}", field="id")
        refuse_closed(store, [facts["item"].get("period")], "the cost items")
        before = {**compact(facts["item"]), "allocations": facts["allocations"]}
        return Change("deleteCostItem", f"costItem:{item_id}", before, None,
                      [a["service"] for a in facts["allocations"]],
                      [("finance/write/delete_cost_item", {"id": item_id})], facts["version"], item_id,
                      topology=False)

    return commit(store, actor, plan)


# -- budgets, business cases, pricing ----------------------------------------------------------------------


def set_budget(store: GraphStore, service_id: str, period: str, amount: float, *, actor: str) -> dict[str, Any]:
    """Set the service's budget for the month (replacing one set before). Returns {service, period, amount}."""
    check_id(service_id, "serviceId")
    budget = validate_model(model.Budget, {"service": service_id, "period": period,
                                           "amount": float(amount) if isinstance(amount, int) else amount})
    bid = f"{service_id}:{budget.period}"

    def plan() -> Change:
        facts = read_services(store, [service_id])
        facts.require(service_id, "service", "serviceId")
        refuse_closed(store, [budget.period], "the budgets")
        after = {"service": service_id, "period": budget.period, "amount": budget.amount}
        return Change("setBudget", f"budget:{bid}", None, after, [service_id],
                      [("finance/write/set_budget", {"id": bid, "service": service_id, "period": budget.period,
                                                     "amount": budget.amount})], facts.version, after,
                      topology=False)

    return commit(store, actor, plan)


def delete_budget(store: GraphStore, service_id: str, period: str, *, actor: str) -> str:
    check_id(service_id, "serviceId")
    bid = f"{service_id}:{validate_model(model.Budget, {'service': service_id, 'period': period, 'amount': 0.0}).period}"

    def plan() -> Change:
        facts = read_services(store, [service_id])
        service = facts.require(service_id, "service", "serviceId")
        if bid not in service.budgets:
            raise NotFound(f"period: service {service_id!r} has no budget for {period}", field="period")
        refuse_closed(store, [period], "the budgets")
        return Change("deleteBudget", f"budget:{bid}", {"service": service_id, "period": period}, None, [service_id],
                      [("finance/write/delete_budget", {"id": bid})], facts.version, bid, topology=False)

    return commit(store, actor, plan)


def set_business_case(store: GraphStore, service_id: str, data: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """Set the service's business case (document keys of a business case, without id and service); the
    service's existing case is updated in place, else one is made with the id ``case-<service>``."""
    check_id(service_id, "serviceId")
    entry = {k: (float(v) if isinstance(v, int) and k not in ("years",) else v)
             for k, v in data.items() if v is not None}

    def plan() -> Change:
        facts = read_services(store, [service_id])
        service = facts.require(service_id, "service", "serviceId")
        case_id = service.business_cases[0] if service.business_cases else f"case-{service_id}"
        case = validate_model(model.BusinessCase, {**entry, "id": case_id, "service": service_id})
        evaluate_case(case)  # its figures must be computable before it is written (BAD_INPUT naming the field)
        dumped = case.model_dump(mode="json", by_alias=True)
        props = {k: dumped.get(k) for k in _CASE_KEYS}
        after = {"id": case_id, "service": service_id, **compact(props)}
        return Change("setBusinessCase", f"businessCase:{case_id}", None, after, [service_id],
                      [("finance/write/put_business_case", {"id": case_id, "service": service_id, "props": props})],
                      facts.version, after, topology=False)

    return commit(store, actor, plan)


def delete_business_case(store: GraphStore, service_id: str, *, actor: str) -> str:
    """Withdraw the service's business case (NOT_FOUND when it has none). Returns the service's id."""
    check_id(service_id, "serviceId")

    def plan() -> Change:
        facts = read_services(store, [service_id])
        service = facts.require(service_id, "service", "serviceId")
        if not service.business_cases:
            raise NotFound(f"serviceId: service {service_id!r} has no business case", field="serviceId")
        before = {"service": service_id, "businessCases": service.business_cases}
        return Change("deleteBusinessCase", f"businessCase:{service.business_cases[0]}", before, None, [service_id],
                      [("finance/write/delete_business_cases", {"service": service_id})], facts.version, service_id,
                      topology=False)

    return commit(store, actor, plan)


def set_pricing(store: GraphStore, service_id: str, pricing: dict[str, Any] | None, *, actor: str) -> dict[str, Any]:
    """Set (or with ``None`` clear, which means COST_RECOVERY) how the service's cost becomes a charge: an
    update of the service through the portfolio's checks. Returns the service's properties."""
    return portfolio_service.update_service(store, service_id, {"pricing": pricing}, actor=actor)
