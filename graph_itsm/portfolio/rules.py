"""The rules of service portfolio management (spec/domain.md), as pure checks over facts read from the graph.

Each broken rule raises :class:`RuleViolation` whose message starts with the rule's name and names the
services involved; ``extensions`` carry ``rule`` and ``services`` for programs. No database access here.

Where the spec is silent, the rules decide as follows:
- New services enter the PIPELINE; the life cycle only moves forward (CATALOGUE -> PIPELINE and a move to the
  current stage are ``lifecycle`` violations), and retiring is refused while CATALOGUE services depend on the
  service whether it comes from the CATALOGUE or is a cancelled PIPELINE service.
- With a replacement, every live (CATALOGUE or PIPELINE) consumer moves; RETIRED consumers keep their edges, and
  subscriptions stay with the retired service (customers keep their contracts; only new ones are refused). A
  consumer that already depends on the replacement keeps that edge (share, redundancyGroup) and the demand factors
  add up. A replacement that itself depends on the retiring service is refused rather than silently losing an edge.
- A RETIRED service takes no new consumers, as it takes no new customers; existing edges and subscriptions to it
  may still be changed. Adding an edge or a subscription that exists replaces its properties.
- The shares of one service's subscriptions sum to at most 1 (spec: Charging), like a provider's shares.
- A service with subscribers cannot become SUPPORTING.
- Deleting is refused while something refers to the object: consumers, subscribers, cost items, budgets,
  business cases or complaints for a service (its own dependencies and outcome links go with it); subscriptions,
  surveys or complaints for a customer (its pursued outcomes and manager assignment go); enabling services or
  pursuing customers for an outcome.
"""

from __future__ import annotations

from typing import Any, Iterable

from graph_itsm.errors import RuleViolation
from graph_itsm.portfolio.facts import CustomerFacts, Edge, OutcomeFacts, ServiceFacts

__all__ = [
    "violation", "check_new_id", "check_stage_move", "check_dependency", "check_subscription",
    "check_kind_change", "check_service_unreferenced", "check_customer_unreferenced", "check_outcome_unreferenced",
    "UNIQUE_ID", "LIFECYCLE", "RETIRED_IS_FINAL", "DUE_DILIGENCE", "RETIREMENT", "REPLACEMENT",
    "SELF_DEPENDENCY", "PROVIDER_SHARES", "RETIRED_PROVIDER", "SUBSCRIPTION", "SUBSCRIPTION_SHARES", "KIND",
    "STILL_REFERENCED",
]

EPS = 1e-9  # shares are floats: 0.4 + 0.3 + 0.3 must not exceed 1

UNIQUE_ID = "unique-id"
LIFECYCLE = "lifecycle"
RETIRED_IS_FINAL = "retired-is-final"
DUE_DILIGENCE = "due-diligence"
RETIREMENT = "retirement"
REPLACEMENT = "replacement"
SELF_DEPENDENCY = "no-self-dependency"
PROVIDER_SHARES = "provider-shares"
RETIRED_PROVIDER = "retired-provider"
SUBSCRIPTION = "subscription"
SUBSCRIPTION_SHARES = "subscription-shares"
KIND = "kind"
STILL_REFERENCED = "still-referenced"


def violation(rule: str, message: str, services: Iterable[str] = ()) -> RuleViolation:
    return RuleViolation(f"{rule}: {message}", rule=rule, services=list(dict.fromkeys(services)))


def _names(ids: Iterable[str]) -> str:
    return ", ".join(repr(i) for i in ids)


def check_new_id(existing: Any, what: str, id_: str) -> None:
    if existing is not None:
        raise violation(UNIQUE_ID, f"a {what} with id {id_!r} exists already; ids are unique per {what}",
                        [id_] if what == "service" else [])


# -- the life cycle ----------------------------------------------------------------------------------------


