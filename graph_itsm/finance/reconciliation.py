"""Unrecovered cost by reason and the month's reconciliation (spec/domain.md, "Accounting").

Every amount of a month's cost items either reaches a customer (the cost basis of a statement line) or is
unrecovered, for one of four reasons: ``UNALLOCATED`` (the part of a cost item no share allocates),
``RETAINED_BY_SUPPORTING`` (retained cost of supporting services, such as those nothing consumes),
``NO_SUBSCRIBERS`` (retained cost of a customer-facing service nobody subscribes to) and ``UNSPLIT`` (what the
subscriptions' shares of a customer-facing service leave over). ``sum of cost items = allocated to customers +
unrecovered``, to the cent; the difference is computed, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence

import numpy as np

from graph_itsm.finance.allocation import Allocation
from graph_itsm.finance.charging import StatementLine
from graph_itsm.finance.model import Subscription

__all__ = ["UnrecoveredReason", "UnrecoveredCost", "Reconciliation", "reconcile"]

_NOISE = 1e-9  # below this an amount is rounding noise, not a cost someone should chase


class UnrecoveredReason(str, Enum):
    UNALLOCATED = "UNALLOCATED"
    RETAINED_BY_SUPPORTING = "RETAINED_BY_SUPPORTING"
    NO_SUBSCRIBERS = "NO_SUBSCRIBERS"
    UNSPLIT = "UNSPLIT"


@dataclass(frozen=True)
class UnrecoveredCost:
    """One amount no customer is charged for: a cost item's unallocated part or a service's unrecovered cost."""

    reason: UnrecoveredReason
    amount: float
    service_id: str | None = None  # for the three reasons about services
    cost_item_id: str | None = None  # for UNALLOCATED


@dataclass(frozen=True)
class Reconciliation:
    """A month's cost items against what reached customers and what did not."""

    period: str | None
    cost_items: float  # sum of the month's cost item amounts
    allocated_to_customers: float  # sum of every statement line's cost basis
    unrecovered: list[UnrecoveredCost]  # by reason (in enum order), then by service or cost item id

    @property
    def total_unrecovered(self) -> float:
        return float(sum(u.amount for u in self.unrecovered))

    def by_reason(self) -> dict[UnrecoveredReason, float]:
        totals = {reason: 0.0 for reason in UnrecoveredReason}
        for u in self.unrecovered:
            totals[u.reason] += u.amount
        return totals

    @property
    def difference(self) -> float:
        """``cost items - (allocated to customers + unrecovered)``, rounded to the cent: 0.00 when it reconciles."""
        return round(self.cost_items - self.allocated_to_customers - self.total_unrecovered, 2) + 0.0

    @property
    def balanced(self) -> bool:
        return self.difference == 0.0


def reconcile(
    allocation: Allocation,
    subscriptions: Sequence[Subscription],
    lines: Sequence[StatementLine],
    unrecovered: dict[str, float],
) -> Reconciliation:
    """The month's reconciliation. ``lines`` are every subscription's statement lines and ``unrecovered`` each
    customer-facing service's retained cost its subscribers do not bear (``MonthCosts.lines``/``unrecovered``)."""
    topo = allocation.topology
    found: list[UnrecoveredCost] = [
        UnrecoveredCost(UnrecoveredReason.UNALLOCATED, amount, cost_item_id=item_id)
        for item_id, amount in sorted(allocation.unallocated.items())
        if amount > _NOISE
    ]
    supporting = np.flatnonzero(~topo.customer_facing & (np.abs(allocation.retained) > _NOISE)).tolist()
    found += sorted(
        (UnrecoveredCost(UnrecoveredReason.RETAINED_BY_SUPPORTING, float(allocation.retained[i]), topo.ids[i])
         for i in supporting),
        key=lambda u: u.service_id or "",
    )
    subscribed = {s.service_id for s in subscriptions}
    for sid, amount in sorted(unrecovered.items()):
        if abs(amount) > _NOISE:
            reason = UnrecoveredReason.UNSPLIT if sid in subscribed else UnrecoveredReason.NO_SUBSCRIBERS
            found.append(UnrecoveredCost(reason, amount, sid))
    order = list(UnrecoveredReason)
    found.sort(key=lambda u: order.index(u.reason))  # stable: ids stay sorted within a reason
    return Reconciliation(
        period=allocation.period,
        cost_items=float(sum(item.amount for item in allocation.items)),
        allocated_to_customers=float(sum(line.cost for line in lines)),
        unrecovered=found,
    )
