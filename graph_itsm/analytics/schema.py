"""Analytics queries of the GraphQL API: list and run the named queries, run ad-hoc read-only Cypher."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Optional

import strawberry
from strawberry.scalars import JSON

from graph_itsm.analytics import runner
from graph_itsm.analytics.types import AnalyticsQueryInfo, AnalyticsResult

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["AnalyticsQuery"]


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="The named analytics queries (cypher/analytics/), by name.")
    def analytics(self) -> list[AnalyticsQueryInfo]:
        return [AnalyticsQueryInfo.from_analysis(a) for a in runner.analyses()]

    @strawberry.field(
        description="Run a named analytics query read-only. `params` is an object of values checked against the "
        f"declared types (BAD_INPUT names the param); an unknown name is NOT_FOUND. Time limit "
        f"{runner.ANALYTICS_TIMEOUT_MS // 1000} s (TOO_COMPLEX), at most {runner.ANALYTICS_MAX_ROWS} rows."
    )
    async def run_analytics(
        self, info: strawberry.Info["Context", None], name: str, params: Optional[JSON] = None
    ) -> AnalyticsResult:
        state = info.context.state
        result = await asyncio.to_thread(
            runner.run_analysis, state.store, name, params, topology=state.topology.current
        )
        return AnalyticsResult.from_result(result)

    @strawberry.field(
        description="Run ad-hoc Cypher with `$params`, read-only as the database enforces it: a write is FORBIDDEN "
        f"and changes nothing. Time limit {runner.CYPHER_TIMEOUT_MS // 1000} s (TOO_COMPLEX); at most "
        f"{runner.CYPHER_MAX_ROWS} rows, `truncated` when cut."
    )
    async def cypher(
        self, info: strawberry.Info["Context", None], query: str, params: Optional[JSON] = None
    ) -> AnalyticsResult:
        result = await asyncio.to_thread(runner.run_cypher, info.context.store, query, params)
        return AnalyticsResult.from_result(result)
