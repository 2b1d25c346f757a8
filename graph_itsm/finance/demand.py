"""Demand management: the units a month each service must serve, and how close that is to its capacity.

spec/domain.md, "Demand management": a service's demand is its subscribers' units plus
``sum over consumers i of demandFactor_ij * demand_i``; demand flows down ``DEPENDS_ON`` edges. Solved like
costs, as ``(I - F) x = u``, so cycles are fine as long as demand dies out around them. A cycle that keeps or
amplifies it (factors whose product around the loop reaches 1) has no finite answer and is refused, named.
Utilisation is demand / capacity; services over capacity, or within 10 % of it, are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Mapping, Sequence

import numpy as np

from graph_itsm.errors import BadInput, NotFound
from graph_itsm.finance.errors import ClosedCycle
from graph_itsm.finance.linear import Rollup, amplifying_set
from graph_itsm.finance.model import Subscription
from graph_itsm.topology.projection import Topology

__all__ = ["CapacityFlag", "ServiceDemand", "DemandReport", "demand_report", "find_demand_cycle", "NEAR_CAPACITY"]

NEAR_CAPACITY = 0.9  # utilisation from which a service is flagged NEAR


class CapacityFlag(str, Enum):
    OVER = "OVER"  # demand above capacity
    NEAR = "NEAR"  # demand within 10 % of capacity (or exactly at it)


@dataclass(frozen=True)
class ServiceDemand:
    service_id: str
    own_units: float  # from the service's own subscribers
    demand: float
    capacity: float | None
    utilisation: float | None  # None without a capacity
    flag: CapacityFlag | None


@dataclass(frozen=True, eq=False)
class DemandReport:
    """Per-service arrays in ``topology.ids`` order."""

    topology: Topology
    own_units: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray  # NaN where none is stated
    utilisation: np.ndarray  # NaN where no capacity is stated

    def of(self, service: str) -> ServiceDemand:
        try:
            i = self.topology.index[service]
        except KeyError:
            raise NotFound(f"service {service!r} not found", field="service") from None
        return self._row(i)

    def flagged(self) -> list[ServiceDemand]:
        """Services over capacity or near it, highest utilisation first (then by id)."""
        near = np.flatnonzero(self.utilisation >= NEAR_CAPACITY)  # NaN compares False
        rows = [self._row(int(i)) for i in near]
        return sorted(rows, key=lambda r: (-(r.utilisation or 0.0), r.service_id))

    def _row(self, i: int) -> ServiceDemand:
        capacity = None if np.isnan(self.capacity[i]) else float(self.capacity[i])
        utilisation = None if np.isnan(self.utilisation[i]) else float(self.utilisation[i])
        flag = None
        if utilisation is not None and utilisation > 1.0:
            flag = CapacityFlag.OVER
        elif utilisation is not None and utilisation >= NEAR_CAPACITY:
            flag = CapacityFlag.NEAR
        return ServiceDemand(
            self.topology.ids[i], float(self.own_units[i]), float(self.demand[i]), capacity, utilisation, flag
        )


def find_demand_cycle(topo: Topology) -> list[str] | None:
    """Ids of a cycle of services around which demand does not die out, in ``DEPENDS_ON`` order (further
    members of the same strongly connected set follow), or ``None`` if demand has a finite solution."""
    found = _demand_cycle(topo)
    return None if found is None else found[0]


def demand_report(
    topo: Topology, subscriptions: Sequence[Subscription], capacity: Mapping[str, float]
) -> DemandReport:
    """Demand, capacity and utilisation of every service.

    ``capacity`` maps service ids to units a month (services without one are left out). Raises ``NotFound``
    for an unknown service, ``BadInput`` for negative units, factors or capacities, and ``ClosedCycle`` when
    demand would grow without end around a cycle.
    """
    n = topo.n
    own = np.zeros(n)
    for sub in subscriptions:
        i = topo.index.get(sub.service_id)
        if i is None:
            raise NotFound(f"subscription of {sub.customer_id!r} to unknown service {sub.service_id!r}")
        units = 0.0 if sub.units is None else float(sub.units)
        if not 0.0 <= units < np.inf:
            raise BadInput(f"subscription of {sub.customer_id!r} to {sub.service_id!r}: units {units}", field="units")
        own[i] += units
    if not ((topo.demand_factor >= 0.0) & np.isfinite(topo.demand_factor)).all():
        raise BadInput("a DEPENDS_ON demandFactor is negative or not a number", field="demandFactor")
    found = _demand_cycle(topo)
    if found is not None:
        members, k = found
        raise ClosedCycle.naming("demand", members, k)

    solver = Rollup(n, topo.provider, topo.consumer, topo.demand_factor)
    total = solver.solve(own)
    cap = np.full(n, np.nan)
    for sid, amount in capacity.items():
        i = topo.index.get(sid)
        if i is None:
            raise NotFound(f"capacity given for unknown service {sid!r}", field="service")
        if not 0.0 <= float(amount) < np.inf:
            raise BadInput(f"capacity of {sid!r} must be a non-negative number", field="capacity")
        cap[i] = float(amount)
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(cap > 0, total / cap, np.where(total > 0, np.inf, 0.0))
    utilisation[np.isnan(cap)] = np.nan
    return DemandReport(topo, own, total, cap, utilisation)


def _demand_cycle(topo: Topology) -> tuple[list[str], int] | None:
    # Demand flows from consumer to provider: the cycle already reads in DEPENDS_ON order.
    loop = amplifying_set(topo.n, topo.consumer, topo.provider, topo.demand_factor)
    if loop is None:
        return None
    return [topo.ids[i] for i in loop.cycle + loop.others], len(loop.cycle)
