"""Strawberry input and payload types of the portfolio mutations, and their conversion to plain dicts with the
document's camelCase keys (what ``edits.py`` checks)."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any, Optional

import strawberry
from strawberry.types.base import has_object_definition

from graph_itsm.portfolio import document as model
from graph_itsm.portfolio.types import (
    CustomerType,
    InvestmentCategory,
    PricingModel,
    ProviderType,
    Service,
    ServiceKind,
    ServiceStage,
)

__all__ = [
    "PricingInput", "RedundancyInput", "CreateServiceInput", "UpdateServiceInput", "DependencyInput", "MoveServiceStageInput",
    "CreateOutcomeInput", "UpdateOutcomeInput", "CreateCustomerInput", "UpdateCustomerInput", "SubscriptionInput",
    "Deletion", "StageMove", "as_data",
]

_SLUG = "a slug: lower-case letters, digits, '-' and '_'"


@strawberry.input(description="How a service's cost becomes a charge: `markup` only with COST_PLUS, `price` only "
                              "with FIXED and PER_UNIT (both >= 0).")
class PricingInput:
    model: PricingModel
    markup: Optional[float] = None
    price: Optional[float] = None


@strawberry.input(description="k of n for one redundancyGroup of the service's dependencies: the group needs `minUp` "
                              "of its members up (1 to its size) or `minUpPercent` of them ((0, 100], rounded up); "
                              "exactly one of the two.")
class RedundancyInput:
    group: str
    min_up: Optional[int] = None
    min_up_percent: Optional[float] = None


@strawberry.input(description="A new service. It enters the PIPELINE; `moveServiceStage` takes it further.")
class CreateServiceInput:
    id: strawberry.ID = strawberry.field(description=f"Unique among services; {_SLUG}.")
    name: str
    kind: ServiceKind
    owner: str
    criticality: int = strawberry.field(description="1 (low) to 5 (vital).")
    description: Optional[str] = None
    provider: ProviderType = model.Provider.INTERNAL
    supplier: Optional[str] = strawberry.field(default=None, description="Required with THIRD_PARTY, else left out.")
    capacity: Optional[float] = strawberry.field(default=None, description="Units a month, >= 0.")
    risk_assessed: bool = False
    pricing: Optional[PricingInput] = None
    investment_category: Optional[InvestmentCategory] = strawberry.field(
        default=None, description="RUN, GROW or TRANSFORM (spec: Strategy management).")


@strawberry.input(description="Fields to change on a service: a field left out keeps its value, an optional field "
                              "set to null is cleared. Stage moves go through `moveServiceStage`.")
class UpdateServiceInput:
    name: Optional[str] = strawberry.UNSET
    description: Optional[str] = strawberry.UNSET
    kind: Optional[ServiceKind] = strawberry.UNSET
    owner: Optional[str] = strawberry.UNSET
    provider: Optional[ProviderType] = strawberry.field(
        default=strawberry.UNSET, description="Changing it to INTERNAL clears the supplier.")
    supplier: Optional[str] = strawberry.UNSET
    criticality: Optional[int] = strawberry.UNSET
    capacity: Optional[float] = strawberry.UNSET
    risk_assessed: Optional[bool] = strawberry.UNSET
    pricing: Optional[PricingInput] = strawberry.field(default=strawberry.UNSET, description="Replaced as a whole.")
    redundancy: Optional[list[RedundancyInput]] = strawberry.field(
        default=strawberry.UNSET, description="k-of-n rules of the service's redundancy groups, replaced as a whole "
                                              "(null or [] clears them); each group must be a redundancyGroup of its "
                                              "dependencies.")
    investment_category: Optional[InvestmentCategory] = strawberry.UNSET


@strawberry.input(description="A DEPENDS_ON edge: `consumer` depends on `provider`.")
class DependencyInput:
    consumer: strawberry.ID
    provider: strawberry.ID
    share: Optional[float] = strawberry.field(
        default=None, description="The fraction (0..1) of the provider's cost the consumer bears; the shares into "
                                  "one provider sum to at most 1.")
    redundancy_group: Optional[str] = strawberry.field(
        default=None, description="Edges of one consumer with the same group back each other up.")
    demand_factor: Optional[float] = strawberry.field(
        default=None, description="Units of provider demand per unit of consumer demand (>= 0).")


@strawberry.input(description="Move a service to another stage of its life cycle.")
class MoveServiceStageInput:
    service: strawberry.ID
    stage: ServiceStage
    replacement: Optional[strawberry.ID] = strawberry.field(
        default=None, description="Only with RETIRED: a CATALOGUE service that takes over the dependencies of the "
                                  "retiring service's live consumers, in the same write.")


@strawberry.input(description="A new business outcome.")
class CreateOutcomeInput:
    id: strawberry.ID = strawberry.field(description=f"Unique among outcomes; {_SLUG}.")
    name: str
    description: Optional[str] = None


@strawberry.input(description="Fields to change on a business outcome (left out: unchanged; null: cleared).")
class UpdateOutcomeInput:
    name: Optional[str] = strawberry.UNSET
    description: Optional[str] = strawberry.UNSET


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    id: strawberry.ID = strawberry.field(description=f"Unique among customers; {_SLUG}.")
    name: str
    type: CustomerType
    description: Optional[str] = None


@strawberry.input(description="Fields to change on a customer (left out: unchanged; null: cleared).")
class UpdateCustomerInput:
    name: Optional[str] = strawberry.UNSET
    description: Optional[str] = strawberry.UNSET
    type: Optional[CustomerType] = strawberry.UNSET


@strawberry.input(description="A customer's subscription to a customer-facing CATALOGUE service.")
class SubscriptionInput:
    customer: strawberry.ID
    service: strawberry.ID
    since: Optional[str] = strawberry.field(default=None, description="A date as YYYY-MM-DD.")
    share: Optional[float] = strawberry.field(
        default=None, description="The fraction (0..1) of the service's cost this customer bears; the shares of one "
                                  "service's subscriptions sum to at most 1.")
    units: Optional[float] = strawberry.field(default=None, description="Expected units a month (>= 0).")
    special_business_case: Optional[str] = strawberry.field(
        default=None, description="Required for a new subscription to a RETIRED service.")


@strawberry.type(description="What a delete mutation removed.")
class Deletion:
    id: strawberry.ID


@strawberry.type(description="The result of `moveServiceStage`.")
class StageMove:
    service: Service
    previous_stage: ServiceStage
    replacement: Optional[Service]
    moved_consumers: list[strawberry.ID] = strawberry.field(
        description="The consumers whose dependency moved to the replacement.")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if has_object_definition(value):
        return as_data(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def as_data(obj: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """An input object as a dict with camelCase keys; fields left out (UNSET) are absent, nulls stay None."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value is strawberry.UNSET or f.name in skip:
            continue
        out[_camel(f.name)] = _plain(value)
    return out
