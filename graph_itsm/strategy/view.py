"""The strategy view (spec "Strategy management for IT services"), computed from plain inputs; no database.

* **Spend** of a category: the retained cost of its services over the period (the part of each service's fully
  loaded total cost that stays with it, ``r_j``), so that the categories add up to the period's direct cost
  without counting a supporting service's cost again in each of its consumers. Services without a category
  are the ``None`` line.
* **Pipeline investment** of a category: the ``investment`` of the business cases of PIPELINE services, by the
  case's category (the service's when the case has none).
* **Targets**: each objective states target shares of spend by category. An objective's line compares the
  spend of the services behind it (those serving it, and those enabling an outcome that supports it) with its
  own targets; the portfolio line compares all spend with the mean of the objectives' targets for that
  category (objectives stating no target for it left out).
* **Objectives with no live service behind them**: no CATALOGUE service serves them or enables an outcome that
  supports them.
* **Unaligned services**: services not RETIRED that serve no objective and enable no outcome; each says whether
  an aligned service needs it (transitively, through DEPENDS_ON), which most supporting services are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

__all__ = ["CATEGORIES", "ServiceInfo", "ObjectiveInfo", "PipelineCase", "CategoryLine", "ObjectiveLine",
           "StrategyView", "strategy_view"]

CATEGORIES = ("RUN", "GROW", "TRANSFORM")


@dataclass(frozen=True)
class ServiceInfo:
    id: str
    name: str
    kind: str
    stage: str
    category: str | None
    serves: int  # objectives it serves directly
    enables: int  # outcomes it enables
    supports_aligned: bool = False  # a service that serves an objective or enables an outcome needs it, transitively


@dataclass(frozen=True)
class ObjectiveInfo:
    id: str
    name: str
    owner: str | None
    horizon: int | None
    targets: Mapping[str, float]  # category -> target share of spend
    served_by: Sequence[str] = ()  # services with SERVES to it
    supported_by: Sequence[str] = ()  # outcomes with SUPPORTS to it
    description: str | None = None


@dataclass(frozen=True)
class PipelineCase:
    id: str
    service: str
    investment: float
    category: str | None


@dataclass(frozen=True)
class CategoryLine:
    category: str | None
    spend: float
    share: float | None  # of all spend; None when nothing was spent
    target: float | None
    gap: float | None  # share - target
    pipeline_investment: float
    pipeline_share: float | None


@dataclass(frozen=True)
class ObjectiveLine:
    objective: ObjectiveInfo
    services: list[str]  # every service behind it (serving it, or enabling a supporting outcome), not retired
    live_services: list[str]  # those in the CATALOGUE
    spend: float
    categories: list[CategoryLine]


@dataclass(frozen=True)
class StrategyView:
    period: str
    months: list[str]  # the months whose cost is counted
    total_spend: float
    total_pipeline_investment: float
    categories: list[CategoryLine]
    objectives: list[ObjectiveLine]
    objectives_without_live_service: list[ObjectiveInfo]
    unaligned_services: list[ServiceInfo] = field(default_factory=list)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def _lines(spend: Mapping[str | None, float], targets: Mapping[str, float | None],
           pipeline: Mapping[str | None, float]) -> list[CategoryLine]:
    total = sum(spend.values())
    invested = sum(pipeline.values())
    lines = []
    for category in (*CATEGORIES, None):
        s, p = spend.get(category, 0.0), pipeline.get(category, 0.0)
        if category is None and not s and not p:
            continue  # the uncategorised line only when something is in it
        share = _share(s, total)
        target = targets.get(category) if category else None
        lines.append(CategoryLine(
            category=category, spend=s, share=share, target=target,
            gap=None if share is None or target is None else share - target,
            pipeline_investment=p, pipeline_share=_share(p, invested),
        ))
    return lines


def strategy_view(
    period: str,
    months: list[str],
    services: Iterable[ServiceInfo],
    retained: Mapping[str, float],
    objectives: Iterable[ObjectiveInfo],
    enablers: Mapping[str, Sequence[str]],
    cases: Iterable[PipelineCase],
) -> StrategyView:
    """``retained``: service id -> retained cost over the period; ``enablers``: outcome id -> services enabling it."""
    services = {s.id: s for s in services}
    objectives = sorted(objectives, key=lambda o: o.id)
    cases = list(cases)
    spend: dict[str | None, float] = {}
    for sid, amount in retained.items():
        info = services.get(sid)
        key = info.category if info else None
        spend[key] = spend.get(key, 0.0) + amount
    pipeline: dict[str | None, float] = {}
    case_category: dict[str, str | None] = {}
    for case in cases:
        info = services.get(case.service)
        key = case_category[case.id] = case.category or (info.category if info else None)
        pipeline[key] = pipeline.get(key, 0.0) + case.investment

    means: dict[str, float | None] = {}
    for c in CATEGORIES:
        stated = [o.targets[c] for o in objectives if o.targets.get(c) is not None]
        means[c] = sum(stated) / len(stated) if stated else None

    lines, without_live = [], []
    for o in objectives:
        behind = set(o.served_by)
        for outcome in o.supported_by:
            behind.update(enablers.get(outcome, ()))
        behind = sorted(s for s in behind if s in services and services[s].stage != "RETIRED")
        live = [s for s in behind if services[s].stage == "CATALOGUE"]
        own: dict[str | None, float] = {}
        for s in behind:
            own[services[s].category] = own.get(services[s].category, 0.0) + retained.get(s, 0.0)
        own_cases: dict[str | None, float] = {}
        for case in cases:
            if case.service in behind:
                key = case_category[case.id]
                own_cases[key] = own_cases.get(key, 0.0) + case.investment
        lines.append(ObjectiveLine(o, behind, live, sum(own.values()), _lines(own, dict(o.targets), own_cases)))
        if not live:
            without_live.append(o)
    unaligned = [s for s in sorted(services.values(), key=lambda s: s.id)
                 if s.stage != "RETIRED" and not s.serves and not s.enables]
    return StrategyView(
        period=period, months=months, total_spend=sum(spend.values()),
        total_pipeline_investment=sum(pipeline.values()), categories=_lines(spend, means, pipeline),
        objectives=lines, objectives_without_live_service=without_live, unaligned_services=unaligned,
    )
