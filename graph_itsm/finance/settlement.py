"""After issuing: a charge statement's life cycle, the revenue collected and outstanding, and cents that add up.

An issued statement moves ``ISSUED -> PAID``, or ``ISSUED -> DISPUTED`` (with a reason) ``-> ISSUED`` (the dispute
settled, with an optional credit line) or ``-> PAID``. A credit line never edits the original lines: it is a line
of its own (amount, reason, when, who), and the amount due is the total less the credits. Every move is kept in
the statement's history and audited. Revenue per month and customer comes from these states: what a PAID
statement was due is collected, what an ISSUED or DISPUTED one is due is outstanding (DISPUTED shown apart).

Display (spec "Charging"): a statement's lines rounded to cents add up exactly to its rounded total, by the
largest remainder method (:func:`cents`).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any, Sequence

from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.finance.service import check_period
from graph_itsm.portfolio.edits import check_id
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore, library

__all__ = [
    "StatementState", "Credit", "Move", "Settlement", "LIFE_CYCLE", "NOT_ISSUED", "settlement_of", "pay_statement",
    "dispute_statement", "settle_dispute", "CustomerRevenue", "Revenue", "revenue", "cents",
]

LIFE_CYCLE = "statement-life-cycle"
NOT_ISSUED = "statement-not-issued"
MAX_REASON = 2000
_CENT = Decimal("0.01")


class StatementState(str, Enum):
    ISSUED = "ISSUED"
    PAID = "PAID"
    DISPUTED = "DISPUTED"


_MOVES = {
    (StatementState.ISSUED, StatementState.PAID),
    (StatementState.ISSUED, StatementState.DISPUTED),
    (StatementState.DISPUTED, StatementState.ISSUED),
    (StatementState.DISPUTED, StatementState.PAID),
}


@dataclass(frozen=True)
class Credit:
    """A credit line settling a dispute: it lowers the amount due and never edits the original lines."""

    amount: float
    reason: str
    at: str
    by: str


@dataclass(frozen=True)
class Move:
    """One step of a statement's life cycle."""

    from_state: str
    to_state: str
    at: str
    by: str
    reason: str | None = None
    credit: float | None = None


@dataclass(frozen=True)
class Settlement:
    """Where an issued statement stands: its state, credits and history, and what is due."""

    state: StatementState
    total: float
    credits: list[Credit]
    history: list[Move]
    paid_at: str | None = None

    @property
    def credited(self) -> float:
        return float(sum(c.amount for c in self.credits))

    @property
    def due(self) -> float:
        """The total less the credits."""
        return self.total - self.credited

    @property
    def collected(self) -> float:
        return self.due if self.state is StatementState.PAID else 0.0

    @property
    def outstanding(self) -> float:
        return 0.0 if self.state is StatementState.PAID else self.due


