"""Closing a month (spec/domain.md, "Closing a month"): store its allocation, charges and statements as they stand.

``close_period`` writes, in one audited atomic write: the closing record ``(:Period {id, state: 'CLOSED',
closedAt, closedBy})``, the month's stored figures ``(:PeriodSnapshot {id, closedVersion, closedAt, data})`` and
every customer's statement of the month not yet issued. ``data`` is JSON (``SNAPSHOT_FORMAT``):

- the month's inputs as they stood: ``services`` ``[id, kind, stage, name]``, ``edges`` ``[consumer, provider,
  share]``, ``items`` ``[id, name, category, nature, amount, [[service, share], ...]]``, ``subscriptions``
  ``[customer, service, share, units, specialBusinessCase]`` and ``pricing`` ``{service: [model, markup, price]}``;
- the month's figures: per service (in ``services`` order) ``direct``, ``total``, ``retained``; the same split by
  category and by nature (``categories``/``natures``: ``{key: [direct[], total[], retained[]]}``, the keys with
  cost items only, the others are 0); every subscription's statement line (``lines``); each customer-facing
  service's unrecovered cost (``unrecovered``) and the reconciliation (``reconciliation``: cost items, allocated
  to customers, every unrecovered amount with its reason).

``stored_month`` turns that back into the ``MonthCosts`` every report reads (``FinanceCache.month`` does so for a
closed month): the figures are the stored ones; what explains them (``trace``, ``origins``) is derived from the
stored inputs, the graph of the month as it was closed. ``reopen_period`` (admin, with a reason) drops the stored
figures, so the month is computed live again; statements issued stay issued and unchanged.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import datetime, timezone
from typing import Any

import numpy as np

from graph_itsm.errors import BadInput, RuleViolation
from graph_itsm.finance.allocation import allocate
from graph_itsm.finance.charging import SplitBasis, StatementLine
from graph_itsm.finance.explain import CostVectors
from graph_itsm.finance.model import CostCategory, CostItem, CostNature, Pricing, PricingModel, Subscription
from graph_itsm.finance.periods import PERIOD_CLOSED, closed_among
from graph_itsm.finance.reconciliation import Reconciliation, UnrecoveredCost, UnrecoveredReason
from graph_itsm.finance.service import Charging, FinanceCache, MonthCosts, check_period
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.projection import STAGE_CODES, Topology

__all__ = ["SNAPSHOT_FORMAT", "snapshot", "stored_month", "close_period", "reopen_period", "ClosingResult"]

SNAPSHOT_FORMAT = 1
_STAGE_NAMES = {code: name for name, code in STAGE_CODES.items()}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _vectors(found: dict[Any, CostVectors]) -> dict[str, list[list[float]]]:
    return {key.value: [v.direct.tolist(), v.total.tolist(), v.retained.tolist()]
            for key, v in found.items() if np.any(v.direct) or np.any(v.total)}


def snapshot(month: MonthCosts) -> dict[str, Any]:
    """The month's inputs and figures as plain data (see the module docstring). ``month`` has its charging."""
    a = month.allocation
    topo = a.topology
    charging = month._charging()
    share = topo.share.tolist()
    r = month.reconciliation
    return {
        "format": SNAPSHOT_FORMAT,
        "period": month.period,
        "services": [[sid, "CUSTOMER_FACING" if cf else "SUPPORTING", _STAGE_NAMES[int(st)], name]
                     for sid, cf, st, name in zip(topo.ids, topo.customer_facing.tolist(), topo.stage.tolist(),
                                                  topo.names or topo.ids)],
        "edges": [[topo.ids[c], topo.ids[p], None if share[k] != share[k] else share[k]]
                  for k, (c, p) in enumerate(zip(topo.consumer.tolist(), topo.provider.tolist()))],
        "items": [[k.id, k.name, k.category.value, k.nature.value, k.amount, [list(x) for x in k.allocations]]
                  for k in a.items],
        "subscriptions": [[s.customer_id, s.service_id, s.share, s.units, s.special_business_case]
                          for s in charging.subscriptions],
        "pricing": {sid: [p.model.value, p.markup, p.price] for sid, p in sorted(charging.pricing.items())},
        "direct": a.direct.tolist(),
        "total": a.total.tolist(),
        "retained": a.retained.tolist(),
        "categories": _vectors(month.categories),
        "natures": _vectors(month.natures),
        "lines": [[x.customer_id, x.service_id, x.cost, x.charge, x.fraction, x.basis.value, x.pricing.value, x.units]
                  for x in month.lines],
        "unrecovered": dict(sorted(month.unrecovered.items())),
        "reconciliation": {
            "costItems": r.cost_items,
            "allocatedToCustomers": r.allocated_to_customers,
            "unrecovered": [[u.reason.value, u.amount, u.service_id, u.cost_item_id] for u in r.unrecovered],
        },
    }


def _unpack(stored: dict[str, list[list[float]]], keys: list[Any], n: int) -> dict[Any, CostVectors]:
    zero = np.zeros(n)
    found = {}
    for key in keys:
        d, t, r = stored.get(key.value) or ([], [], [])
        found[key] = CostVectors(np.asarray(d, float) if d else zero, np.asarray(t, float) if t else zero,
                                 np.asarray(r, float) if r else zero)
    return found


