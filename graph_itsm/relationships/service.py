"""The rules of business relationship management: complaints, surveys, relationship managers, the customer view.

No GraphQL and no driver here. Every write is one audited atomic write (:func:`graph_itsm.portfolio.writes.commit`)
that never touches the topology. Time comes from ``now``, a function the caller may replace (tests fix the clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from graph_itsm.errors import BadInput, NotFound
from graph_itsm.portfolio import document
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.edits import check_id, validate_model
from graph_itsm.portfolio.rules import check_new_id, violation
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.relationships.model import (
    ACKNOWLEDGED,
    ESCALATED,
    OPEN,
    TRANSITIONS,
    Complaint,
    ComplaintStatus,
    Satisfaction,
    ServiceHealth,
    format_time,
    satisfaction_of,
)
from graph_itsm.store import GraphStore, library

__all__ = [
    "Clock", "utc_now", "COMPLAINT_PROCEDURE", "raise_complaint", "move_complaint", "record_survey",
    "assign_manager", "complaints_of_customers", "satisfaction_of_customers", "ServiceInView", "CustomerView", "customer_view", "check_transition",
]

Clock = Callable[[], datetime]
COMPLAINT_PROCEDURE = "complaint-procedure"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


# -- complaints ----------------------------------------------------------------------------------------------


def _complaint_facts(store: GraphStore, id_: str, customer: str | None = None, service: str | None = None) -> dict[str, Any]:
    return store.read(library()["relationships/rules/complaint_facts"],
                      {"id": id_, "customer": customer, "service": service})[0]


def raise_complaint(store: GraphStore, data: dict[str, Any], *, actor: str, now: Clock = utc_now) -> Complaint:
    """Raise a complaint (``id``, ``customer``, ``service``?, ``severity`` 1-4, ``name``?, ``summary``?): OPEN,
    escalation level 0, opened now."""
    opened = format_time(now())
    entry = {k: v for k, v in data.items() if v is not None}
    c = validate_model(document.Complaint, {**entry, "opened": opened, "status": OPEN.value})
    props = {"name": c.name, "severity": c.severity, "opened": opened, "status": OPEN.value, "escalationLevel": 0,
             "summary": c.summary, "acknowledged": None}

    def plan() -> Change:
        facts = _complaint_facts(store, c.id, c.customer, c.service)
        check_new_id(facts["complaint"], "complaint", c.id)
        if not facts["customerFound"]:
            raise NotFound(f"customer: no customer has the id {c.customer!r}", field="customer")
        if c.service is not None and not facts["serviceFound"]:
            raise NotFound(f"service: no service has the id {c.service!r}", field="service")
        result = Complaint.from_row({"id": c.id, **props}, c.customer, c.service)
        return Change("raiseComplaint", f"complaint:{c.id}", None,
                      compact({"id": c.id, "customer": c.customer, "service": c.service, **props}),
                      [c.service] if c.service else [],
                      [("relationships/write/put_complaint",
                        {"id": c.id, "customer": c.customer, "service": c.service, "props": props})],
                      facts["version"], result, topology=False)

    return commit(store, actor, plan)


def check_transition(complaint: Complaint, to: ComplaintStatus) -> None:
    if to not in TRANSITIONS[complaint.status]:
        allowed = ", ".join(sorted(TRANSITIONS[complaint.status])) or "nothing (CLOSED is final)"
        raise violation(COMPLAINT_PROCEDURE,
                        f"complaint {complaint.id!r} cannot move from {complaint.status.value} to {to.value}; "
                        f"from {complaint.status.value} it may move to {allowed}",
                        [complaint.service_id] if complaint.service_id else [])


def move_complaint(store: GraphStore, complaint_id: str, status: str, *, actor: str, now: Clock = utc_now) -> Complaint:
    """Move a complaint along the procedure; ESCALATED raises the escalation level by one, and the first
    ACKNOWLEDGED records when."""
    check_id(complaint_id, "id")
    if status not in ComplaintStatus.__members__:
        raise BadInput(f"status: must be one of {', '.join(ComplaintStatus)}; got {status!r}", field="status")
    to = ComplaintStatus(status)

    def plan() -> Change:
        facts = _complaint_facts(store, complaint_id)
        if facts["complaint"] is None:
            raise NotFound(f"id: no complaint has the id {complaint_id!r}", field="id")
        current = Complaint.from_row(facts["complaint"], facts["owner"], facts["about"])
        check_transition(current, to)
        level = current.escalation_level + (1 if to == ESCALATED else 0)
        acknowledged = current.acknowledged
        if to == ACKNOWLEDGED and acknowledged is None:
            acknowledged = now()
        after = Complaint(**{**current.__dict__, "status": to, "escalation_level": level,
                             "acknowledged": acknowledged})
        ack = None if acknowledged is None else format_time(acknowledged)
        return Change("moveComplaint", f"complaint:{complaint_id}",
                      {"status": current.status.value, "escalationLevel": current.escalation_level},
                      compact({"status": to.value, "escalationLevel": level, "acknowledged": ack}),
                      [current.service_id] if current.service_id else [],
                      [("relationships/write/set_complaint_status",
                        {"id": complaint_id, "status": to.value, "escalationLevel": level, "acknowledged": ack})],
                      facts["version"], after, topology=False)

    return commit(store, actor, plan)


def complaints_of_customers(store: GraphStore, ids: list[str]) -> list[list[Complaint]]:
    """Each customer's complaints (oldest first), in key order: one round trip."""
    rows = store.read(library()["relationships/get_complaints_of_customers"], {"ids": list(ids)})
    found: dict[str, list[Complaint]] = {}
    for r in rows:
        found.setdefault(r["key"], []).append(Complaint.from_row(r["complaint"], r["key"], r.get("service")))
    return [found.get(k, []) for k in ids]


