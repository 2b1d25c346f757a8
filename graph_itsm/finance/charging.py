"""Charging (chargeback and showback): who bears a customer-facing service's retained cost, and what they pay.

spec/domain.md, "Charging": a service's retained cost is split among its subscribers by ``share`` if any
subscription of it states one, else by ``units`` if any states them, else equally; what is not split is the
service's unrecovered cost. The service's pricing turns each subscriber's cost basis into a charge. Retired
services with subscribers (a special business case) charge like any other: nothing here looks at the stage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping, Sequence

import numpy as np

from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.finance.allocation import Allocation
from graph_itsm.finance.linear import LEAK_TOLERANCE
from graph_itsm.finance.model import Pricing, PricingModel, Subscription
from graph_itsm.finance.explain import ItemContribution, origins

__all__ = [
    "SplitBasis",
    "StatementLine",
    "Statement",
    "customer_facing_retained",
    "split_fractions",
    "charge",
    "statement_lines",
    "statement",
    "unrecovered_costs",
    "line_origins",
    "DEFAULT_PRICING",
]

DEFAULT_PRICING = Pricing(PricingModel.COST_RECOVERY)  # for a service that states no pricing


class SplitBasis(str, Enum):
    SHARE = "SHARE"
    UNITS = "UNITS"
    EQUAL = "EQUAL"


@dataclass(frozen=True)
class StatementLine:
    """One subscription on a charge statement: the cost basis, the charge and how both were reached."""

    customer_id: str
    service_id: str
    cost: float  # the customer's part of the service's retained cost
    charge: float
    fraction: float  # of the service's retained cost
    basis: SplitBasis
    pricing: PricingModel
    units: float | None


class StatementTotals:
    """The totals of a statement's ``lines`` (each with ``cost`` and ``charge``)."""

    lines: Sequence[Any]

    @property
    def total(self) -> float:
        """The amount charged."""
        return float(sum(line.charge for line in self.lines))

    @property
    def total_cost(self) -> float:
        """The cost shown (showback), whatever was charged."""
        return float(sum(line.cost for line in self.lines))


@dataclass(frozen=True)
class Statement(StatementTotals):
    """A customer's charge statement for one month (one line per subscribed service)."""

    customer_id: str
    period: str | None
    lines: list[StatementLine]


def customer_facing_retained(allocation: Allocation) -> dict[str, float]:
    """The retained cost of every customer-facing service (of any stage), by service id."""
    topo = allocation.topology
    return {topo.ids[i]: float(allocation.retained[i]) for i in np.flatnonzero(topo.customer_facing).tolist()}


def split_fractions(subscriptions: Sequence[Subscription]) -> tuple[list[float], SplitBasis]:
    """The fraction of one service's retained cost each of its subscriptions bears, and the rule used.

    Shares must lie in 0..1 and sum to at most 1 (``RuleViolation`` otherwise); units must be non-negative. When
    units are stated but all are 0 there is no proportion to take, and the split is equal.
    """
    if any(s.share is not None for s in subscriptions):
        shares = [0.0 if s.share is None else float(s.share) for s in subscriptions]
        for s, share in zip(subscriptions, shares):
            if not 0.0 <= share <= 1.0:
                raise BadInput(f"subscription of {s.customer_id!r} to {s.service_id!r}: share {share} not in 0..1")
        if sum(shares) > 1.0 + LEAK_TOLERANCE:
            sid = subscriptions[0].service_id
            raise RuleViolation(f"the subscriptions' shares of {sid!r} sum to {sum(shares):.6g}, more than 1")
        return shares, SplitBasis.SHARE
    units = [0.0 if s.units is None else float(s.units) for s in subscriptions]
    for s, u in zip(subscriptions, units):
        if not u >= 0.0:
            raise BadInput(f"subscription of {s.customer_id!r} to {s.service_id!r}: units {u} must be >= 0")
    whole = sum(units)
    if any(s.units is not None for s in subscriptions) and whole > 0.0:
        return [u / whole for u in units], SplitBasis.UNITS
    return [1.0 / len(subscriptions)] * len(subscriptions), SplitBasis.EQUAL


