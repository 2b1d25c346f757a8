"""Financial management against the database: read a month's cost items and the projection, allocate, cache.

The engine (``allocation``, ``charging``, ...) is pure; this module feeds it. One month's allocation needs the
topology projection (``TopologyCache``, rebuilt only when the graph version moves) and the month's cost items
(one bulk query). The result is cached per ``(graph version, period)``: every write bumps the version, so a
cached month is never stale, and a reader pays one small version query on a hit. Conservation is checked by
``allocate`` on every computation. No GraphQL here.
"""

from __future__ import annotations

import json
import os
import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Sequence, TypeVar

import numpy as np

from graph_itsm.errors import BadInput, StoreError
from graph_itsm.finance.allocation import Allocation, allocate
from graph_itsm.finance.charging import (
    StatementLine,
    customer_facing_retained,
    statement_lines,
    unrecovered_costs,
)
from graph_itsm.finance.explain import CostVectors, by_category, by_nature
from graph_itsm.finance.month_items import MonthItems, carried
from graph_itsm.finance.reconciliation import Reconciliation, reconcile
from graph_itsm.finance.model import (CostCategory, CostItem, CostNature, ItemColumns, Pricing, PricingModel,
                                      Subscription)
from graph_itsm.heap import gc_paused
from graph_itsm.store import GraphStore, library
from graph_itsm.store.columns import numbers, objects, present
from graph_itsm.topology.cache import TopologyCache, patching
from graph_itsm.topology.projection import Topology

__all__ = [
    "check_period",
    "items_from_columns",
    "Charging",
    "MonthCosts",
    "FinanceCache",
    "finance_cache",
    "MAX_MONTHS",
]

# A month of at least this many cost items is read in parts side by side (GraphStore.read_columns_in_parts);
# a smaller one in one read, its items in the order the database gives them.
READ_IN_PARTS_FROM = 100_000
MAX_MONTHS = 13  # months kept per process, of the current version (a budget report for December needs twelve)
_MAX_ATTEMPTS = 5
T = TypeVar("T")
_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def check_period(period: str, field: str = "period") -> str:
    """``period`` must be a month as ``YYYY-MM`` (``BadInput`` naming ``field`` otherwise)."""
    if not isinstance(period, str) or not _PERIOD.fullmatch(period):
        raise BadInput(f"{field}: must be a month as YYYY-MM; got {period!r}", field=field)
    return period


def items_from_columns(columns: Sequence[Sequence[Any]], period: str) -> ItemColumns:
    """The month's cost items from the columns of ``finance/cost_allocations_for_period`` (one row per
    allocation; service null for an item allocated nowhere), in first-seen order, without a Python step per
    item or allocation: at a million items the loop over rows and the objects it made took seconds."""
    item, name, category, nature, amount, service, share, node, service_node = columns
    nodes = np.asarray(node, dtype=np.int64)
    once = nodes.size == 0 or np.bincount(nodes - nodes.min()).max() == 1
    if once:  # one row per item (one allocation or none), the usual month: the columns are the items as they are
        ids, names, categories, natures = item, name, category, nature  # fresh lists of this read: no copies
        amounts, owner = objects(amount), np.arange(nodes.size, dtype=np.int64)
        if None in names or "" in names:
            names = [n or i for n, i in zip(names, ids)]
        allocated = None if None not in service else np.flatnonzero(present(service))
    else:
        # items by node number, renumbered in first-seen order
        _, first, owner = np.unique(nodes, return_index=True, return_inverse=True)
        seen = np.argsort(first, kind="stable")
        renumber = np.empty(seen.size, dtype=np.int64)
        renumber[seen] = np.arange(seen.size)
        owner, first = renumber[owner.reshape(-1)], first[seen]  # each row's item; each item's first row
        ids = objects(item)[first].tolist()
        named = objects(name)[first]
        unnamed = ~present(named)
        named[unnamed] = np.asarray(ids, dtype=object)[unnamed]
        names = named.tolist()
        categories, natures = objects(category)[first].tolist(), objects(nature)[first].tolist()
        amounts = objects(amount)[first]
        allocated = np.flatnonzero(present(service))
        allocated = allocated[np.argsort(owner[allocated], kind="stable")]  # by item, in the order read
    for values, kind in ((categories, CostCategory), (natures, CostNature)):
        for value in set(values) - {k.value for k in kind}:
            kind(value)  # the error the item would raise, for a value the document format does not know
    if allocated is None:  # every row names a service
        services, service_nodes, shares = service, np.asarray(service_node, dtype=np.int64), share
    else:
        services = objects(service)[allocated].tolist()
        service_nodes = objects(service_node)[allocated].astype(np.int64)
        shares = objects(share)[allocated]
    return ItemColumns(
        period=period, ids=ids, names=names, categories=categories, natures=natures,
        amounts=numbers(amounts, np.nan), owner=owner if allocated is None else owner[allocated],
        services=services, service_nodes=service_nodes, shares=numbers(shares, np.nan),
    )


