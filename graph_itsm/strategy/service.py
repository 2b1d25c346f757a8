"""Strategy management against the database: strategic objectives and their links (audited atomic writes), and
the strategy view of a month or a year (read here, computed by ``view``). No GraphQL here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graph_itsm.errors import BadInput, NotFound
from graph_itsm.finance.service import FinanceCache
from graph_itsm.portfolio import edits, rules
from graph_itsm.portfolio import document as model
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.exporter import objective_entry
from graph_itsm.portfolio.facts import read_outcomes, read_services
from graph_itsm.portfolio.importer import objective_props
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.projection import Topology
from graph_itsm.strategy.view import ObjectiveInfo, PipelineCase, ServiceInfo, StrategyView, strategy_view

__all__ = [
    "ObjectiveFacts", "read_objectives", "list_objectives", "create_objective", "update_objective",
    "delete_objective", "link_service", "unlink_service", "link_outcome", "unlink_outcome", "view_of",
    "objective_info",
]

_PERIOD = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")
_TARGETS = (("RUN", "targetRun"), ("GROW", "targetGrow"), ("TRANSFORM", "targetTransform"))


@dataclass(frozen=True)
class ObjectiveFacts:
    id: str
    props: dict[str, Any]
    served_by: list[str]
    supported_by: list[str]


def read_objectives(store: GraphStore, ids: list[str]) -> tuple[int, dict[str, ObjectiveFacts]]:
    """The graph version and the objectives of ``ids`` that exist, with their links (one round trip)."""
    rows = store.read(library()["strategy/objective_facts"], {"ids": list(dict.fromkeys(ids))})
    version = int(rows[0]["version"]) if rows else 0
    found = {r["key"]: ObjectiveFacts(r["key"], r["objective"], sorted(r["servedBy"] or []),
                                      sorted(r["supportedBy"] or []))
             for r in rows if r.get("objective") is not None}
    return version, found


def objective_info(props: dict[str, Any], served_by: list[str], supported_by: list[str]) -> ObjectiveInfo:
    return ObjectiveInfo(
        id=props["id"], name=props.get("name") or props["id"], owner=props.get("owner"), horizon=props.get("horizon"),
        targets={c: float(props[k]) for c, k in _TARGETS if props.get(k) is not None},
        served_by=tuple(served_by), supported_by=tuple(supported_by), description=props.get("description"),
    )


def list_objectives(store: GraphStore) -> list[ObjectiveInfo]:
    """Every strategic objective, by id, with the services serving it and the outcomes supporting it."""
    q = library()
    served: dict[str, list[str]] = {}
    for r in store.read(q["portfolio/export/serves"]):
        served.setdefault(r["objective"], []).append(r["service"])
    supported: dict[str, list[str]] = {}
    for r in store.read(q["portfolio/export/supports"]):
        supported.setdefault(r["objective"], []).append(r["outcome"])
    return [objective_info(r["props"], sorted(served.get(r["props"]["id"], [])), supported.get(r["props"]["id"], []))
            for r in store.read(q["portfolio/export/objectives"])]


# -- writes ------------------------------------------------------------------------------------------------


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    """Node properties of an objective from input with the document's keys (``targetShare`` a dict)."""
    objective = edits.validate_model(model.Objective, {k: v for k, v in data.items() if v is not None})
    dumped = objective.model_dump(mode="json", by_alias=True)
    return {"id": objective.id, **objective_props(dumped)}


def _require(found: dict[str, ObjectiveFacts], objective_id: str, field: str) -> ObjectiveFacts:
    if objective_id not in found:
        raise NotFound(f"{field}: no strategic objective has the id {objective_id!r}", field=field)
    return found[objective_id]


def create_objective(store: GraphStore, data: dict[str, Any], *, actor: str) -> dict[str, Any]:
    props = _validated(data)

    def plan() -> Change:
        version, found = read_objectives(store, [props["id"]])
        rules.check_new_id(found.get(props["id"]), "strategic objective", props["id"])
        return Change("createStrategicObjective", f"objective:{props['id']}", None, compact(props), [],
                      [("strategy/put_objective", {"id": props["id"], "props": props})], version, props,
                      topology=False)

    return commit(store, actor, plan)


def update_objective(store: GraphStore, objective_id: str, patch: dict[str, Any], *, actor: str) -> dict[str, Any]:
    edits.check_id(objective_id, "id")

    def plan() -> Change:
        version, found = read_objectives(store, [objective_id])
        current = _require(found, objective_id, "id")
        merged = {k: v for k, v in objective_entry(current.props, []).items() if k != "supportedBy"}
        for key, value in patch.items():
            if value is None and key == "name":
                raise BadInput("name: cannot be null; leave it out to keep the current value", field="name")
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        props = _validated(merged)
        return Change("updateStrategicObjective", f"objective:{objective_id}", compact(current.props),
                      compact(props), current.served_by,
                      [("strategy/put_objective", {"id": objective_id, "props": props})], version, props,
                      topology=False)

    return commit(store, actor, plan)


