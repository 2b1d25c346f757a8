"""Strawberry types of cost accounting: a service's cost in a month, where it comes from, the month's report.

Thin: each object keeps the month it belongs to (``MonthCosts``, cached per graph version and period) and reads
its figures from there; nothing here computes beyond picking numbers out of the engine's arrays.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Optional

import strawberry

from graph_itsm.paging import LIST_PAGE_SIZE, PAGE_DOC, bounded
from graph_itsm.finance import explain
from graph_itsm.finance import model as fin
from graph_itsm.finance import reconciliation as rec
from graph_itsm.finance.service import MonthCosts
from graph_itsm.finance.statements import Origin
from graph_itsm.portfolio.types import Service

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = [
    "CostCategory", "CostNature", "CostSource", "CostItem", "CostAllocation", "CostOrigin", "CostContribution",
    "CategoryCost", "NatureCost", "ServiceCost", "UnallocatedCost", "CostReport",
    "UnrecoveredReason", "UnrecoveredCost", "UnrecoveredTotal", "Reconciliation", "load_service", "page",
    "ServiceCostOrder", "CostItemOrder", "CostReportCounts",
]

CostCategory = strawberry.enum(fin.CostCategory, description="What a cost item pays for.")
CostNature = strawberry.enum(fin.CostNature, description="Capital (CAPEX) or operating (OPEX) expenditure.")
UnrecoveredReason = strawberry.enum(
    rec.UnrecoveredReason,
    description="Why an amount reaches no customer: UNALLOCATED (the part of a cost item no share allocates), "
    "RETAINED_BY_SUPPORTING (retained cost of a supporting service, such as one nothing consumes), NO_SUBSCRIBERS "
    "(retained cost of a customer-facing service nobody subscribes to), UNSPLIT (what subscription shares leave over).",
)
CostSource = strawberry.enum(explain.Source, name="CostSource", description="Where a term of a total comes from.")



def _reconciliation(info: strawberry.Info["Context", None], period: str) -> rec.Reconciliation:
    return info.context.finance.month(period, charging=True).reconciliation


async def load_service(info: strawberry.Info["Context", None], service_id: str) -> Service:
    """The service by id; one that no longer exists (on an issued statement) shows as a retired stub."""
    row = await info.context.portfolio.service.load(service_id)
    props = row["service"] if row else {"id": service_id, "name": service_id, "kind": "CUSTOMER_FACING",
                                        "stage": "RETIRED"}
    return Service.from_props(props)


@strawberry.type(description="The share of a cost item a service bears.")
class CostAllocation:
    service_id: strawberry.Private[str]
    share: float

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.service_id)


@strawberry.type(description="A cost of one month, in the portfolio's currency, allocated to services by shares.")
class CostItem:
    id: strawberry.ID
    name: str
    description: Optional[str]
    category: CostCategory
    nature: CostNature
    amount: float
    period: str
    allocations: list[CostAllocation] = strawberry.field(description="Its shares, by service id.")

    @strawberry.field(description="The part allocated to no service: amount * (1 - sum of the shares).")
    def unallocated(self) -> float:
        return self.amount * max(0.0, 1.0 - sum(a.share for a in self.allocations))

    @classmethod
    def of(cls, item: fin.CostItem, description: Optional[str] = None) -> "CostItem":
        return cls(id=strawberry.ID(item.id), name=item.name, description=description, category=item.category,
                   nature=item.nature, amount=item.amount, period=item.period,
                   allocations=[CostAllocation(service_id=s, share=share) for s, share in sorted(item.allocations)])

    @classmethod
    def from_written(cls, p: dict[str, Any]) -> "CostItem":
        return cls(id=strawberry.ID(p["id"]), name=p["name"], description=p.get("description"),
                   category=fin.CostCategory(p["category"]), nature=fin.CostNature(p["nature"]),
                   amount=float(p["amount"]), period=p["period"],
                   allocations=[CostAllocation(service_id=a["service"], share=a["share"])
                                for a in sorted(p["allocations"], key=lambda a: a["service"])])


@strawberry.type(description="The part of a cost that comes from one cost item, through any chain of providers.")
class CostOrigin:
    cost_item_id: strawberry.ID
    name: str
    category: CostCategory
    nature: CostNature
    amount: float

    @classmethod
    def of(cls, o: Origin) -> "CostOrigin":
        return cls(cost_item_id=strawberry.ID(o.item_id), name=o.name, category=fin.CostCategory(o.category),
                   nature=fin.CostNature(o.nature), amount=o.amount)


@strawberry.type(description="One term of a service's total: a cost item's allocation to it (`share` of the item), "
                             "or what one provider passes on (`share` = the fraction of the provider's total).")
class CostContribution:
    source: CostSource
    source_id: strawberry.ID
    share: float
    amount: float

    @strawberry.field(description="The provider, for a PROVIDER term.")
    async def service(self, info: strawberry.Info["Context", None]) -> Optional[Service]:
        return await load_service(info, self.source_id) if self.source is explain.Source.PROVIDER else None


@strawberry.type(description="A service's cost from one cost category.")
class CategoryCost:
    category: CostCategory
    direct: float
    total: float
    retained: float


@strawberry.type(description="A service's cost of one nature (CAPEX or OPEX).")
class NatureCost:
    nature: CostNature
    direct: float
    total: float
    retained: float


def _origins(month: MonthCosts, service_id: str) -> list[CostOrigin]:
    items = month.items
    return [
        CostOrigin(cost_item_id=strawberry.ID(c.item_id), name=items[c.item_id].name, category=c.category,
                   nature=c.nature, amount=c.amount)
        for c in explain.origins(month.allocation, service_id)
    ]


@strawberry.type(description="A service's cost in one month (spec: Accounting): `direct` from its cost items, "
                             "`total` fully loaded with what its providers pass on (reciprocal method), `retained` "
                             "the part of the total that stays with it (not passed on to consumers).")
class ServiceCost:
    month: strawberry.Private[MonthCosts]
    index: strawberry.Private[int]
    period: str
    direct: float
    total: float
    retained: float

    @classmethod
    def of(cls, month: MonthCosts, service_id: str) -> "ServiceCost":
        a = month.allocation
        i = a.index_of(service_id)
        return cls(month=month, index=i, period=month.period, direct=float(a.direct[i]), total=float(a.total[i]),
                   retained=float(a.retained[i]))

    @property
    def service_id(self) -> str:
        return self.month.allocation.topology.ids[self.index]

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.service_id)

    @strawberry.field(description="Direct, total and retained cost split by cost category (every category listed).")
    def by_category(self) -> list[CategoryCost]:
        i = self.index
        return [CategoryCost(category=k, direct=float(v.direct[i]), total=float(v.total[i]),
                             retained=float(v.retained[i])) for k, v in self.month.categories.items()]

    @strawberry.field(description="Direct, total and retained cost split into CAPEX and OPEX.")
    def by_nature(self) -> list[NatureCost]:
        i = self.index
        return [NatureCost(nature=k, direct=float(v.direct[i]), total=float(v.total[i]),
                           retained=float(v.retained[i])) for k, v in self.month.natures.items()]

    @strawberry.field(description="The terms that add up to `total`: the service's own cost items, then what each "
                                  "provider passes on (one term per dependency, also those that pass nothing); "
                                  f"{PAGE_DOC}; `traceCount` gives their number.")
    def trace(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[CostContribution]:
        return [CostContribution(source=c.source, source_id=strawberry.ID(c.source_id), share=c.share, amount=c.amount)
                for c in bounded(explain.trace(self.month.allocation, self.index), first, offset)]

    @strawberry.field(description="How many terms `trace` lists in all.")
    def trace_count(self) -> int:
        return len(explain.trace(self.month.allocation, self.index))

    @strawberry.field(description="The cost items behind `total`, through any chain of providers, largest first; "
                                  f"all of them add up to `total`; {PAGE_DOC}; `originsCount` gives their number.")
    def origins(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[CostOrigin]:
        return list(bounded(_origins(self.month, self.service_id), first, offset))

    @strawberry.field(description="How many cost items `origins` lists in all.")
    def origins_count(self) -> int:
        return len(_origins(self.month, self.service_id))

    @strawberry.field(description="For a customer-facing service: the retained cost its subscribers do not bear "
                                  "(spec: Charging); null for a supporting service.")
    def unrecovered(self, info: strawberry.Info["Context", None]) -> Optional[float]:
        return info.context.finance.month(self.period, charging=True).unrecovered.get(self.service_id)


@strawberry.type(description="What a cost item leaves unallocated in the month.")
class UnallocatedCost:
    cost_item: CostItem
    amount: float


@strawberry.type(description="An amount of the month that no customer is charged for, with its reason.")
class UnrecoveredCost:
    reason: UnrecoveredReason
    amount: float
    service_id: strawberry.Private[Optional[str]]
    cost_item_id: strawberry.Private[Optional[str]]
    month: strawberry.Private[MonthCosts]

    @classmethod
    def of(cls, month: MonthCosts, u: rec.UnrecoveredCost) -> "UnrecoveredCost":
        return cls(reason=u.reason, amount=u.amount, service_id=u.service_id, cost_item_id=u.cost_item_id, month=month)

    @strawberry.field(description="The service that keeps it; null for UNALLOCATED.")
    async def service(self, info: strawberry.Info["Context", None]) -> Optional[Service]:
        return None if self.service_id is None else await load_service(info, self.service_id)

    @strawberry.field(description="The cost item whose part no share allocates; null for the other reasons.")
    def cost_item(self) -> Optional[CostItem]:
        return None if self.cost_item_id is None else CostItem.of(self.month.items[self.cost_item_id])


@strawberry.type(description="The unrecovered cost of one reason in the month.")
class UnrecoveredTotal:
    reason: UnrecoveredReason
    amount: float


@strawberry.type(description="The month's reconciliation: `costItems` = `allocatedToCustomers` + `unrecovered`, "
                             "to the cent (`difference` is what is left, 0 when it reconciles).")
class Reconciliation:
    cost_items: float = strawberry.field(description="The sum of the month's cost item amounts.")
    allocated_to_customers: float = strawberry.field(
        description="The sum of every subscription's cost basis (the `cost` of the statement lines; what pricing "
                    "charges on top or below it is not cost).")
    unrecovered: float = strawberry.field(description="The sum of every reason's unrecovered cost.")
    difference: float = strawberry.field(description="costItems - allocatedToCustomers - unrecovered, in cents.")
    balanced: bool = strawberry.field(description="Whether `difference` is 0.00.")

    @classmethod
    def of(cls, r: rec.Reconciliation) -> "Reconciliation":
        return cls(cost_items=r.cost_items, allocated_to_customers=r.allocated_to_customers,
                   unrecovered=r.total_unrecovered, difference=r.difference, balanced=r.balanced)


@strawberry.enum(description="The order of `CostReport.services`: by service id, or by a figure, largest first.")
class ServiceCostOrder(Enum):
    ID = "ID"
    DIRECT_DESC = "DIRECT_DESC"
    TOTAL_DESC = "TOTAL_DESC"
    RETAINED_DESC = "RETAINED_DESC"


@strawberry.enum(description="The order of `CostReport.costItems`: by id, or by amount, largest first.")
class CostItemOrder(Enum):
    ID = "ID"
    AMOUNT_DESC = "AMOUNT_DESC"


@strawberry.type(description="The lengths of a cost report's lists.")
class CostReportCounts:
    month: strawberry.Private[MonthCosts]

    @strawberry.field(description="Services in the month's allocation (the length of `services`).")
    def services(self) -> int:
        return self.month.allocation.topology.n

    @strawberry.field(description="The month's cost items (the length of `costItems`).")
    def cost_items(self) -> int:
        return len(self.month.allocation.items)

    @strawberry.field(description="Cost items leaving part of their amount unallocated (the length of `unallocated`).")
    def unallocated(self) -> int:
        return sum(1 for v in self.month.allocation.unallocated.values() if v > 0)

    @strawberry.field(description="Unrecovered amounts (the length of `unrecovered`).")
    def unrecovered(self, info: strawberry.Info["Context", None]) -> int:
        return len(info.context.finance.month(self.month.period, charging=True).reconciliation.unrecovered)


@strawberry.type(description="The cost of every service in one month.")
class CostReport:
    month: strawberry.Private[MonthCosts]
    period: str

    @strawberry.field(description="The sum of the month's direct costs (= the sum of the retained costs).")
    def total_direct(self) -> float:
        return self.month.allocation.total_direct

    @strawberry.field(description="The sum of the retained costs: equal to `totalDirect` (conservation, checked on "
                                  "every computation).")
    def total_retained(self) -> float:
        return float(self.month.allocation.retained.sum())

    @strawberry.field(description="The sum of what the month's cost items leave unallocated.")
    def total_unallocated(self) -> float:
        return self.month.allocation.total_unallocated

    @strawberry.field(description="The sum of every amount no customer is charged for, whatever the reason "
                                  "(`unrecoveredByReason`).")
    def total_unrecovered(self, info: strawberry.Info["Context", None]) -> float:
        return _reconciliation(info, self.period).total_unrecovered

    @strawberry.field(description="The unrecovered cost of each reason, in the enum's order (every reason, 0 too).")
    def unrecovered_by_reason(self, info: strawberry.Info["Context", None]) -> list[UnrecoveredTotal]:
        totals = _reconciliation(info, self.period).by_reason()
        return [UnrecoveredTotal(reason=reason, amount=amount) for reason, amount in totals.items()]

    @strawberry.field(description="Every unrecovered amount, by reason then service or cost item id; "
                                  f"{PAGE_DOC}; `unrecoveredCount` gives their number.")
    def unrecovered(self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE,
                    offset: int = 0) -> list[UnrecoveredCost]:
        month = info.context.finance.month(self.period, charging=True)
        return [UnrecoveredCost.of(month, u) for u in bounded(month.reconciliation.unrecovered, first, offset)]

    @strawberry.field(description="How many amounts `unrecovered` lists in all.")
    def unrecovered_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(info.context.finance.month(self.period, charging=True).reconciliation.unrecovered)

    @strawberry.field(description="Cost items = allocated to customers + unrecovered, to the cent.")
    def reconciliation(self, info: strawberry.Info["Context", None]) -> Reconciliation:
        return Reconciliation.of(_reconciliation(info, self.period))

    @strawberry.field(description="Every service's cost, ordered by id (or by `orderBy`, largest first, then id); "
                                  f"{PAGE_DOC}, `counts.services` says how many there are.")
    def services(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
                 order_by: ServiceCostOrder = ServiceCostOrder.ID) -> list[ServiceCost]:
        a = self.month.allocation
        ids = a.topology.ids
        if order_by is ServiceCostOrder.ID:
            order = range(a.topology.n)  # services are numbered in id order (Topology.build): no sort a page
        else:
            figure = {ServiceCostOrder.DIRECT_DESC: a.direct, ServiceCostOrder.TOTAL_DESC: a.total,
                      ServiceCostOrder.RETAINED_DESC: a.retained}[order_by]
            order = sorted(range(a.topology.n), key=lambda i: (-float(figure[i]), ids[i]))
        return [ServiceCost.of(self.month, ids[i]) for i in bounded(order, first, offset)]

    @strawberry.field(description="The month's cost items, ordered by id (or `AMOUNT_DESC`: largest first, then id); "
                                  f"{PAGE_DOC}, `counts.costItems` says how many there are.")
    def cost_items(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
                   order_by: CostItemOrder = CostItemOrder.ID) -> list[CostItem]:
        key = (lambda it: it.id) if order_by is CostItemOrder.ID else (lambda it: (-it.amount, it.id))
        return [CostItem.of(item) for item in bounded(sorted(self.month.allocation.items, key=key), first, offset)]

    @strawberry.field(description="The cost items that leave part of their amount unallocated, with that part, by "
                                  f"id; {PAGE_DOC}.")
    def unallocated(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[UnallocatedCost]:
        items = self.month.items
        rows = [(k, v) for k, v in sorted(self.month.allocation.unallocated.items()) if v > 0]
        return [UnallocatedCost(cost_item=CostItem.of(items[k]), amount=v) for k, v in bounded(rows, first, offset)]

    @strawberry.field(description="How long each of the report's lists is, for paging through them.")
    def counts(self) -> CostReportCounts:
        return CostReportCounts(month=self.month)

    @strawberry.field(description="How many services `services` lists in all.")
    def services_count(self) -> int:
        return self.month.allocation.topology.n

    @strawberry.field(description="How many cost items the month has.")
    def cost_items_count(self) -> int:
        return len(self.month.allocation.items)

    @strawberry.field(description="How many cost items `unallocated` lists in all.")
    def unallocated_count(self) -> int:
        return sum(1 for v in self.month.allocation.unallocated.values() if v > 0)