@dataclass(frozen=True, eq=False)
class Charging:
    """What charging needs beyond the allocation, read at one graph version: every subscription and pricing."""

    version: int
    subscriptions: list[Subscription]
    pricing: dict[str, Pricing]


@dataclass(frozen=True, eq=False)
class MonthCosts:
    """One month's allocation at one graph version, and what is derived from it on first use."""

    allocation: Allocation
    charging: Charging | None = None
    version: int = 0  # the graph version the month was read at

    @property
    def period(self) -> str:
        return self.allocation.period or ""

    @cached_property
    def categories(self) -> dict[CostCategory, CostVectors]:
        return by_category(self.allocation)

    @cached_property
    def natures(self) -> dict[CostNature, CostVectors]:
        return by_nature(self.allocation)

    @cached_property
    def items(self) -> dict[str, CostItem]:
        return {item.id: item for item in self.allocation.items}

    @cached_property
    def retained(self) -> dict[str, float]:
        """The retained cost of every customer-facing service: what charging splits among subscribers."""
        return customer_facing_retained(self.allocation)

    @cached_property
    def lines(self) -> list[StatementLine]:
        """Every subscription's statement line for the month (all customers)."""
        charging = self._charging()
        return statement_lines(self.retained, charging.subscriptions, charging.pricing)

    @cached_property
    def unrecovered(self) -> dict[str, float]:
        """Per customer-facing service, the retained cost its subscribers do not bear."""
        return unrecovered_costs(self.retained, self._charging().subscriptions)

    @cached_property
    def reconciliation(self) -> Reconciliation:
        """Cost items against what reaches customers, and every unrecovered amount with its reason."""
        return reconcile(self.allocation, self._charging().subscriptions, self.lines, self.unrecovered)

    def lines_of(self, customer_id: str) -> list[StatementLine]:
        return [line for line in self.lines if line.customer_id == customer_id]

    def _charging(self) -> Charging:
        if self.charging is None:
            raise RuntimeError("this month was read without its charging inputs; ask for charging=True")
        return self.charging


