"""The portfolio document (``spec/portfolio-format.md``) as pydantic models: shape, types, enums and ranges.

Attributes are snake_case; the document's keys are their camelCase aliases, and only those are accepted
(``riskAssessed``, never ``risk_assessed``). Unknown keys are an error. Fields declared in the order of the
format, so that a dump lists keys as the format does. Cross-references and portfolio rules are checked by
``graph_itsm.portfolio.validation``; these models only check what one object can check on its own.

Optional fields (absent from a document means ``None``, or the default shown):
``description``; Service ``provider`` (INTERNAL), ``supplier``, ``risk_assessed`` (false), ``capacity``,
``pricing``; DEPENDS_ON ``share``, ``redundancy_group``, ``demand_factor``; Customer ``relationship_manager``;
Subscription ``since``, ``share``, ``units``, ``special_business_case``; BusinessCase ``name``, ``objectives``;
Survey ``comment``; Complaint ``name``, ``service``, ``escalation_level`` (0), ``summary``; Service and
BusinessCase ``investment_category``; Objective ``description``, ``owner``, ``horizon``, ``target_share`` ({});
every list ([]).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel

from graph_itsm.portfolio.fields import (
    Currency,
    Day,
    Email,
    Id,
    Month,
    NonNegative,
    Ref,
    Share,
    StrictBool,
    Text,
    Timestamp,
    given_iff,
)

__all__ = [
    "ServiceKind", "ServiceStage", "Provider", "PricingModel", "CustomerType", "CostCategory", "CostNature",
    "ComplaintStatus", "InvestmentCategory", "Outcome", "Pricing", "Dependency", "Redundancy", "Service", "RelationshipManager", "Subscription",
    "Customer", "Allocation", "CostItem", "Budget", "BusinessCase", "Survey", "Complaint", "Objective",
    "PortfolioDocument",
]


class ServiceKind(StrEnum):
    CUSTOMER_FACING = "CUSTOMER_FACING"
    SUPPORTING = "SUPPORTING"


class ServiceStage(StrEnum):
    PIPELINE = "PIPELINE"
    CATALOGUE = "CATALOGUE"
    RETIRED = "RETIRED"


class Provider(StrEnum):
    INTERNAL = "INTERNAL"
    THIRD_PARTY = "THIRD_PARTY"


class PricingModel(StrEnum):
    COST_RECOVERY = "COST_RECOVERY"
    COST_PLUS = "COST_PLUS"
    FIXED = "FIXED"
    PER_UNIT = "PER_UNIT"
    NOT_CHARGED = "NOT_CHARGED"


class CustomerType(StrEnum):
    INTERNAL = "INTERNAL"
    EXTERNAL = "EXTERNAL"


class CostCategory(StrEnum):
    HARDWARE = "HARDWARE"
    SOFTWARE = "SOFTWARE"
    PEOPLE = "PEOPLE"
    FACILITIES = "FACILITIES"
    EXTERNAL_SERVICE = "EXTERNAL_SERVICE"
    OTHER = "OTHER"


class CostNature(StrEnum):
    CAPEX = "CAPEX"
    OPEX = "OPEX"


class ComplaintStatus(StrEnum):
    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    ESCALATED = "ESCALATED"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


class InvestmentCategory(StrEnum):
    """Where the money goes (spec: Strategy management): keep the business running, grow it, or change it."""

    RUN = "RUN"
    GROW = "GROW"
    TRANSFORM = "TRANSFORM"


class _Model(BaseModel):
    """Base of every document model: camelCase keys only, nothing unknown, immutable, finite numbers."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, frozen=True, allow_inf_nan=False)


class Outcome(_Model):
    id: Id
    name: Text
    description: str | None = None


class Pricing(_Model):
    """How cost becomes a charge: ``markup`` only with COST_PLUS, ``price`` only with FIXED and PER_UNIT."""

    model: PricingModel
    markup: NonNegative | None = Field(default=None, validate_default=True)
    price: NonNegative | None = Field(default=None, validate_default=True)

    @field_validator("markup")
    @classmethod
    def _markup_with_cost_plus(cls, value: float | None, info: ValidationInfo) -> float | None:
        return given_iff(value, info, "model", "pricing model", {PricingModel.COST_PLUS})

    @field_validator("price")
    @classmethod
    def _price_with_fixed_or_per_unit(cls, value: float | None, info: ValidationInfo) -> float | None:
        return given_iff(value, info, "model", "pricing model", {PricingModel.FIXED, PricingModel.PER_UNIT})


class Dependency(_Model):
    """One ``DEPENDS_ON`` edge from the enclosing service to ``service``."""

    service: Ref
    share: Share | None = None
    redundancy_group: Text | None = None
    demand_factor: NonNegative | None = None


