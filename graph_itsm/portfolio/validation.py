"""Cross-reference and portfolio rules of a parsed document (``spec/domain.md``), all problems at once.

What is checked:
- ids are unique per list; natural keys are unique too (a dependency, subscription or allocation per service,
  an outcome once in ``enables``/``pursues``, a budget per service and month, a survey per customer and month);
- every reference names an id of the document or of ``existing`` (what the graph already holds);
- no service depends on itself;
- the shares of one cost item, of the ``dependsOn`` edges pointing to one provider, and of the subscriptions of
  one service each sum to at most 1;
- customers subscribe only to CUSTOMER_FACING services in CATALOGUE, or RETIRED with ``specialBusinessCase``;
- a relationship manager named by several customers is the same person (same name and email) each time;
- a service's ``redundancy`` names each group once, only groups of its own ``dependsOn`` (``redundancyGroup``),
  and a ``minUp`` no larger than the group's members.

For services only the graph describes, the kind/stage and share rules use what ``existing`` says of them (the
importer loads their kind and stage, and the shares on the graph's edges). Since the document replaces the
dependencies of the services it lists and the subscriptions of the customers it lists, only the graph's edges of
other consumers and customers are added to the document's shares.

Not checked on import: due diligence (rule 1 of portfolio management). It guards the ``PIPELINE -> CATALOGUE``
move, and a document shows where services are, not how they got there: the Northwind example itself has
catalogue services (``email``) without a business case or an allocated cost item.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import AbstractSet, Hashable, Iterable, Iterator, Mapping

from graph_itsm.portfolio.document import PortfolioDocument, ServiceKind, ServiceStage
from graph_itsm.portfolio.problems import Loc, format_path, invalid_document, problem

__all__ = ["ExistingIds", "validate_document"]

_EPS = 1e-9  # shares are floats: 0.4 + 0.3 + 0.3 must not exceed 1


@dataclass(frozen=True)
class ExistingIds:
    """What the graph already holds that a document may refer to without describing it: ids per label and,
    optionally, each service's (kind, stage), the shares on the DEPENDS_ON edges into each provider
    ({consumer: share}) and the subscriptions of each service ({customer: share or None})."""

    services: AbstractSet[str] = frozenset()
    outcomes: AbstractSet[str] = frozenset()
    customers: AbstractSet[str] = frozenset()
    objectives: AbstractSet[str] = frozenset()
    service_stages: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    dependency_shares: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    subscriptions: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)


def validate_document(doc: PortfolioDocument, *, existing: ExistingIds | None = None) -> None:
    """Raise one ``BadInput`` listing every broken reference and rule of ``doc``; return ``None`` if there is none."""
    existing = existing or ExistingIds()
    details = [
        *_duplicates_of(doc),
        *_dangling_references(doc, existing),
        *_dependency_rules(doc, existing),
        *_subscription_rules(doc, existing),
        *_cost_rules(doc),
        *_relationship_managers(doc),
        *_redundancy_rules(doc),
    ]
    if details:
        raise invalid_document(details)


def _duplicates(entries: Iterable[tuple[Loc, Hashable]], what: str) -> Iterator[str]:
    first: dict[Hashable, Loc] = {}
    for loc, key in entries:
        if key in first:
            yield problem(loc, f"duplicate {what} (first at {format_path(first[key])})")
        else:
            first[key] = loc


def _duplicates_of(doc: PortfolioDocument) -> Iterator[str]:
    for name, items in [
        ("outcomes", doc.outcomes), ("services", doc.services), ("customers", doc.customers),
        ("costs", doc.costs), ("businessCases", doc.business_cases), ("complaints", doc.complaints),
        ("objectives", doc.objectives),
    ]:
        yield from _duplicates((((name, i, "id"), item.id) for i, item in enumerate(items)), "id")
    budgets = ((("budgets", i), (b.service, b.period)) for i, b in enumerate(doc.budgets))
    yield from _duplicates(budgets, "budget for this service and period")
    surveys = ((("surveys", i), (s.customer, s.period)) for i, s in enumerate(doc.surveys))
    yield from _duplicates(surveys, "survey for this customer and period")
    for i, s in enumerate(doc.services):
        yield from _duplicates(((("services", i, "enables", j), o) for j, o in enumerate(s.enables)), "outcome")
        yield from _duplicates(
            ((("services", i, "dependsOn", j, "service"), d.service) for j, d in enumerate(s.depends_on)), "dependency"
        )
        yield from _duplicates(((("services", i, "serves", j), o) for j, o in enumerate(s.serves)), "objective")
        yield from _duplicates(
            ((("services", i, "redundancy", j, "group"), r.group) for j, r in enumerate(s.redundancy)),
            "redundancy group",
        )
    for i, obj in enumerate(doc.objectives):
        yield from _duplicates(((("objectives", i, "supportedBy", j), o) for j, o in enumerate(obj.supported_by)),
                               "outcome")
    for i, c in enumerate(doc.customers):
        yield from _duplicates(((("customers", i, "pursues", j), o) for j, o in enumerate(c.pursues)), "outcome")
        yield from _duplicates(
            ((("customers", i, "subscriptions", j, "service"), s.service) for j, s in enumerate(c.subscriptions)),
            "subscription",
        )
    for i, k in enumerate(doc.costs):
        yield from _duplicates(
            ((("costs", i, "allocations", j, "service"), a.service) for j, a in enumerate(k.allocations)), "allocation"
        )


def _references(doc: PortfolioDocument) -> Iterator[tuple[str, Loc, str]]:
    """Every reference of the document as (label, place, id)."""
    for i, s in enumerate(doc.services):
        for j, d in enumerate(s.depends_on):
            yield "service", ("services", i, "dependsOn", j, "service"), d.service
        for j, o in enumerate(s.enables):
            yield "outcome", ("services", i, "enables", j), o
        for j, o in enumerate(s.serves):
            yield "objective", ("services", i, "serves", j), o
    for i, obj in enumerate(doc.objectives):
        for j, o in enumerate(obj.supported_by):
            yield "outcome", ("objectives", i, "supportedBy", j), o
    for i, c in enumerate(doc.customers):
        for j, o in enumerate(c.pursues):
            yield "outcome", ("customers", i, "pursues", j), o
        for j, sub in enumerate(c.subscriptions):
            yield "service", ("customers", i, "subscriptions", j, "service"), sub.service
    for i, k in enumerate(doc.costs):
        for j, a in enumerate(k.allocations):
            yield "service", ("costs", i, "allocations", j, "service"), a.service
    for i, b in enumerate(doc.budgets):
        yield "service", ("budgets", i, "service"), b.service
    for i, bc in enumerate(doc.business_cases):
        yield "service", ("businessCases", i, "service"), bc.service
    for i, sv in enumerate(doc.surveys):
        yield "customer", ("surveys", i, "customer"), sv.customer
    for i, cp in enumerate(doc.complaints):
        yield "customer", ("complaints", i, "customer"), cp.customer
        if cp.service is not None:
            yield "service", ("complaints", i, "service"), cp.service


def _dangling_references(doc: PortfolioDocument, existing: ExistingIds) -> Iterator[str]:
    known = {
        "service": ({s.id for s in doc.services}, existing.services),
        "outcome": ({o.id for o in doc.outcomes}, existing.outcomes),
        "customer": ({c.id for c in doc.customers}, existing.customers),
        "objective": ({o.id for o in doc.objectives}, existing.objectives),
    }
    for label, loc, ref in _references(doc):
        ours, theirs = known[label]
        if ref not in ours and ref not in theirs:
            yield problem(loc, f"unknown {label} {ref!r}: neither in the document nor in the graph")


def _over_one(
    shares: dict[str, list[tuple[Loc, float]]], what: str, graph: Mapping[str, dict[str, float]] | None = None
) -> Iterator[str]:
    """Shares grouped by target; a group summing above 1 is reported at its last share. ``graph`` adds, per
    target, the shares the graph keeps beside the document's (by the consumer or customer holding them)."""
    graph = graph or {}
    for target, entries in shares.items():
        kept = graph.get(target, {})
        total = sum(share for _, share in entries) + sum(kept.values())
        if total > 1 + _EPS:
            others = [format_path(loc) for loc, _ in entries[:-1]] + [f"{k!r} in the graph" for k in sorted(kept)]
            yield problem(
                entries[-1][0], f"shares of the {what} {target!r} sum to {total:g}, more than 1 (with {', '.join(others)})"
            )