class FinanceCache:
    """The months allocated so far for one store, by ``(graph version, period)``, and the charging inputs of
    the current version; shared by requests."""

    def __init__(self, store: GraphStore, topology: TopologyCache, *, size: int = MAX_MONTHS) -> None:
        self.store = store
        self.topology = topology
        self.size = size
        self._months: OrderedDict[tuple[int, str], MonthCosts] = OrderedDict()
        self._charging: Charging | None = None
        self._derived: dict[Any, Any] = {}  # other results of the current version (demand)
        self._closed: dict[str, tuple[int, MonthCosts]] = {}  # period -> (closedVersion, its stored month)
        self._items: dict[str, MonthItems] = {}  # period -> its cost items, at the version they were read or carried to
        self._lock = threading.Lock()
        store.committed[:] = [told for told in store.committed if getattr(told, "alive", True)]
        store.committed.append(_Told(self))

    def month(self, period: str, *, charging: bool = False) -> MonthCosts:
        """The month's costs at the current graph version (with the charging inputs when ``charging``)."""
        check_period(period)
        return self._consistent(lambda: self._month(period, charging))

    def charging(self) -> Charging:
        """Every subscription and service pricing at the current graph version."""
        return self._consistent(lambda: self._charging_at(self._graph_version()))

    def derived(self, key: str, compute: Callable[[Topology, Charging], Any]) -> Any:
        """``compute(topology, charging)`` at the current version, kept until the version moves."""

        def read() -> Any:
            version = self._graph_version()
            topo = self.topology.current()
            inputs = self._charging_at(version)
            if inputs is None:
                return None
            with self._lock:
                found = self._derived.get((version, key))
            if found is None:
                found = compute(topo, inputs)
                with self._lock:
                    self._derived = {k: v for k, v in self._derived.items() if k[0] == version}
                    self._derived[(version, key)] = found
            return found

        return self._consistent(read)

    def _consistent(self, read: Callable[[], T | None]) -> T:
        for _ in range(_MAX_ATTEMPTS):
            with gc_paused():
                found = read()
            if found is not None:
                return found
        raise StoreError("the graph kept changing while it was read for finance; try again")

    def _month(self, period: str, charging: bool) -> MonthCosts | None:
        """The month from the cache or the database; ``None`` when a write landed while reading."""
        # The graph version first, then the projection: a topology write in between moves the graph version
        # too, so the check after the reads below catches it and the month is read again.
        version = self._graph_version()
        key = (version, period)
        with self._lock:
            found = self._months.get(key)
            if found is not None:
                self._months.move_to_end(key)
        if found is not None and (found.charging is not None or not charging):
            return found
        closed = self._closed_month(period, version)
        if closed is not None:
            found = closed if self._still(version) else None
            if found is not None:
                self._keep(key, found, version)
            return found
        topo = self.topology.current()
        inputs = None
        if charging:
            inputs = self._charging_at(version)
            if inputs is None:
                return None
        if found is None:
            month = self._month_items(period, version, topo)
            if month is None:
                return None
            found = MonthCosts(allocate(topo, month.items, period=period, matrix=month.matrix_for(topo)), inputs,
                               version)
        else:
            found = MonthCosts(found.allocation, inputs, version)
        self._keep(key, found, version)
        return found

    def _month_items(self, period: str, version: int, topo: Topology) -> MonthItems | None:
        """The month's cost items at ``version``: as the writes of this process carried them there, else read
        (``None`` when a write landed while reading, or since ``topo`` was taken)."""
        with self._lock:
            month = self._items.get(period)
        if month is not None and month.version == version:
            return month if self._still(version) else None
        q = library()
        size = int(self.store.scalar(q["finance/count_cost_items_for_period"], {"period": period}) or 0)
        parts = 1 if size < READ_IN_PARTS_FROM else min(4, (os.cpu_count() or 1) + 1)
        columns = self.store.read_columns_in_parts(q["finance/cost_allocations_for_period"], {"period": period}, parts)
        if not self._still(version):
            return None
        month = MonthItems.of(topo, items_from_columns(columns, period), period, version)
        with self._lock:
            self._items = {p: m for p, m in self._items.items() if m.version >= version}
            self._items[period] = month
            while len(self._items) > self.size:
                self._items.pop(next(iter(self._items)))
        return month

    def _carry(self, change: Any, version: int) -> None:
        """A write of this process made ``version``: carry each month held at the version before it there,
        where the write tells how (``month_items.carried``); drop the others (they are read again)."""
        with self._lock:
            held, self._items = self._items, {}
            if not patching():
                return
            for period, month in held.items():
                try:
                    nxt = carried(month, change.action, change.before, change.after, version) \
                        if month.version == version - 1 else None
                except Exception:  # noqa: BLE001 - a month that cannot be carried is read again, never wrong
                    nxt = None
                if nxt is not None:
                    self._items[period] = nxt

    def _keep(self, key: tuple[int, str], found: MonthCosts, version: int) -> None:
        with self._lock:
            for old in [k for k in self._months if k[0] < version]:
                del self._months[old]  # the graph moved on: nobody asks for that version again
            self._months[key] = found
            self._months.move_to_end(key)
            while len(self._months) > self.size:
                self._months.popitem(last=False)

    def _closed_month(self, period: str, version: int) -> MonthCosts | None:
        """The month's stored figures when it is closed (``finance.closing``), else ``None``. Parsed once per
        closing (the snapshot never changes until the month is reopened), whatever else the graph does."""
        from graph_itsm.finance.closing import at_version, stored_month  # closing builds on this module

        q = library()["finance/get_period_snapshot"]
        row = self.store.read(q, {"period": period, "withData": False})
        closed_version = row[0]["closedVersion"] if row else None
        if closed_version is None:
            return None
        with self._lock:
            base = self._closed.get(period)
        if base is None or base[0] != closed_version:
            row = self.store.read(q, {"period": period, "withData": True})
            if not row or row[0]["data"] is None or row[0]["closedVersion"] != closed_version:
                return None  # reopened or closed again meanwhile: the caller reads again
            base = (closed_version, stored_month(json.loads(row[0]["data"]), version))
            with self._lock:
                self._closed[period] = base
        return at_version(base[1], version)

    def _charging_at(self, version: int) -> Charging | None:
        """The charging inputs at ``version``, read if needed; ``None`` when the graph moved on."""
        found = self._charging
        if found is not None and found.version == version:
            return found
        q = library()
        subs = [
            Subscription(customer, service, share, units, special_business_case=special)
            # in (customer, service) order, so statements list their lines alike on every backend
            for customer, service, share, units, special in sorted(
                self.store.read_tuples(q["finance/subscriptions_for_charging"]), key=lambda row: (row[0], row[1])
            )
        ]
        pricing = {
            service: Pricing(PricingModel(model), markup, price)
            for service, model, markup, price in self.store.read_tuples(q["finance/service_pricing"])
        }
        if not self._still(version):
            return None
        found = self._charging = Charging(version, subs, pricing)
        return found

    def _graph_version(self) -> int:
        return int(self.store.scalar(library()["store/get_version"]) or 0)

    def _still(self, version: int) -> bool:
        """Whether the graph is still at ``version`` (so what was just read belongs to it)."""
        return self._graph_version() == version


class _Told:
    """Tells a cache of the writes committed (``GraphStore.committed``) for as long as the cache lives."""

    def __init__(self, cache: FinanceCache) -> None:
        self._carry = weakref.WeakMethod(cache._carry)

    @property
    def alive(self) -> bool:
        return self._carry() is not None

    def __call__(self, change: Any, version: int) -> None:
        carry = self._carry()
        if carry is not None:
            carry(change, version)


def finance_cache(state: Any) -> FinanceCache:
    """The app's cache (``AppState.extras["finance"]``), made on first use."""
    cache = state.extras.get("finance")
    if cache is None:
        cache = state.extras.setdefault("finance", FinanceCache(state.store, state.topology))
    return cache
