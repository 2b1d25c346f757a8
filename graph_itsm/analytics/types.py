"""Strawberry types of the analytics API. Thin: built from the model and the runner's results."""

from __future__ import annotations

from typing import Optional

import strawberry
from strawberry.scalars import JSON

from graph_itsm.analytics.model import Analysis, ParamSpec
from graph_itsm.store import ReadOnlyResult

__all__ = ["AnalyticsParam", "AnalyticsQueryInfo", "AnalyticsResult"]


@strawberry.type(description="A parameter of an analytics query, as its file declares it.")
class AnalyticsParam:
    name: str
    type: str = strawberry.field(description="`string`, `int`, `float`, `bool`, `map` or `list<...>`; `?` allows "
                                 "null; `LO..HI` bounds a number.")
    required: bool
    default: Optional[JSON] = strawberry.field(description="The value used when the param is not given.")
    description: str
    computed_from: Optional[str] = strawberry.field(
        description="Set when the runner computes this param from the topology projection (it cannot be given)."
    )

    @classmethod
    def from_spec(cls, spec: ParamSpec) -> AnalyticsParam:
        return cls(name=spec.name, type=spec.declared, required=spec.required, default=spec.default,
                   description=spec.description, computed_from=spec.projection)


@strawberry.type(description="A named analytics query of cypher/analytics/: what it answers, its params, its columns.")
class AnalyticsQueryInfo:
    name: str
    description: str
    params: list[AnalyticsParam]
    columns: list[str]

    @classmethod
    def from_analysis(cls, analysis: Analysis) -> AnalyticsQueryInfo:
        return cls(name=analysis.name, description=analysis.description,
                   params=[AnalyticsParam.from_spec(p) for p in analysis.params], columns=list(analysis.columns))


@strawberry.type(description="A read-only query's result: each row a JSON array, values in column order.")
class AnalyticsResult:
    columns: list[str]
    rows: list[JSON]
    truncated: bool = strawberry.field(description="True when the row limit cut the result.")

    @classmethod
    def from_result(cls, result: ReadOnlyResult) -> AnalyticsResult:
        return cls(columns=result.columns, rows=list(result.rows), truncated=result.truncated)
