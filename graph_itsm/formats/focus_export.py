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
from typing import Any, Iterable, Iterator, TextIO

import numpy as np

from graph_itsm.finance.service import FinanceCache, check_period
from graph_itsm.formats.sync import current_services, graph_currency
from graph_itsm.progress import OnProgress, counted
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache

__all__ = ["COLUMNS", "METHOD", "focus_rows", "iter_focus_rows", "write_focus"]

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


# Cost items whose allocation is solved at once: a block of the n x items matrix is held dense, so memory stays
# at n x _ITEMS_AT_ONCE floats (20,000 services: 40 MB) whatever the month holds.
_ITEMS_AT_ONCE = 256


def focus_rows(store: GraphStore, period: str, *, on_progress: OnProgress | None = None) -> list[dict[str, Any]]:
    """The month's rows (see the module docstring), origin rows in cost item order."""
    return list(iter_focus_rows(store, period, on_progress=on_progress))


def iter_focus_rows(store: GraphStore, period: str, *, on_progress: OnProgress | None = None
                    ) -> Iterator[dict[str, Any]]:
    """The month's rows one by one, origin rows in cost item order; the items' allocations are solved a block
    at a time. ``on_progress`` hears "allocating" (the month's solve) and then "exporting cost items"."""
    check_period(period)
    if on_progress:
        on_progress("allocating", 0, 0)
    allocation = FinanceCache(store, TopologyCache(store)).month(period).allocation
    topo = allocation.topology
    names = {sid: s["name"] for sid, s in current_services(store).items()}
    start, end = f"{period}-01T00:00:00Z", f"{_next_month(period)}-01T00:00:00Z"
    currency = graph_currency(store) or "EUR"
    base = {"BillingPeriodStart": start, "BillingPeriodEnd": end, "ChargePeriodStart": start, "ChargePeriodEnd": end,
            "ChargeCategory": "Usage", "BillingCurrency": currency, "AllocatedMethodId": METHOD}
    items = allocation.items
    matrix = allocation.item_matrix.tocsc()
    retained = np.zeros((topo.n, 0))
    for k, item in enumerate(counted(items, "exporting cost items", on_progress, len(items))):
        if k % _ITEMS_AT_ONCE == 0:  # the next block of items, solved together
            block = matrix[:, k : k + _ITEMS_AT_ONCE].toarray()
            retained = allocation.kept[:, None] * allocation.solver.solve(block)
        column = retained[:, k % _ITEMS_AT_ONCE]
        origin = {**base, "ServiceName": item.name, "ResourceId": item.id, "ResourceName": item.name,
                  "x_CostCategory": str(item.category), "x_CostNature": str(item.nature)}
        yield {**origin, "BilledCost": "0.00", "EffectiveCost": "0.00",
               "AllocatedMethodDetails": json.dumps({"Elements": []}), "AllocatedResourceId": "",
               "AllocatedResourceName": ""}
        parts = [(topo.ids[i], float(column[i])) for i in np.flatnonzero(np.abs(column) > 1e-12)]
        unallocated = allocation.unallocated.get(item.id, 0.0)
        if unallocated > 1e-12:
            parts.append(("unallocated", unallocated))
        amount = Decimal(repr(item.amount)).quantize(_CENT)
        for (sid, value), cents in zip(parts, _cents([v for _, v in parts], amount)):
            ratio = value / item.amount if item.amount else 0.0
            yield {**origin, "BilledCost": str(cents), "EffectiveCost": str(cents),
                   "AllocatedMethodDetails": json.dumps({"Elements": [{"AllocatedRatio": round(ratio, 6)}]}),
                   "AllocatedResourceId": sid, "AllocatedResourceName": names.get(sid, sid)}


def write_focus(rows: Iterable[dict[str, Any]], out: TextIO | None = None) -> str:
    """The rows as FOCUS CSV: written to ``out`` as they come (and "" returned), or returned as text."""
    target = out or io.StringIO()
    writer = csv.DictWriter(target, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return "" if out else target.getvalue()
