"""Import a portfolio document into the graph: validate everything first, then write it in one atomic unit.

The document is authoritative for the entities it lists: a service's dependencies and outcomes, a
customer's subscriptions, pursued outcomes and manager, and a cost item's allocations are replaced by what
the document says; entities it does not list are left alone. Importing the same document twice leaves the
same graph (every upsert sets every property, absent ones to null).
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import accumulate
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

from graph_itsm.errors import RuleViolation, StoreError
from graph_itsm.portfolio.audit import ANONYMOUS, new_entry
from graph_itsm.portfolio.canonical import normalise
from graph_itsm.portfolio.document import PortfolioDocument
from graph_itsm.portfolio.import_rules import check_stage_changes
from graph_itsm.portfolio.validation import ExistingIds, validate_document
from graph_itsm.store.backup import is_empty
from graph_itsm.portfolio.writes import MAX_ATTEMPTS, audited
from graph_itsm.store import GraphStore, library
from graph_itsm.store.port import Step
from graph_itsm.heap import gc_paused

__all__ = ["import_document", "ImportSummary", "NotEmpty", "BATCH_SIZE", "service_props", "objective_props",
           "redundancy_text", "existing_ids", "document_rows"]

BATCH_SIZE = 5000

_SERVICE_KEYS = ("name", "description", "kind", "stage", "owner", "provider", "supplier", "criticality",
                 "capacity", "riskAssessed", "investmentCategory")
_TARGETS = (("RUN", "targetRun"), ("GROW", "targetGrow"), ("TRANSFORM", "targetTransform"))


@dataclass(frozen=True)
class ImportSummary:
    counts: dict[str, int]
    statements: int


def service_props(s: dict[str, Any]) -> dict[str, Any]:
    """A Service node's properties from a document entry (pricing flattened; every key present)."""
    props = {k: s.get(k) for k in _SERVICE_KEYS}
    pricing = s.get("pricing") or {}
    props["pricingModel"] = pricing.get("model")
    props["pricingMarkup"] = pricing.get("markup")
    props["pricingPrice"] = pricing.get("price")
    props["redundancy"] = redundancy_text(s.get("redundancy"))
    return props


def redundancy_text(rules: list[dict[str, Any]] | None) -> str | None:
    """A service's k-of-n rules as stored on its node: compact JSON, by group, one of minUp or minUpPercent
    each (graph properties hold no lists of maps); ``None`` for none."""
    rows = []
    for r in sorted(rules or [], key=lambda r: r["group"]):
        key = "minUp" if r.get("minUp") is not None else "minUpPercent"
        rows.append({"group": r["group"], key: r[key]})
    return json.dumps(rows, separators=(",", ":")) if rows else None


def objective_props(o: dict[str, Any]) -> dict[str, Any]:
    """A StrategicObjective node's properties from a document entry (target shares flattened; every key)."""
    props = {k: o.get(k) for k in ("name", "description", "owner", "horizon")}
    targets = o.get("targetShare") or {}
    for category, key in _TARGETS:
        props[key] = targets.get(category)
    return props


def _props(entry: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: entry.get(k) for k in keys}


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def existing_ids(store: GraphStore) -> ExistingIds:
    """What the graph holds that a document may refer to: ids, services' kind and stage, the shares on its
    dependencies and its subscriptions (four reads, none per row)."""
    q = library()
    found = {r["label"]: set(r["ids"]) for r in store.read(q["portfolio/import/existing_ids"])}
    dependency_shares: dict[str, dict[str, float]] = defaultdict(dict)
    for r in store.read(q["portfolio/import/existing_dependency_shares"]):
        dependency_shares[r["provider"]][r["consumer"]] = r["share"]
    subscriptions: dict[str, dict[str, float | None]] = defaultdict(dict)
    for r in store.read(q["portfolio/import/existing_subscriptions"]):
        subscriptions[r["service"]][r["customer"]] = r["share"]
    return ExistingIds(
        services=found.get("Service", set()),
        outcomes=found.get("BusinessOutcome", set()),
        customers=found.get("Customer", set()),
        objectives=found.get("StrategicObjective", set()),
        service_stages={r["id"]: (r["kind"], r["stage"]) for r in store.read(q["portfolio/import/existing_services"])},
        dependency_shares=dependency_shares,
        subscriptions=subscriptions,
    )