def charge(pricing: Pricing | None, cost: float, units: float | None = None) -> float:
    """What one subscription is charged for a month, given its cost basis and units.

    COST_RECOVERY: the cost; COST_PLUS: ``cost * (1 + markup)``; FIXED: ``price`` per subscription;
    PER_UNIT: ``price * units`` (0 without units); NOT_CHARGED: 0. No pricing means COST_RECOVERY.
    """
    pricing = pricing or DEFAULT_PRICING
    model = pricing.model
    if model is PricingModel.COST_RECOVERY:
        return cost
    if model is PricingModel.NOT_CHARGED:
        return 0.0
    if model is PricingModel.COST_PLUS:
        if pricing.markup is None or not pricing.markup >= -1.0:
            raise BadInput(f"COST_PLUS pricing needs a markup of at least -1, got {pricing.markup}", field="markup")
        return cost * (1.0 + pricing.markup)
    if pricing.price is None or not pricing.price >= 0.0:
        raise BadInput(f"{model.value} pricing needs a non-negative price, got {pricing.price}", field="price")
    if model is PricingModel.FIXED:
        return float(pricing.price)
    return float(pricing.price) * (0.0 if units is None else float(units))


def statement_lines(
    retained: Mapping[str, float],
    subscriptions: Sequence[Subscription],
    pricing: Mapping[str, Pricing],
) -> list[StatementLine]:
    """One line per subscription, in the order given. ``retained`` holds the retained cost of the services
    (``customer_facing_retained``); a subscription to a service not in it is ``NotFound``."""
    lines: list[StatementLine | None] = [None] * len(subscriptions)
    for sid, positions in _by_service(retained, subscriptions).items():
        subs = [subscriptions[p] for p in positions]
        fractions, basis = split_fractions(subs)
        for p, sub, fraction in zip(positions, subs, fractions):
            cost = fraction * retained[sid]
            price = pricing.get(sid)
            lines[p] = StatementLine(
                customer_id=sub.customer_id,
                service_id=sid,
                cost=cost,
                charge=charge(price, cost, sub.units),
                fraction=fraction,
                basis=basis,
                pricing=(price or DEFAULT_PRICING).model,
                units=sub.units,
            )
    return [line for line in lines if line is not None]


def statement(
    customer_id: str,
    period: str | None,
    retained: Mapping[str, float],
    subscriptions: Sequence[Subscription],
    pricing: Mapping[str, Pricing],
) -> Statement:
    """The customer's statement for the month. ``subscriptions`` must be all subscriptions of the services
    involved (the split depends on the other subscribers), not only the customer's own."""
    lines = statement_lines(retained, subscriptions, pricing)
    return Statement(customer_id, period, [line for line in lines if line.customer_id == customer_id])


def unrecovered_costs(retained: Mapping[str, float], subscriptions: Sequence[Subscription]) -> dict[str, float]:
    """Per service of ``retained``: the retained cost its subscribers do not bear (all of it without any)."""
    left = dict(retained)
    for sid, positions in _by_service(retained, subscriptions).items():
        fractions, _ = split_fractions([subscriptions[p] for p in positions])
        left[sid] = retained[sid] * max(0.0, 1.0 - sum(fractions))
    return left


def line_origins(allocation: Allocation, line: StatementLine) -> list[ItemContribution]:
    """The cost items behind a statement line's cost basis, largest first (they sum to ``line.cost``)."""
    return [
        ItemContribution(c.item_id, c.category, c.nature, c.amount * line.fraction)
        for c in origins(allocation, line.service_id, of="retained")
    ]


def _by_service(retained: Mapping[str, float], subscriptions: Sequence[Subscription]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for p, sub in enumerate(subscriptions):
        if sub.service_id not in retained:
            raise NotFound(
                f"subscription of {sub.customer_id!r} to {sub.service_id!r}: no such customer-facing service",
                field="service",
            )
        groups[sub.service_id].append(p)
    return groups