# -- surveys and managers -----------------------------------------------------------------------------------


def _customer_facts(store: GraphStore, customer_id: str, period: str | None = None) -> dict[str, Any]:
    facts = store.read(library()["relationships/rules/customer_facts"], {"id": customer_id, "period": period})[0]
    if facts["customer"] is None:
        raise NotFound(f"customerId: no customer has the id {customer_id!r}", field="customerId")
    return facts


def record_survey(store: GraphStore, customer_id: str, period: str, score: int, comment: str | None, *,
                  actor: str) -> document.Survey:
    """Record the customer's satisfaction survey of ``period`` (YYYY-MM, score 1-5); one a month, a second replaces
    the first."""
    check_id(customer_id, "customerId")
    survey = validate_model(document.Survey, {"customer": customer_id, "period": period, "score": score,
                                              **({"comment": comment} if comment is not None else {})})
    props = {"period": survey.period, "score": survey.score, "comment": survey.comment}

    def plan() -> Change:
        facts = _customer_facts(store, customer_id, period)
        before = facts["survey"] and {k: facts["survey"].get(k) for k in ("period", "score", "comment")}
        return Change("recordSurvey", f"survey:{customer_id}:{period}", compact(before) if before else None,
                      compact(props), [],
                      [("relationships/write/put_survey",
                        {"id": f"{customer_id}:{period}", "customer": customer_id, "props": props})],
                      facts["version"], survey, topology=False)

    return commit(store, actor, plan)


def delete_survey(store: GraphStore, customer_id: str, period: str, *, actor: str) -> str:
    """Remove the customer's survey of ``period`` (NOT_FOUND when there is none). Returns the survey's id."""
    check_id(customer_id, "customerId")
    validate_model(document.Survey, {"customer": customer_id, "period": period, "score": 1})
    sid = f"{customer_id}:{period}"

    def plan() -> Change:
        facts = _customer_facts(store, customer_id, period)
        if facts["survey"] is None:
            raise NotFound(f"period: customer {customer_id!r} has no survey for {period}", field="period")
        before = compact({k: facts["survey"].get(k) for k in ("period", "score", "comment")})
        return Change("deleteSurvey", f"survey:{sid}", before, None, [],
                      [("relationships/write/delete_survey", {"id": sid})], facts["version"], sid, topology=False)

    return commit(store, actor, plan)


def assign_manager(store: GraphStore, customer_id: str, manager: dict[str, Any], *, actor: str) -> str:
    """Make ``manager`` (``id``, ``name``, ``email``) the customer's one relationship manager, replacing the old
    link; a manager with that id is updated. Returns the customer's id."""
    check_id(customer_id, "customerId")
    m = validate_model(document.RelationshipManager, manager, prefix="manager.")
    props = {"id": m.id, "name": m.name, "email": m.email}

    def plan() -> Change:
        facts = _customer_facts(store, customer_id)
        return Change("assignRelationshipManager", f"customer:{customer_id}", facts["manager"] and compact(facts["manager"]),
                      props, [], [("relationships/write/assign_manager", {"customer": customer_id, "manager": props})],
                      facts["version"], customer_id, topology=False)

    return commit(store, actor, plan)


def satisfaction_of_customers(store: GraphStore, ids: list[str]) -> list[Satisfaction]:
    rows = store.read(library()["relationships/get_surveys_of_customers"], {"ids": list(ids)})
    found: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        found.setdefault(r["key"], []).append(r)
    return [satisfaction_of(found.get(k, [])) for k in ids]


# -- the customer view --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceInView:
    props: dict[str, Any]

    @property
    def stage(self) -> str:
        return self.props.get("stage") or "PIPELINE"

    @property
    def health(self) -> ServiceHealth:
        """For now: healthy unless RETIRED (no monitoring feed yet)."""
        return ServiceHealth.UNAVAILABLE if self.stage == "RETIRED" else ServiceHealth.HEALTHY


@dataclass(frozen=True)
class CustomerView:
    customer: dict[str, Any]  # {customer, manager}, the row the portfolio's Customer type reads
    services: list[ServiceInView]  # by id
    outcomes: list[dict[str, Any]]  # by id
    satisfaction: Satisfaction
    open_complaints: list[Complaint]  # not CLOSED, oldest first
    now: datetime


def customer_view(store: GraphStore, customer_id: str, *, now: Clock = utc_now) -> CustomerView:
    """Everything the relationship manager looks at for one customer (charges are the finance layer's)."""
    check_id(customer_id, "id")
    row = store.read(library()["relationships/customer_view"], {"id": customer_id})[0]
    if row["customer"] is None:
        raise NotFound(f"id: no customer has the id {customer_id!r}", field="id")
    return CustomerView(
        customer={"customer": row["customer"], "manager": row["manager"]},
        services=[ServiceInView(p) for p in sorted(row["services"], key=lambda p: p["id"])],
        outcomes=sorted(row["outcomes"], key=lambda p: p["id"]),
        satisfaction=satisfaction_of_customers(store, [customer_id])[0],
        open_complaints=[c for c in complaints_of_customers(store, [customer_id])[0] if not c.closed],
        now=now(),
    )