def stored_month(data: dict[str, Any], version: int) -> MonthCosts:
    """The ``MonthCosts`` of a closed month from its stored ``snapshot``, as read at graph ``version``."""
    period = data["period"]
    topo = Topology.build([tuple(s) for s in data["services"]], [(c, p, s, None, None) for c, p, s in data["edges"]])
    ids = [s[0] for s in data["services"]]
    if topo.ids != ids:  # Topology.build numbers by id, and so did the month it was taken from
        raise RuntimeError(f"the stored figures of {period} list their services out of order")
    items = [CostItem(i, name, CostCategory(cat), CostNature(nat), float(amount), period,
                      [(s, float(x)) for s, x in shares]) for i, name, cat, nat, amount, shares in data["items"]]
    live = allocate(topo, items, period=period)
    allocation = dataclasses.replace(live, direct=np.asarray(data["direct"], float),
                                     total=np.asarray(data["total"], float),
                                     retained=np.asarray(data["retained"], float))
    charging = Charging(
        version,
        [Subscription(c, s, share, units, special_business_case=special)
         for c, s, share, units, special in data["subscriptions"]],
        {sid: Pricing(PricingModel(m), markup, price) for sid, (m, markup, price) in data["pricing"].items()},
    )
    month = MonthCosts(allocation, charging, version)
    stored = month.__dict__  # the figures as stored, in place of the cached computations
    n = topo.n
    stored["categories"] = _unpack(data["categories"], list(CostCategory), n)
    stored["natures"] = _unpack(data["natures"], list(CostNature), n)
    stored["lines"] = [StatementLine(c, s, cost, charge, fraction, SplitBasis(basis), PricingModel(pricing), units)
                       for c, s, cost, charge, fraction, basis, pricing, units in data["lines"]]
    stored["unrecovered"] = dict(data["unrecovered"])
    rec = data["reconciliation"]
    stored["reconciliation"] = Reconciliation(
        period, rec["costItems"], rec["allocatedToCustomers"],
        [UnrecoveredCost(UnrecoveredReason(reason), amount, service, item)
         for reason, amount, service, item in rec["unrecovered"]],
    )
    return month


def at_version(month: MonthCosts, version: int) -> MonthCosts:
    """The same stored month, as read at a later graph version (its figures do not move with the graph)."""
    moved = copy.copy(month)
    object.__setattr__(moved, "version", version)
    object.__setattr__(moved, "charging", dataclasses.replace(month._charging(), version=version))
    return moved


@dataclasses.dataclass(frozen=True)
class ClosingResult:
    period: str
    closed_at: str
    closed_by: str
    issued: list[str]  # the customers whose statement the closing issued


def close_period(store: GraphStore, cache: FinanceCache, period: str, *, actor: str) -> ClosingResult:
    """Close the month: its figures stored and every customer's statement issued, in one audited write.
    ``RuleViolation`` ``period-closed`` when it is closed already."""
    from graph_itsm.finance.statements import issued_props  # statements reads months through the cache

    check_period(period)

    def plan() -> Change:
        month = cache.month(period, charging=True)  # first: the version the write is checked against
        already = closed_among(store, [period])
        if already:
            raise RuleViolation(
                f"{PERIOD_CLOSED}: {period} was closed at {already[0].closed_at} by {already[0].closed_by}; a closed "
                "month is closed once (an admin may reopen it)",
                rule=PERIOD_CLOSED, field="period",
            )
        found = store.read(library()["finance/customers_for_closing"], {"period": period})[0]
        issued_before = set(found.get("issued") or [])
        to_issue = sorted(set(found.get("customers") or []) - issued_before)
        at = _now()
        rows = []
        for customer in to_issue:
            sid, props, _ = issued_props(month, customer, found.get("currency"), actor=actor, at=at)
            rows.append({"id": sid, "customer": customer, "props": props})
        data = json.dumps(snapshot(month), separators=(",", ":"), allow_nan=False)
        r = month.reconciliation
        after = {"period": period, "closedAt": at, "statementsIssued": to_issue,
                 "costItems": r.cost_items, "allocatedToCustomers": r.allocated_to_customers,
                 "unrecovered": r.total_unrecovered}
        steps = [("finance/write/close_period", {"period": period, "closedAt": at, "closedBy": actor,
                                                 "version": month.version, "data": data})]
        if rows:
            steps.append(("finance/write/issue_charge_statements", {"rows": rows}))
        services = sorted({line.service_id for line in month.lines})
        return Change("closePeriod", f"period:{period}", None, after, services, steps, month.version,
                      ClosingResult(period, at, actor, to_issue), topology=False)

    return commit(store, actor, plan)


def reopen_period(store: GraphStore, period: str, reason: str, *, actor: str) -> str:
    """Open a closed month again (admin), with the reason recorded; ``RuleViolation`` when it is not closed."""
    check_period(period)
    if not isinstance(reason, str) or not reason.strip():
        raise BadInput("reason: say why the month is reopened (it is kept in the audit trail)", field="reason")
    reason = reason.strip()

    def plan() -> Change:
        version = int(store.scalar(library()["store/get_version"]) or 0)
        closed = closed_among(store, [period])
        if not closed:
            raise RuleViolation(f"period-open: {period} is not closed, so it cannot be reopened",
                                rule="period-open", field="period")
        at = _now()
        before = {"period": period, "state": "CLOSED", "closedAt": closed[0].closed_at,
                  "closedBy": closed[0].closed_by}
        after = {"period": period, "state": "OPEN", "reason": reason}
        return Change("reopenPeriod", f"period:{period}", before, after, [],
                      [("finance/write/reopen_period", {"period": period, "reopenedAt": at, "reopenedBy": actor,
                                                        "reason": reason})], version, period, topology=False)

    return commit(store, actor, plan)
