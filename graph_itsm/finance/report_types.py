"""Strawberry types of charging, budgeting, business cases and demand. Thin, like ``types``."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance import budgets, charging, demand, settlement
from graph_itsm.finance.reports import RankedCase
from graph_itsm.finance.settlement_types import CreditLine, StatementMove, StatementState
from graph_itsm.finance.statements import Line, Statement
from graph_itsm.finance.types import CostOrigin, load_service
from graph_itsm.paging import LIST_PAGE_SIZE, PAGE_DOC, bounded
from graph_itsm.portfolio import document as model
from graph_itsm.portfolio.types import Customer, PageInfo, PricingModel, Service

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = [
    "StatementFilter", "ChargeStatementEdge", "ChargeStatementConnection",
    "SplitBasis", "CapacityFlag", "ChargeLine", "ChargeStatement", "Variance", "BudgetLine", "BudgetReport", "Budget",
    "BudgetLineOrder", "BudgetReportCounts",
    "BusinessCase", "ServiceDemand", "DemandReport",
]


SplitBasis = strawberry.enum(charging.SplitBasis, description="How a service's retained cost was split among its "
                             "subscribers: by stated SHARE, in proportion to UNITS, or EQUAL.")
CapacityFlag = strawberry.enum(demand.CapacityFlag, description="OVER capacity, or NEAR it (within 10 %).")


@strawberry.type(description="One subscribed service on a charge statement, traceable to the cost items behind it.")
class ChargeLine:
    line: strawberry.Private[Line]
    cost: float = strawberry.field(description="The customer's part of the service's retained cost (the cost basis).")
    charge: float = strawberry.field(description="What the service's pricing makes of it.")
    fraction: float = strawberry.field(description="The part of the service's retained cost the customer bears.")
    basis: SplitBasis
    pricing: PricingModel
    units: Optional[float]
    markup: Optional[float]
    price: Optional[float]
    charge_rounded: float = strawberry.field(description="`charge` in cents, rounded so that the statement's lines "
                                                         "add up exactly to its `totalRounded` (largest remainder).")

    @classmethod
    def of(cls, line: Line, rounded: float | None = None) -> "ChargeLine":
        return cls(line=line, cost=line.cost, charge=line.charge, fraction=line.fraction,
                   basis=charging.SplitBasis(line.basis), pricing=model.PricingModel(line.pricing), units=line.units,
                   markup=line.markup, price=line.price,
                   charge_rounded=round(line.charge, 2) if rounded is None else rounded)

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.line.service_id)

    @strawberry.field(description="The cost items behind `cost`, through any chain of providers; all of them add up "
                                  f"to it; {PAGE_DOC}; `originsCount` gives their number.")
    def origins(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[CostOrigin]:
        return [CostOrigin.of(o) for o in bounded(self.line.origins(), first, offset)]

    @strawberry.field(description="How many cost items `origins` lists in all.")
    def origins_count(self) -> int:
        return len(self.line.origins())


@strawberry.type(description="A customer's charges for one month: one line per subscribed service. Once issued "
                             "(`issueChargeStatement`) it is stored and returned unchanged, whatever costs change.")
class ChargeStatement:
    statement: strawberry.Private[Statement]
    period: str
    currency: Optional[str]
    issued: bool
    issued_at: Optional[str] = strawberry.field(description="When it was issued (UTC, ISO 8601); null until then.")
    issued_by: Optional[str]

    @classmethod
    def of(cls, s: Statement) -> "ChargeStatement":
        return cls(statement=s, period=s.period, currency=s.currency, issued=s.issued, issued_at=s.issued_at,
                   issued_by=s.issued_by)

    @strawberry.field
    async def customer(self, info: strawberry.Info["Context", None]) -> Customer:
        return Customer.from_row(await info.context.portfolio.customer.load(self.statement.customer_id))

    @strawberry.field(description="The amount charged: the sum of the lines' charges.")
    def total(self) -> float:
        return self.statement.total

    @strawberry.field(description="The cost shown (showback): the sum of the lines' costs, whatever was charged.")
    def total_cost(self) -> float:
        return self.statement.total_cost

    @strawberry.field(description="`total` rounded to cents; the lines' `chargeRounded` add up to it exactly.")
    def total_rounded(self) -> float:
        return float(settlement.cents([line.charge for line in self.statement.lines])[1])

    @strawberry.field(description=f"One line per subscribed service, by service id; {PAGE_DOC}; `linesCount` gives "
                                  "their number (`total`, `totalCost` and `totalRounded` are over all of them).")
    def lines(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[ChargeLine]:
        rounded, _ = settlement.cents([line.charge for line in self.statement.lines])  # over all lines, then paged
        both = list(zip(self.statement.lines, rounded))
        return [ChargeLine.of(line, float(r)) for line, r in bounded(both, first, offset)]

    @strawberry.field(description="How many lines the statement has.")
    def lines_count(self) -> int:
        return len(self.statement.lines)

    @strawberry.field(description="Where an issued statement stands (ISSUED, PAID, DISPUTED); null until issued.")
    def state(self) -> Optional[StatementState]:
        s = self.statement.settlement
        return s.state if s else None

    @strawberry.field(description="Credit lines that settled disputes (never edits of the lines).")
    def credits(self) -> list[CreditLine]:
        s = self.statement.settlement
        return [CreditLine.of(c) for c in s.credits] if s else []

    @strawberry.field(description="`total` less the credit lines.")
    def amount_due(self) -> float:
        s = self.statement.settlement
        return s.due if s else self.statement.total

    @strawberry.field(description="When it was paid (UTC, ISO 8601); null until then.")
    def paid_at(self) -> Optional[str]:
        s = self.statement.settlement
        return s.paid_at if s else None

    @strawberry.field(description="Its life-cycle moves since it was issued, oldest first.")
    def history(self) -> list[StatementMove]:
        s = self.statement.settlement
        return [StatementMove.of(m) for m in s.history] if s else []


@strawberry.input(description="Issued statements to list; every field given must match.")
class StatementFilter:
    period: Optional[str] = strawberry.field(default=None, description="The month, YYYY-MM.")
    customer: Optional[strawberry.ID] = None
    state: Optional[StatementState] = None


@strawberry.type
class ChargeStatementEdge:
    cursor: str
    node: ChargeStatement


@strawberry.type(description="A page of issued charge statements ordered by customer, then month (Relay connection).")
class ChargeStatementConnection:
    edges: list[ChargeStatementEdge]
    page_info: "PageInfo"
    total_count: int

    @strawberry.field
    def nodes(self) -> list[ChargeStatement]:
        return [e.node for e in self.edges]


@strawberry.type(description="Budget against actual: `variance` = budget - actual (negative: over budget).")
class Variance:
    budget: float
    actual: float
    variance: float
    percent: Optional[float] = strawberry.field(description="The variance in % of the budget; null without one.")

    @classmethod
    def of(cls, v: budgets.Variance) -> "Variance":
        return cls(budget=v.budget, actual=v.actual, variance=v.variance, percent=v.percent)


@strawberry.type(description="A service's (or, with no service, the whole portfolio's) month and year to date.")
class BudgetLine:
    service_id: strawberry.Private[Optional[str]]
    period: str
    direct: Variance
    total: Variance = strawberry.field(description="Against total cost (for the portfolio: the retained costs, so "
                                                   "each cost counts once).")
    ytd_direct: Variance
    ytd_total: Variance

    @classmethod
    def of(cls, line: budgets.BudgetLine) -> "BudgetLine":
        return cls(service_id=line.service_id, period=line.period, direct=Variance.of(line.direct),
                   total=Variance.of(line.total), ytd_direct=Variance.of(line.ytd_direct),
                   ytd_total=Variance.of(line.ytd_total))

    @strawberry.field(description="Null on the portfolio line.")
    async def service(self, info: strawberry.Info["Context", None]) -> Optional[Service]:
        return None if self.service_id is None else await load_service(info, self.service_id)


@strawberry.enum(description="The order of `BudgetReport.services`: by service id, or by a figure of the month's "
                             "total cost line (largest budget or actual first, most over budget first), then id.")
class BudgetLineOrder(Enum):
    ID = "ID"
    BUDGET_DESC = "BUDGET_DESC"
    ACTUAL_DESC = "ACTUAL_DESC"
    VARIANCE_ASC = "VARIANCE_ASC"


_BUDGET_ORDER = {
    BudgetLineOrder.BUDGET_DESC: lambda x: (-x.total.budget, x.service_id),
    BudgetLineOrder.ACTUAL_DESC: lambda x: (-x.total.actual, x.service_id),
    BudgetLineOrder.VARIANCE_ASC: lambda x: (x.total.variance, x.service_id),
}


@strawberry.type(description="The lengths of a budget report's list.")
class BudgetReportCounts:
    services: int = strawberry.field(description="Lines in `services` (a budget or a cost this year).")
    budgeted: int = strawberry.field(description="Of them, those with a budget for the month (`total.budget` > 0).")
    over_budget: int = strawberry.field(description="Of the budgeted, those whose month's total cost is over the budget.")


@strawberry.type(description="Actual cost against budgets for a month and the year to date (January to it).")
class BudgetReport:
    report: strawberry.Private[budgets.BudgetReport]
    period: str
    portfolio: BudgetLine

    @classmethod
    def of(cls, r: budgets.BudgetReport) -> "BudgetReport":
        return cls(report=r, period=r.period, portfolio=BudgetLine.of(r.portfolio))

    @strawberry.field(description="Services with a budget or a cost this year, by id (or by `orderBy`, then id); "
                                  f"{PAGE_DOC}; `servicesCount` (and `counts.services`) says how many there are.")
    def services(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
                 order_by: BudgetLineOrder = BudgetLineOrder.ID) -> list[BudgetLine]:
        lines = self.report.services
        if order_by is not BudgetLineOrder.ID:
            lines = sorted(lines, key=_BUDGET_ORDER[order_by])
        return [BudgetLine.of(x) for x in bounded(lines, first, offset)]

    @strawberry.field(description="The line of one service; null when it has neither a budget nor a cost this year.")
    def service(self, id: strawberry.ID) -> Optional[BudgetLine]:
        found = next((x for x in self.report.services if x.service_id == id), None)
        return None if found is None else BudgetLine.of(found)

    @strawberry.field(description="How many lines `services` has, with a budget, and over it.")
    def counts(self) -> BudgetReportCounts:
        lines = self.report.services
        return BudgetReportCounts(services=len(lines), budgeted=sum(1 for x in lines if x.total.budget > 0),
                                  over_budget=sum(1 for x in lines if x.total.budget > 0 and x.total.variance < 0))

    @strawberry.field(description="How many services `services` lists in all.")
    def services_count(self) -> int:
        return len(self.report.services)


@strawberry.type(description="A service's budget for one month.")
class Budget:
    service_id: strawberry.Private[str]
    period: str
    amount: float

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.service_id)


@strawberry.type(description="The case for a service (spec: Business cases), with its figures.")
class BusinessCase:
    id: strawberry.ID
    service_id: strawberry.Private[str]
    name: Optional[str]
    description: Optional[str]
    investment: float
    annual_benefit: float
    annual_running_cost: float
    years: int
    discount_rate: float
    objectives: Optional[str]
    non_financial_impacts: list[str]
    investment_category: Optional[str] = strawberry.field(description="RUN, GROW or TRANSFORM, or null.")
    npv: float = strawberry.field(description="-investment + sum over years of net / (1 + discountRate)^year.")
    roi: Optional[float] = strawberry.field(description="(sum of net - investment) / investment; null without one.")
    payback: Optional[float] = strawberry.field(description="Years until the cumulative net reaches the investment "
                                                            "(interpolated within a year); null if never.")
    net_per_year: list[float]

    @classmethod
    def of(cls, ranked: RankedCase) -> "BusinessCase":
        c, f, p = ranked.case, ranked.figures, ranked.props
        return cls(id=strawberry.ID(c.id), service_id=c.service_id, name=p.get("name"), description=p.get("description"),
                   investment=c.investment, annual_benefit=c.annual_benefit, annual_running_cost=c.annual_running_cost,
                   years=c.years, discount_rate=c.discount_rate, objectives=p.get("objectives"),
                   non_financial_impacts=f.non_financial_impacts,
                   investment_category=p.get("investmentCategory"), npv=f.npv, roi=f.roi, payback=f.payback,
                   net_per_year=f.net)

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.service_id)


@strawberry.type(description="A service's demand in units a month (spec: Demand management).")
class ServiceDemand:
    service_id: strawberry.Private[str]
    own_units: float = strawberry.field(description="The units of its own subscribers.")
    demand: float = strawberry.field(description="Own units plus what its consumers pass down (demandFactor).")
    capacity: Optional[float]
    utilisation: Optional[float] = strawberry.field(description="demand / capacity; null without a capacity.")
    flag: Optional[CapacityFlag]

    @classmethod
    def of(cls, d: demand.ServiceDemand) -> "ServiceDemand":
        return cls(service_id=d.service_id, own_units=d.own_units, demand=d.demand, capacity=d.capacity,
                   utilisation=d.utilisation, flag=d.flag)

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.service_id)


@strawberry.type(description="Demand and utilisation of every service.")
class DemandReport:
    report: strawberry.Private[demand.DemandReport]

    @strawberry.field(description=f"Every service's demand, ordered by id; {PAGE_DOC}; `servicesCount` gives their "
                                  "number.")
    def services(self, first: Optional[int] = LIST_PAGE_SIZE, offset: int = 0) -> list[ServiceDemand]:
        ids = self.report.topology.ids  # numbered in id order already (Topology.build)
        return [ServiceDemand.of(self.report.of(sid)) for sid in bounded(ids, first, offset)]

    @strawberry.field(description="How many services `services` lists in all.")
    def services_count(self) -> int:
        return len(self.report.topology.ids)

    @strawberry.field(description="Services over capacity or within 10 % of it, highest utilisation first; "
                                  f"{PAGE_DOC}; `flaggedCount` gives their number.")
    def flagged(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[ServiceDemand]:
        return [ServiceDemand.of(d) for d in bounded(self.report.flagged(), first, offset)]

    @strawberry.field(description="How many services `flagged` lists in all.")
    def flagged_count(self) -> int:
        return len(self.report.flagged())
