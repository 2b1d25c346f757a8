"""Moving a service through its life cycle: PIPELINE -> CATALOGUE -> RETIRED (or PIPELINE -> RETIRED).

The rules are in ``rules.check_stage_move``: due diligence before the catalogue, no retirement while CATALOGUE
services depend on the service unless a replacement takes their dependencies over (in the same write),
RETIRED is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_itsm.errors import BadInput
from graph_itsm.finance import guard
from graph_itsm.portfolio import edits, rules
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.facts import read_services
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache
from graph_itsm.topology.patch import with_consumers_moved, with_stage

__all__ = ["StageMove", "move_service_stage", "STAGES"]

STAGES = ("PIPELINE", "CATALOGUE", "RETIRED")


@dataclass(frozen=True)
class StageMove:
    service: dict[str, Any]  # the service's properties after the move
    previous_stage: str
    replacement: str | None
    moved_consumers: list[str]


def move_service_stage(
    store: GraphStore, service_id: str, stage: str, *, replacement_id: str | None = None, actor: str,
    topology: TopologyCache | None = None,
) -> StageMove:
    """Move a service to ``stage``. Retiring it with ``replacement_id`` moves the dependencies of its live
    consumers to the replacement in the same atomic write."""
    edits.check_id(service_id, "id")
    if stage not in STAGES:
        raise BadInput(f"stage: must be one of {', '.join(STAGES)}; got {stage!r}", field="stage")
    if replacement_id is not None:
        edits.check_id(replacement_id, "replacement")
        if stage != "RETIRED":
            raise BadInput(f"replacement: only a retirement names a replacement, not a move to {stage}",
                           field="replacement")

    def plan() -> Change:
        ids = [service_id] + ([replacement_id] if replacement_id else [])
        facts = read_services(store, ids)
        service = facts.require(service_id, "service", "id")
        replacement = facts.require(replacement_id, "service", "replacement") if replacement_id else None
        moves = rules.check_stage_move(service, stage, replacement)
        topo = guard.check_write(topology, stages={service_id: stage},
                                 remove_edges=[(row["consumer"], service_id) for row in moves],
                                 set_edges=[(row["consumer"], replacement_id, row.get("share")) for row in moves])
        checked["topo"], checked["moved"] = topo, [row["consumer"] for row in moves]
        steps: list[tuple[str, dict[str, Any]]] = [
            ("portfolio/write/set_stage", {"id": service_id, "from": service.stage, "to": stage}),
        ]
        moved = [row["consumer"] for row in moves]
        if moves:
            steps.append(("portfolio/write/move_dependencies",
                          {"service": service_id, "replacement": replacement_id, "rows": moves}))
        before: dict[str, Any] = {"stage": service.stage}
        after: dict[str, Any] = {"stage": stage}
        if replacement_id:
            before["consumers"] = [{"service": e.other, **compact(e.props())}
                                   for e in service.consumers if e.other in moved]
            after["replacement"] = replacement_id
            after["moved"] = [{"service": r["consumer"], **compact({k: v for k, v in r.items() if k != "consumer"})}
                              for r in moves]
        props = {**service.props, "stage": stage}
        result = StageMove(props, service.stage, replacement_id, moved)
        return Change("moveServiceStage", f"service:{service_id}", before, after,
                      [service_id, *([replacement_id] if replacement_id else []), *moved], steps, facts.version, result)

    checked: dict[str, Any] = {}  # the projection the committed attempt checked against, when it can be patched
    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:
        after = with_stage(topo, service_id, stage, version=topo.version + 1)
        if checked["moved"]:  # None where an edge merged with one to the replacement: rebuilt on next use
            after = with_consumers_moved(after, service_id, replacement_id, checked["moved"], version=after.version)
        topology.adopt(guard.checked(after))
    return result


