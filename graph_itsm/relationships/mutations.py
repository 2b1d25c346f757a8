"""Business relationship management mutations of the GraphQL API. Thin: each reads ``info.context``, calls the
service layer (one audited atomic write, rules checked) and returns the changed object."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.portfolio.inputs import Deletion, as_data
from graph_itsm.portfolio.types import Customer
from graph_itsm.relationships import model, service
from graph_itsm.relationships.types import (
    Complaint,
    ComplaintStatus,
    RaiseComplaintInput,
    RelationshipManagerInput,
    Survey,
)

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["RelationshipMutation"]


@strawberry.type
class RelationshipMutation:
    @strawberry.mutation(description="Raise a complaint: OPEN, escalation level 0, opened now. Errors: BAD_INPUT for a "
                                     "malformed field (severity 1 to 4, id a slug); NOT_FOUND for an unknown "
                                     "customer or service; RULE_VIOLATION `unique-id` if the id is taken.")
    def raise_complaint(self, info: strawberry.Info["Context", None], input: RaiseComplaintInput) -> Complaint:
        ctx = info.context
        c = service.raise_complaint(ctx.store, as_data(input), actor=ctx.actor, now=ctx.state.clock)
        ctx.changed()
        return Complaint.of(c, ctx.state.clock())

    @strawberry.mutation(description="Move a complaint along the procedure OPEN -> ACKNOWLEDGED -> RESOLVED -> CLOSED; "
                                     "ESCALATED (from OPEN or ACKNOWLEDGED) raises the escalation level by one and "
                                     "goes back to ACKNOWLEDGED. The first acknowledgement records its time. Errors: "
                                     "NOT_FOUND for an unknown id; RULE_VIOLATION `complaint-procedure` naming both "
                                     "states for any other move.")
    def move_complaint(self, info: strawberry.Info["Context", None], id: strawberry.ID,
                       status: ComplaintStatus) -> Complaint:
        ctx = info.context
        c = service.move_complaint(ctx.store, id, model.ComplaintStatus(status).value, actor=ctx.actor,
                                   now=ctx.state.clock)
        ctx.changed()
        return Complaint.of(c, ctx.state.clock())

    @strawberry.mutation(description="Record a customer's satisfaction survey for a month; a second one for the same "
                                     "month replaces it. Errors: BAD_INPUT naming `period` (YYYY-MM) or `score` "
                                     "(1 to 5); NOT_FOUND for an unknown customer.")
    def record_survey(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID, period: str,
                      score: int, comment: Optional[str] = None) -> Survey:
        ctx = info.context
        s = service.record_survey(ctx.store, customer_id, period, score, comment, actor=ctx.actor)
        ctx.changed()
        return Survey(period=s.period, score=s.score, comment=s.comment)

    @strawberry.mutation(description="Remove a customer's satisfaction survey of a month (so the customer can be "
                                     "deleted). Errors: BAD_INPUT naming `period`; NOT_FOUND for an unknown customer "
                                     "or no survey that month. Returns the survey's id (customer:period).")
    def delete_survey(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID, period: str) -> Deletion:
        ctx = info.context
        deleted = service.delete_survey(ctx.store, customer_id, period, actor=ctx.actor)
        ctx.changed()
        return Deletion(id=strawberry.ID(deleted))

    @strawberry.mutation(description="Make `manager` the customer's relationship manager (one per customer: the old "
                                     "link is replaced; a manager with that id is updated). Errors: BAD_INPUT for a "
                                     "malformed field (`manager.email`, ...); NOT_FOUND for an unknown customer.")
    async def assign_relationship_manager(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID,
                                          manager: RelationshipManagerInput) -> Customer:
        ctx = info.context
        cid = service.assign_manager(ctx.store, customer_id, as_data(manager), actor=ctx.actor)
        ctx.changed()
        return Customer.from_row(await ctx.portfolio.customer.load(cid))
