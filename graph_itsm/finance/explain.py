"""Where a service's cost comes from, for the finance analyst and for traceable charge statements.

``trace`` explains a total one level down (the service's own cost items and what each provider passes on);
``origins`` follows the chain all the way to the cost items; ``by_category`` and ``by_nature`` split every
service's direct, total and retained cost. All reuse the allocation's factorisation: the roll-up is linear.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable, Literal, TypeVar

import numpy as np
import scipy.sparse as sp

from graph_itsm.finance.allocation import Allocation
from graph_itsm.finance.model import CostCategory, CostItem, CostNature

__all__ = ["Source", "Contribution", "ItemContribution", "CostVectors", "trace", "origins", "by_category", "by_nature"]

K = TypeVar("K", CostCategory, CostNature)


class Source(str, Enum):
    COST_ITEM = "COST_ITEM"
    PROVIDER = "PROVIDER"


@dataclass(frozen=True)
class Contribution:
    """One term of a service's total: a cost item's allocation to it, or what one provider passes on to it.

    ``share`` is the item's allocation share or ``a_ij``; ``amount`` is ``amount * share`` or ``a_ij * t_j``.
    """

    source: Source
    source_id: str
    share: float
    amount: float


@dataclass(frozen=True)
class ItemContribution:
    """The part of a service's cost that comes from one cost item, through any chain of providers."""

    item_id: str
    category: CostCategory
    nature: CostNature
    amount: float


@dataclass(frozen=True, eq=False)
class CostVectors:
    """Per-service arrays (``topology.ids`` order) of one slice of the cost."""

    direct: np.ndarray
    total: np.ndarray
    retained: np.ndarray


def trace(allocation: Allocation, service: int | str) -> list[Contribution]:
    """The terms that add up to the service's total: its cost items (in item order), then one per
    ``DEPENDS_ON`` edge (in edge order, including edges that bear nothing). Their amounts sum to the total."""
    i = allocation.index_of(service)
    topo = allocation.topology
    row = allocation.item_matrix.getrow(i)
    sid = topo.ids[i]
    lines = [
        Contribution(Source.COST_ITEM, allocation.items[k].id, _item_share(allocation.items[k], sid), float(v))
        for k, v in sorted(zip(row.indices.tolist(), row.data.tolist()))
    ]
    indptr, order = topo.by_consumer
    for e in order[indptr[i] : indptr[i + 1]].tolist():
        j = int(topo.provider[e])
        a = float(allocation.weights[e])
        lines.append(Contribution(Source.PROVIDER, topo.ids[j], a, a * float(allocation.total[j])))
    return lines


def origins(
    allocation: Allocation, service: int | str, *, of: Literal["total", "retained"] = "total"
) -> list[ItemContribution]:
    """The cost items behind the service's total (or retained) cost, largest first; they sum to it.

    One transposed solve: row ``i`` of ``(I - A)^-1`` weighs every service's direct cost items.
    """
    i = allocation.index_of(service)
    unit = np.zeros(allocation.topology.n)
    unit[i] = 1.0
    reach = allocation.solver.solve_transposed(unit)
    if of == "retained":
        reach = reach * allocation.kept[i]
    amounts = allocation.item_matrix.T @ reach
    found = [
        ItemContribution(item.id, item.category, item.nature, float(amounts[k]))
        for k, item in enumerate(allocation.items)
        if amounts[k] > 1e-12 * max(1.0, float(allocation.total[i]))
    ]
    return sorted(found, key=lambda c: (-c.amount, c.item_id))


def by_category(allocation: Allocation) -> dict[CostCategory, CostVectors]:
    """Every service's direct, total and retained cost split by cost category (all categories present)."""
    return _breakdown(allocation, list(CostCategory), lambda item: item.category)


def by_nature(allocation: Allocation) -> dict[CostNature, CostVectors]:
    """Every service's direct, total and retained cost split into CAPEX and OPEX."""
    return _breakdown(allocation, list(CostNature), lambda item: item.nature)


def _breakdown(allocation: Allocation, keys: list[K], key_of: Callable[[CostItem], K]) -> dict[K, CostVectors]:
    position = {key: g for g, key in enumerate(keys)}
    n_items = len(allocation.items)
    groups = [position[key_of(item)] for item in allocation.items]
    onehot = sp.csr_matrix((np.ones(n_items), (np.arange(n_items), groups)), shape=(n_items, len(keys)))
    direct = np.asarray((allocation.item_matrix @ onehot).todense())
    total = allocation.solver.solve(direct)
    retained = allocation.kept[:, None] * total
    return {key: CostVectors(direct[:, g], total[:, g], retained[:, g]) for key, g in position.items()}


def _item_share(item: CostItem, service_id: str) -> float:
    return float(sum(share for sid, share in item.allocations if sid == service_id))