def settlement_of(props: dict[str, Any]) -> Settlement:
    """The settlement of a stored statement's properties (one issued before the life cycle is ISSUED)."""
    return Settlement(
        state=StatementState(props.get("state") or StatementState.ISSUED.value),
        total=float(props.get("total") or 0.0),
        credits=[Credit(**c) for c in json.loads(props.get("credits") or "[]")],
        history=[Move(**m) for m in json.loads(props.get("history") or "[]")],
        paid_at=props.get("paidAt"),
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _reason(reason: str | None, *, required: bool) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise BadInput("reason: give the reason (it stays on the statement's history)", field="reason")
    if len(text) > MAX_REASON:
        raise BadInput(f"reason: at most {MAX_REASON} characters", field="reason")
    return text or None


def _move(store: GraphStore, customer_id: str, period: str, to: StatementState, *, actor: str, action: str,
          reason: str | None = None, credit: float | None = None) -> Settlement:
    check_id(customer_id, "customerId")
    check_period(period)
    sid = f"{customer_id}:{period}"

    def plan() -> Change:
        rows = store.read(library()["finance/get_statement_state"], {"id": sid, "customer": customer_id})
        found = rows[0] if rows else {}
        if not found.get("customerExists"):
            raise NotFound(f"customerId: there is no customer {customer_id!r}", field="customerId")
        props = found.get("statement")
        if not props:
            raise RuleViolation(
                f"{NOT_ISSUED}: the statement of {customer_id!r} for {period} has not been issued; only an issued "
                "statement is paid, disputed or settled (issueChargeStatement first)",
                rule=NOT_ISSUED, field="period",
            )
        now = settlement_of(props)
        if (now.state, to) not in _MOVES:
            raise RuleViolation(
                f"{LIFE_CYCLE}: a statement cannot move from {now.state.value} to {to.value} (ISSUED -> PAID or "
                "DISPUTED; DISPUTED -> ISSUED when settled, or PAID)",
                rule=LIFE_CYCLE, field="period",
            )
        at = _now()
        credits = list(now.credits)
        if credit is not None:
            if not math.isfinite(credit) or credit <= 0:
                raise BadInput("credit: must be a positive amount (leave it out to settle without a credit)",
                               field="credit")
            if credit > now.due + 1e-9:
                raise BadInput(f"credit: at most the amount due, {now.due:.2f}", field="credit")
            credits.append(Credit(float(credit), reason or "", at, actor))
        history = [*now.history, Move(now.state.value, to.value, at, actor, reason, credit)]
        after = Settlement(to, now.total, credits, history, at if to is StatementState.PAID else now.paid_at)
        write = {"state": to.value, "credits": json.dumps([asdict(c) for c in credits]),
                 "history": json.dumps([asdict(m) for m in history]), "paidAt": after.paid_at}
        lines = json.loads(props.get("lines") or "[]")
        return Change(
            action, f"statement:{sid}", {"state": now.state.value},
            {"state": to.value, **({"reason": reason} if reason else {}), **({"credit": credit} if credit else {})},
            [line["service"] for line in lines],
            [("finance/write/move_statement", {"id": sid, "props": write})],
            found.get("version"), after, topology=False,
        )

    return commit(store, actor, plan)


def pay_statement(store: GraphStore, customer_id: str, period: str, *, actor: str) -> Settlement:
    """ISSUED or DISPUTED -> PAID: what is due is collected."""
    return _move(store, customer_id, period, StatementState.PAID, actor=actor, action="markStatementPaid")


def dispute_statement(store: GraphStore, customer_id: str, period: str, reason: str, *, actor: str) -> Settlement:
    """ISSUED -> DISPUTED, with the customer's reason."""
    return _move(store, customer_id, period, StatementState.DISPUTED, actor=actor, action="disputeStatement",
                 reason=_reason(reason, required=True))


def settle_dispute(store: GraphStore, customer_id: str, period: str, *, reason: str, credit: float | None,
                   actor: str) -> Settlement:
    """DISPUTED -> ISSUED, with a credit line when ``credit`` is given (at most the amount due)."""
    return _move(store, customer_id, period, StatementState.ISSUED, actor=actor, action="settleDispute",
                 reason=_reason(reason, required=True), credit=credit)


@dataclass(frozen=True)
class CustomerRevenue:
    """One customer's issued statement of a month, as revenue."""

    customer_id: str
    state: StatementState
    billed: float
    credited: float
    due: float
    collected: float
    outstanding: float


@dataclass(frozen=True)
class Revenue:
    """A month's revenue from its issued statements: collected (PAID), outstanding (ISSUED or DISPUTED), and
    the disputed part of the outstanding; customers by id."""

    period: str
    customers: list[CustomerRevenue]

    def _sum(self, attr: str) -> float:
        return float(sum(getattr(c, attr) for c in self.customers))

    @property
    def billed(self) -> float:
        return self._sum("billed")

    @property
    def credited(self) -> float:
        return self._sum("credited")

    @property
    def collected(self) -> float:
        return self._sum("collected")

    @property
    def outstanding(self) -> float:
        return self._sum("outstanding")

    @property
    def disputed(self) -> float:
        return float(sum(c.outstanding for c in self.customers if c.state is StatementState.DISPUTED))


def revenue(store: GraphStore, period: str) -> Revenue:
    """The month's revenue by customer, from its issued statements."""
    check_period(period)
    rows = store.read(library()["finance/issued_statements_for_period"], {"period": period})
    found = rows[0] if rows else {}
    out = []
    for props in found.get("statements") or []:
        s = settlement_of(props)
        out.append(CustomerRevenue(props["customer"], s.state, s.total, s.credited, s.due, s.collected, s.outstanding))
    return Revenue(period, sorted(out, key=lambda c: c.customer_id))


def cents(amounts: Sequence[float]) -> tuple[list[Decimal], Decimal]:
    """``amounts`` rounded to cents so that they add up exactly to their rounded total (largest remainder:
    every amount rounded down, then the cents left over go one each to the largest fractional parts, ties to
    the earlier line); the rounded total is the exact sum rounded half up."""
    exact = [Decimal(repr(float(a))) for a in amounts]
    total = sum(exact, Decimal(0)).quantize(_CENT, ROUND_HALF_UP)
    floors = [e.quantize(_CENT, ROUND_FLOOR) for e in exact]
    left = int(((total - sum(floors, Decimal(0))) / _CENT).to_integral_value())
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    rounded = list(floors)
    for i in order[:max(0, left)]:
        rounded[i] += _CENT
    return rounded, total
