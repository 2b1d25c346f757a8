"""The monthly charges at risk in an impact report (spec/domain.md, "Impact analysis"): what customers are charged
for the month on their subscriptions to the services the report lists as DOWN or DEGRADED.

The figures are those of the charge statements (``finance.statements.period_charges``: issued statements as
issued, the others live), so a customer's total at risk never exceeds its ``chargeStatement`` total, and equals it
when every service it subscribes to is impacted. Only the services the report lists count, so ``maxDepth``
limits the charges at risk as it limits the rest of the report. Plain values; no GraphQL, no driver.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_itsm.finance.statements import PeriodCharges
from graph_itsm.impact.model import STATUS_BY_CODE, ImpactStatus
from graph_itsm.impact.service import ImpactReport
from graph_itsm.paging import window

__all__ = ["CustomerCharges", "ChargesAtRisk", "charges_at_risk"]


@dataclass(frozen=True)
class CustomerCharges:
    """One customer's charges on its subscriptions to impacted services, by the service's status."""

    customer_id: str
    down: float
    degraded: float

    @property
    def total(self) -> float:
        return self.down + self.degraded


@dataclass(frozen=True)
class ChargesAtRisk:
    period: str
    currency: str | None
    customers: list[CustomerCharges]  # by total descending, then id

    def page(self, first: int | None = None, offset: int | None = None) -> list[CustomerCharges]:
        """``first: null`` is the whole rest of the list from ``offset``."""
        return self.customers[window(len(self.customers), first, offset)]

    @property
    def down(self) -> float:
        return sum(c.down for c in self.customers)

    @property
    def degraded(self) -> float:
        return sum(c.degraded for c in self.customers)

    @property
    def total(self) -> float:
        return self.down + self.degraded


def charges_at_risk(report: ImpactReport, charges: PeriodCharges) -> ChargesAtRisk:
    """The month's charges on subscriptions to the services ``report`` lists, per customer. A customer appears
    when at least one of its subscriptions is to an impacted service, even if that charge is 0 (showback)."""
    ids, status = report.topology.ids, report.result.status
    impacted = {ids[i]: STATUS_BY_CODE[int(status[i])] for i in report.result.services.tolist()}
    down: dict[str, float] = {}
    degraded: dict[str, float] = {}
    for c in charges.charges:
        s = impacted.get(c.service_id)
        if s is None:
            continue
        down.setdefault(c.customer_id, 0.0)
        degraded.setdefault(c.customer_id, 0.0)
        (down if s is ImpactStatus.DOWN else degraded)[c.customer_id] += c.charge
    customers = [CustomerCharges(cid, down[cid], degraded[cid]) for cid in down]
    customers.sort(key=lambda c: (-c.total, c.customer_id))
    return ChargesAtRisk(charges.period, charges.currency, customers)
