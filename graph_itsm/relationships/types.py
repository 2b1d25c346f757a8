"""Strawberry types of business relationship management. Thin: they render the service layer's dataclasses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance.report_types import ChargeStatement
from graph_itsm.portfolio.types import BusinessOutcome, Customer, PageInfo, Service, ServiceStage
from graph_itsm.relationships import model
from graph_itsm.relationships.service import CustomerView as ViewData
from graph_itsm.relationships.service import ServiceInView
from graph_itsm.relationships.model import format_time

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["ComplaintStatus", "ServiceHealth", "Complaint", "Survey", "SurveyPoint", "Satisfaction",
           "CustomerService", "CustomerView", "RaiseComplaintInput", "RelationshipManagerInput", "SurveyFilter",
           "SurveyEdge", "SurveyConnection"]

ComplaintStatus = strawberry.enum(
    model.ComplaintStatus,
    description="The complaint procedure: OPEN -> ACKNOWLEDGED -> RESOLVED -> CLOSED; ESCALATED from OPEN or "
                "ACKNOWLEDGED (escalation level + 1), then back to ACKNOWLEDGED.",
)
ServiceHealth = strawberry.enum(model.ServiceHealth,
                                description="A service's current health; for now UNAVAILABLE only when RETIRED.")


@strawberry.type(description="A customer's complaint, handled by the formal procedure (spec: Business relationship "
                             "management).")
class Complaint:
    data: strawberry.Private[model.Complaint]
    now: strawberry.Private[datetime]
    id: strawberry.ID
    name: Optional[str]
    severity: int = strawberry.field(description="1 (most severe) to 4.")
    status: ComplaintStatus
    escalation_level: int
    summary: Optional[str]
    opened: str = strawberry.field(description="When it was raised (UTC, ISO 8601).")
    acknowledged: Optional[str] = strawberry.field(description="When it was first acknowledged; null until then.")
    deadline: str = strawberry.field(description="When it must be acknowledged by: opened + 4 h, 1, 3 or 5 days "
                                                 "for severity 1, 2, 3 or 4.")
    overdue: bool = strawberry.field(description="Still unacknowledged after its deadline.")

    @classmethod
    def of(cls, c: model.Complaint, now: datetime) -> "Complaint":
        return cls(data=c, now=now, id=strawberry.ID(c.id), name=c.name, severity=c.severity, status=c.status,
                   escalation_level=c.escalation_level, summary=c.summary, opened=format_time(c.opened),
                   acknowledged=None if c.acknowledged is None else format_time(c.acknowledged),
                   deadline=format_time(c.deadline), overdue=c.overdue(now))

    @strawberry.field(description="The customer who raised it; null once that customer was deleted (a CLOSED "
                                  "complaint stays; `customerId` keeps the id).")
    async def customer(self, info: strawberry.Info["Context", None]) -> Optional[Customer]:
        row = await info.context.portfolio.customer.load(self.data.customer_id)
        return None if row is None else Customer.from_row(row)

    @strawberry.field(description="The id of the customer who raised it, even after that customer was deleted.")
    def customer_id(self) -> strawberry.ID:
        return strawberry.ID(self.data.customer_id)

    @strawberry.field(description="The service complained about, if any.")
    async def service(self, info: strawberry.Info["Context", None]) -> Optional[Service]:
        if self.data.service_id is None:
            return None
        row = await info.context.portfolio.service.load(self.data.service_id)
        return Service.from_props(row["service"]) if row else None


@strawberry.type(description="A satisfaction survey: a customer's score (1 to 5) for one month.")
class Survey:
    period: str
    score: int
    comment: Optional[str]
    customer_id: strawberry.Private[Optional[str]] = None

    @classmethod
    def of(cls, s: model.Survey, customer_id: Optional[str] = None) -> "Survey":
        return cls(period=s.period, score=s.score, comment=s.comment, customer_id=customer_id)

    @strawberry.field(description="The customer surveyed (null where the survey is read through its customer).")
    async def customer(self, info: strawberry.Info["Context", None]) -> Optional[Customer]:
        if self.customer_id is None:
            return None
        row = await info.context.portfolio.customer.load(self.customer_id)
        return None if row is None else Customer.from_row(row)


@strawberry.type(description="One point of the satisfaction trend.")
class SurveyPoint:
    period: str
    score: int


@strawberry.type(description="A customer's satisfaction from its monthly surveys.")
class Satisfaction:
    data: strawberry.Private[model.Satisfaction]

    @strawberry.field(description="The most recent survey; null without any.")
    def latest(self) -> Optional[Survey]:
        return None if self.data.latest is None else Survey.of(self.data.latest)

    @strawberry.field(description="Every survey's score, oldest month first.")
    def trend(self) -> list[SurveyPoint]:
        return [SurveyPoint(period=s.period, score=s.score) for s in self.data.trend]

    @strawberry.field(description="The latest score minus the previous one; null with fewer than two surveys.")
    def change(self) -> Optional[int]:
        return self.data.change


@strawberry.type(description="A service the customer subscribes to, with its stage and current health.")
class CustomerService:
    data: strawberry.Private[ServiceInView]

    @strawberry.field
    def service(self) -> Service:
        return Service.from_props(self.data.props)

    @strawberry.field
    def stage(self) -> ServiceStage:
        return ServiceStage(self.data.stage)

    @strawberry.field
    def health(self) -> ServiceHealth:
        return self.data.health


@strawberry.type(description="What the relationship manager looks at for one customer.")
class CustomerView:
    data: strawberry.Private[ViewData]
    charges: Optional[ChargeStatement] = strawberry.field(
        description="The month's charge statement (issued, or as it stands); null without `period`.")

    @strawberry.field
    def customer(self) -> Customer:
        return Customer.from_row(self.data.customer)

    @strawberry.field(description="The services it subscribes to, by id.")
    def services(self) -> list[CustomerService]:
        return [CustomerService(data=s) for s in self.data.services]

    @strawberry.field(description="The business outcomes it pursues, by id.")
    def outcomes(self) -> list[BusinessOutcome]:
        return [BusinessOutcome.from_props(p) for p in self.data.outcomes]

    @strawberry.field
    def satisfaction(self) -> Satisfaction:
        return Satisfaction(data=self.data.satisfaction)

    @strawberry.field(description="Its complaints not yet CLOSED, oldest first, with their overdue flags.")
    def open_complaints(self) -> list[Complaint]:
        return [Complaint.of(c, self.data.now) for c in self.data.open_complaints]


@strawberry.input(description="A new complaint; it starts OPEN at escalation level 0, opened now.")
class RaiseComplaintInput:
    id: strawberry.ID
    customer: strawberry.ID
    severity: int = strawberry.field(description="1 (most severe) to 4.")
    service: Optional[strawberry.ID] = None
    name: Optional[str] = None
    summary: Optional[str] = None


@strawberry.input(description="A relationship manager: created, or updated, by id.")
class RelationshipManagerInput:
    id: strawberry.ID
    name: str
    email: str


@strawberry.input(description="Complaints to list; every field given must match.")
class ComplaintFilter:
    customer: Optional[strawberry.ID] = None
    service: Optional[strawberry.ID] = None
    status: Optional[ComplaintStatus] = None
    overdue: Optional[bool] = strawberry.field(default=None, description="Still unacknowledged after its deadline.")


@strawberry.type
class ComplaintEdge:
    cursor: str
    node: Complaint


@strawberry.type(description="A page of complaints ordered by id (Relay connection, like `services`).")
class ComplaintConnection:
    edges: list[ComplaintEdge]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Complaint]:
        return [e.node for e in self.edges]


@strawberry.input(description="Surveys to list; every field given must match.")
class SurveyFilter:
    customer: Optional[strawberry.ID] = None
    from_: Optional[str] = strawberry.field(default=None, name="from",
                                            description="From this month on (YYYY-MM), inclusive.")
    to: Optional[str] = strawberry.field(default=None, description="Up to this month (YYYY-MM), inclusive.")


@strawberry.type
class SurveyEdge:
    cursor: str
    node: Survey


@strawberry.type(description="A page of satisfaction surveys ordered by customer, then month (Relay connection).")
class SurveyConnection:
    edges: list[SurveyEdge]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Survey]:
        return [e.node for e in self.edges]
