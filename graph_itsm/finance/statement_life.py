"""The life of an issued charge statement (spec/domain.md, "Charging") and the revenue it brings.

``ISSUED -> PAID``, or ``ISSUED -> DISPUTED`` (with a reason) ``-> ISSUED`` (the dispute settled, with an optional
credit line that never edits the original lines) or ``-> PAID``. Each move is one audited atomic write checked
against the graph version it read; a move the life cycle does not allow is ``RuleViolation`` ``statement-state``.
Revenue per month and customer: ``collected`` is what PAID statements were due (total less credits),
``outstanding`` what ISSUED and DISPUTED ones are due.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.finance.service import check_period
from graph_itsm.finance.statements import Statement, StatementState, _statement_id, read_issued
from graph_itsm.portfolio.edits import check_id
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore, library

__all__ = ["STATEMENT_STATE", "pay_statement", "dispute_statement", "settle_dispute", "RevenueLine", "revenue"]

STATEMENT_STATE = "statement-state"
_NEXT = {
    "pay": ({StatementState.ISSUED, StatementState.DISPUTED}, StatementState.PAID),
    "dispute": ({StatementState.ISSUED}, StatementState.DISPUTED),
    "settle": ({StatementState.DISPUTED}, StatementState.ISSUED),
}
_ACTIONS = {"pay": "payStatement", "dispute": "disputeStatement", "settle": "settleDispute"}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _move(store: GraphStore, customer_id: str, period: str, how: str, *, actor: str,
          extra: Any = None) -> Statement:
    check_id(customer_id, "customerId")
    check_period(period)
    sid = _statement_id(customer_id, period)
    allowed, to = _NEXT[how]

    def plan() -> Change:
        facts = store.read(library()["finance/statement_state_facts"], {"id": sid})[0]
        if not facts.get("statement"):
            raise NotFound(f"period: {customer_id!r} has no issued statement for {period} (issue it first)",
                           field="period")
        current = read_issued(facts["statement"])
        state = StatementState(current.state or "ISSUED")
        if state not in allowed:
            raise RuleViolation(
                f"{STATEMENT_STATE}: the statement of {customer_id!r} for {period} is {state.value}; it cannot be "
                f"{'paid' if how == 'pay' else 'disputed' if how == 'dispute' else 'settled'} from there "
                "(ISSUED -> PAID | DISPUTED; DISPUTED -> ISSUED (settled) | PAID)",
                rule=STATEMENT_STATE, field="period",
            )
        at = _now()
        props: dict[str, Any] = {"state": to.value}
        if how == "pay":
            props.update(paidAt=at, paidBy=actor)
        elif how == "dispute":
            props.update(disputedAt=at, disputedBy=actor, disputeReason=extra)
        else:
            amount, note = extra
            props.update(settledAt=at, settledBy=actor)
            if amount:
                if amount > current.due + 1e-9:
                    raise BadInput(f"credit: {amount} is more than the {current.due:.2f} still due", field="credit")
                credits = [c.__dict__ for c in current.credits] + [{"amount": amount, "note": note, "at": at,
                                                                     "by": actor}]
                props["credits"] = json.dumps(credits)
        before = {"state": state.value}
        after = {k: v for k, v in props.items() if k != "credits"}
        if "credits" in props:
            after["credit"] = extra[0]
        moved = read_issued({**facts["statement"], **props})
        return Change(_ACTIONS[how], f"statement:{sid}", before, after, [line.service_id for line in current.lines],
                      [("finance/write/set_statement_state", {"id": sid, "props": props})], facts["version"], moved,
                      topology=False)

    return commit(store, actor, plan)


def pay_statement(store: GraphStore, customer_id: str, period: str, *, actor: str) -> Statement:
    """ISSUED or DISPUTED -> PAID."""
    return _move(store, customer_id, period, "pay", actor=actor)


def dispute_statement(store: GraphStore, customer_id: str, period: str, reason: str, *, actor: str) -> Statement:
    """ISSUED -> DISPUTED, with the reason (BAD_INPUT when blank)."""
    if not isinstance(reason, str) or not reason.strip():
        raise BadInput("reason: say what is disputed", field="reason")
    return _move(store, customer_id, period, "dispute", actor=actor, extra=reason.strip())


def settle_dispute(store: GraphStore, customer_id: str, period: str, credit: float | None = None,
                   note: str | None = None, *, actor: str) -> Statement:
    """DISPUTED -> ISSUED; a ``credit`` (0 < credit <= what is due) adds a credit line, the lines stay."""
    if credit is not None and not credit >= 0.0:
        raise BadInput(f"credit: must be 0 or more, got {credit}", field="credit")
    return _move(store, customer_id, period, "settle", actor=actor, extra=(float(credit or 0.0), note))


@dataclass(frozen=True)
class RevenueLine:
    """One customer's month: what its issued statement charged, credited, and is collected or outstanding."""

    period: str
    customer_id: str
    state: str
    charged: float
    credited: float
    collected: float
    outstanding: float


def revenue(store: GraphStore, *, from_: str | None = None, to: str | None = None,
            customer: str | None = None) -> list[RevenueLine]:
    """Revenue of the issued statements per month and customer (month, then customer order)."""
    for value, name in ((from_, "from"), (to, "to")):
        if value is not None:
            check_period(value, name)
    rows = store.read_tuples(library()["finance/revenue_statements"], {"from": from_, "to": to, "customer": customer})
    found = []
    for cid, period, state, lines, credits in rows:
        charged = float(sum(line["charge"] for line in json.loads(lines or "[]")))
        credited = float(sum(c["amount"] for c in json.loads(credits or "[]")))
        due = charged - credited
        paid = state == StatementState.PAID.value
        found.append(RevenueLine(period, cid, state, charged, credited, due if paid else 0.0, 0.0 if paid else due))
    return found
