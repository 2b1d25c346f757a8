"""Strawberry types of impact analysis. Thin: they hold a service-layer report and page through it; node
details (services, outcomes, customers) load through the request's DataLoaders, one batched query a list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import strawberry
from strawberry.dataloader import DataLoader

from graph_itsm.errors import NotFound
from graph_itsm.finance.statements import period_charges
from graph_itsm.impact import charges, model
from graph_itsm.impact.service import ImpactReport as Report
from graph_itsm.paging import LIST_PAGE_SIZE, PAGE_DOC, page_args
from graph_itsm.portfolio.types import BusinessOutcome, Customer, Service, ServiceStage

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["ImpactStatus", "ImpactCounts", "ImpactedService", "ImpactedOutcome", "ImpactedCustomer", "ImpactReport",
           "DependencyEntry", "CustomerChargesAtRisk", "ChargesAtRisk"]

ImpactStatus = strawberry.enum(
    model.ImpactStatus,
    description="DOWN: failed, retired in a what-if, or every member of one of its dependency groups is DOWN. "
    "DEGRADED: not DOWN, but at least one dependency is DOWN or DEGRADED.",
)

_PAGE = f"Ordered by distance, then id; {PAGE_DOC}; `counts` gives their number, GET /impact.ndjson the whole list."
_ID_PAGE = f"in id order; {PAGE_DOC}; `counts` gives their number."


async def _load_all(loader: DataLoader, keys: list[str]) -> list[Any]:
    """Rows for a whole list of keys in one batched query: the loader's own batch function, called once
    (``load_many`` would make and schedule a future per key, which costs more than the query for thousands)."""
    return list(await loader.load_fn(keys)) if keys else []


async def _service(info: strawberry.Info["Context", None], service_id: str) -> Service:
    row = await info.context.portfolio.service.load(service_id)
    if row is None:  # deleted between the topology snapshot and this read
        raise NotFound(f"service {service_id!r} was removed while the answer was prepared; ask again")
    return Service.from_props(row["service"])


@strawberry.type(description="How much is impacted (within `maxDepth`, when given).")
class ImpactCounts:
    services: int = strawberry.field(description="Impacted services: DOWN + DEGRADED, failed ones (and those of `whatIfRetired`) included. "
                                 "Services out of service (RETIRED, no special business case) are never impacted.")
    down: int
    degraded: int
    customer_facing: int
    outcomes: int
    customers: int
    live: int = strawberry.field(description="Impacted services that are delivered today: in the catalogue, or "
                                 "retired but still held by a special-business-case subscription.")
    planned: int = strawberry.field(description="Impacted services in the pipeline: planned impact, not yet felt "
                                    "by customers. `live + planned = services`.")


@strawberry.type(description="A service that is DOWN or DEGRADED, with one shortest path from a failed service.")
class ImpactedService:
    service_id: strawberry.Private[str]
    status: model.ImpactStatus
    distance: int = strawberry.field(description="Fewest DEPENDS_ON hops from any failed (or retired) service.")
    path: list[strawberry.ID] = strawberry.field(
        description="Service ids of one shortest path, from a failed (or retired) service to this one, both included."
    )
    stage: ServiceStage = strawberry.field(
        description="The service's stage: PIPELINE means planned impact (not yet delivered), CATALOGUE live impact; "
        "RETIRED appears only for a retired service still delivered under a special business case."
    )
    assumed_retired: bool = strawberry.field(
        description="The service was named in `whatIfRetired`: removed in the what-if (reported DOWN, distance 0). "
        "Not the service's stage (see `stage`)."
    )

    @classmethod
    def from_row(cls, r: model.ImpactedRow) -> "ImpactedService":
        return cls(service_id=r.id, status=r.status, distance=r.distance, path=r.path,  # type: ignore[arg-type]
                   stage=ServiceStage(r.stage), assumed_retired=r.assumed_retired)  # type: ignore[arg-type]

    @strawberry.field(description="The service's details (loaded in one batched query for the whole page).")
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await _service(info, self.service_id)


@strawberry.type(description="A business outcome at risk: the worst status of the impacted services that enable it.")
class ImpactedOutcome:
    outcome: BusinessOutcome
    status: model.ImpactStatus


@strawberry.type(
    description="A customer affected: the worst status over the services it subscribes to and the outcomes it pursues."
)
class ImpactedCustomer:
    customer: Customer
    status: model.ImpactStatus


@strawberry.type(description="A customer's charges for the month on its subscriptions to impacted services.")
class CustomerChargesAtRisk:
    customer: Customer
    total: float = strawberry.field(description="`down` + `degraded`.")
    down: float = strawberry.field(description="Charges on subscriptions to DOWN services.")
    degraded: float = strawberry.field(description="Charges on subscriptions to DEGRADED services.")


@strawberry.type(
    description="The month's charges on subscriptions to the impacted services (within `maxDepth`, when given): "
    "the figures of `chargeStatement` (issued statements as issued, the others as they stand), split by the "
    "status of the subscribed service."
)
class ChargesAtRisk:
    risk: strawberry.Private[charges.ChargesAtRisk]
    period: str = strawberry.field(description="The month, YYYY-MM.")
    currency: Optional[str] = strawberry.field(description="The portfolio's currency.")
    total: float = strawberry.field(description="`down` + `degraded`, over all customers.")
    down: float = strawberry.field(description="Charges on subscriptions to DOWN services.")
    degraded: float = strawberry.field(description="Charges on subscriptions to DEGRADED services.")

    @classmethod
    def of(cls, r: charges.ChargesAtRisk) -> "ChargesAtRisk":
        return cls(risk=r, period=r.period, currency=r.currency, total=r.total, down=r.down, degraded=r.degraded)

    @strawberry.field(
        description="Customers with at least one subscription to an impacted service (even one charged 0), by "
        f"`total` descending, then id; {PAGE_DOC}; `customersCount` gives their number."
    )
    async def customers(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0
    ) -> list[CustomerChargesAtRisk]:
        found = self.risk.page(*page_args(first, offset))
        rows = await _load_all(info.context.portfolio.customer, [c.customer_id for c in found])
        return [
            CustomerChargesAtRisk(
                customer=Customer.from_row(row if row else {"customer": {"id": c.customer_id}}),
                total=c.total, down=c.down, degraded=c.degraded,
            )
            for c, row in zip(found, rows)
        ]

    @strawberry.field(description="How many customers `customers` lists in all.")
    def customers_count(self) -> int:
        return len(self.risk.customers)


@strawberry.type(description="What fails and degrades, and who notices, when services fail (or are retired).")
class ImpactReport:
    report: strawberry.Private[Report]

    @strawberry.field(description="Sizes of the lists below, without loading them.")
    def counts(self) -> ImpactCounts:
        c = self.report.counts
        return ImpactCounts(
            services=c.services,
            down=c.down,
            degraded=c.degraded,
            customer_facing=c.customer_facing,
            outcomes=c.outcomes,
            customers=c.customers,
            live=c.live,
            planned=c.planned,
        )

    @strawberry.field(description="Every DOWN or DEGRADED service, failed ones (and those of `whatIfRetired`) included. " + _PAGE)
    def services(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[ImpactedService]:
        return [ImpactedService.from_row(r) for r in self.report.services(*page_args(first, offset))]

    @strawberry.field(description="The customer-facing services among `services`. " + _PAGE)
    def customer_facing(self,
        first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list[ImpactedService]:
        return [ImpactedService.from_row(r) for r in self.report.customer_facing(*page_args(first, offset))]

    @strawberry.field(
        description="Business outcomes enabled by an impacted service, " + _ID_PAGE
    )
    async def outcomes(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0
    ) -> list[ImpactedOutcome]:
        found = self.report.outcomes(*page_args(first, offset))
        rows = await _load_all(info.context.portfolio.outcome, [o for o, _ in found])
        return [
            ImpactedOutcome(outcome=BusinessOutcome.from_props(row["outcome"] if row else {"id": o}), status=s)  # type: ignore[arg-type]
            for (o, s), row in zip(found, rows)
        ]

    @strawberry.field(
        description="Customers subscribed to an impacted service or pursuing an impacted outcome, " + _ID_PAGE
    )
    async def customers(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0
    ) -> list[ImpactedCustomer]:
        found = self.report.customers(*page_args(first, offset))
        rows = await _load_all(info.context.portfolio.customer, [c for c, _ in found])
        return [
            ImpactedCustomer(customer=Customer.from_row(row if row else {"customer": {"id": c}}), status=s)  # type: ignore[arg-type]
            for (c, s), row in zip(found, rows)
        ]

    @strawberry.field(
        description="The monthly charges at risk: what customers are charged in `period` (YYYY-MM; BAD_INPUT "
        "naming `period` otherwise) on their subscriptions to the services listed in `services`."
    )
    def charges_at_risk(self, info: strawberry.Info["Context", None], period: str) -> ChargesAtRisk:
        f = info.context.finance
        return ChargesAtRisk.of(charges.charges_at_risk(self.report, period_charges(f.store, f.cache, period)))


@strawberry.type(description="A service that another one needs, directly (distance 1) or transitively.")
class DependencyEntry:
    service_id: strawberry.Private[str]
    distance: int

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        return await _service(info, self.service_id)
