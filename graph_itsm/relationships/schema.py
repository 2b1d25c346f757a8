"""Business relationship management queries of the GraphQL API. Thin: read ``info.context``, call the service
layer, return types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance import statements
from graph_itsm.finance.report_types import ChargeStatement
from graph_itsm.relationships import service
from graph_itsm.relationships.types import CustomerView

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
