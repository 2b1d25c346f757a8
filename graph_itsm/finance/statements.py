"""Charge statements: a customer's month, computed live or as issued.

A live statement splits the month's retained cost of each subscribed service (``MonthCosts.lines``) and prices
it. Issuing stores the statement as it stands, every line with its cost items behind it, in one audited write
(``(:ChargeStatement {id: "customer:period"})-[:BILLS]->(:Customer)``); from then on ``statement_for``
returns the stored figures whatever costs change later, and issuing the same (customer, month) again is a
``RuleViolation``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from graph_itsm.errors import NotFound, RuleViolation
from graph_itsm.finance.charging import StatementLine, StatementTotals, line_origins
from graph_itsm.finance.service import FinanceCache, MonthCosts, check_period
from graph_itsm.finance.settlement import Settlement, StatementState, settlement_of
from graph_itsm.paging import decode_cursor, encode_cursor, page_size
from graph_itsm.portfolio.edits import check_id
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore, library

__all__ = [
    "Origin", "Line", "Statement", "statement_for", "issue_statement", "STATEMENT_ISSUED", "Charge", "PeriodCharges",
    "period_charges", "issued_props",
    "StatementState", "StatementPage", "list_statements", "statement_cursor",
]

STATEMENT_ISSUED = "statement-issued"


@dataclass(frozen=True)
class Origin:
    """The part of a cost that comes from one cost item, through any chain of providers."""

    item_id: str
    name: str
    category: str
    nature: str
    amount: float


@dataclass
class Line:
    """One subscribed service on a statement: the cost basis, the charge and how both were reached."""

    service_id: str
    cost: float
    charge: float
    fraction: float
    basis: str
    pricing: str
    units: float | None
    markup: float | None
    price: float | None
    origins_stored: list[Origin] | None = None  # an issued line's; a live one traces on demand
    month: MonthCosts | None = field(default=None, repr=False)
    line: StatementLine | None = field(default=None, repr=False)

    def origins(self) -> list[Origin]:
        if self.origins_stored is not None:
            return self.origins_stored
        assert self.month is not None and self.line is not None
        items = self.month.items
        return [
            Origin(c.item_id, items[c.item_id].name, c.category.value, c.nature.value, c.amount)
            for c in line_origins(self.month.allocation, self.line)
        ]

    def stored(self) -> dict[str, Any]:
        return {
            "service": self.service_id, "cost": self.cost, "charge": self.charge, "fraction": self.fraction,
            "basis": self.basis, "pricing": self.pricing, "units": self.units, "markup": self.markup,
            "price": self.price, "origins": [asdict(o) for o in self.origins()],
        }


@dataclass
class Statement(StatementTotals):
    customer_id: str
    period: str
    currency: str | None
    lines: list[Line]
    issued: bool = False
    issued_at: str | None = None
    issued_by: str | None = None
    settlement: Settlement | None = None  # an issued statement's state, credits and history


def _statement_id(customer_id: str, period: str) -> str:
    return f"{customer_id}:{period}"


def _read(store: GraphStore, customer_id: str, period: str) -> dict[str, Any]:
    rows = store.read(
        library()["finance/get_charge_statement"],
        {"id": _statement_id(customer_id, period), "customer": customer_id},
    )
    found = rows[0] if rows else {}
    if not found.get("customerExists"):
        raise NotFound(f"customerId: there is no customer {customer_id!r}", field="customerId")
    return found


def _live(month: MonthCosts, customer_id: str, currency: str | None) -> Statement:
    pricing = month.charging.pricing if month.charging else {}
    lines = []
    for sl in month.lines_of(customer_id):
        p = pricing.get(sl.service_id)
        lines.append(Line(
            sl.service_id, sl.cost, sl.charge, sl.fraction, sl.basis.value, sl.pricing.value, sl.units,
            p.markup if p else None, p.price if p else None, month=month, line=sl,
        ))
    return Statement(customer_id, month.period, currency, lines)


def _issued(props: dict[str, Any]) -> Statement:
    lines = []
    for raw in json.loads(props.get("lines") or "[]"):
        origins = [Origin(**o) for o in raw.pop("origins", [])]
        lines.append(Line(service_id=raw.pop("service"), origins_stored=origins, **raw))
    return Statement(props["customer"], props["period"], props.get("currency"), lines, issued=True,
                     issued_at=props.get("issuedAt"), issued_by=props.get("issuedBy"), settlement=settlement_of(props))


def statement_for(store: GraphStore, cache: FinanceCache, customer_id: str, period: str) -> Statement:
    """The issued statement of the customer's month if there is one, else the live one."""
    check_id(customer_id, "customerId")
    check_period(period)
    found = _read(store, customer_id, period)
    if found.get("statement"):
        return _issued(found["statement"])
    return _live(cache.month(period, charging=True), customer_id, found.get("currency"))