def plan_import(doc: dict[str, Any]) -> tuple[list[Step], dict[str, int]]:
    """The ordered statements that write ``doc`` (a canonical document dict), without the audit entry and the
    version bump that ``import_document`` wraps them in."""
    q = library()
    steps: list[Step] = []

    def add(name: str, rows: list[dict[str, Any]], key: str = "rows") -> None:
        for batch in _batches(rows):
            steps.append((q[f"portfolio/import/{name}"], {key: batch}))

    services = doc.get("services", [])
    customers = doc.get("customers", [])
    costs = doc.get("costs", [])
    steps.append((q["portfolio/import/set_currency"], {"currency": doc["currency"]}))
    add("upsert_outcomes", [{"id": o["id"], "props": _props(o, ("name", "description"))} for o in doc.get("outcomes", [])])
    add("upsert_services", [{"id": s["id"], "props": service_props(s)} for s in services])
    add("clear_service_links", [s["id"] for s in services], key="ids")
    add("create_dependencies", [
        {"consumer": s["id"], "provider": d["service"], "share": d.get("share"),
         "redundancyGroup": d.get("redundancyGroup"), "demandFactor": d.get("demandFactor")}
        for s in services for d in s.get("dependsOn", [])
    ])
    add("create_enables", [{"service": s["id"], "outcome": o} for s in services for o in s.get("enables", [])])
    objectives = doc.get("objectives", [])
    add("upsert_objectives", [{"id": o["id"], "props": objective_props(o)} for o in objectives])
    add("clear_objective_links", [o["id"] for o in objectives], key="ids")
    add("create_supports", [{"outcome": x, "objective": o["id"]} for o in objectives for x in o.get("supportedBy", [])])
    add("create_serves", [{"service": s["id"], "objective": o} for s in services for o in s.get("serves", [])])
    add("upsert_customers", [{"id": c["id"], "props": _props(c, ("name", "description", "type"))} for c in customers])
    add("clear_customer_links", [c["id"] for c in customers], key="ids")
    add("upsert_managers", [
        {"customer": c["id"], "id": c["relationshipManager"]["id"],
         "props": _props(c["relationshipManager"], ("name", "email"))}
        for c in customers if c.get("relationshipManager")
    ])
    add("create_subscriptions", [
        {"customer": c["id"], "service": x["service"],
         "props": _props(x, ("since", "share", "units", "specialBusinessCase"))}
        for c in customers for x in c.get("subscriptions", [])
    ])
    add("create_pursues", [{"customer": c["id"], "outcome": o} for c in customers for o in c.get("pursues", [])])
    add("upsert_cost_items", [
        {"id": k["id"], "props": _props(k, ("name", "description", "category", "nature", "period", "amount"))}
        for k in costs
    ])
    add("create_allocations", [
        {"item": k["id"], "service": a["service"], "share": a["share"]} for k in costs for a in k.get("allocations", [])
    ])
    add("upsert_budgets", [
        {"id": f"{b['service']}:{b['period']}", "service": b["service"], "props": _props(b, ("period", "amount"))}
        for b in doc.get("budgets", [])
    ])
    add("upsert_business_cases", [
        {"id": b["id"], "service": b["service"],
         "props": _props(b, ("name", "description", "investment", "annualBenefit", "annualRunningCost", "years", "discountRate",
                             "objectives", "nonFinancialImpacts", "investmentCategory"))}
        for b in doc.get("businessCases", [])
    ])
    add("upsert_surveys", [
        {"id": f"{v['customer']}:{v['period']}", "customer": v["customer"], "props": _props(v, ("period", "score", "comment"))}
        for v in doc.get("surveys", [])
    ])
    add("upsert_complaints", [
        {"id": x["id"], "customer": x["customer"], "service": x.get("service"),
         "props": _props(x, ("name", "severity", "opened", "status", "escalationLevel", "summary"))}
        for x in doc.get("complaints", [])
    ])
    counts = {k: len(doc.get(k, [])) for k in ("outcomes", "services", "customers", "costs", "budgets",
                                                "businessCases", "surveys", "complaints", "objectives")}
    counts["dependencies"] = sum(len(s.get("dependsOn", [])) for s in services)
    return steps, counts


