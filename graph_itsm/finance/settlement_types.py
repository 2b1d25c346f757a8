"""Strawberry types of a statement's life cycle and of revenue (see ``settlement``). Thin, like ``types``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance import settlement
from graph_itsm.portfolio.types import Customer

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["StatementState", "CreditLine", "StatementMove", "StatementSettlement", "CustomerRevenue", "RevenueReport"]

StatementState = strawberry.enum(settlement.StatementState, description="Where an issued statement stands: ISSUED "
                                 "(due), PAID (collected) or DISPUTED (the customer contests it; still outstanding).")


@strawberry.type(description="A credit line that settled a dispute: it lowers the amount due; the original lines "
                             "are never edited.")
class CreditLine:
    amount: float
    reason: str
    at: str = strawberry.field(description="When (UTC, ISO 8601).")
    by: str = strawberry.field(description="Who (the token's name or the JWT subject).")

    @classmethod
    def of(cls, c: settlement.Credit) -> "CreditLine":
        return cls(amount=c.amount, reason=c.reason, at=c.at, by=c.by)


@strawberry.type(description="One move of a statement's life cycle.")
class StatementMove:
    from_state: StatementState = strawberry.field(name="from")
    to_state: StatementState = strawberry.field(name="to")
    at: str
    by: str
    reason: Optional[str]
    credit: Optional[float]

    @classmethod
    def of(cls, m: settlement.Move) -> "StatementMove":
        return cls(from_state=settlement.StatementState(m.from_state), to_state=settlement.StatementState(m.to_state),
                   at=m.at, by=m.by, reason=m.reason, credit=m.credit)


@strawberry.type(description="Where an issued statement stands after a life-cycle move.")
class StatementSettlement:
    customer_id: strawberry.Private[str]
    period: str
    state: StatementState
    total: float = strawberry.field(description="The total it was issued with (never changes).")
    credited: float
    amount_due: float = strawberry.field(description="`total` less the credit lines.")
    paid_at: Optional[str]
    credits: list[CreditLine]
    history: list[StatementMove]

    @classmethod
    def of(cls, customer_id: str, period: str, s: settlement.Settlement) -> "StatementSettlement":
        return cls(customer_id=customer_id, period=period, state=s.state, total=s.total, credited=s.credited,
                   amount_due=s.due, paid_at=s.paid_at, credits=[CreditLine.of(c) for c in s.credits],
                   history=[StatementMove.of(m) for m in s.history])

    @strawberry.field
    async def customer(self, info: strawberry.Info["Context", None]) -> Customer:
        return Customer.from_row(await info.context.portfolio.customer.load(self.customer_id))


@strawberry.type(description="One customer's issued statement of the month, as revenue.")
class CustomerRevenue:
    customer_id: strawberry.Private[str]
    state: StatementState
    billed: float = strawberry.field(description="The statement's total.")
    credited: float
    due: float = strawberry.field(description="`billed` less the credit lines.")
    collected: float = strawberry.field(description="`due` once PAID, else 0.")
    outstanding: float = strawberry.field(description="`due` while ISSUED or DISPUTED, else 0.")

    @classmethod
    def of(cls, c: settlement.CustomerRevenue) -> "CustomerRevenue":
        return cls(customer_id=c.customer_id, state=c.state, billed=c.billed, credited=c.credited, due=c.due,
                   collected=c.collected, outstanding=c.outstanding)

    @strawberry.field
    async def customer(self, info: strawberry.Info["Context", None]) -> Customer:
        return Customer.from_row(await info.context.portfolio.customer.load(self.customer_id))


@strawberry.type(description="A month's revenue from its issued statements (live, unissued charges are not "
                             "revenue yet): collected from PAID ones, outstanding on ISSUED and DISPUTED ones.")
class RevenueReport:
    report: strawberry.Private[settlement.Revenue]
    period: str

    @strawberry.field
    def billed(self) -> float:
        return self.report.billed

    @strawberry.field
    def credited(self) -> float:
        return self.report.credited

    @strawberry.field
    def collected(self) -> float:
        return self.report.collected

    @strawberry.field
    def outstanding(self) -> float:
        return self.report.outstanding

    @strawberry.field(description="The part of `outstanding` on DISPUTED statements.")
    def disputed(self) -> float:
        return self.report.disputed

    @strawberry.field(description="Customers with an issued statement of the month, by id.")
    def customers(self) -> list[CustomerRevenue]:
        return [CustomerRevenue.of(c) for c in self.report.customers]