@dataclass(frozen=True)
class Charge:
    """What one customer is charged for one subscribed service in a month."""

    customer_id: str
    service_id: str
    charge: float


@dataclass(frozen=True)
class PeriodCharges:
    """Every customer's charges for one month, line by line, exactly as ``statement_for`` shows them: the issued
    figures of the customers whose statement was issued, the live ones of all others."""

    period: str
    currency: str | None
    charges: list[Charge]


def period_charges(store: GraphStore, cache: FinanceCache, period: str) -> PeriodCharges:
    """All customers' charges for the month in one pass: one read for the issued statements and the currency,
    the month's live lines from the cache (every subscription's, computed once per graph version)."""
    check_period(period)
    rows = store.read(library()["finance/issued_statements_for_period"], {"period": period})
    found = rows[0] if rows else {}
    issued = [_issued(props) for props in found.get("statements") or []]
    issued_to = {s.customer_id for s in issued}
    month = cache.month(period, charging=True)
    charges = [Charge(sl.customer_id, sl.service_id, sl.charge) for sl in month.lines if sl.customer_id not in issued_to]
    charges += [Charge(s.customer_id, line.service_id, line.charge) for s in issued for line in s.lines]
    return PeriodCharges(period, found.get("currency"), charges)


def issue_statement(store: GraphStore, cache: FinanceCache, customer_id: str, period: str, *, actor: str) -> Statement:
    """Store the customer's statement for the month as it stands; refused if one was issued already."""
    check_id(customer_id, "customerId")
    check_period(period)

    def plan() -> Change:
        month = cache.month(period, charging=True)
        found = _read(store, customer_id, period)
        sid = _statement_id(customer_id, period)
        if found.get("statement"):
            issued_at = found["statement"].get("issuedAt")
            raise RuleViolation(
                f"{STATEMENT_ISSUED}: the statement of {customer_id!r} for {period} was issued at {issued_at}; an "
                "issued statement never changes and is issued once",
                rule=STATEMENT_ISSUED, field="period",
            )
        at = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        _, props, statement = issued_props(month, customer_id, found.get("currency"), actor=actor, at=at)
        summary = {"customer": customer_id, "period": period, "total": statement.total}
        return Change("issueChargeStatement", f"statement:{sid}", None, summary,
                      [line.service_id for line in statement.lines],
                      [("finance/write/issue_charge_statement", {"id": sid, "customer": customer_id, "props": props})],
                      month.version, statement, topology=False)

    return commit(store, actor, plan)


def issued_props(month: MonthCosts, customer_id: str, currency: str | None, *, actor: str,
                 at: str) -> tuple[str, dict[str, Any], Statement]:
    """The customer's statement of the month as it stands, issued by ``actor`` at ``at``: its id, the node
    properties that store it (lines as JSON, each with its cost items) and the statement."""
    statement = _live(month, customer_id, currency)
    statement.issued, statement.issued_by, statement.issued_at = True, actor, at
    statement.lines = [Line(**{**_plain(line), "origins_stored": line.origins()}) for line in statement.lines]
    statement.settlement = settlement_of({"total": statement.total})
    props = {
        "customer": customer_id, "period": month.period, "currency": statement.currency, "total": statement.total,
        "totalCost": statement.total_cost, "issuedAt": at, "issuedBy": actor,
        "version": month.version, "lines": json.dumps([line.stored() for line in statement.lines]),
    }
    return _statement_id(customer_id, month.period), props, statement


def _plain(line: Line) -> dict[str, Any]:
    """A line's figures without its live links (month, engine line)."""
    return {k: getattr(line, k) for k in ("service_id", "cost", "charge", "fraction", "basis", "pricing", "units",
                                          "markup", "price")}


@dataclass(frozen=True)
class StatementPage:
    statements: list[Statement]
    has_next_page: bool
    total_count: int


def list_statements(store: GraphStore, *, period: str | None = None, customer: str | None = None,
                    state: str | None = None, first: int | None = None, after: str | None = None) -> StatementPage:
    """A page of issued statements matching every filter given, ordered by id (customer, then month)."""
    size = page_size(first, "statements")
    if period is not None:
        check_period(period)
    if customer is not None:
        check_id(customer, "customer")
    after_id = decode_cursor("statement", after) if after is not None else None
    filters = {"period": period, "customer": customer, "state": None if state is None else StatementState(state).value}
    q = library()
    rows = store.read(q["finance/list_statements"], {**filters, "after": after_id, "limit": size + 1})
    total = int(store.scalar(q["finance/count_statements"], filters) or 0)
    found = [_issued(r["statement"]) for r in rows]
    return StatementPage(found[:size], len(found) > size, total)


def statement_cursor(s: Statement) -> str:
    return encode_cursor("statement", _statement_id(s.customer_id, s.period))
