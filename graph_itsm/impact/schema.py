"""Impact queries of the GraphQL API: resolvers read the context, call the service layer, return types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import strawberry

from graph_itsm.impact import service
from graph_itsm.impact.types import DependencyEntry, ImpactReport
from graph_itsm.paging import LIST_PAGE_SIZE, PAGE_DOC, bounded, page_args

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["ImpactQuery"]


@strawberry.type
class ImpactQuery:
    @strawberry.field(
        description="What goes DOWN or DEGRADED when the services `failed` fail (spec: Impact analysis). "
        "Statuses propagate to consumers: a service is DOWN when failed, or when every member of one of its "
        "dependency groups (edges sharing a redundancyGroup; an edge without one is a group alone) is DOWN; "
        "DEGRADED when not DOWN but a dependency is DOWN or DEGRADED. "
        "`maxDepth` limits what is reported to services at most that many hops from a failed one (statuses are "
        "still those of the whole estate); outcomes and customers follow from the reported services. "
        "`whatIfRetired` asks what retiring services would break: they are treated as removed, which for their "
        "consumers is the same as failed; they are reported DOWN at distance 0 with `assumedRetired: true`. "
        "Unknown ids are NOT_FOUND, naming them. The whole list streams as NDJSON from GET /impact.ndjson."
    )
    async def impact(
        self,
        info: strawberry.Info["Context", None],
        failed: Annotated[list[strawberry.ID], strawberry.argument(description="Ids of the services that fail.")],
        max_depth: Annotated[
            Optional[int], strawberry.argument(description="Report only services at most this many hops away.")
        ] = None,
        what_if_retired: Annotated[
            Optional[list[strawberry.ID]],
            strawberry.argument(
                description="Ids of services to treat as retired (removed): what would retiring them break? "
                "Their consumers lose them as if they had failed; they are listed DOWN, distance 0, `assumedRetired: true`."
            ),
        ] = None,
    ) -> ImpactReport:
        topo = await info.context.state.topology.current_async()
        report = service.analyse_impact(topo, failed, max_depth=max_depth, what_if_retired=what_if_retired or ())
        return ImpactReport(report=report)

    @strawberry.field(
        description="Everything the service `id` needs, directly (distance 1) or transitively, ordered by "
        "distance then id; `maxDepth` stops after that many hops. The service itself is not listed, even on a cycle. "
        f"{PAGE_DOC[0].upper()}{PAGE_DOC[1:]}; `dependenciesCount` with the same `id` and `maxDepth` gives their number."
    )
    async def dependencies(
        self, info: strawberry.Info["Context", None], id: strawberry.ID, max_depth: Optional[int] = None,
        first: Optional[int] = LIST_PAGE_SIZE, offset: Optional[int] = 0,
    ) -> list[DependencyEntry]:
        size, skip = page_args(first, offset)
        topo = await info.context.state.topology.current_async()
        found = service.dependencies_of(topo, id, max_depth)
        return [DependencyEntry(service_id=d.id, distance=d.distance) for d in bounded(found, size, skip)]

    @strawberry.field(description="How many services `dependencies` lists for the same `id` and `maxDepth`.")
    async def dependencies_count(
        self, info: strawberry.Info["Context", None], id: strawberry.ID, max_depth: Optional[int] = None
    ) -> int:
        topo = await info.context.state.topology.current_async()
        return len(service.dependencies_of(topo, id, max_depth))
