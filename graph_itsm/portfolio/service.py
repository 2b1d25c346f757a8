"""Services: paging through them, and creating, updating and deleting them under the portfolio rules.

No GraphQL and no driver here: callers pass plain values and get plain values back. The rules themselves are in
``rules.py``, input checks in ``edits.py``, the atomic audited write in ``writes.py``; dependencies, stage moves,
outcomes and customers have modules of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_itsm.errors import BadInput, TooComplex
from graph_itsm.finance import guard
from graph_itsm.portfolio import edits, rules
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.facts import read_services
from graph_itsm.portfolio.service_index import page_of, service_index
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.cache import TopologyCache
from graph_itsm.topology.patch import with_fields, with_service, without_service

__all__ = [
    "ServicePage", "MAX_PAGE_SIZE", "DEFAULT_PAGE_SIZE", "list_services",
    "create_service", "update_service", "delete_service",
]

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class ServicePage:
    services: list[dict[str, Any]]
    has_next_page: bool
    total_count: int


def list_services(
    store: GraphStore,
    *,
    kind: str | None = None,
    stage: str | None = None,
    owner: str | None = None,
    provider: str | None = None,
    search: str | None = None,
    first: int | None = None,
    after_id: str | None = None,
) -> ServicePage:
    """A page of services ordered by id; the cursor is the last id seen, so pages are stable under inserts."""
    size = DEFAULT_PAGE_SIZE if first is None else first
    if size < 0:
        raise BadInput(f"first: must be between 0 and {MAX_PAGE_SIZE}, got {size}", field="first")
    if size > MAX_PAGE_SIZE:
        raise TooComplex(f"first: a page holds at most {MAX_PAGE_SIZE} services, got {size}", field="first")
    filters = {
        "kind": kind,
        "stage": stage,
        "owner": owner,
        "provider": provider,
        "search": search.strip().lower() if search and search.strip() else None,
    }
    # filters, count and cursor from the in-memory index of this topology version; then the page's properties
    index = service_index(store)
    page_ids, total = page_of(index, index.matching(**filters), after_id, size)
    rows = store.read(library()["portfolio/get_services"], {"ids": page_ids}) if page_ids else []
    found = {r["service"]["id"]: r["service"] for r in rows}
    services = [found[i] for i in page_ids if i in found]  # one deleted since the index was read is left out
    return ServicePage(services=services[:size], has_next_page=len(services) > size, total_count=int(total))


def create_service(store: GraphStore, data: dict[str, Any], *, actor: str,
                   topology: TopologyCache | None = None) -> dict[str, Any]:
    """Create a service in the PIPELINE; ``data`` has the document's keys. Returns its properties. With the
    app's ``topology``, its projection gets the new service without a rebuild (``topology.patch``)."""
    props = edits.new_service(data)
    checked: dict[str, Any] = {}

    def plan() -> Change:
        facts = read_services(store, [props["id"]])
        rules.check_new_id(facts.get(props["id"]), "service", props["id"])
        checked["topo"] = topology.current() if topology is not None else None  # after the facts: see guard
        return Change("createService", f"service:{props['id']}", None, compact(props), [props["id"]],
                      [("portfolio/write/put_service", {"id": props["id"], "props": props})], facts.version, props)

    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:
        # a service with no edges changes no cost flow: the projection allocates if it did
        patched = with_service(topo, props["id"], props["kind"], props["stage"], props.get("name"),
                               version=topo.version + 1)
        topology.adopt(guard.unchanged_flows(topo, patched))
    return result


def update_service(store: GraphStore, service_id: str, patch: dict[str, Any], *, actor: str,
                   topology: TopologyCache | None = None) -> dict[str, Any]:
    """Change some fields of a service (never its id or stage: see ``lifecycle.move_service_stage``). With the
    app's ``topology``, its projection gets the new kind, name and k-of-n rules without a rebuild."""
    edits.check_id(service_id, "id")
    checked: dict[str, Any] = {}

    def plan() -> Change:
        facts = read_services(store, [service_id])
        service = facts.require(service_id, "service", "id")
        props = edits.patched_service(service.props, patch)
        rules.check_kind_change(service, props["kind"])
        groups: dict[str, int] = {}
        for e in service.providers:
            if e.redundancy_group:
                groups[e.redundancy_group] = groups.get(e.redundancy_group, 0) + 1
        edits.check_redundancy(props, groups)
        checked["topo"] = topology.current() if topology is not None else None  # after the facts: see guard
        checked["groups"] = {e.other: e.redundancy_group for e in service.providers}
        return Change("updateService", f"service:{service_id}", compact(service.props), compact(props),
                      [service_id], [("portfolio/write/put_service", {"id": service_id, "props": props})],
                      facts.version, props)

    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:  # kind, name and rules move no cost
        topology.adopt(guard.unchanged_flows(topo, with_fields(
            topo, service_id, kind=result["kind"], name=result.get("name"), redundancy=result.get("redundancy"),
            edge_groups=checked["groups"], version=topo.version + 1)))
    return result


def delete_service(store: GraphStore, service_id: str, *, actor: str, topology: TopologyCache | None = None) -> str:
    """Delete a service nothing refers to any more; its own dependencies and outcome links go with it."""
    edits.check_id(service_id, "id")
    checked: dict[str, Any] = {}

    def plan() -> Change:
        facts = read_services(store, [service_id])
        service = facts.require(service_id, "service", "id")
        rules.check_service_unreferenced(service)
        checked["topo"] = guard.check_write(topology, remove_edges=[(service_id, e.other) for e in service.providers])
        before = {**compact(service.props), "dependsOn": [{"service": e.other, **compact(e.props())}
                                                               for e in service.providers],
                  "enables": service.outcomes}
        return Change("deleteService", f"service:{service_id}", before, None,
                      [service_id, *(e.other for e in service.providers)],
                      [("portfolio/write/delete_service", {"id": service_id})], facts.version, service_id)

    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:  # the guard checked the graph without it
        topology.adopt(guard.checked(without_service(topo, service_id, version=topo.version + 1)))
    return result
