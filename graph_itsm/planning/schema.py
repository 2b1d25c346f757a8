"""Annual planning in the GraphQL API: ``forecast(year)`` and ``demandWhatIf(...)``. Thin: resolvers call
``graph_itsm.planning.service``; the figures and their rules are in ``graph_itsm.planning.forecast``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance.report_types import DemandReport, ServiceDemand, Variance
from graph_itsm.finance.types import load_service
from graph_itsm.paging import page
from graph_itsm.planning import forecast as rules
from graph_itsm.planning import service as planning
from graph_itsm.portfolio.types import Customer, Service

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["PlanningQuery", "Forecast", "ServiceForecast", "DemandWhatIf", "ChargeChange"]


@strawberry.type(description="A service's (or, with no service, the whole portfolio's) cost forecast for the plan "
                             "year: the sum of twelve months of the least-squares line through its recorded months "
                             "(each month clipped at 0), against the year's budget (variance = budget - forecast).")
class ServiceForecast:
    service_id: strawberry.Private[Optional[str]]
    direct: float
    total: float = strawberry.field(description="Fully loaded cost; for the portfolio, retained cost (= direct).")
    slope_direct: float = strawberry.field(description="The trend of the monthly direct cost, a month.")
    slope_total: float
    budget: Optional[float] = strawberry.field(description="The plan year's budget lines, summed; null without any.")
    direct_variance: Optional[Variance]
    total_variance: Optional[Variance]

    @classmethod
    def of(cls, f: rules.CostForecast) -> "ServiceForecast":
        return cls(service_id=f.service_id, direct=f.direct, total=f.total, slope_direct=f.slope_direct,
                   slope_total=f.slope_total, budget=f.budget,
                   direct_variance=Variance.of(f.direct_variance) if f.direct_variance else None,
                   total_variance=Variance.of(f.total_variance) if f.total_variance else None)

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Optional[Service]:
        return None if self.service_id is None else await load_service(info, self.service_id)


@strawberry.type(description="Next year's cost and demand (spec: Budgeting, Demand management).")
class Forecast:
    year: str
    based_on: list[str] = strawberry.field(description="The recorded months before the year the trend is fitted to.")
    method: str
    portfolio: ServiceForecast
    demand: DemandReport = strawberry.field(description="Units a month as subscribed today, rolled down by the demand "
                                                        "factors (the model keeps no history of units); a year is "
                                                        "twelve of them.")
    forecasts: strawberry.Private[list[rules.CostForecast]]

    @strawberry.field(description="Every service's forecast, by id; `first`/`offset` page through them.")
    def services(self, first: Optional[int] = None, offset: int = 0) -> list[ServiceForecast]:
        ordered = sorted(self.forecasts, key=lambda f: f.service_id or "")
        return [ServiceForecast.of(f) for f in page(ordered, first, offset)]

    @strawberry.field(description="The services whose forecast total is over their budget, most over first.")
    def over_budget(self) -> list[ServiceForecast]:
        over = [f for f in self.forecasts if f.total_variance is not None and f.total_variance.variance < 0]
        return [ServiceForecast.of(f) for f in sorted(over, key=lambda f: (f.total_variance.variance, f.service_id))]


@strawberry.type(description="A statement line whose charge the what-if changes (a units split, PER_UNIT pricing).")
class ChargeChange:
    customer_id: strawberry.Private[str]
    service_id: strawberry.Private[str]
    units_before: Optional[float]
    units_after: Optional[float]
    charge_before: float
    charge_after: float
    change: float

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await load_service(info, self.service_id)

    @strawberry.field
    async def customer(self, info: strawberry.Info["Context", None]) -> Customer:
        return Customer.from_row(await info.context.portfolio.customer.load(self.customer_id))


@strawberry.type(description="A service's demand before and after the what-if.")
class CapacityChange:
    before: ServiceDemand
    after: ServiceDemand


@strawberry.type(description="What happens when a customer multiplies (or sets) its units on one service.")
class DemandWhatIf:
    period: str = strawberry.field(description="The month whose charges are compared.")
    units_before: Optional[float]
    units_after: float
    over_capacity: list[CapacityChange] = strawberry.field(
        description="The services over capacity after the change (highest utilisation first), with their figures "
                    "before it.")
    charge_changes: list[ChargeChange]


@strawberry.type
class PlanningQuery:
    @strawberry.field(description="Next year's cost per service (least-squares linear trend of the recorded monthly "
                                  "costs before `year`, with numpy) against the budgets set for `year`, and next "
                                  "year's demand. BAD_INPUT for a year not YYYY.")
    async def forecast(self, info: strawberry.Info["Context", None], year: str) -> Forecast:
        f = info.context.finance
        found = await asyncio.to_thread(planning.forecast_of, f.store, f.cache, year)
        return Forecast(year=found.year, based_on=found.based_on, method="least-squares linear trend of monthly cost",
                        portfolio=ServiceForecast.of(found.portfolio), demand=DemandReport(report=found.demand),
                        forecasts=found.services)

    @strawberry.field(description="What if customer `customerId` multiplies its units on `serviceId` by `factor` (2 "
                                  "doubles them) or sets them to `units` (exactly one): the services that go over "
                                  "capacity and the charges that change in `period` (default: the latest month with "
                                  "cost items). Nothing is written. NOT_FOUND without such a subscription.")
    async def demand_what_if(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID,
                             service_id: strawberry.ID, factor: Optional[float] = None, units: Optional[float] = None,
                             period: Optional[str] = None) -> DemandWhatIf:
        f = info.context.finance
        month, r = await asyncio.to_thread(planning.what_if_of, f.store, f.cache, customer_id, service_id,
                                           factor=factor, units=units, period=period)
        return DemandWhatIf(
            period=month, units_before=r.units_before, units_after=r.units_after,
            over_capacity=[CapacityChange(before=ServiceDemand.of(b), after=ServiceDemand.of(a)) for b, a in r.over_capacity],
            charge_changes=[ChargeChange(customer_id=c.customer_id, service_id=c.service_id, units_before=c.units_before,
                                         units_after=c.units_after, charge_before=c.charge_before,
                                         charge_after=c.charge_after, change=c.change) for c in r.charge_changes],
        )
