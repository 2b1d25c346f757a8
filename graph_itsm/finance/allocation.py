"""Cost allocation for one month by the reciprocal method (spec/domain.md, "Accounting").

``d`` direct cost from the cost items, ``A`` the allocation matrix (``a_ij``: the fraction of provider ``j``'s
total that consumer ``i`` bears), ``t = (I - A)^-1 d`` the total, ``r_j = (1 - sum_i a_ij) t_j`` the retained
cost. Conservation (``sum r = sum d``) is checked on every run.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from itertools import repeat
from typing import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.finance.errors import ClosedCycle, NumericalError
from graph_itsm.finance.linear import LEAK_TOLERANCE, Rollup, closed_set
from graph_itsm.finance.model import CostItem, ItemAmounts, ItemColumns, ServiceCost
from graph_itsm.topology.projection import STAGE_CODES, Topology

__all__ = [
    "Allocation",
    "allocate",
    "allocation_weights",
    "check_shares",
    "find_closed_cycle",
    "known_allocatable",
    "mark_allocatable",
    "check_conservation",
    "item_matrix",
]

_RETIRED = STAGE_CODES["RETIRED"]


@dataclass(frozen=True, eq=False)
class Allocation:
    """The result of ``allocate``: per-service arrays in ``topology.ids`` order, plus what explains them."""

    topology: Topology
    period: str | None
    items: Sequence[CostItem]  # a tuple, or the month's ItemColumns as read
    direct: np.ndarray  # float64[n]
    total: np.ndarray  # float64[n]
    retained: np.ndarray  # float64[n]
    weights: np.ndarray  # float64[m]: a_ij of each edge of the topology, in edge order
    kept: np.ndarray  # float64[n]: 1 - sum_i a_ij, the fraction of its total a service retains
    unallocated: Mapping[str, float]  # cost item id -> amount * (1 - sum of its shares) (ItemAmounts as read)
    conservation_error: float  # |sum retained - sum direct|
    item_matrix: sp.csr_matrix = field(repr=False)  # n x len(items): amount_k * share_(k,i)
    solver: Rollup = field(repr=False)

    @property
    def total_direct(self) -> float:
        return float(self.direct.sum())

    @property
    def total_unallocated(self) -> float:
        found = self.unallocated
        return found.total() if isinstance(found, ItemAmounts) else float(sum(found.values()))

    def index_of(self, service: int | str) -> int:
        """The service's number; an unknown id is ``NotFound``."""
        if isinstance(service, (int, np.integer)):
            if not 0 <= service < self.topology.n:
                raise NotFound(f"no service number {service}")
            return int(service)
        try:
            return self.topology.index[service]
        except KeyError:
            raise NotFound(f"service {service!r} not found", field="service") from None

    def cost(self, service: int | str) -> ServiceCost:
        i = self.index_of(service)
        return ServiceCost(
            self.topology.ids[i], self.period, float(self.direct[i]), float(self.total[i]), float(self.retained[i])
        )

    def costs(self) -> list[ServiceCost]:
        """Every service's cost, in ``topology.ids`` order."""
        d, t, r = self.direct.tolist(), self.total.tolist(), self.retained.tolist()
        return [ServiceCost(sid, self.period, d[i], t[i], r[i]) for i, sid in enumerate(self.topology.ids)]


def allocation_weights(topo: Topology) -> np.ndarray:
    """``a_ij`` for every edge: the stated share; where one of the provider's edges states a share, the others
    bear nothing; where none does, an equal split among the provider's non-retired consumers."""
    n, provider = topo.n, topo.provider
    stated = ~np.isnan(topo.share)
    any_stated = np.bincount(provider[stated], minlength=n) > 0
    live = topo.stage[topo.consumer] != _RETIRED
    n_live = np.bincount(provider[live], minlength=n)
    equal = np.where(live, 1.0 / np.maximum(n_live[provider], 1), 0.0)
    return np.where(any_stated[provider], np.where(stated, topo.share, 0.0), equal)


def find_closed_cycle(topo: Topology) -> list[str] | None:
    """Ids of a closed set of services that passes all its cost around, or ``None`` if ``I - A`` is regular.

    The list starts with one cycle in ``DEPENDS_ON`` order (each service depends on the next and the last on the
    first); further members of the closed set follow. Linear time (see ``linear.closed_set``). Assumes each
    provider's shares sum to at most 1, which writes enforce separately.
    """
    found = _closed_cycle(topo, allocation_weights(topo))
    return None if found is None else found[0]