def check_stage_move(service: ServiceFacts, to: str, replacement: ServiceFacts | None) -> list[dict[str, Any]]:
    """Check moving ``service`` to stage ``to``; return the dependency moves a retirement makes (rows for
    ``portfolio/write/move_dependencies``), empty otherwise."""
    sid, frm = service.id, service.stage
    if frm == to:
        raise violation(LIFECYCLE, f"service {sid!r} is in {to} already", [sid])
    if frm == "RETIRED":
        raise violation(RETIRED_IS_FINAL, f"service {sid!r} is RETIRED, which is final: it cannot move to {to}", [sid])
    if to == "PIPELINE":
        raise violation(
            LIFECYCLE,
            f"service {sid!r} is in the CATALOGUE and cannot move back to the PIPELINE: services move "
            "PIPELINE -> CATALOGUE -> RETIRED (retire it, or create a new service)",
            [sid],
        )
    if to == "CATALOGUE":
        _check_due_diligence(service)
        return []
    return _plan_retirement(service, replacement)


def _check_due_diligence(service: ServiceFacts) -> None:
    missing = []
    if service.props.get("riskAssessed") is not True:
        missing.append("riskAssessed is not true")
    if not service.business_cases and not service.cost_items:
        missing.append("it has neither a business case nor an allocated cost item")
    if missing:
        raise violation(
            DUE_DILIGENCE,
            f"service {service.id!r} cannot move from PIPELINE to CATALOGUE before due diligence on costs and "
            f"risks: {' and '.join(missing)}",
            [service.id],
        )


def _plan_retirement(service: ServiceFacts, replacement: ServiceFacts | None) -> list[dict[str, Any]]:
    """Retirement is refused while CATALOGUE services depend on ``service``, unless a replacement takes over:
    then every live (CATALOGUE or PIPELINE) consumer's edge moves to it with its share, redundancyGroup and
    demandFactor. A consumer already depending on the replacement keeps its edge to it (share and
    redundancyGroup unchanged) and the demand factors add up, since the demand now flows there.
    RETIRED consumers keep their edges: they are history, not live use."""
    sid = service.id
    live = [e.other for e in service.consumers if e.stage == "CATALOGUE"]
    if replacement is None:
        if live:
            raise violation(
                RETIREMENT,
                f"service {sid!r} cannot retire while CATALOGUE services depend on it ({_names(live)}); "
                "name a replacement to move their dependencies to",
                [sid, *live],
            )
        return []
    rid = replacement.id
    if rid == sid:
        raise violation(REPLACEMENT, f"service {sid!r} cannot be its own replacement", [sid])
    if replacement.stage != "CATALOGUE":
        raise violation(
            REPLACEMENT,
            f"replacement {rid!r} is in the {replacement.stage}; only a CATALOGUE service can take over the "
            f"consumers of {sid!r}",
            [sid, rid],
        )
    movers = [e for e in service.consumers if e.stage != "RETIRED"]
    if any(e.other == rid for e in movers):
        raise violation(
            SELF_DEPENDENCY,
            f"replacement {rid!r} itself depends on {sid!r}; moving that dependency would make {rid!r} depend on "
            "itself: remove it first",
            [sid, rid],
        )
    rows: list[dict[str, Any]] = []
    added: list[tuple[str, float]] = []
    for e in movers:
        kept = replacement.consumer(e.other)
        if kept is None:
            rows.append({"consumer": e.other, **e.props()})
            if e.share:
                added.append((e.other, e.share))
        else:
            factor = None if kept.demand_factor is None and e.demand_factor is None else (
                (kept.demand_factor or 0.0) + (e.demand_factor or 0.0))
            rows.append({"consumer": e.other, "share": kept.share, "redundancyGroup": kept.redundancy_group,
                         "demandFactor": factor})
    _check_provider_total(replacement, added, without=(), why=f"when the consumers of {sid!r} move to it")
    return rows


# -- dependencies ------------------------------------------------------------------------------------------


def check_dependency(consumer: ServiceFacts, provider: ServiceFacts, share: float | None) -> Edge | None:
    """Check setting the edge ``consumer -> provider`` with ``share``; return the edge it replaces, if any."""
    if consumer.id == provider.id:
        raise violation(SELF_DEPENDENCY, f"service {consumer.id!r} cannot depend on itself", [consumer.id])
    existing = provider.consumer(consumer.id)
    if existing is None and provider.stage == "RETIRED":
        raise violation(
            RETIRED_PROVIDER,
            f"service {provider.id!r} is RETIRED and takes no new consumers; {consumer.id!r} cannot start "
            "depending on it",
            [consumer.id, provider.id],
        )
    _check_provider_total(provider, [(consumer.id, share)] if share else [], without=(consumer.id,))
    return existing