def import_document(
    store: GraphStore,
    document: PortfolioDocument,
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
    actor: str = ANONYMOUS,
    extra_steps: Sequence[Step] = (),
    replace: bool = False,
    source: str | None = None,
    into_empty: bool = False,
) -> ImportSummary:
    """Validate ``document`` against itself and the graph, then write it atomically, with one audit entry
    (action ``import``, the counts as its ``after``) concerning every service the document lists.

    ``replace`` starts over: the document is checked on its own, and the same atomic write first empties the
    graph (audit trail included), then writes the document with one entry of action ``replace`` (``before``:
    how many nodes the graph held). ``source`` (a file name, ``demo``) is recorded in the entry's ``after``.
    ``extra_steps`` are written in the same transaction after the document (an importer's own bookkeeping,
    such as which services a Backstage catalog brought in). ``into_empty`` writes only into an empty database
    (the demo): checked when planning (:class:`NotEmpty`) and again inside the write (``store/guard_empty``), so
    nothing written in between is overwritten or mixed with the document.

    Raises :class:`BadInput` naming every invalid place, or :class:`RuleViolation` for a currency clash, a stage
    change of an existing service against the life cycle (``import_rules``) or a closed cost cycle the document
    would leave; in every case nothing is written. The checks and the write are one unit: the write happens only
    if the graph is still at the version the checks read (``portfolio/audit/begin``); otherwise the document is
    checked again against the new graph, a few times at most, then refused (``StoreError``).
    """
    counts: dict[str, int] = {}
    doc: dict[str, Any] = {}

    def plan() -> tuple[int, list[Step]]:
        nonlocal counts, doc
        version = int(store.scalar(library()["store/get_version"]) or 0)  # first: the reads below are of it
        if into_empty and not is_empty(store):
            raise NotEmpty("the database is not empty")
        existing = ExistingIds() if replace else existing_ids(store)
        validate_document(document, existing=existing)
        doc = doc or normalise(document)
        check_currency(store, doc, replace=replace)
        if not replace:
            check_stage_changes(store, doc, existing.service_stages)
        check_allocatable(store, doc, keep_graph=not replace)
        if not replace:
            check_closed_periods(store, doc)
        steps, counts = plan_import(doc)
        steps = [*steps, *extra_steps]
        if into_empty:
            steps = [(library()["store/guard_empty"], {}), *steps]
        after: dict[str, Any] = {"counts": counts, **({"source": source} if source else {})}
        before = {"nodes": store.scalar(library()["store/count_nodes"])} if replace else None
        entry = new_entry(actor=actor, action="replace" if replace else "import", target="portfolio",
                          before=before, after=after)
        # a replacement empties the graph in the same write, so it cannot be gated on the version it read
        written = audited(steps, entry, version=None if replace else version,
                          services=[s["id"] for s in doc.get("services", [])])
        if replace:
            q = library()
            written = [(q["store/clear_graph"], {}), (q["store/reset_meta"], {}), *written]
        return version, written

    rows = document_rows(document)
    for _ in range(MAX_ATTEMPTS):
        if on_progress:
            on_progress("checking", 0, rows)
        with gc_paused():  # millions of short-lived rows, none in a cycle: the collector only slowed their making
            version, steps = plan()
        if on_progress:
            on_progress("checking", rows, rows)
        written = store.write_all(steps, on_step=_writing(steps, on_progress))
        if written:  # audit/finish found the entry: the graph was still at the version checked
            break
    else:
        raise StoreError(
            f"import: the portfolio kept changing while the document was checked ({MAX_ATTEMPTS} attempts); "
            "nothing was written, try again"
        )
    if on_progress:
        on_progress("compacting", 0, 0)
    store.compact()
    if on_progress:
        on_progress("compacting", 1, 1)
    return ImportSummary(counts=counts, statements=len(steps))


class NotEmpty(RuleViolation):
    """An ``into_empty`` import found the database holding something: nothing was written."""


