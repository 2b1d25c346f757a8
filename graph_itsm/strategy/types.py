"""Strawberry types of strategy management. Thin: figures come from ``view``, objectives from ``service``."""

from __future__ import annotations

from typing import Optional

import strawberry

from graph_itsm.portfolio import document as model
from graph_itsm.portfolio.types import InvestmentCategory, ServiceKind, ServiceStage
from graph_itsm.strategy.view import CategoryLine, ObjectiveInfo, ObjectiveLine, ServiceInfo, StrategyView

__all__ = ["CategoryTarget", "StrategicObjective", "StrategyCategory", "ObjectiveStrategy", "StrategyService",
           "Strategy", "CategoryTargetInput", "CreateStrategicObjectiveInput", "UpdateStrategicObjectiveInput"]


@strawberry.type(description="A target share of spend for one investment category.")
class CategoryTarget:
    category: InvestmentCategory
    share: float


@strawberry.type(description="A strategic objective: target shares of spend by investment category, owner, horizon "
                             "year, the services serving it (SERVES) and the outcomes supporting it (SUPPORTS).")
class StrategicObjective:
    id: strawberry.ID
    name: str
    description: Optional[str]
    owner: Optional[str]
    horizon: Optional[int]
    target_share: list[CategoryTarget]
    served_by: list[strawberry.ID]
    supported_by: list[strawberry.ID]

    @classmethod
    def of(cls, o: ObjectiveInfo) -> "StrategicObjective":
        return cls(
            id=strawberry.ID(o.id), name=o.name, description=o.description, owner=o.owner, horizon=o.horizon,
            target_share=[CategoryTarget(category=model.InvestmentCategory(c), share=s) for c, s in o.targets.items()],
            served_by=[strawberry.ID(s) for s in o.served_by], supported_by=[strawberry.ID(x) for x in o.supported_by],
        )


@strawberry.type(description="Spend and pipeline investment of one investment category (null: services or cases "
                             "without one) against its target. Shares are of the whole spend or investment.")
class StrategyCategory:
    category: Optional[InvestmentCategory]
    spend: float = strawberry.field(description="Retained cost of the category's services over the period.")
    share: Optional[float] = strawberry.field(description="spend / all spend; null when nothing was spent.")
    target: Optional[float]
    gap: Optional[float] = strawberry.field(description="share - target; null without both.")
    pipeline_investment: float = strawberry.field(description="Investment of the business cases of PIPELINE services.")
    pipeline_share: Optional[float]

    @classmethod
    def of(cls, line: CategoryLine) -> "StrategyCategory":
        return cls(category=model.InvestmentCategory(line.category) if line.category else None, spend=line.spend,
                   share=line.share, target=line.target, gap=line.gap, pipeline_investment=line.pipeline_investment,
                   pipeline_share=line.pipeline_share)


@strawberry.type(description="One objective in the strategy view: the services behind it (serving it, or enabling "
                             "an outcome that supports it; not retired), the live ones among them, and their spend "
                             "by category against the objective's own targets.")
class ObjectiveStrategy:
    objective: StrategicObjective
    services: list[strawberry.ID]
    live_services: list[strawberry.ID]
    spend: float
    categories: list[StrategyCategory]

    @classmethod
    def of(cls, line: ObjectiveLine) -> "ObjectiveStrategy":
        return cls(objective=StrategicObjective.of(line.objective), services=[strawberry.ID(s) for s in line.services],
                   live_services=[strawberry.ID(s) for s in line.live_services], spend=line.spend,
                   categories=[StrategyCategory.of(c) for c in line.categories])


@strawberry.type(description="A service as the strategy view lists it.")
class StrategyService:
    id: strawberry.ID
    name: str
    kind: ServiceKind
    stage: ServiceStage
    investment_category: Optional[InvestmentCategory]
    supports_aligned: bool = strawberry.field(description="A service that serves an objective or enables an outcome "
                                                          "depends on it, directly or further down.")

    @classmethod
    def of(cls, s: ServiceInfo) -> "StrategyService":
        return cls(id=strawberry.ID(s.id), name=s.name, kind=model.ServiceKind(s.kind), stage=model.ServiceStage(s.stage),
                   investment_category=model.InvestmentCategory(s.category) if s.category else None,
                   supports_aligned=s.supports_aligned)


@strawberry.type(description="The strategy view of a month or a year (spec: Strategy management for IT services).")
class Strategy:
    period: str
    months: list[str] = strawberry.field(description="The months whose costs are counted.")
    total_spend: float
    total_pipeline_investment: float
    categories: list[StrategyCategory] = strawberry.field(
        description="RUN, GROW, TRANSFORM (and null when some spend has no category); targets are the mean of the "
                    "objectives' target shares.")
    objectives: list[ObjectiveStrategy]
    objectives_without_live_service: list[StrategicObjective]
    unaligned_services: list[StrategyService] = strawberry.field(
        description="Services not retired that serve no objective and enable no outcome.")

    @classmethod
    def of(cls, v: StrategyView) -> "Strategy":
        return cls(
            period=v.period, months=v.months, total_spend=v.total_spend,
            total_pipeline_investment=v.total_pipeline_investment,
            categories=[StrategyCategory.of(c) for c in v.categories],
            objectives=[ObjectiveStrategy.of(o) for o in v.objectives],
            objectives_without_live_service=[StrategicObjective.of(o) for o in v.objectives_without_live_service],
            unaligned_services=[StrategyService.of(s) for s in v.unaligned_services],
        )


@strawberry.input(description="A target share (0..1) of spend for one investment category.")
class CategoryTargetInput:
    category: InvestmentCategory
    share: float


@strawberry.input(description="A new strategic objective. Target shares are 0..1 each and sum to at most 1.")
class CreateStrategicObjectiveInput:
    id: strawberry.ID = strawberry.field(description="Unique among objectives; a slug.")
    name: str
    description: Optional[str] = None
    owner: Optional[str] = None
    horizon: Optional[int] = strawberry.field(default=None, description="The year it is to be met by.")
    target_share: Optional[list[CategoryTargetInput]] = None


@strawberry.input(description="Fields to change on a strategic objective (left out: unchanged; null: cleared); "
                              "targetShare is replaced as a whole.")
class UpdateStrategicObjectiveInput:
    name: Optional[str] = strawberry.UNSET
    description: Optional[str] = strawberry.UNSET
    owner: Optional[str] = strawberry.UNSET
    horizon: Optional[int] = strawberry.UNSET
    target_share: Optional[list[CategoryTargetInput]] = strawberry.UNSET