# Snapshots known to allocate: checked once (a rebuilt projection, on first use) or patched by a write whose
# guard checked what it changed (``finance.guard``). Keyed by the snapshot itself, so they go with it.
_ALLOCATABLE: "weakref.WeakSet[Topology]" = weakref.WeakSet()


def mark_allocatable(topo: Topology) -> None:
    """``topo`` has no closed cycle: a write's guard checked it (``finance.guard``)."""
    _ALLOCATABLE.add(topo)


def known_allocatable(topo: Topology, weights: np.ndarray | None = None) -> bool:
    """Whether cost allocation over ``topo`` has a solution (shares within bounds, no closed cycle), checked
    once per snapshot."""
    if topo in _ALLOCATABLE:
        return True
    weights = allocation_weights(topo) if weights is None else weights
    try:
        check_shares(topo, weights)
    except (BadInput, RuleViolation):
        return False
    return _closed_cycle_once(topo, weights) is None


def _closed_cycle_once(topo: Topology, weights: np.ndarray) -> tuple[list[str], int] | None:
    """``_closed_cycle``, skipped for a snapshot known to allocate (and remembered when it does); its shares
    were checked already (``check_shares``)."""
    if topo in _ALLOCATABLE:
        return None
    found = _closed_cycle(topo, weights)
    if found is None:
        _ALLOCATABLE.add(topo)
    return found


def _closed_cycle(topo: Topology, weights: np.ndarray) -> tuple[list[str], int] | None:
    """The closed set's ids (cycle first, in DEPENDS_ON order) and the cycle's length."""
    # Cost flows from provider to consumer; reversed, the cycle reads in DEPENDS_ON order.
    loop = closed_set(topo.n, topo.provider, topo.consumer, weights)
    if loop is None:
        return None
    cycle = [topo.ids[i] for i in reversed(loop.cycle)]
    return cycle + [topo.ids[i] for i in loop.others], len(cycle)


def allocate(topo: Topology, items: Sequence[CostItem], *, period: str | None = None,
             matrix: tuple[sp.csr_matrix, Mapping[str, float]] | None = None) -> Allocation:
    """Allocate one month's cost items over the topology.

    ``period`` selects the items of that month; without it, all items must be of one month. Raises ``BadInput``
    for malformed amounts or shares, ``NotFound`` for an allocation to an unknown service, ``RuleViolation`` when
    the shares of a cost item or of a provider's consumers sum to more than 1, ``ClosedCycle`` when a closed
    cycle makes the system singular, and ``NumericalError`` (INTERNAL) if conservation fails. ``matrix``: the
    items' matrix and unallocated amounts (``item_matrix``) when the caller holds them already, checked.
    """
    if isinstance(items, ItemColumns) and period in (None, items.period):
        periods = {items.period} if len(items) else set()  # one month by construction: no look at each item
    elif matrix is not None:
        items = tuple(items)
        periods = {it.period for it in items}
    else:
        items = tuple(it for it in items if period is None or it.period == period)
        periods = {it.period for it in items}
    if len(periods) > 1:
        raise BadInput(f"cost items of several periods given: {sorted(periods)}; pass period=", field="period")
    period = period if period is not None else (periods.pop() if periods else None)

    by_item, unallocated = item_matrix(topo, items) if matrix is None else matrix
    direct = np.asarray(by_item.sum(axis=1)).ravel()
    weights = allocation_weights(topo)
    borne = check_shares(topo, weights)
    found = _closed_cycle_once(topo, weights)
    if found is not None:
        members, k = found
        raise ClosedCycle.naming("cost allocation", members, k)

    solver = Rollup(topo.n, topo.consumer, topo.provider, weights)
    total = solver.solve(direct)
    kept = _kept_fraction(borne)
    retained = kept * total
    error = check_conservation(direct, retained)
    return Allocation(
        topology=topo,
        period=period,
        items=items,
        direct=direct,
        total=total,
        retained=retained,
        weights=weights,
        kept=kept,
        unallocated=unallocated,
        conservation_error=error,
        item_matrix=by_item,
        solver=solver,
    )


def _kept_fraction(borne: np.ndarray) -> np.ndarray:
    """``1 - sum_i a_ij``, with rounding noise (shares 1/3 + 1/3 + 1/3) snapped to 0 so nothing shows -0.00."""
    kept = 1.0 - borne
    kept[np.abs(kept) <= 1e-12] = 0.0
    return kept


def check_conservation(direct: np.ndarray, retained: np.ndarray) -> float:
    """``|sum retained - sum direct|``; ``NumericalError`` beyond 0.005 absolute and 1e-9 relative."""
    expected = float(np.sum(direct))
    error = abs(float(np.sum(retained)) - expected)
    if not (error <= 0.005 or error <= 1e-9 * abs(expected)):
        raise NumericalError(
            f"cost allocation broke conservation: retained {np.sum(retained):.2f} != direct {expected:.2f}"
        )
    return error


