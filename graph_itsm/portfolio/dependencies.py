"""DEPENDS_ON edges between services: set (add or change) and remove, under the portfolio rules."""

from __future__ import annotations

from typing import Any

from graph_itsm.errors import NotFound
from graph_itsm.finance import guard
from graph_itsm.portfolio import edits, rules
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.facts import read_services
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache
from graph_itsm.topology.patch import with_dependency, without_dependency

__all__ = ["add_dependency", "remove_dependency"]


def _edge(consumer: str, provider: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"consumer": consumer, "provider": provider, **compact(props)}


def add_dependency(store: GraphStore, consumer_id: str, provider_id: str, data: dict[str, Any], *, actor: str,
                   topology: TopologyCache | None = None) -> str:
    """Make ``consumer`` depend on ``provider`` with the edge properties in ``data`` (``share``,
    ``redundancyGroup``, ``demandFactor``); if it depends on it already, the edge's properties are replaced.
    Returns the consumer's id."""
    edits.check_id(consumer_id, "consumer")
    edits.check_id(provider_id, "provider")
    props = edits.dependency_props(provider_id, data)
    if consumer_id == provider_id:
        raise rules.violation(rules.SELF_DEPENDENCY, f"service {consumer_id!r} cannot depend on itself", [consumer_id])

    checked: dict[str, Any] = {}  # what the committed attempt checked against: its projection and the consumer

    def plan() -> Change:
        facts = read_services(store, [consumer_id, provider_id])
        consumer = facts.require(consumer_id, "service", "consumer")
        provider = facts.require(provider_id, "service", "provider")
        existing = rules.check_dependency(consumer, provider, props["share"])
        checked["topo"] = guard.check_write(topology, set_edges=[(consumer_id, provider_id, props["share"])])
        checked["consumer"] = consumer
        before = None if existing is None else _edge(consumer_id, provider_id, existing.props())
        return Change("addDependency", f"dependency:{consumer_id}->{provider_id}", before,
                      _edge(consumer_id, provider_id, props), [consumer_id, provider_id],
                      [("portfolio/write/set_dependency", {"consumer": consumer_id, "provider": provider_id, **props})],
                      facts.version, consumer_id)

    result = commit(store, actor, plan)
    if topology is not None and checked.get("topo") is not None:
        group = props["redundancyGroup"]
        same = [e.other for e in checked["consumer"].providers if group and e.redundancy_group == group]
        topo = checked["topo"]
        topology.adopt(guard.checked(with_dependency(
            topo, consumer_id, provider_id, share=props["share"], redundancy_group=group,
            demand_factor=props["demandFactor"], same_group=same, version=topo.version + 1)))
    return result


def remove_dependency(store: GraphStore, consumer_id: str, provider_id: str, *, actor: str,
                      topology: TopologyCache | None = None) -> str:
    """Remove the edge ``consumer -> provider`` (NotFound if there is none). Returns the consumer's id."""
    edits.check_id(consumer_id, "consumer")
    edits.check_id(provider_id, "provider")
    checked: dict[str, Any] = {}

    def plan() -> Change:
        facts = read_services(store, [consumer_id, provider_id])
        consumer = facts.require(consumer_id, "service", "consumer")
        facts.require(provider_id, "service", "provider")
        existing = consumer.provider(provider_id)
        if existing is None:
            raise NotFound(f"provider: service {consumer_id!r} does not depend on {provider_id!r}", field="provider")
        checked["topo"] = guard.check_write(topology, remove_edges=[(consumer_id, provider_id)])
        return Change("removeDependency", f"dependency:{consumer_id}->{provider_id}",
                      _edge(consumer_id, provider_id, existing.props()), None, [consumer_id, provider_id],
                      [("portfolio/write/remove_dependency", {"consumer": consumer_id, "provider": provider_id})],
                      facts.version, consumer_id)

    result = commit(store, actor, plan)
    if topology is not None and checked.get("topo") is not None:
        topo = checked["topo"]
        topology.adopt(guard.checked(without_dependency(topo, consumer_id, provider_id, version=topo.version + 1)))
    return result