def document_rows(document: PortfolioDocument) -> int:
    """How many rows ``document`` holds (entries, dependencies, links, subscriptions, allocations): the unit of
    an import's progress."""
    d = document
    return (
        len(d.outcomes) + len(d.customers) + len(d.costs) + len(d.budgets) + len(d.business_cases)
        + len(d.surveys) + len(d.complaints)
        + sum(1 + len(s.depends_on) + len(s.enables) + len(s.serves) for s in d.services)
        + sum(1 + len(o.supported_by) for o in d.objectives)
        + sum(len(c.subscriptions) + len(c.pursues) for c in d.customers)
        + sum(len(k.allocations) for k in d.costs)
    )


def _writing(steps: Sequence[Step], on_progress: Callable[[str, int, int], None] | None) -> Callable[[int], None] | None:
    """The ``on_step`` of ``write_all`` that reports the rows written so far as stage "writing": a pulse
    (total 0) until the database says how far it is, then rows done of all rows."""
    if on_progress is None:
        return None
    done = list(accumulate(max(1, len(p.get("rows") or p.get("ids") or ())) for _, p in steps))
    on_progress("writing", 0, 0)
    return lambda k: on_progress("writing", done[k - 1], done[-1])


def check_currency(store: GraphStore, doc: dict[str, Any], *, replace: bool = False) -> None:
    """One currency per portfolio: a document in another one is refused."""
    meta = store.read(library()["store/get_meta"])
    current = meta[0]["currency"] if meta and not replace else None
    if current and current != doc["currency"]:
        raise RuleViolation(
            f"currency: the portfolio is kept in {current}; a document in {doc['currency']} cannot be imported "
            "into it (one currency per portfolio)",
            field="currency",
        )


def check_closed_periods(store: GraphStore, doc: dict[str, Any]) -> None:
    """Refuse a document that would add or change cost items or budgets of a closed month (``period-closed``;
    spec: Closing a month): its own items and budgets, and the graph's items it would move to another month."""
    from graph_itsm.finance.periods import refuse_closed  # finance builds on the portfolio: import late

    costs, budgets = doc.get("costs", []), doc.get("budgets", [])
    if not costs and not budgets:
        return
    months = [k["period"] for k in costs] + [b["period"] for b in budgets]
    months += [row[0] for row in store.read_tuples(library()["finance/cost_item_periods"],
                                                   {"ids": [k["id"] for k in costs]})]
    refuse_closed(store, months, "the cost items and budgets", field="costs" if costs else "budgets")


def check_allocatable(store: GraphStore, doc: dict[str, Any], *, keep_graph: bool = True) -> None:
    """Refuse a document that would leave cost allocation without a solution (a closed cycle passing all its
    cost around, spec: Accounting), as the portfolio mutations do: the check runs on the topology the import
    would leave, the graph's services and edges with the document's replacing those of the services it lists
    (the document's alone when ``keep_graph`` is false: an import that replaces the graph)."""
    from graph_itsm.finance.guard import assert_allocatable  # finance builds on the portfolio: import late
    from graph_itsm.topology.cache import load_topology
    from graph_itsm.topology.projection import STAGE_CODES, Topology

    services = doc.get("services", [])
    if not services:
        return
    current = load_topology(store) if keep_graph else Topology.build([], [])
    listed = {s["id"] for s in services}
    stage_names = {code: name for name, code in STAGE_CODES.items()}
    kept = [i for i, sid in enumerate(current.ids) if sid not in listed]
    rows = [
        (current.ids[i], "CUSTOMER_FACING" if current.customer_facing[i] else "SUPPORTING",
         stage_names[int(current.stage[i])])
        for i in kept
    ] + [(s["id"], s["kind"], s["stage"]) for s in services]
    ids, share, factor = current.ids, current.share.tolist(), current.demand_factor.tolist()
    edges = [
        (ids[c], ids[p], None if share[k] != share[k] else share[k], None, factor[k])
        for k, (c, p) in enumerate(zip(current.consumer.tolist(), current.provider.tolist()))
        if ids[c] not in listed
    ] + [
        (s["id"], d["service"], d.get("share"), None, d.get("demandFactor"))
        for s in services for d in s.get("dependsOn", [])
    ]
    assert_allocatable(Topology.build(rows, edges))
