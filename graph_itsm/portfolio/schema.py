"""Portfolio queries of the GraphQL API, portfolio views included (writes are in ``mutations.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import strawberry

from graph_itsm.portfolio import service as portfolio_service
from graph_itsm.portfolio import audit_log, views
from graph_itsm.portfolio.audit_types import AuditEntry, AuditEntryConnection, AuditEntryEdge, AuditFilter
from graph_itsm.portfolio.types import (
    BusinessOutcome,
    Customer,
    PageInfo,
    Service,
    ServiceConnection,
    ServiceEdge,
    ServiceFilter,
    decode_cursor,
    encode_cursor,
)
from graph_itsm.portfolio.view_types import PortfolioCounts, RetirementCandidate, StageKindCost, ValueSheet
from graph_itsm.paging import LIST_PAGE_SIZE, PAGE_DOC, bounded, page_args
from graph_itsm.store import library

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["PortfolioQuery"]


def _value(enum_value: object) -> Optional[str]:
    return None if enum_value is None else getattr(enum_value, "value", enum_value)  # type: ignore[return-value]


def _connection(page: portfolio_service.ServicePage) -> ServiceConnection:
    edges = [ServiceEdge(cursor=encode_cursor(p["id"]), node=Service.from_props(p)) for p in page.services]
    return ServiceConnection(
        edges=edges,
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=edges[-1].cursor if edges else None),
        total_count=page.total_count,
    )


@strawberry.type
class PortfolioQuery:
    @strawberry.field(description="The audit log of every change (services, customers, costs, budgets, complaints, "
                                  "imports, ...), newest first, filtered by actor, action, entity and time; `first` "
                                  "defaults to 50 and is at most 500 (TOO_COMPLEX beyond); `after` is an `endCursor`.")
    def audit_log(self, info: strawberry.Info["Context", None], filter: Optional[AuditFilter] = None,
                  first: Optional[int] = None, after: Optional[str] = None) -> AuditEntryConnection:
        f = filter or AuditFilter()
        found = audit_log.list_audit_entries(info.context.store, actor=f.actor, action=f.action, entity=f.entity,
                                             since=f.since, until=f.until, first=first, after=after)
        edges = [AuditEntryEdge(cursor=audit_log.entry_cursor(e), node=AuditEntry.from_entry(e))
                 for e in found.entries]
        return AuditEntryConnection(edges=edges, total_count=found.total_count, page_info=PageInfo(
            has_next_page=found.has_next_page, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="One service by id, or null when there is none.")
    async def service(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Optional[Service]:
        row = await info.context.portfolio.service.load(id)
        return Service.from_props(row["service"]) if row else None

    @strawberry.field(
        description=f"Services ordered by id, filtered, in pages of `first` (default {portfolio_service.DEFAULT_PAGE_SIZE}, "
        f"at most {portfolio_service.MAX_PAGE_SIZE}: more is TOO_COMPLEX) after the cursor `after` (an `endCursor` or "
        "`cursor` of an earlier page; anything else is BAD_INPUT). Cursors hold the last id seen, so paging stays "
        "stable while services are added or removed."
    )
    def services(
        self,
        info: strawberry.Info["Context", None],
        filter: Optional[ServiceFilter] = None,
        first: Optional[int] = None,
        after: Optional[str] = None,
    ) -> ServiceConnection:
        f = filter or ServiceFilter()
        page = portfolio_service.list_services(
            info.context.store,
            kind=_value(f.kind),
            stage=_value(f.stage),
            owner=f.owner,
            provider=_value(f.provider),
            search=f.search,
            first=first,
            after_id=decode_cursor(after) if after is not None else None,
        )
        return _connection(page)

    @strawberry.field(description="One business outcome by id.")
    async def outcome(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Optional[BusinessOutcome]:
        row = await info.context.portfolio.outcome.load(id)
        return BusinessOutcome.from_props(row["outcome"]) if row else None

    @strawberry.field(description=f"Every business outcome, ordered by id; {PAGE_DOC}; `outcomesCount` gives their "
                                  "number.")
    def outcomes(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list[BusinessOutcome]:
        size, skip = page_args(first, offset)
        rows = info.context.store.read(library()["portfolio/list_outcomes"], {"first": size, "offset": skip})
        return [BusinessOutcome.from_props(r["outcome"]) for r in rows]

    @strawberry.field(description="How many business outcomes the portfolio holds.")
    def outcomes_count(self, info: strawberry.Info["Context", None]) -> int:
        return int(info.context.store.scalar(library()["portfolio/count_outcomes"]) or 0)

    @strawberry.field(description="One customer by id.")
    async def customer(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Optional[Customer]:
        row = await info.context.portfolio.customer.load(id)
        return Customer.from_row(row) if row else None

    @strawberry.field(description=f"Every customer, ordered by id; {PAGE_DOC}; `customersCount` gives their number.")
    def customers(
        self, info: strawberry.Info["Context", None], first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list[Customer]:
        size, skip = page_args(first, offset)
        rows = info.context.store.read(library()["portfolio/list_customers"], {"first": size, "offset": skip})
        return [Customer.from_row(r) for r in rows]

    @strawberry.field(description="How many customers the portfolio holds.")
    def customers_count(self, info: strawberry.Info["Context", None]) -> int:
        return int(info.context.store.scalar(library()["portfolio/count_customers"]) or 0)

    # -- portfolio views ----------------------------------------------------------------------------------
    @strawberry.field(description="How many services the portfolio holds, by stage, by kind and by both.")
    def portfolio_counts(self, info: strawberry.Info["Context", None]) -> PortfolioCounts:
        return PortfolioCounts.from_counts(views.portfolio_counts(info.context.store))

    @strawberry.field(
        description="The month's cost by stage and kind: direct, total and retained cost of the services of every "
        "(stage, kind), zeros too, in the order of `portfolioCounts.byStageAndKind`. `period` is YYYY-MM "
        "(BAD_INPUT naming `period` otherwise)."
    )
    def portfolio_cost(self, info: strawberry.Info["Context", None], period: str) -> list[StageKindCost]:
        return [StageKindCost.of(c) for c in views.portfolio_cost(info.context.finance.month(period).allocation)]

    @strawberry.field(
        description="The customer view of the catalogue: CUSTOMER_FACING services in the CATALOGUE only (supporting "
        "services are internal), ordered by id, in pages like `services`."
    )
    def catalogue(
        self,
        info: strawberry.Info["Context", None],
        search: Optional[str] = None,
        first: Optional[int] = None,
        after: Optional[str] = None,
    ) -> ServiceConnection:
        after_id = decode_cursor(after) if after is not None else None
        return _connection(views.customer_catalogue(info.context.store, first=first, after_id=after_id, search=search))

    @strawberry.field(description="The value sheet of one service, or null when there is none (also `Service.valueSheet`).")
    async def value_sheet(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Optional[ValueSheet]:
        sheet = await info.context.portfolio.value_sheet.load(id)
        return ValueSheet.from_sheet(sheet) if sheet else None

    @strawberry.field(
        description="CATALOGUE services worth considering for retirement, ordered by id: those with no subscribers and "
        "no live dependants (UNUSED), and those that serve no business outcome, directly or through the services "
        "depending on them (NO_OUTCOME); each with its reasons. With `period` and `costThreshold` (both or neither; "
        "BAD_INPUT naming the missing one), a NO_OUTCOME service whose total (fully loaded) cost in that month is "
        "above the threshold is also COSTLY_WITHOUT_OUTCOME, and every candidate shows its `cost`. "
        f"{PAGE_DOC[0].upper()}{PAGE_DOC[1:]}; `retirementCandidatesCount` with the same arguments gives their number."
    )
    def retirement_candidates(
        self,
        info: strawberry.Info["Context", None],
        period: Annotated[
            Optional[str], strawberry.argument(description="The month (YYYY-MM) whose total cost is compared.")
        ] = None,
        cost_threshold: Annotated[
            Optional[float],
            strawberry.argument(description="0 or more: a total cost above it, without an outcome, is flagged."),
        ] = None,
        first: Optional[int] = LIST_PAGE_SIZE,
        offset: Optional[int] = 0,
    ) -> list[RetirementCandidate]:
        size, skip = page_args(first, offset)
        found = _retirement_candidates(info, period, cost_threshold)
        return [RetirementCandidate.from_candidate(c) for c in bounded(found, size, skip)]

    @strawberry.field(description="How many services `retirementCandidates` lists for the same `period` and "
                                  "`costThreshold`.")
    def retirement_candidates_count(
        self, info: strawberry.Info["Context", None], period: Optional[str] = None,
        cost_threshold: Optional[float] = None,
    ) -> int:
        return len(_retirement_candidates(info, period, cost_threshold))


def _retirement_candidates(info: strawberry.Info["Context", None], period: str | None,
                           cost_threshold: float | None) -> list[views.Candidate]:
    views.check_cost_threshold(period, cost_threshold)
    if period is None:
        return views.retirement_candidates(info.context.state.topology.current())
    a = info.context.finance.month(period).allocation
    return views.retirement_candidates(a.topology, total=a.total, cost_threshold=cost_threshold)
