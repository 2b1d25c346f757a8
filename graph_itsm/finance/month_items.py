"""A month's cost items held in memory as the arrays allocation starts from, carried from one graph version to
the next by the writes this process commits, so that the next cost question re-solves the month from memory
instead of reading every cost item again (1.3 s at 100,000 services; the solve alone is a few tens of ms).

:class:`MonthItems` is the month at one graph version: its items and their matrix (``amount * share`` per
service and item, as coordinate arrays) numbered by one projection's ids. :func:`carried` gives the month after
one committed write, or ``None`` when that write may have changed the month in a way only the database knows:

- a write of :data:`CARRIED_UNCHANGED` changes no cost item (dependencies, a new service, a stage move, ...);
  a new service is numbered among the others, as the projection numbers it, and a deleted one (no item names
  it: the write checks that) leaves the numbering;
- ``recordCostItem``, ``updateCostItem``, ``deleteCostItem`` change one item, which the write's audit entry
  states as it was (``before``) and as it is now (``after``), in the document's keys;
- anything else (an import, a restore, closing, a write made by another process): ``None``, read again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from graph_itsm.finance.allocation import item_matrix
from graph_itsm.finance.model import CostCategory, CostItem, CostNature, ItemAmounts, ItemColumns
from graph_itsm.topology.projection import Topology

__all__ = ["MonthItems", "carried", "CARRIED_UNCHANGED", "COST_ITEM_WRITES"]

CARRIED_UNCHANGED = frozenset({
    "addDependency", "removeDependency", "createService", "updateService", "moveServiceStage",
    "setBudget", "deleteBudget", "setBusinessCase", "deleteBusinessCase",
    "subscribe", "unsubscribe", "linkOutcome", "unlinkOutcome",
    "createCustomer", "updateCustomer", "deleteCustomer", "createOutcome", "updateOutcome", "deleteOutcome",
})
COST_ITEM_WRITES = frozenset({"recordCostItem", "updateCostItem", "deleteCostItem"})


@dataclass(frozen=True, eq=False)
class MonthItems:
    """One month's cost items at graph version ``version``; ``rows`` number services as ``ids`` does."""

    period: str
    version: int
    ids: list[str]
    items: Sequence[CostItem]  # as read (ItemColumns: no object per item until one is asked for), or a tuple
    rows: np.ndarray  # int64[pairs]: the service of each allocation
    cols: np.ndarray  # int64[pairs]: its item (position in ``items``)
    vals: np.ndarray  # float64[pairs]: amount * share
    unallocated: Mapping[str, float]  # by item id (ItemAmounts as read)

    # the matrix ``of`` built, kept with the arrays it was built from: ``matrix_for`` hands it out while a
    # month carried through writes still holds those very arrays (at a million items, one sparse build less)
    built: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, topo: Topology, items: Sequence[CostItem], period: str, version: int) -> "MonthItems":
        """The month's items as read, checked (``allocation.item_matrix``)."""
        items = items if isinstance(items, ItemColumns) else tuple(items)
        matrix, unallocated = item_matrix(topo, items)
        coo = matrix.tocoo()
        rows, cols, vals = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float64)
        return cls(period, version, topo.ids, items, rows, cols, vals, unallocated,
                   built=(topo.ids, items, rows, cols, vals, matrix))

    def matrix_for(self, topo: Topology) -> tuple[sp.csr_matrix, Mapping[str, float]]:
        """What ``allocate`` takes as ``matrix=``, numbered by ``topo`` (a new service renumbers the rest)."""
        if self.built is not None and all(a is b for a, b in zip(self.built, (topo.ids, self.items, self.rows,
                                                                               self.cols, self.vals))):
            return self.built[-1], self.unallocated
        rows = self.rows
        if topo.ids is not self.ids and topo.ids != self.ids:
            index = topo.index
            renumber = np.fromiter((index[sid] for sid in self.ids), dtype=np.int64, count=len(self.ids))
            rows = renumber[rows]
        matrix = sp.csr_matrix((self.vals, (rows, self.cols)), shape=(topo.n, len(self.items)), dtype=np.float64)
        return matrix, self.unallocated