def _dependency_rules(doc: PortfolioDocument, existing: ExistingIds) -> Iterator[str]:
    by_provider: dict[str, list[tuple[Loc, float]]] = defaultdict(list)
    for i, s in enumerate(doc.services):
        for j, d in enumerate(s.depends_on):
            if d.service == s.id:
                yield problem(("services", i, "dependsOn", j, "service"), "a service cannot depend on itself")
            if d.share is not None:
                by_provider[d.service].append((("services", i, "dependsOn", j, "share"), d.share))
    listed = {s.id for s in doc.services}  # their edges in the graph are replaced by the document's
    graph = {p: {c: share for c, share in existing.dependency_shares.get(p, {}).items() if c not in listed and share}
             for p in by_provider}
    yield from _over_one(by_provider, "dependencies on", graph)


def _subscription_rules(doc: PortfolioDocument, existing: ExistingIds) -> Iterator[str]:
    services = {s.id: (s.kind, s.stage) for s in doc.services}
    by_service: dict[str, list[tuple[Loc, float]]] = defaultdict(list)
    for i, c in enumerate(doc.customers):
        for j, sub in enumerate(c.subscriptions):
            loc = ("customers", i, "subscriptions", j, "service")
            if sub.share is not None:
                by_service[sub.service].append((("customers", i, "subscriptions", j, "share"), sub.share))
            known = services.get(sub.service) or existing.service_stages.get(sub.service)
            if known is None:
                continue
            yield from _subscription_problems(loc, sub.service, *known, sub.special_business_case is not None)
    listed = {c.id for c in doc.customers}  # their subscriptions in the graph are replaced by the document's
    graph = {s: {c: share for c, share in existing.subscriptions.get(s, {}).items() if c not in listed and share}
             for s in by_service}
    yield from _over_one(by_service, "subscriptions to", graph)
    for i, s in enumerate(doc.services):  # a service the document changes keeps the graph's other subscribers
        others = sorted(c for c in existing.subscriptions.get(s.id, {}) if c not in listed)
        if others and s.kind is not ServiceKind.CUSTOMER_FACING:
            yield problem(("services", i, "kind"), f"{s.id!r} has subscribers in the graph ({', '.join(others)}); "
                          "customers subscribe only to CUSTOMER_FACING services")
        if others and s.stage is ServiceStage.PIPELINE:
            yield problem(("services", i, "stage"), f"{s.id!r} has subscribers in the graph ({', '.join(others)}); "
                          "customers subscribe only to CATALOGUE services")


