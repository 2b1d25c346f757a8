"""A month's cost allocation as FOCUS rows with the 1.3 split cost allocation columns.

Each cost item of the month is one origin row (``ResourceId`` the item's id; its costs 0.00, as in the
specification's example, so that rows never count a cost twice), followed by one allocated row per service that
retains part of it under the reciprocal method (``AllocatedResourceId`` the service id) and, for what the item
does not allocate, one row with ``AllocatedResourceId`` ``unallocated``. The allocated rows of an origin are in
cents and sum to the item's amount exactly (largest remainder), so the rows of a month sum to its cost.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import numpy as np

from graph_itsm.finance.service import FinanceCache, check_period
from graph_itsm.formats.sync import current_services, graph_currency
from graph_itsm.progress import OnProgress, counted
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache

__all__ = ["COLUMNS", "METHOD", "focus_rows", "write_focus"]

METHOD = "graph-itsm-reciprocal-v1"
COLUMNS = ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
           "BillingCurrency", "ServiceName", "ResourceId", "ResourceName", "BilledCost", "EffectiveCost",
           "AllocatedMethodId", "AllocatedMethodDetails", "AllocatedResourceId", "AllocatedResourceName",
           "x_CostCategory", "x_CostNature")
_CENT = Decimal("0.01")


def _cents(amounts: list[float], total: Decimal) -> list[Decimal]:
    """``amounts`` in cents summing to ``total`` (in cents) exactly: floors, then the largest remainders."""
    raw = [Decimal(repr(a)) for a in amounts]
    floors = [r.quantize(_CENT, ROUND_FLOOR) for r in raw]
    left = int(((total - sum(floors, Decimal(0))) / _CENT).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)
    for i in order[:max(left, 0)]:
        floors[i] += _CENT
    return floors


def _next_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def focus_rows(store: GraphStore, period: str, *, on_progress: OnProgress | None = None) -> list[dict[str, Any]]:
    """The month's rows (see the module docstring), origin rows in cost item order; ``on_progress`` hears
    "allocating" (the month's solve) and then "exporting cost items", one per item."""
    check_period(period)
    if on_progress:
        on_progress("allocating", 0, 0)
    allocation = FinanceCache(store, TopologyCache(store)).month(period).allocation
    topo = allocation.topology
    names = {sid: s["name"] for sid, s in current_services(store).items()}
    start, end = f"{period}-01T00:00:00Z", f"{_next_month(period)}-01T00:00:00Z"
    currency = graph_currency(store) or "EUR"
    direct = np.asarray(allocation.item_matrix.todense()) if allocation.items else np.zeros((topo.n, 0))
    retained = allocation.kept[:, None] * allocation.solver.solve(direct) if allocation.items else direct
    base = {"BillingPeriodStart": start, "BillingPeriodEnd": end, "ChargePeriodStart": start, "ChargePeriodEnd": end,
            "ChargeCategory": "Usage", "BillingCurrency": currency, "AllocatedMethodId": METHOD}
    rows: list[dict[str, Any]] = []
    for k, item in enumerate(counted(allocation.items, "exporting cost items", on_progress, len(allocation.items))):
        origin = {**base, "ServiceName": item.name, "ResourceId": item.id, "ResourceName": item.name,
                  "x_CostCategory": str(item.category), "x_CostNature": str(item.nature)}
        rows.append({**origin, "BilledCost": "0.00", "EffectiveCost": "0.00",
                     "AllocatedMethodDetails": json.dumps({"Elements": []}), "AllocatedResourceId": "",
                     "AllocatedResourceName": ""})
        parts = [(topo.ids[i], float(retained[i, k])) for i in np.flatnonzero(np.abs(retained[:, k]) > 1e-12)]
        unallocated = allocation.unallocated.get(item.id, 0.0)
        if unallocated > 1e-12:
            parts.append(("unallocated", unallocated))
        amount = Decimal(repr(item.amount)).quantize(_CENT)
        for (sid, value), cents in zip(parts, _cents([v for _, v in parts], amount)):
            ratio = value / item.amount if item.amount else 0.0
            rows.append({**origin, "BilledCost": str(cents), "EffectiveCost": str(cents),
                         "AllocatedMethodDetails": json.dumps({"Elements": [{"AllocatedRatio": round(ratio, 6)}]}),
                         "AllocatedResourceId": sid, "AllocatedResourceName": names.get(sid, sid)})
    return rows


def write_focus(rows: list[dict[str, Any]], *, on_progress: OnProgress | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(counted(rows, "writing rows", on_progress, len(rows)))
    return out.getvalue()
