"""Business outcomes: create, update and delete them, and link services to the outcomes they enable."""

from __future__ import annotations

from typing import Any

from graph_itsm.errors import NotFound
from graph_itsm.finance import guard
from graph_itsm.portfolio import edits, rules
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.facts import read_outcomes, read_services
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache
from graph_itsm.topology.patch import with_outcome_link

__all__ = ["create_outcome", "update_outcome", "delete_outcome", "link_outcome", "unlink_outcome"]


def create_outcome(store: GraphStore, data: dict[str, Any], *, actor: str) -> dict[str, Any]:
    props = edits.new_outcome(data)

    def plan() -> Change:
        facts = read_outcomes(store, [props["id"]])
        rules.check_new_id(facts.get(props["id"]), "business outcome", props["id"])
        return Change("createOutcome", f"outcome:{props['id']}", None, compact(props), [],
                      [("portfolio/write/put_outcome", {"id": props["id"], "props": props})], facts.version, props,
                      topology=False)  # an outcome enters the projection only by a link

    return commit(store, actor, plan)


def update_outcome(store: GraphStore, outcome_id: str, patch: dict[str, Any], *, actor: str) -> dict[str, Any]:
    edits.check_id(outcome_id, "id")

    def plan() -> Change:
        facts = read_outcomes(store, [outcome_id])
        outcome = facts.require(outcome_id, "business outcome", "id")
        props = edits.patched_outcome(outcome.props, patch)
        return Change("updateOutcome", f"outcome:{outcome_id}", compact(outcome.props), compact(props),
                      outcome.enabled_by, [("portfolio/write/put_outcome", {"id": outcome_id, "props": props})],
                      facts.version, props, topology=False)  # its properties: the projection holds none of them

    return commit(store, actor, plan)


def delete_outcome(store: GraphStore, outcome_id: str, *, actor: str) -> str:
    """Delete an outcome no service enables and no customer pursues."""
    edits.check_id(outcome_id, "id")

    def plan() -> Change:
        facts = read_outcomes(store, [outcome_id])
        outcome = facts.require(outcome_id, "business outcome", "id")
        rules.check_outcome_unreferenced(outcome)
        return Change("deleteOutcome", f"outcome:{outcome_id}", compact(outcome.props), None, [],
                      [("portfolio/write/delete_outcome", {"id": outcome_id})], facts.version, outcome_id,
                      topology=False)  # nothing links it (checked): the projection does not list it

    return commit(store, actor, plan)


def _link(store: GraphStore, service_id: str, outcome_id: str, *, actor: str, linked: bool,
          topology: TopologyCache | None) -> str:
    edits.check_id(service_id, "service")
    edits.check_id(outcome_id, "outcome")
    action = "linkOutcome" if linked else "unlinkOutcome"
    link = {"service": service_id, "outcome": outcome_id}

    def plan() -> Change:
        services = read_services(store, [service_id])
        service = services.require(service_id, "service", "service")
        read_outcomes(store, [outcome_id]).require(outcome_id, "business outcome", "outcome")
        present = outcome_id in service.outcomes
        if not linked and not present:
            raise NotFound(f"outcome: service {service_id!r} does not enable {outcome_id!r}", field="outcome")
        query = "portfolio/write/link_outcome" if linked else "portfolio/write/unlink_outcome"
        checked["topo"] = topology.current() if topology is not None else None  # after the facts: see guard
        return Change(action, f"enables:{service_id}->{outcome_id}", link if present else None,
                      link if linked else None, [service_id], [(query, link)], services.version, service_id)

    checked: dict[str, Any] = {}
    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:  # outcome links move no cost
        topology.adopt(guard.unchanged_flows(topo, with_outcome_link(topo, service_id, outcome_id, linked=linked,
                                                                     version=topo.version + 1)))
    return result


def link_outcome(store: GraphStore, service_id: str, outcome_id: str, *, actor: str,
                 topology: TopologyCache | None = None) -> str:
    """Record that the service enables the outcome (nothing changes if it does already, but it is audited)."""
    return _link(store, service_id, outcome_id, actor=actor, linked=True, topology=topology)


def unlink_outcome(store: GraphStore, service_id: str, outcome_id: str, *, actor: str,
                   topology: TopologyCache | None = None) -> str:
    return _link(store, service_id, outcome_id, actor=actor, linked=False, topology=topology)