def carried(month: MonthItems, action: str, before: Any, after: Any, version: int) -> MonthItems | None:
    """``month`` after the committed write ``action`` (its audit entry's ``before`` and ``after``) that made
    graph version ``version``; ``None`` when it cannot be told from the write (read the month again)."""
    if action == "createService" and isinstance(after, dict):
        return replace(_numbered(month, str(after["id"])), version=version)
    if action == "deleteService" and isinstance(before, dict):
        out = _unnumbered(month, str(before["id"]))
        return None if out is None else replace(out, version=version)
    if action in CARRIED_UNCHANGED:
        return replace(month, version=version)
    if action not in COST_ITEM_WRITES:
        return None
    # one item changes: a month as read stays columns; else from here on a tuple of items
    out = month if isinstance(month.items, ItemColumns) else replace(month, items=tuple(month.items))
    if isinstance(before, dict) and before.get("period") == month.period:
        out = _without(out, str(before["id"]))
    if isinstance(after, dict) and after.get("period") == month.period:
        item = _item(after)
        if any(_position(out, sid) is None for sid, _ in item.allocations):
            return None  # a service the numbering does not hold: read it again
        out = _with(out, item)
    return replace(out, version=version)


def _position(month: MonthItems, service_id: str) -> int | None:
    """The service's number in ``month.ids`` (in id order, as every projection numbers services)."""
    at = bisect.bisect_left(month.ids, service_id)
    return at if at < len(month.ids) and month.ids[at] == service_id else None


def _numbered(month: MonthItems, service_id: str) -> MonthItems:
    """``month`` numbered with a new service among its ids, as the projection numbers it (``patch.with_service``),
    so that later items may name it."""
    at = bisect.bisect_left(month.ids, service_id)
    if at < len(month.ids) and month.ids[at] == service_id:
        return month
    return replace(month, ids=month.ids[:at] + [service_id] + month.ids[at:], rows=month.rows + (month.rows >= at))


def _unnumbered(month: MonthItems, service_id: str) -> MonthItems | None:
    """``month`` numbered without a deleted service (as ``patch.without_service`` numbers the rest); None if an
    item of the month still names it (the write refuses that; read the month again rather than guess)."""
    at = _position(month, service_id)
    if at is None:
        return month
    if np.any(month.rows == at):
        return None
    return replace(month, ids=month.ids[:at] + month.ids[at + 1:], rows=month.rows - (month.rows > at))


def _item(entry: dict[str, Any]) -> CostItem:
    """A cost item from an audit entry's document keys (as ``service.items_from_rows`` reads it)."""
    iid = str(entry["id"])
    return CostItem(iid, entry.get("name") or iid, CostCategory(entry["category"]), CostNature(entry["nature"]),
                    float(entry["amount"]), entry["period"],
                    [(str(a["service"]), float(a["share"])) for a in entry.get("allocations") or []])


def _without(month: MonthItems, item_id: str) -> MonthItems:
    items = month.items
    if isinstance(items, ItemColumns):
        at = items.position(item_id)
    else:
        at = next((k for k, it in enumerate(items) if it.id == item_id), None)
    if at is None:
        return month
    keep = month.cols != at
    cols = month.cols[keep]
    if isinstance(month.unallocated, ItemAmounts):  # in the order of the items
        unallocated: Mapping[str, float] = month.unallocated.without(at)
    else:
        unallocated = {k: v for k, v in month.unallocated.items() if k != item_id}
    kept = items.without(at) if isinstance(items, ItemColumns) else items[:at] + items[at + 1:]
    return replace(month, items=kept, rows=month.rows[keep],
                   cols=cols - (cols > at), vals=month.vals[keep], unallocated=unallocated)


def _with(month: MonthItems, item: CostItem) -> MonthItems:
    """``month`` with ``item`` last (the write checked its amount, shares and services)."""
    k = len(month.items)
    rows = np.asarray([_position(month, sid) for sid, _ in item.allocations], dtype=np.int64)
    shares = np.asarray([share for _, share in item.allocations], dtype=np.float64)
    left = item.amount * max(0.0, 1.0 - float(shares.sum()))
    unallocated = month.unallocated.plus(item.id, left) if isinstance(month.unallocated, ItemAmounts) \
        else {**month.unallocated, item.id: left}
    items = month.items.plus(item) if isinstance(month.items, ItemColumns) else month.items + (item,)
    return replace(month, items=items, rows=np.concatenate([month.rows, rows]),
                   cols=np.concatenate([month.cols, np.full(rows.size, k, np.int64)]),
                   vals=np.concatenate([month.vals, item.amount * shares]), unallocated=unallocated)
