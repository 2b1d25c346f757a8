"""Finance queries of the GraphQL API. Thin: each reads ``info.context``, calls the service layer, returns types.

A malformed ``period`` (not ``YYYY-MM``) is ``BAD_INPUT`` with ``extensions.field = "period"``; an unknown id is
``NOT_FOUND``; a portfolio whose cost allocation has no solution (a closed cycle) is ``RULE_VIOLATION`` naming it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.finance import reports, settlement, statements
from graph_itsm.finance.settlement_types import RevenueReport
from graph_itsm.finance.report_types import BudgetReport, BusinessCase, ChargeStatement, DemandReport
from graph_itsm.finance import periods, reports, statements
from graph_itsm.finance.period_types import Period, PeriodConnection, PeriodEdge
from graph_itsm.finance.report_types import (
    BudgetReport, BusinessCase, ChargeStatement, ChargeStatementConnection, ChargeStatementEdge, DemandReport,
    StatementFilter,
)
from graph_itsm.finance.types import CostReport
from graph_itsm.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from graph_itsm.portfolio.types import PageInfo

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["FinanceQuery"]



@strawberry.type
class FinanceQuery:
    @strawberry.field(description="Every month that has cost items, budgets, issued statements or a closing record, "
                                  f"newest first, with its state; `first` defaults to {DEFAULT_PAGE_SIZE} and is at "
                                  f"most {MAX_PAGE_SIZE} (TOO_COMPLEX beyond); `after` is an `endCursor`.")
    def periods(self, info: strawberry.Info["Context", None], first: Optional[int] = None,
                after: Optional[str] = None) -> PeriodConnection:
        found = periods.list_periods(info.context.store, first=first, after=after)
        edges = [PeriodEdge(cursor=periods.period_cursor(r.period), node=Period.of(r)) for r in found.periods]
        return PeriodConnection(edges=edges, total_count=found.total_count, page_info=PageInfo(
            has_next_page=found.has_next_page, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="The cost of every service in the month `period` (YYYY-MM), by the reciprocal "
                                  "method, with the month's cost items and what they leave unallocated.")
    def cost_report(self, info: strawberry.Info["Context", None], period: str) -> CostReport:
        return CostReport(month=info.context.finance.month(period), period=period)

    @strawberry.field(description="The customer's charge statement for the month: the issued one if it was issued, "
                                  "else as it stands now (`issued: false`).")
    def charge_statement(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID, period: str) -> ChargeStatement:
        f = info.context.finance
        return ChargeStatement.of(statements.statement_for(f.store, f.cache, customer_id, period))

    @strawberry.field(description="The month's revenue from its issued statements: billed, credited, collected "
                                  "(PAID) and outstanding (ISSUED or DISPUTED), per customer and in all.")
    def revenue(self, info: strawberry.Info["Context", None], period: str) -> RevenueReport:
        return RevenueReport(report=settlement.revenue(info.context.store, period), period=period)
    @strawberry.field(description="Issued charge statements by month, customer and state, ordered by customer then "
                                  f"month; `first` defaults to {DEFAULT_PAGE_SIZE} and is at most {MAX_PAGE_SIZE} "
                                  "(TOO_COMPLEX beyond); `after` is an `endCursor`. A customer token must name its "
                                  "own customer.")
    def statements(self, info: strawberry.Info["Context", None], filter: Optional[StatementFilter] = None,
                   first: Optional[int] = None, after: Optional[str] = None) -> ChargeStatementConnection:
        f = filter or StatementFilter()
        found = statements.list_statements(info.context.store, period=f.period, customer=f.customer,
                                           state=None if f.state is None else f.state.value, first=first,
                                           after=after)
        edges = [ChargeStatementEdge(cursor=statements.statement_cursor(s), node=ChargeStatement.of(s))
                 for s in found.statements]
        return ChargeStatementConnection(edges=edges, total_count=found.total_count, page_info=PageInfo(
            has_next_page=found.has_next_page, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="Actual direct and total cost against budgets for the month `period` and the year "
                                  "to date, per service and for the whole portfolio.")
    def budget_report(self, info: strawberry.Info["Context", None], period: str) -> BudgetReport:
        f = info.context.finance
        return BudgetReport.of(reports.budget_report_for(f.store, f.cache, period))

    @strawberry.field(description="The business cases of PIPELINE services, highest NPV first.")
    def pipeline_by_npv(self, info: strawberry.Info["Context", None]) -> list[BusinessCase]:
        return [BusinessCase.of(c) for c in reports.pipeline_by_npv(info.context.store)]

    @strawberry.field(description="Demand, capacity and utilisation of every service (spec: Demand management).")
    def demand_report(self, info: strawberry.Info["Context", None]) -> DemandReport:
        return DemandReport(report=info.context.finance.demand())