def _check_provider_total(provider: ServiceFacts, added: list[tuple[str, float]], *, without: Iterable[str],
                          why: str = "") -> None:
    """The shares on the edges into one provider sum to at most 1 (spec: Accounting)."""
    kept = [(e.other, e.share) for e in provider.consumers if e.share and e.other not in set(without)]
    total = sum(s for _, s in kept) + sum(s for _, s in added)
    if total > 1 + EPS:
        parts = [f"{c} {s:g}" for c, s in kept] + [f"{c} {s:g} (new)" for c, s in added]
        raise violation(
            PROVIDER_SHARES,
            f"the shares of the services depending on {provider.id!r} would sum to {total:g}{' ' + why if why else ''}, "
            f"more than 1 ({', '.join(parts)})",
            [provider.id, *(c for c, _ in added), *(c for c, _ in kept)],
        )


# -- subscriptions and kinds -------------------------------------------------------------------------------


def check_subscription(customer: CustomerFacts, service: ServiceFacts, props: dict[str, Any]) -> dict[str, Any] | None:
    """Check setting ``customer``'s subscription to ``service``; return the subscription it replaces, if any."""
    sid, cid = service.id, customer.id
    existing = service.subscriptions.get(cid)
    if service.kind != "CUSTOMER_FACING":
        raise violation(
            SUBSCRIPTION, f"{sid!r} is a {service.kind} service; customers subscribe only to CUSTOMER_FACING "
            f"services ({cid!r} cannot)", [sid],
        )
    if service.stage == "PIPELINE":
        raise violation(
            SUBSCRIPTION, f"{sid!r} is in the PIPELINE; customers subscribe only to CATALOGUE services "
            f"({cid!r} cannot)", [sid],
        )
    if service.stage == "RETIRED" and existing is None and not props.get("specialBusinessCase"):
        raise violation(
            SUBSCRIPTION, f"{sid!r} is RETIRED; a new subscription to it (by {cid!r}) needs a specialBusinessCase",
            [sid],
        )
    others = [(c, x.get("share")) for c, x in service.subscriptions.items() if c != cid and x.get("share")]
    total = sum(s for _, s in others) + (props.get("share") or 0.0)
    if total > 1 + EPS:
        parts = [f"{c} {s:g}" for c, s in others] + [f"{cid} {props.get('share') or 0:g} (new)"]
        raise violation(
            SUBSCRIPTION_SHARES,
            f"the shares of the subscriptions to {sid!r} would sum to {total:g}, more than 1 ({', '.join(parts)})",
            [sid],
        )
    return existing


def check_kind_change(service: ServiceFacts, kind: str) -> None:
    if service.kind == "CUSTOMER_FACING" and kind != "CUSTOMER_FACING" and service.subscriptions:
        raise violation(
            KIND,
            f"service {service.id!r} has subscribers ({_names(sorted(service.subscriptions))}) and customers subscribe "
            f"only to CUSTOMER_FACING services, so it cannot become {kind}",
            [service.id],
        )


# -- deletions ---------------------------------------------------------------------------------------------


def _refuse_if_referenced(what: str, id_: str, refs: list[tuple[str, list[str]]], services: Iterable[str]) -> None:
    named = [f"{label} {_names(ids)}" for label, ids in refs if ids]
    if named:
        raise violation(
            STILL_REFERENCED,
            f"{what} {id_!r} is still referenced by {'; '.join(named)}: remove those references first",
            services,
        )


def check_service_unreferenced(s: ServiceFacts) -> None:
    consumers = [e.other for e in s.consumers]
    _refuse_if_referenced("service", s.id, [
        ("consumers", consumers), ("subscribers", sorted(s.subscriptions)), ("cost items", s.cost_items),
        ("budgets", s.budgets), ("business cases", s.business_cases), ("complaints", s.complaints),
    ], [s.id, *consumers])


def check_customer_unreferenced(c: CustomerFacts) -> None:
    _refuse_if_referenced("customer", c.id, [
        ("subscriptions to", sorted(c.subscriptions)), ("surveys", c.surveys), ("complaints", c.complaints),
    ], sorted(c.subscriptions))


def check_outcome_unreferenced(o: OutcomeFacts) -> None:
    _refuse_if_referenced("outcome", o.id, [
        ("the services enabling it", o.enabled_by), ("the customers pursuing it", o.pursued_by),
    ], o.enabled_by)