def delete_objective(store: GraphStore, objective_id: str, *, actor: str) -> str:
    """Delete an objective with its links (services and outcomes are left as they are)."""
    edits.check_id(objective_id, "id")

    def plan() -> Change:
        version, found = read_objectives(store, [objective_id])
        current = _require(found, objective_id, "id")
        before = {**compact(current.props), "servedBy": current.served_by, "supportedBy": current.supported_by}
        return Change("deleteStrategicObjective", f"objective:{objective_id}", before, None, current.served_by,
                      [("strategy/delete_objective", {"id": objective_id})], version, objective_id, topology=False)

    return commit(store, actor, plan)


def _link(store: GraphStore, kind: str, other_id: str, objective_id: str, *, actor: str, linked: bool) -> str:
    """``kind`` "service" (SERVES) or "outcome" (SUPPORTS)."""
    edits.check_id(other_id, kind)
    edits.check_id(objective_id, "objective")
    link = {kind: other_id, "objective": objective_id}
    verb = "serves" if kind == "service" else "supports"

    def plan() -> Change:
        version, found = read_objectives(store, [objective_id])
        objective = _require(found, objective_id, "objective")
        if kind == "service":
            read_services(store, [other_id]).require(other_id, "service", "service")
            present = other_id in objective.served_by
        else:
            read_outcomes(store, [other_id]).require(other_id, "business outcome", "outcome")
            present = other_id in objective.supported_by
        if not linked and not present:
            raise NotFound(f"objective: {kind} {other_id!r} does not {verb[:-1]} {objective_id!r}", field="objective")
        query = f"strategy/{'link' if linked else 'unlink'}_{verb}"
        action = f"{'link' if linked else 'unlink'}{'Service' if kind == 'service' else 'Outcome'}Objective"
        return Change(action, f"{verb}:{other_id}->{objective_id}", link if present else None,
                      link if linked else None, [other_id] if kind == "service" else [], [(query, link)], version,
                      objective_id, topology=False)

    return commit(store, actor, plan)


def link_service(store: GraphStore, service_id: str, objective_id: str, *, actor: str) -> str:
    return _link(store, "service", service_id, objective_id, actor=actor, linked=True)


def unlink_service(store: GraphStore, service_id: str, objective_id: str, *, actor: str) -> str:
    return _link(store, "service", service_id, objective_id, actor=actor, linked=False)


def link_outcome(store: GraphStore, outcome_id: str, objective_id: str, *, actor: str) -> str:
    return _link(store, "outcome", outcome_id, objective_id, actor=actor, linked=True)


def unlink_outcome(store: GraphStore, outcome_id: str, objective_id: str, *, actor: str) -> str:
    return _link(store, "outcome", outcome_id, objective_id, actor=actor, linked=False)


# -- the view ----------------------------------------------------------------------------------------------


def months_of(store: GraphStore, period: str) -> list[str]:
    """``YYYY-MM`` is that month; ``YYYY`` is every month of that year with cost items."""
    if not isinstance(period, str) or not _PERIOD.fullmatch(period):
        raise BadInput(f"period: must be a month as YYYY-MM or a year as YYYY; got {period!r}", field="period")
    if len(period) == 7:
        return [period]
    return [r["period"] for r in store.read(library()["finance/cost_periods"]) if r["period"].startswith(period + "-")]


def view_of(store: GraphStore, finance: FinanceCache, period: str) -> StrategyView:
    """The strategy view of a month (``YYYY-MM``) or a year (``YYYY``: the months with cost items)."""
    q = library()
    months = months_of(store, period)
    retained: dict[str, float] = {}
    for month in months:
        allocation = finance.month(month).allocation
        for sid, amount in zip(allocation.topology.ids, allocation.retained.tolist()):
            retained[sid] = retained.get(sid, 0.0) + amount
    rows = store.read(q["strategy/services"])
    needed = _needed_by(finance.topology.current(), [r["id"] for r in rows if r["serves"] or r["enables"]])
    services = [ServiceInfo(r["id"], r["name"] or r["id"], r["kind"], r["stage"], r["category"], int(r["serves"]),
                            int(r["enables"]), r["id"] in needed) for r in rows]
    enablers: dict[str, list[str]] = {}
    for r in store.read(q["portfolio/export/enables"]):
        enablers.setdefault(r["outcome"], []).append(r["service"])
    cases = [PipelineCase(r["businessCase"]["id"], r["service"], float(r["businessCase"].get("investment") or 0.0),
                          r["businessCase"].get("investmentCategory"))
             for r in store.read(q["finance/pipeline_business_cases"])]
    return strategy_view(period, months, services, retained, list_objectives(store), enablers, cases)


def _needed_by(topo: Topology, ids: list[str]) -> set[str]:
    """Every service that one of ``ids`` depends on, transitively (breadth first over the projection)."""
    indptr, providers = topo.by_consumer[0], topo.providers_by_consumer
    seen: set[int] = set()
    frontier = [topo.index[i] for i in ids if i in topo.index]
    while frontier:
        nxt = []
        for c in frontier:
            for p in providers[indptr[c]:indptr[c + 1]].tolist():
                if p not in seen:
                    seen.add(p)
                    nxt.append(p)
        frontier = nxt
    return {topo.ids[i] for i in seen}
