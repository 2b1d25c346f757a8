"""Strawberry types of the portfolio. Thin: relation fields load through the request's DataLoaders."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry

from graph_itsm.paging import LIST_PAGE_SIZE, PAGE_DOC, bounded
from graph_itsm.portfolio import document as model

if TYPE_CHECKING:
    from graph_itsm.api.context import Context
    from graph_itsm.portfolio.audit_types import AuditEntry
    from graph_itsm.portfolio.view_types import ValueSheet

_AUDIT = "graph_itsm.portfolio.audit_types"
_VIEWS = "graph_itsm.portfolio.view_types"
_FINANCE = "graph_itsm.finance.types"
_FINANCE_REPORTS = "graph_itsm.finance.report_types"


def _paged(what: str, count: str) -> str:
    return f"{what}; {PAGE_DOC}; `{count}` gives their number."


def _counted(field: str) -> str:
    return f"How many `{field}` lists in all."

__all__ = [
    "ServiceKind",
    "ServiceStage",
    "ProviderType",
    "CustomerType",
    "PricingModel",
    "InvestmentCategory",
    "Redundancy",
    "Service",
    "BusinessOutcome",
    "Customer",
    "Dependency",
    "Subscription",
    "RelationshipManager",
    "Pricing",
    "ServiceFilter",
    "ServiceEdge",
    "ServiceConnection",
    "PageInfo",
    "encode_cursor",
    "decode_cursor",
]

ServiceKind = strawberry.enum(model.ServiceKind, description="Customer-facing services are sold; supporting ones are internal.")
ServiceStage = strawberry.enum(model.ServiceStage, description="Where a service is in the portfolio: pipeline, catalogue or retired.")
ProviderType = strawberry.enum(model.Provider, name="ProviderType", description="Who provides a service.")
CustomerType = strawberry.enum(model.CustomerType, description="A business unit of our own (INTERNAL) or an outside customer.")
PricingModel = strawberry.enum(model.PricingModel, description="How a service's cost becomes a charge (spec: Charging).")
InvestmentCategory = strawberry.enum(model.InvestmentCategory, description="Where the money goes: keep the business "
                                     "running (RUN), grow it (GROW) or change it (TRANSFORM).")


@strawberry.type(description="How a service's cost becomes a charge (spec: Charging).")
class Pricing:
    model: str
    markup: Optional[float] = None
    price: Optional[float] = None


@strawberry.type(description="k of n for one redundancy group of a service's dependencies: the group needs `minUp` "
                             "of its members up, or `minUpPercent` of them (rounded up); 1 member where no rule "
                             "is given.")
class Redundancy:
    group: str
    min_up: Optional[int] = None
    min_up_percent: Optional[float] = None


@strawberry.type(description="A service of the portfolio.")
class Service:
    id: strawberry.ID
    name: str
    description: Optional[str]
    kind: ServiceKind
    stage: ServiceStage
    owner: Optional[str]
    provider: ProviderType
    supplier: Optional[str]
    criticality: Optional[int]
    capacity: Optional[float]
    risk_assessed: bool
    pricing: Optional[Pricing]
    redundancy: list[Redundancy]
    investment_category: Optional[InvestmentCategory]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Service":
        from graph_itsm.topology.projection import redundancy_rules

        pricing = None
        if p.get("pricingModel"):
            pricing = Pricing(model=p["pricingModel"], markup=p.get("pricingMarkup"), price=p.get("pricingPrice"))
        return cls(
            id=strawberry.ID(p["id"]),
            name=p.get("name") or p["id"],
            description=p.get("description"),
            kind=model.ServiceKind(p.get("kind", "SUPPORTING")),
            stage=model.ServiceStage(p.get("stage", "PIPELINE")),
            owner=p.get("owner"),
            provider=model.Provider(p.get("provider") or "INTERNAL"),
            supplier=p.get("supplier"),
            criticality=p.get("criticality"),
            capacity=p.get("capacity"),
            risk_assessed=bool(p.get("riskAssessed", False)),
            pricing=pricing,
            redundancy=[Redundancy(group=r["group"], min_up=r.get("minUp"), min_up_percent=r.get("minUpPercent"))
                        for r in redundancy_rules(p.get("redundancy"))],
            investment_category=(model.InvestmentCategory(p["investmentCategory"])
                                 if p.get("investmentCategory") else None),
        )

    @strawberry.field(description=_paged("The services this one consumes directly (DEPENDS_ON edges), with edge "
                                         "details", "dependenciesCount"))
    async def dependencies(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list["Dependency"]:
        rows = await info.context.portfolio.dependencies.load(self.id)
        return [Dependency.from_row(r) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("dependencies"))
    async def dependencies_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.dependencies.load(self.id))

    @strawberry.field(description=_paged("The services that consume this one directly", "consumersCount"))
    async def consumers(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list["Dependency"]:
        rows = await info.context.portfolio.consumers.load(self.id)
        return [Dependency.from_row(r) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("consumers"))
    async def consumers_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.consumers.load(self.id))

    @strawberry.field(description=_paged("Business outcomes this service helps achieve", "enablesCount"))
    async def enables(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list["BusinessOutcome"]:
        rows = await info.context.portfolio.outcomes_enabled.load(self.id)
        return [BusinessOutcome.from_props(r["outcome"]) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("enables"))
    async def enables_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.outcomes_enabled.load(self.id))

    @strawberry.field(description=_paged("Customers' subscriptions to this service", "subscriptionsCount"))
    async def subscriptions(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list["Subscription"]:
        rows = await info.context.portfolio.subscriptions_of_service.load(self.id)
        return [Subscription.from_row(r) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("subscriptions"))
    async def subscriptions_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.subscriptions_of_service.load(self.id))

    @strawberry.field(description=_paged("The audit trail of every change that concerned this service, newest first",
                                         "historyCount"))
    async def history(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0
    ) -> list[Annotated["AuditEntry", strawberry.lazy(_AUDIT)]]:
        from graph_itsm.portfolio.audit_types import AuditEntry

        entries = await info.context.portfolio.history.load(self.id)
        return [AuditEntry.from_entry(e) for e in bounded(entries, first, offset)]

    @strawberry.field(description=_counted("history"))
    async def history_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.history.load(self.id))

    @strawberry.field(description="What this service is worth to the business: outcomes, customers, subscriptions.")
    async def value_sheet(self, info: strawberry.Info["Context", None]) -> Annotated["ValueSheet", strawberry.lazy(_VIEWS)]:
        from graph_itsm.portfolio.view_types import ValueSheet

        return ValueSheet.of(self, await info.context.portfolio.value_sheet.load(self.id))

    @strawberry.field(description="The service's cost in the month `period` (YYYY-MM): direct, total (fully loaded, "
                                  "reciprocal method) and retained, and where it comes from. BAD_INPUT for a bad period.")
    def cost(self, info: strawberry.Info["Context", None], period: str) -> Annotated["ServiceCost", strawberry.lazy(_FINANCE)]:
        from graph_itsm.finance.types import ServiceCost

        return ServiceCost.of(info.context.finance.month(period), self.id)

    @strawberry.field(description="The service's business case with NPV, ROI and payback, or null.")
    async def business_case(
        self, info: strawberry.Info["Context", None]
    ) -> Optional[Annotated["BusinessCase", strawberry.lazy(_FINANCE_REPORTS)]]:
        from graph_itsm.finance.report_types import BusinessCase

        found = await info.context.finance.business_case.load(self.id)
        return None if found is None else BusinessCase.of(found)

    @strawberry.field(description="The service's demand in units a month, its capacity and utilisation.")
    def demand(self, info: strawberry.Info["Context", None]) -> Annotated["ServiceDemand", strawberry.lazy(_FINANCE_REPORTS)]:
        from graph_itsm.finance.report_types import ServiceDemand

        return ServiceDemand.of(info.context.finance.demand().of(self.id))


@strawberry.type(description="A DEPENDS_ON edge seen from one end; `service` is the other end.")
class Dependency:
    service_id: strawberry.Private[str]
    share: Optional[float]
    redundancy_group: Optional[str]
    demand_factor: Optional[float]

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> "Dependency":
        return cls(
            service_id=r["service"],
            share=r.get("share"),
            redundancy_group=r.get("redundancyGroup"),
            demand_factor=r.get("demandFactor"),
        )

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        row = await info.context.portfolio.service.load(self.service_id)
        return Service.from_props(row["service"])


@strawberry.type(description="What a customer wants to achieve.")
class BusinessOutcome:
    id: strawberry.ID
    name: str
    description: Optional[str]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "BusinessOutcome":
        return cls(id=strawberry.ID(p["id"]), name=p.get("name") or p["id"], description=p.get("description"))

    @strawberry.field(description=_paged("Services that enable this outcome", "enabledByCount"))
    async def enabled_by(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list[Service]:
        rows = await info.context.portfolio.enabling_services.load(self.id)
        return [Service.from_props(r["service"]) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("enabledBy"))
    async def enabled_by_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.enabling_services.load(self.id))

    @strawberry.field(description=_paged("Customers pursuing this outcome", "pursuedByCount"))
    async def pursued_by(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list["Customer"]:
        rows = await info.context.portfolio.pursuing_customers.load(self.id)
        return [Customer.from_row(r) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("pursuedBy"))
    async def pursued_by_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.pursuing_customers.load(self.id))


@strawberry.type(description="A business relationship manager (BRM).")
class RelationshipManager:
    id: strawberry.ID
    name: str
    email: Optional[str]


@strawberry.type(description="A customer: a business unit of our own or an outside organisation.")
class Customer:
    id: strawberry.ID
    name: str
    description: Optional[str]
    type: CustomerType
    relationship_manager: Optional[RelationshipManager]

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> "Customer":
        p, m = r["customer"], r.get("manager")
        manager = RelationshipManager(id=m["id"], name=m.get("name") or m["id"], email=m.get("email")) if m else None
        return cls(
            id=strawberry.ID(p["id"]),
            name=p.get("name") or p["id"],
            description=p.get("description"),
            type=model.CustomerType(p.get("type") or "INTERNAL"),
            relationship_manager=manager,
        )

    @strawberry.field(description=_paged("The customer's subscriptions", "subscriptionsCount"))
    async def subscriptions(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list["Subscription"]:
        rows = await info.context.portfolio.subscriptions_of_customer.load(self.id)
        return [Subscription.from_row(r) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("subscriptions"))
    async def subscriptions_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.subscriptions_of_customer.load(self.id))

    @strawberry.field(description=_paged("Business outcomes the customer pursues", "pursuesCount"))
    async def pursues(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list[BusinessOutcome]:
        rows = await info.context.portfolio.outcomes_pursued.load(self.id)
        return [BusinessOutcome.from_props(r["outcome"]) for r in bounded(rows, first, offset)]

    @strawberry.field(description=_counted("pursues"))
    async def pursues_count(self, info: strawberry.Info["Context", None]) -> int:
        return len(await info.context.portfolio.outcomes_pursued.load(self.id))

    @strawberry.field(description="Satisfaction from the customer's monthly surveys: latest, trend and change.")
    async def satisfaction(
        self, info: strawberry.Info["Context", None]
    ) -> Annotated["Satisfaction", strawberry.lazy("graph_itsm.relationships.types")]:
        from graph_itsm.relationships.types import Satisfaction

        return Satisfaction(data=await info.context.relationships.satisfaction.load(self.id))


@strawberry.type(description="A customer's subscription to a customer-facing service.")
class Subscription:
    customer_id: strawberry.Private[str]
    service_id: strawberry.Private[str]
    since: Optional[str]
    share: Optional[float]
    units: Optional[float]
    special_business_case: Optional[str]

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> "Subscription":
        s = r.get("subscription") or {}
        return cls(
            customer_id=r["customer"],
            service_id=r["service"],
            since=s.get("since"),
            share=s.get("share"),
            units=s.get("units"),
            special_business_case=s.get("specialBusinessCase"),
        )

    @strawberry.field
    async def service(self, info: strawberry.Info["Context", None]) -> Service:
        row = await info.context.portfolio.service.load(self.service_id)
        return Service.from_props(row["service"])

    @strawberry.field
    async def customer(self, info: strawberry.Info["Context", None]) -> Customer:
        return Customer.from_row(await info.context.portfolio.customer.load(self.customer_id))


@strawberry.input(description="Filters for `services`; all given filters must hold.")
class ServiceFilter:
    kind: Optional[ServiceKind] = None
    stage: Optional[ServiceStage] = None
    owner: Optional[str] = None
    provider: Optional[ProviderType] = None
    search: Optional[str] = strawberry.field(default=None, description="Case-insensitive text in name or description.")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: Optional[str]


@strawberry.type
class ServiceEdge:
    cursor: str
    node: Service


@strawberry.type(description="A page of services ordered by id (Relay connection).")
class ServiceConnection:
    edges: list[ServiceEdge]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Service]:
        return [e.node for e in self.edges]


def encode_cursor(service_id: str) -> str:
    return base64.urlsafe_b64encode(f"service:{service_id}".encode()).decode()


def decode_cursor(cursor: str) -> str:
    from graph_itsm.errors import BadInput

    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    if not text.startswith("service:"):
        raise BadInput(f"after: {cursor!r} is not a cursor returned by `services`", field="after")
    return text[len("service:") :]
