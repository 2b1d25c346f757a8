"""Business relationship management queries of the GraphQL API. Thin: read ``info.context``, call the service
layer, return types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance import statements
from graph_itsm.finance.report_types import ChargeStatement
from graph_itsm.portfolio.types import PageInfo
from graph_itsm.relationships import listing, service
from graph_itsm.relationships.types import (
    Complaint, ComplaintConnection, ComplaintEdge, ComplaintFilter, CustomerView, Survey, SurveyConnection, SurveyEdge,
    SurveyFilter,
)

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["RelationshipQuery"]


@strawberry.type
class RelationshipQuery:
    @strawberry.field(description="One customer as its relationship manager sees it: subscribed services with their "
                                  "stage and health, outcomes pursued, the charges of `period` (YYYY-MM) if given, "
                                  "the satisfaction trend and the complaints not yet CLOSED. Errors: NOT_FOUND for "
                                  "an unknown id; BAD_INPUT naming `period` when it is not YYYY-MM.")
    def customer_view(self, info: strawberry.Info["Context", None], id: strawberry.ID,
                      period: Optional[str] = None) -> CustomerView:
        ctx = info.context
        view = service.customer_view(ctx.store, id, now=ctx.state.clock)
        charges = None
        if period is not None:
            charges = ChargeStatement.of(statements.statement_for(ctx.store, ctx.finance.cache, id, period))
        return CustomerView(data=view, charges=charges)

    @strawberry.field(description="Complaints by customer, service, status and overdue, ordered by id; `first` "
                                  f"defaults to {listing.DEFAULT_PAGE_SIZE} and is at most {listing.MAX_PAGE_SIZE} "
                                  "(TOO_COMPLEX beyond); `after` is the `endCursor` of the page before.")
    def complaints(self, info: strawberry.Info["Context", None], filter: Optional[ComplaintFilter] = None,
                   first: Optional[int] = None, after: Optional[str] = None) -> ComplaintConnection:
        f = filter or ComplaintFilter()
        now = info.context.state.clock()
        found = listing.list_complaints(info.context.store, now=now, customer=f.customer, service=f.service,
                                        status=None if f.status is None else f.status.value, overdue=f.overdue,
                                        first=first, after=after)
        edges = [ComplaintEdge(cursor=listing.encode_cursor("complaint", c.id), node=Complaint.of(c, now))
                 for c in found.complaints]
        return ComplaintConnection(edges=edges, total_count=found.total_count, page_info=PageInfo(
            has_next_page=found.has_next_page, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="Satisfaction surveys by customer and months (`from`, `to`: YYYY-MM, inclusive), "
                                  f"ordered by customer then month; `first` defaults to {listing.DEFAULT_PAGE_SIZE} "
                                  f"and is at most {listing.MAX_PAGE_SIZE} (TOO_COMPLEX beyond); `after` is the "
                                  "`endCursor` of the page before. A customer token must name its own customer.")
    def surveys(self, info: strawberry.Info["Context", None], filter: Optional[SurveyFilter] = None,
                first: Optional[int] = None, after: Optional[str] = None) -> SurveyConnection:
        f = filter or SurveyFilter()
        found = listing.list_surveys(info.context.store, customer=f.customer, from_=f.from_, to=f.to, first=first,
                                     after=after)
        edges = [SurveyEdge(cursor=listing.encode_cursor("survey", s.id), node=Survey.of(s.survey, s.customer_id))
                 for s in found.surveys]
        return SurveyConnection(edges=edges, total_count=found.total_count, page_info=PageInfo(
            has_next_page=found.has_next_page, end_cursor=edges[-1].cursor if edges else None))
