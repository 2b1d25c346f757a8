"""Export the graph as a portfolio document (spec/portfolio-format.md), the inverse of the importer."""

from __future__ import annotations

from collections import defaultdict
from itertools import islice
from typing import Any

from graph_itsm.progress import OnProgress, counted
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.projection import redundancy_rules

__all__ = ["export_document", "service_entry", "objective_entry"]


def _clean(d: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Keys in format order, absent (null) ones left out."""
    return {k: d[k] for k in keys if d.get(k) is not None}


def service_entry(p: dict[str, Any]) -> dict[str, Any]:
    """A service's document entry (without ``enables``/``dependsOn``) from its node properties."""
    entry = _clean(p, ("id", "name", "description", "kind", "stage", "owner", "provider", "supplier",
                       "criticality", "riskAssessed", "capacity"))
    if p.get("pricingModel"):
        entry["pricing"] = _clean(
            {"model": p["pricingModel"], "markup": p.get("pricingMarkup"), "price": p.get("pricingPrice")},
            ("model", "markup", "price"),
        )
    if p.get("redundancy"):
        entry["redundancy"] = redundancy_rules(p["redundancy"])
    if p.get("investmentCategory"):
        entry["investmentCategory"] = p["investmentCategory"]
    return entry


def objective_entry(p: dict[str, Any], supported_by: list[str]) -> dict[str, Any]:
    """A strategic objective's document entry from its node properties and supporting outcomes."""
    entry = _clean(p, ("id", "name", "description", "owner", "horizon"))
    targets = {c: p[k] for c, k in (("RUN", "targetRun"), ("GROW", "targetGrow"), ("TRANSFORM", "targetTransform"))
               if p.get(k) is not None}
    if targets:
        entry["targetShare"] = targets
    entry["supportedBy"] = supported_by
    return entry


def export_document(store: GraphStore, *, on_progress: OnProgress | None = None) -> dict[str, Any]:
    """The whole portfolio as a document dict (JSON-ready), in the key order of the format. ``on_progress``
    hears stage "reading" (the database's answers) and then "exporting", counting services, customers and cost
    items as they become entries."""
    q = library()
    if on_progress:
        on_progress("reading", 0, 0)

    def read(name: str) -> list[dict[str, Any]]:
        return store.read(q[f"portfolio/export/{name}"])

    meta = store.read(q["store/get_meta"])
    deps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in read("dependencies"):
        deps[r["consumer"]].append(
            {"service": r["provider"], **_clean(r, ("share", "redundancyGroup", "demandFactor"))}
        )
    enables: dict[str, list[str]] = defaultdict(list)
    for r in read("enables"):
        enables[r["service"]].append(r["outcome"])
    subs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in read("subscriptions"):
        subs[r["customer"]].append(
            {"service": r["service"], **_clean(r["props"], ("since", "share", "units", "specialBusinessCase"))}
        )
    pursues: dict[str, list[str]] = defaultdict(list)
    for r in read("pursues"):
        pursues[r["customer"]].append(r["outcome"])
    allocations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in read("allocations"):
        allocations[r["item"]].append({"service": r["service"], "share": r["share"]})

    serves: dict[str, list[str]] = defaultdict(list)
    for r in read("serves"):
        serves[r["service"]].append(r["objective"])
    supports: dict[str, list[str]] = defaultdict(list)
    for r in read("supports"):
        supports[r["objective"]].append(r["outcome"])

    service_rows, customer_rows, cost_rows = read("services"), read("customers"), read("cost_items")
    rows = counted([*service_rows, *customer_rows, *cost_rows], "exporting", on_progress,
                   len(service_rows) + len(customer_rows) + len(cost_rows))
    services = []
    for r in islice(rows, len(service_rows)):
        p = r["props"]
        entry = service_entry(p)
        entry["enables"] = enables.get(p["id"], [])
        entry["dependsOn"] = deps.get(p["id"], [])
        if serves.get(p["id"]):
            entry["serves"] = serves[p["id"]]
        services.append(entry)

    customers = []
    for r in islice(rows, len(customer_rows)):
        p = r["props"]
        entry = _clean(p, ("id", "name", "description", "type"))
        if r.get("manager"):
            entry["relationshipManager"] = _clean(r["manager"], ("id", "name", "email"))
        entry["pursues"] = pursues.get(p["id"], [])
        entry["subscriptions"] = subs.get(p["id"], [])
        customers.append(entry)

    costs = []
    for r in rows:
        entry = _clean(r["props"], ("id", "name", "description", "category", "nature", "period", "amount"))
        entry["allocations"] = allocations.get(entry["id"], [])
        costs.append(entry)

    return {
        "currency": (meta[0]["currency"] if meta and meta[0].get("currency") else "EUR"),
        "outcomes": [_clean(r["props"], ("id", "name", "description")) for r in read("outcomes")],
        "services": services,
        "customers": customers,
        "costs": costs,
        "budgets": [{"service": r["service"], **_clean(r["props"], ("period", "amount"))} for r in read("budgets")],
        "businessCases": [
            {**_clean(r["props"], ("id", "name", "description")), "service": r["service"],
             **_clean(r["props"], ("investment", "annualBenefit", "annualRunningCost", "years", "discountRate",
                                   "objectives", "nonFinancialImpacts", "investmentCategory"))}
            for r in read("business_cases")
        ],
        "surveys": [{"customer": r["customer"], **_clean(r["props"], ("period", "score", "comment"))} for r in read("surveys")],
        "complaints": [
            {**_clean(r["props"], ("id", "name")), "customer": r["customer"],
             **({"service": r["service"]} if r.get("service") else {}),
             **_clean(r["props"], ("severity", "opened", "status", "escalationLevel", "summary"))}
            for r in read("complaints")
        ],
        **({"objectives": objectives} if (objectives := [
            objective_entry(r["props"], supports.get(r["props"]["id"], [])) for r in read("objectives")
        ]) else {}),
    }
