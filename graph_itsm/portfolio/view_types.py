"""Strawberry types of the portfolio views. Thin: built from ``views.py`` values; relations load through the
request's DataLoaders."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.paging import LIST_PAGE_SIZE, PAGE_DOC, bounded
from graph_itsm.portfolio import views
from graph_itsm.portfolio import document as model
from graph_itsm.portfolio.types import (
    BusinessOutcome,
    Customer,
    ProviderType,
    Service,
    ServiceKind,
    ServiceStage,
    Subscription,
)

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = [
    "StageCount", "KindCount", "StageKindCount", "PortfolioCounts", "StageKindCost", "ValueSheet",
    "RetirementReason", "RetirementCandidate",
]


@strawberry.type
class StageCount:
    stage: ServiceStage
    count: int


@strawberry.type
class KindCount:
    kind: ServiceKind
    count: int


@strawberry.type
class StageKindCount:
    stage: ServiceStage
    kind: ServiceKind
    count: int


@strawberry.type(description="How many services each part of the portfolio holds (every stage and kind, zeros too).")
class PortfolioCounts:
    total: int
    by_stage: list[StageCount]
    by_kind: list[KindCount]
    by_stage_and_kind: list[StageKindCount]

    @classmethod
    def from_counts(cls, c: views.Counts) -> "PortfolioCounts":
        return cls(
            total=c.total,
            by_stage=[StageCount(stage=model.ServiceStage(s), count=n) for s, n in c.by_stage().items()],
            by_kind=[KindCount(kind=model.ServiceKind(k), count=n) for k, n in c.by_kind().items()],
            by_stage_and_kind=[StageKindCount(stage=model.ServiceStage(s), kind=model.ServiceKind(k), count=n)
                               for (s, k), n in c.by_stage_and_kind.items()],
        )


@strawberry.type(description="The month's cost of the services of one stage and kind, from the month's allocation "
                             "(the figures of `costReport`, summed).")
class StageKindCost:
    stage: ServiceStage
    kind: ServiceKind
    services: int = strawberry.field(description="How many services of this stage and kind the portfolio holds.")
    direct: float = strawberry.field(description="Their direct cost: what the month's cost items allocate to them.")
    total: float = strawberry.field(
        description="Their total (fully loaded) cost. A provider's cost counts again in every consumer that bears "
        "part of it, so totals do not add up across groups; retained costs do."
    )
    retained: float = strawberry.field(
        description="Their retained cost: the part of their total that stays with them. Over every stage and kind "
        "it adds up to the month's allocated direct cost."
    )

    @classmethod
    def of(cls, c: views.StageKindCost) -> "StageKindCost":
        return cls(stage=model.ServiceStage(c.stage), kind=model.ServiceKind(c.kind), services=c.services,
                   direct=c.direct, total=c.total, retained=c.retained)


@strawberry.type(description="What a service is worth to the business: the outcomes it enables, its customers and "
                             "subscriptions, with its criticality, owner and provider.")
class ValueSheet:
    sheet: strawberry.Private[views.ValueSheet]
    service: Service
    stage: ServiceStage
    kind: ServiceKind
    criticality: Optional[int]
    owner: Optional[str]
    provider: ProviderType
    supplier: Optional[str]

    @classmethod
    def from_sheet(cls, sheet: views.ValueSheet, service: Service | None = None) -> "ValueSheet":
        s = service or Service.from_props(sheet.service)
        return cls(sheet=sheet, service=s, stage=s.stage, kind=s.kind, criticality=s.criticality, owner=s.owner,
                   provider=s.provider, supplier=s.supplier)

    @classmethod
    def of(cls, service: Service, sheet: views.ValueSheet | None) -> "ValueSheet":
        """``service``'s sheet; an empty one if the service went away since it was read."""
        return cls.from_sheet(sheet or views.ValueSheet(service={}, outcomes=[], subscriptions=[]), service)

    @strawberry.field(description=f"Business outcomes the service enables; {PAGE_DOC}; `outcomesCount` gives their "
                                  "number.")
    def outcomes(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[BusinessOutcome]:
        return [BusinessOutcome.from_props(o) for o in bounded(self.sheet.outcomes, first, offset)]

    @strawberry.field(description="How many `outcomes` lists in all.")
    def outcomes_count(self) -> int:
        return len(self.sheet.outcomes)

    @strawberry.field(description=f"Customers' subscriptions to the service; {PAGE_DOC}; `subscriberCount` gives "
                                  "their number.")
    def subscriptions(self, first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0) -> list[Subscription]:
        return [Subscription.from_row({"customer": x["customer"], "service": self.service.id, "subscription": x["props"]})
                for x in bounded(self.sheet.subscriptions, first, offset)]

    @strawberry.field(description="How many customers subscribe to the service.")
    def subscriber_count(self) -> int:
        return len(self.sheet.subscriptions)

    @strawberry.field(description="Its customers: those who subscribe to it and those who pursue an outcome it enables; "
                                  f"{PAGE_DOC}; `customersCount` gives their number.")
    async def customers(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list[Customer]:
        rows = await info.context.portfolio.customer.load_many(list(bounded(self.sheet.customers, first, offset)))
        return [Customer.from_row(r) for r in rows if r]

    @strawberry.field(description="How many `customers` lists in all.")
    def customers_count(self) -> int:
        return len(self.sheet.customers)


@strawberry.enum(description="Why a catalogue service is a candidate for retirement.")
class RetirementReason(Enum):
    UNUSED = strawberry.enum_value(views.UNUSED, description="No subscribers and no live services depending on it.")
    NO_OUTCOME = strawberry.enum_value(
        views.NO_OUTCOME,
        description="Neither it nor any live service depending on it (directly or not) enables a business outcome.",
    )
    COSTLY_WITHOUT_OUTCOME = strawberry.enum_value(
        views.COSTLY_WITHOUT_OUTCOME,
        description="NO_OUTCOME, and its total (fully loaded) cost in the month asked for is above the threshold.",
    )


@strawberry.type(description="A CATALOGUE service that may be worth retiring, and why.")
class RetirementCandidate:
    service_id: strawberry.Private[str]
    reasons: list[RetirementReason]
    explanation: str
    cost: Optional[float] = strawberry.field(
        description="Its total (fully loaded) cost in the month asked for (`period`); null when no month was asked."
    )

    @classmethod
    def from_candidate(cls, c: views.Candidate) -> "RetirementCandidate":
        return cls(service_id=c.service, reasons=[RetirementReason(r) for r in c.reasons], explanation=c.explanation,
                   cost=c.cost)

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        row = await info.context.portfolio.service.load(self.service_id)
        return Service.from_props(row["service"])
