"""Strawberry types of charging, budgeting, business cases and demand. Thin, like ``types``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance import budgets, charging, demand
from graph_itsm.finance.reports import RankedCase
from graph_itsm.finance.statements import Line, Statement
from graph_itsm.finance.types import CostOrigin, load_service
from graph_itsm.paging import page
from graph_itsm.portfolio import document as model
from graph_itsm.portfolio.types import Customer, PricingModel, Service

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = [
    "SplitBasis", "CapacityFlag", "ChargeLine", "ChargeStatement", "Variance", "BudgetLine", "BudgetReport", "Budget",
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

    @classmethod
    def of(cls, line: Line) -> "ChargeLine":
        return cls(line=line, cost=line.cost, charge=line.charge, fraction=line.fraction,
                   basis=charging.SplitBasis(line.basis), pricing=model.PricingModel(line.pricing), units=line.units,
                   markup=line.markup, price=line.price)

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.line.service_id)

    @strawberry.field(description="The cost items behind `cost`, through any chain of providers; they add up to it.")
    def origins(self) -> list[CostOrigin]:
        return [CostOrigin.of(o) for o in self.line.origins()]


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

    @strawberry.field
    def lines(self) -> list[ChargeLine]:
        return [ChargeLine.of(line) for line in self.statement.lines]


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


@strawberry.type(description="Actual cost against budgets for a month and the year to date (January to it).")
class BudgetReport:
    period: str
    services: list[BudgetLine] = strawberry.field(description="Services with a budget or a cost this year, by id.")
    portfolio: BudgetLine

    @classmethod
    def of(cls, r: budgets.BudgetReport) -> "BudgetReport":
        return cls(period=r.period, services=[BudgetLine.of(x) for x in r.services],
                   portfolio=BudgetLine.of(r.portfolio))


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

    @strawberry.field(description="Every service's demand, ordered by id; `first`/`offset` page through them.")
    def services(self, first: Optional[int] = None, offset: int = 0) -> list[ServiceDemand]:
        ids = sorted(self.report.topology.ids)
        return [ServiceDemand.of(self.report.of(sid)) for sid in page(ids, first, offset)]

    @strawberry.field(description="Services over capacity or within 10 % of it, highest utilisation first.")
    def flagged(self) -> list[ServiceDemand]:
        return [ServiceDemand.of(d) for d in self.report.flagged()]
