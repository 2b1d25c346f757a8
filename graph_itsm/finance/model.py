"""Plain value types of financial management: cost items, pricing, subscriptions, business cases.

No rules live here (see ``allocation``, ``charging``, ``budgets``, ``business_case``, ``demand``); the
store layer builds these from the graph and the API turns the results into GraphQL types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping, Sequence, overload

import numpy as np

# The enums of domain.md are defined once, with the portfolio document that carries them.
from graph_itsm.portfolio.document import CostCategory, CostNature, PricingModel

__all__ = [
    "CostCategory",
    "CostNature",
    "PricingModel",
    "CostItem",
    "ItemColumns",
    "ItemAmounts",
    "Pricing",
    "Subscription",
    "BusinessCase",
    "ServiceCost",
]


@dataclass(frozen=True)
class CostItem:
    """One month's cost, allocated to services by ``allocations``: ``(service id, share)`` pairs.

    The shares sum to at most 1; ``amount * (1 - sum of shares)`` is the item's unallocated amount.
    """

    id: str
    name: str
    category: CostCategory
    nature: CostNature
    amount: float
    period: str  # "YYYY-MM"
    allocations: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class ItemColumns(Sequence[CostItem]):
    """One month's cost items as columns, as read from the graph in bulk (``finance.service``): no Python object
    is made per item until one is asked for (a listing, an explanation), so a month of a million items is read
    and allocated in array operations. Reads as a sequence of :class:`CostItem` in the order read."""

    period: str
    ids: list[str]
    names: list[str]
    categories: list[str]  # CostCategory values
    natures: list[str]  # CostNature values
    amounts: np.ndarray  # float64[k]
    owner: np.ndarray  # int64[a]: the item of each allocation, ascending
    services: list[str]  # the service id of each allocation
    shares: np.ndarray  # float64[a]
    # int64[a]: the node number of each allocation's service (the ``Topology.nodes`` of the same read), empty
    # where not known
    service_nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, k: int) -> CostItem: ...

    @overload
    def __getitem__(self, k: slice) -> list[CostItem]: ...

    def __getitem__(self, k: int | slice) -> CostItem | list[CostItem]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        k = range(len(self))[k]  # an IndexError beyond the end, as for a tuple
        lo, hi = (int(x) for x in np.searchsorted(self.owner, [k, k + 1]))
        return CostItem(self.ids[k], self.names[k], CostCategory(self.categories[k]), CostNature(self.natures[k]),
                        float(self.amounts[k]), self.period, list(zip(self.services[lo:hi], self.shares[lo:hi].tolist())))

    def position(self, item_id: str) -> int | None:
        """The item's place in the month (a scan of the ids in C: milliseconds at a million items)."""
        try:
            return self.ids.index(item_id)
        except ValueError:
            return None

    def without(self, k: int) -> "ItemColumns":
        """The month without its ``k``-th item, still as columns (a cost write carried through, see
        ``month_items``: a tuple of a million ``CostItem`` objects took twelve seconds)."""
        lo, hi = (int(x) for x in np.searchsorted(self.owner, [k, k + 1]))
        nodes = self.service_nodes
        if nodes.size == len(self.services):
            nodes = np.concatenate([nodes[:lo], nodes[hi:]])
        return ItemColumns(
            self.period, self.ids[:k] + self.ids[k + 1:], self.names[:k] + self.names[k + 1:],
            self.categories[:k] + self.categories[k + 1:], self.natures[:k] + self.natures[k + 1:],
            np.delete(self.amounts, k), np.concatenate([self.owner[:lo], self.owner[hi:] - 1]),
            self.services[:lo] + self.services[hi:], np.concatenate([self.shares[:lo], self.shares[hi:]]), nodes)

    def plus(self, item: CostItem) -> "ItemColumns":
        """The month with ``item`` last, still as columns. Its services' node numbers are not known: the month
        then names services by id only (what an empty ``service_nodes`` means)."""
        k = len(self)
        return ItemColumns(
            self.period, [*self.ids, item.id], [*self.names, item.name], [*self.categories, str(item.category)],
            [*self.natures, str(item.nature)], np.append(self.amounts, item.amount),
            np.concatenate([self.owner, np.full(len(item.allocations), k, dtype=np.int64)]),
            [*self.services, *(sid for sid, _ in item.allocations)],
            np.concatenate([self.shares, np.asarray([share for _, share in item.allocations], dtype=np.float64)]))


class ItemAmounts(Mapping[str, float]):
    """An amount per cost item id (what each item leaves unallocated), held as the ids and one array: a month of
    a million items has its amounts without a dictionary of a million entries (a quarter of a second to build),
    which is made only when an amount is looked up by id."""

    __slots__ = ("ids", "amounts", "_by_id")

    def __init__(self, ids: Sequence[str], amounts: np.ndarray) -> None:
        self.ids = ids
        self.amounts = np.asarray(amounts, dtype=np.float64)
        self._by_id: dict[str, float] | None = None

    def __getitem__(self, item_id: str) -> float:
        if self._by_id is None:
            self._by_id = dict(zip(self.ids, self.amounts.tolist()))
        return self._by_id[item_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def values(self) -> list[float]:  # type: ignore[override]
        return self.amounts.tolist()

    def items(self) -> list[tuple[str, float]]:  # type: ignore[override]
        return list(zip(self.ids, self.amounts.tolist()))

    def total(self) -> float:
        return float(self.amounts.sum())

    def without(self, k: int) -> "ItemAmounts":
        """These amounts without the ``k``-th item."""
        return ItemAmounts([*self.ids[:k], *self.ids[k + 1:]], np.delete(self.amounts, k))

    def plus(self, item_id: str, amount: float) -> "ItemAmounts":
        """These amounts and one more item's, last."""
        return ItemAmounts([*self.ids, item_id], np.append(self.amounts, amount))


@dataclass(frozen=True)
class Pricing:
    """A service's pricing: ``markup`` for COST_PLUS (0.1 = +10 %), ``price`` for FIXED and PER_UNIT."""

    model: PricingModel
    markup: float | None = None
    price: float | None = None


@dataclass(frozen=True)
class Subscription:
    """A customer's subscription to a (customer-facing) service."""

    customer_id: str
    service_id: str
    share: float | None = None  # fraction of the service's retained cost the customer bears
    units: float | None = None  # expected units a month
    since: str | None = None
    special_business_case: str | None = None


@dataclass(frozen=True)
class BusinessCase:
    """The financial case for a service (see ``business_case`` for NPV, ROI and payback)."""

    id: str
    service_id: str
    investment: float
    annual_benefit: float
    annual_running_cost: float
    years: int
    discount_rate: float
    objectives: str = ""
    non_financial_impacts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceCost:
    """A service's cost in one month: direct, total (fully loaded) and retained."""

    service_id: str
    period: str | None
    direct: float
    total: float
    retained: float