def item_matrix(topo: Topology, items: Sequence[CostItem]) -> tuple[sp.csr_matrix, ItemAmounts]:
    """The n x k matrix of ``amount_k * share_(k,i)`` and each item's unallocated amount, with the input checked."""
    k = len(items)
    amounts, cols, services, shares = _allocations(items)
    rows = _service_numbers(topo, items, services)

    bad = np.flatnonzero(~((amounts >= 0.0) & np.isfinite(amounts)))
    if bad.size:
        raise BadInput(f"cost item {items[bad[0]].id!r}: amount must be a non-negative number", field="amount")
    bad = np.flatnonzero(~((shares >= 0.0) & (shares <= 1.0)))
    if bad.size:
        sid, share = services[bad[0]], float(shares[bad[0]])
        raise BadInput(
            f"cost item {items[cols[bad[0]]].id!r}: share {share} for {sid!r} is not within 0..1", field="share"
        )
    bad = np.flatnonzero(rows < 0)
    if bad.size:
        sid = services[bad[0]]
        raise NotFound(f"cost item {items[cols[bad[0]]].id!r} is allocated to unknown service {sid!r}", field="service")
    shared = np.bincount(cols, weights=shares, minlength=k)
    bad = np.flatnonzero(shared > 1.0 + LEAK_TOLERANCE)
    if bad.size:
        k = int(bad[0])
        raise RuleViolation(f"cost item {items[k].id!r}: allocation shares sum to {shared[k]:.6g}, more than 1")

    matrix = sp.csr_matrix((amounts[cols] * shares, (rows, cols)), shape=(topo.n, k), dtype=np.float64)
    left = amounts * np.maximum(0.0, 1.0 - shared)
    ids = items.ids if isinstance(items, ItemColumns) else [it.id for it in items]
    return matrix, ItemAmounts(ids, left)


def _service_numbers(topo: Topology, items: Sequence[CostItem], services: Sequence[str]) -> np.ndarray:
    """The number of each allocation's service, -1 for an unknown one: by node number when the month and the
    projection were read with them (a table look-up), else by id (at a million allocations the dictionary
    look-ups of fresh id strings took seconds)."""
    if isinstance(items, ItemColumns) and topo.nodes.size and items.service_nodes.size == len(services):
        numbers = topo.numbers_of_nodes(items.service_nodes).astype(np.int64)
        missing = np.flatnonzero(numbers < 0)  # a service the snapshot got by a patch has no node number
        if missing.size:
            numbers[missing] = [topo.index.get(services[k], -1) for k in missing.tolist()]
        return numbers
    return np.fromiter(map(topo.index.get, services, repeat(-1)), dtype=np.int64, count=len(services))


def _allocations(items: Sequence[CostItem]) -> tuple[np.ndarray, np.ndarray, Sequence[str], np.ndarray]:
    """(amount of each item, the item of each allocation, its service id, its share): a month as read has
    them as columns already; other items are taken apart."""
    if isinstance(items, ItemColumns):
        return items.amounts, items.owner, items.services, items.shares
    k = len(items)
    counts = np.fromiter((len(it.allocations) for it in items), dtype=np.int64, count=k)
    amounts = np.fromiter((it.amount for it in items), dtype=np.float64, count=k)
    pairs = [pair for it in items for pair in it.allocations]
    shares = np.fromiter((share for _, share in pairs), dtype=np.float64, count=len(pairs))
    return amounts, np.repeat(np.arange(k), counts), [sid for sid, _ in pairs], shares


def check_shares(topo: Topology, weights: np.ndarray | None = None) -> np.ndarray:
    """Check every ``DEPENDS_ON`` share lies in 0..1 (``BadInput``) and each provider's consumers bear at most
    all of it (``RuleViolation`` naming the provider). Returns ``sum_i a_ij`` per provider."""
    stated = topo.share[~np.isnan(topo.share)]
    if stated.size and not ((stated >= 0.0) & (stated <= 1.0)).all():
        raise BadInput("a DEPENDS_ON share is not within 0..1", field="share")
    weights = allocation_weights(topo) if weights is None else weights
    borne = np.bincount(topo.provider, weights=weights, minlength=topo.n)
    over = np.flatnonzero(borne > 1.0 + LEAK_TOLERANCE)
    if over.size:
        j = int(over[0])
        raise RuleViolation(f"the consumers' shares of {topo.ids[j]!r} sum to {borne[j]:.6g}, more than 1")
    return borne
