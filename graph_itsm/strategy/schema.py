"""Strategy management in the GraphQL API: objectives, the strategy view, and their mutations. Thin: resolvers
call ``graph_itsm.strategy.service``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Optional

import strawberry

from graph_itsm.errors import BadInput
from graph_itsm.portfolio.inputs import Deletion, as_data
from graph_itsm.strategy import service as strategy
from graph_itsm.strategy.types import (
    CreateStrategicObjectiveInput,
    StrategicObjective,
    Strategy,
    UpdateStrategicObjectiveInput,
)

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["StrategyQuery", "StrategyMutation"]

_ID = "BAD_INPUT if an id is not a slug; NOT_FOUND if it names nothing."


def _objective(info: strawberry.Info["Context", None], objective_id: str) -> StrategicObjective:
    _, found = strategy.read_objectives(info.context.store, [objective_id])
    facts = found[objective_id]
    return StrategicObjective.of(strategy.objective_info(facts.props, facts.served_by, facts.supported_by))


def _data(input: Any) -> dict[str, Any]:
    """Input with the document's keys; ``targetShare`` as the document's {category: share}."""
    data = as_data(input)
    targets = data.get("targetShare")
    if targets is not None:
        shares: dict[str, float] = {}
        for j, t in enumerate(targets):
            if t["category"] in shares:
                raise BadInput(f"targetShare[{j}].category: {t['category']} is given twice", field=f"targetShare[{j}]")
            shares[t["category"]] = t["share"]
        data["targetShare"] = shares
    return data


@strawberry.type
class StrategyQuery:
    @strawberry.field(description="Every strategic objective, by id.")
    def strategic_objectives(self, info: strawberry.Info["Context", None]) -> list[StrategicObjective]:
        return [StrategicObjective.of(o) for o in strategy.list_objectives(info.context.store)]

    @strawberry.field(description="One strategic objective by id, or null when there is none.")
    def strategic_objective(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Optional[StrategicObjective]:
        _, found = strategy.read_objectives(info.context.store, [id])
        return _objective(info, id) if id in found else None

    @strawberry.field(description="The strategy view of a month (YYYY-MM) or a year (YYYY: its months with cost "
                                  "items): spend (retained cost) and pipeline investment by investment category "
                                  "against the targets, each objective's services and spend, the objectives with no "
                                  "live service behind them and the services that serve no objective and enable no "
                                  "outcome. BAD_INPUT for a bad period.")
    async def strategy(self, info: strawberry.Info["Context", None], period: str) -> Strategy:
        state = info.context.state
        cache = info.context.finance.cache
        return Strategy.of(await asyncio.to_thread(strategy.view_of, state.store, cache, period))


@strawberry.type
class StrategyMutation:
    @strawberry.mutation(description="Create a strategic objective. Errors: BAD_INPUT for a malformed field (named in "
                                     "extensions.field); RULE_VIOLATION `unique-id` if the id is taken.")
    def create_strategic_objective(self, info: strawberry.Info["Context", None],
                                   input: CreateStrategicObjectiveInput) -> StrategicObjective:
        props = strategy.create_objective(info.context.store, _data(input), actor=info.context.actor)
        info.context.changed()
        return _objective(info, props["id"])

    @strawberry.mutation(description=f"Change fields of a strategic objective. Errors: {_ID} BAD_INPUT for a "
                                     "malformed field.")
    def update_strategic_objective(self, info: strawberry.Info["Context", None], id: strawberry.ID,
                                   input: UpdateStrategicObjectiveInput) -> StrategicObjective:
        strategy.update_objective(info.context.store, id, _data(input), actor=info.context.actor)
        info.context.changed()
        return _objective(info, id)

    @strawberry.mutation(description=f"Delete a strategic objective and its SERVES and SUPPORTS links. Errors: {_ID}")
    def delete_strategic_objective(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Deletion:
        strategy.delete_objective(info.context.store, id, actor=info.context.actor)
        info.context.changed()
        return Deletion(id=id)

    @strawberry.mutation(description=f"Record that a service serves a strategic objective. Errors: {_ID}")
    def serve_objective(self, info: strawberry.Info["Context", None], service: strawberry.ID,
                        objective: strawberry.ID) -> StrategicObjective:
        strategy.link_service(info.context.store, service, objective, actor=info.context.actor)
        info.context.changed()
        return _objective(info, objective)

    @strawberry.mutation(description=f"Remove the SERVES link of a service to an objective. Errors: {_ID}")
    def unserve_objective(self, info: strawberry.Info["Context", None], service: strawberry.ID,
                          objective: strawberry.ID) -> StrategicObjective:
        strategy.unlink_service(info.context.store, service, objective, actor=info.context.actor)
        info.context.changed()
        return _objective(info, objective)

    @strawberry.mutation(description=f"Record that a business outcome supports a strategic objective. Errors: {_ID}")
    def support_objective(self, info: strawberry.Info["Context", None], outcome: strawberry.ID,
                          objective: strawberry.ID) -> StrategicObjective:
        strategy.link_outcome(info.context.store, outcome, objective, actor=info.context.actor)
        info.context.changed()
        return _objective(info, objective)

    @strawberry.mutation(description=f"Remove the SUPPORTS link of an outcome to an objective. Errors: {_ID}")
    def unsupport_objective(self, info: strawberry.Info["Context", None], outcome: strawberry.ID,
                            objective: strawberry.ID) -> StrategicObjective:
        strategy.unlink_outcome(info.context.store, outcome, objective, actor=info.context.actor)
        info.context.changed()
        return _objective(info, objective)