class Redundancy(_Model):
    """k of n for one ``redundancyGroup`` of the enclosing service's dependencies: the group needs ``minUp`` of
    its members up (1 to the group's size), or ``minUpPercent`` of them (more than 0, at most 100; rounded up);
    exactly one of the two."""

    group: Text
    min_up: Annotated[int, Field(strict=True, ge=1)] | None = None
    min_up_percent: Annotated[float, Field(gt=0, le=100)] | None = None

    @model_validator(mode="after")
    def _one_of_the_two(self) -> "Redundancy":
        if (self.min_up is None) == (self.min_up_percent is None):
            raise ValueError("give exactly one of minUp and minUpPercent")
        return self


class Service(_Model):
    id: Id
    name: Text
    description: str | None = None
    kind: ServiceKind
    stage: ServiceStage
    owner: Text
    provider: Provider = Provider.INTERNAL
    supplier: Text | None = Field(default=None, validate_default=True)
    criticality: Annotated[int, Field(strict=True, ge=1, le=5)]
    risk_assessed: StrictBool = False
    capacity: NonNegative | None = None
    pricing: Pricing | None = None
    enables: list[Ref] = []
    depends_on: list[Dependency] = []
    redundancy: list[Redundancy] = []
    investment_category: InvestmentCategory | None = None
    serves: list[Ref] = []

    @field_validator("supplier")
    @classmethod
    def _supplier_with_third_party(cls, value: str | None, info: ValidationInfo) -> str | None:
        return given_iff(value, info, "provider", "provider", {Provider.THIRD_PARTY})


class RelationshipManager(_Model):
    id: Id
    name: Text
    email: Email


class Subscription(_Model):
    service: Ref
    since: Day | None = None
    share: Share | None = None
    units: NonNegative | None = None
    special_business_case: Text | None = None


class Customer(_Model):
    id: Id
    name: Text
    description: str | None = None
    type: CustomerType
    relationship_manager: RelationshipManager | None = None
    pursues: list[Ref] = []
    subscriptions: list[Subscription] = []


class Allocation(_Model):
    service: Ref
    share: Share


class CostItem(_Model):
    id: Id
    name: Text
    description: str | None = None
    category: CostCategory
    nature: CostNature
    period: Month
    amount: NonNegative
    allocations: list[Allocation] = []


class Budget(_Model):
    service: Ref
    period: Month
    amount: NonNegative


class BusinessCase(_Model):
    id: Id
    name: Text | None = None
    description: str | None = None
    service: Ref
    investment: NonNegative
    annual_benefit: NonNegative
    annual_running_cost: NonNegative
    years: Annotated[int, Field(strict=True, ge=1)]
    discount_rate: NonNegative
    objectives: str | None = None
    non_financial_impacts: list[Text] = []
    investment_category: InvestmentCategory | None = None


class Survey(_Model):
    customer: Ref
    period: Month
    score: Annotated[int, Field(strict=True, ge=1, le=5)]
    comment: str | None = None


class Complaint(_Model):
    id: Id
    name: Text | None = None
    customer: Ref
    service: Ref | None = None
    severity: Annotated[int, Field(strict=True, ge=1, le=4)]
    opened: Timestamp  # normalised to UTC
    status: ComplaintStatus
    escalation_level: Annotated[int, Field(strict=True, ge=0)] = 0
    summary: str | None = None


class Objective(_Model):
    """A strategic objective: the target shares of spend by investment category (each 0..1, summing to at
    most 1; a category left out has no target), its owner, the year it is to be met by (``horizon``) and the
    business outcomes that support it (``supportedBy``)."""

    id: Id
    name: Text
    description: str | None = None
    owner: Text | None = None
    horizon: Annotated[int, Field(strict=True, ge=1900, le=2999)] | None = None
    target_share: dict[InvestmentCategory, Share] = {}
    supported_by: list[Ref] = []

    @field_validator("target_share")
    @classmethod
    def _at_most_one(cls, value: dict[InvestmentCategory, float]) -> dict[InvestmentCategory, float]:
        total = sum(value.values())
        if total > 1 + 1e-9:
            raise ValueError(f"shares sum to {total:g}, more than 1")
        return value


class PortfolioDocument(_Model):
    """A whole portfolio: everything ``graph-itsm import`` loads and ``graph-itsm export`` writes."""

    currency: Currency
    outcomes: list[Outcome] = []
    services: list[Service] = []
    customers: list[Customer] = []
    costs: list[CostItem] = []
    budgets: list[Budget] = []
    business_cases: list[BusinessCase] = []
    surveys: list[Survey] = []
    complaints: list[Complaint] = []
    objectives: list[Objective] = []