def _subscription_problems(loc: Loc, service: str, kind: str, stage: str, special: bool) -> Iterator[str]:
    name = repr(service)
    if kind != ServiceKind.CUSTOMER_FACING:
        yield problem(loc, f"{name} is a {kind} service; customers subscribe only to CUSTOMER_FACING services")
    if stage == ServiceStage.PIPELINE:
        yield problem(loc, f"{name} is in the PIPELINE; customers subscribe only to CATALOGUE services")
    elif stage == ServiceStage.RETIRED and not special:
        yield problem(loc, f"{name} is RETIRED; a subscription to it needs a specialBusinessCase")


def _cost_rules(doc: PortfolioDocument) -> Iterator[str]:
    for i, k in enumerate(doc.costs):
        total = sum(a.share for a in k.allocations)
        if total > 1 + _EPS:
            yield problem(("costs", i, "allocations"), f"shares sum to {total:g}, more than 1")


def _relationship_managers(doc: PortfolioDocument) -> Iterator[str]:
    first: dict[str, int] = {}
    for i, c in enumerate(doc.customers):
        rm = c.relationship_manager
        if rm is None:
            continue
        j = first.setdefault(rm.id, i)
        if doc.customers[j].relationship_manager != rm:
            yield problem(
                ("customers", i, "relationshipManager"),
                f"relationship manager {rm.id!r} differs from the one at customers[{j}].relationshipManager",
            )


def _redundancy_rules(doc: PortfolioDocument) -> Iterator[str]:
    for i, s in enumerate(doc.services):
        members: dict[str, int] = defaultdict(int)
        for d in s.depends_on:
            if d.redundancy_group:
                members[d.redundancy_group] += 1
        for j, r in enumerate(s.redundancy):
            size = members.get(r.group, 0)
            if not size:
                named = ", ".join(repr(g) for g in sorted(members)) or "none"
                yield problem(("services", i, "redundancy", j, "group"),
                              f"{r.group!r} is no redundancyGroup of this service's dependsOn (its groups: {named})")
            elif r.min_up is not None and r.min_up > size:
                yield problem(("services", i, "redundancy", j, "minUp"),
                              f"{r.min_up} is more than the {size} members of group {r.group!r}")
