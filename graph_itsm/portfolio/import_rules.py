"""The life cycle applied to an import: what the document says about services already in the graph.

A document may bring new services in any stage (the record of an existing estate). For a service the graph
holds already, a different stage is a stage move and follows ``rules.check_stage_move``: RETIRED is final, no
way back from the CATALOGUE to the PIPELINE, due diligence before the CATALOGUE, and no retirement while
CATALOGUE services depend on it. The facts are those the import would leave: the document's riskAssessed, the
graph's business cases and allocated cost items plus the document's, the graph's consumers of services the
document does not list plus the document's own dependencies. An import cannot name a replacement.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graph_itsm.portfolio import rules
from graph_itsm.portfolio.facts import Edge, read_services
from graph_itsm.store import GraphStore

__all__ = ["check_stage_changes"]


def check_stage_changes(store: GraphStore, doc: dict[str, Any], stages: dict[str, tuple[str, str]]) -> None:
    """Refuse (``RuleViolation`` naming the rule and the service) a document that moves an existing service
    against the life cycle. ``stages`` is every existing service's (kind, stage)."""
    listed = {s["id"]: s for s in doc.get("services", [])}
    moved = [sid for sid, s in listed.items() if sid in stages and stages[sid][1] != s["stage"]]
    if not moved:
        return
    facts = read_services(store, moved)
    cases: dict[str, list[str]] = {}
    for b in doc.get("businessCases", []):
        cases.setdefault(b["service"], []).append(b["id"])
    items: dict[str, list[str]] = {}
    for k in doc.get("costs", []):
        for a in k.get("allocations", []):
            if a.get("share"):
                items.setdefault(a["service"], []).append(k["id"])
    for sid in sorted(moved):
        current = facts.require(sid, "service", "services")
        entry = listed[sid]
        consumers = [e for e in current.consumers if e.other not in listed] + [
            Edge(s["id"], s["stage"], d.get("share"), d.get("redundancyGroup"), d.get("demandFactor"))
            for s in listed.values() for d in s.get("dependsOn", []) if d["service"] == sid
        ]
        after = replace(
            current,
            props={**current.props, "riskAssessed": entry.get("riskAssessed")},
            business_cases=sorted(set(current.business_cases) | set(cases.get(sid, []))),
            cost_items=sorted(set(current.cost_items) | set(items.get(sid, []))),
            consumers=consumers,
        )
        rules.check_stage_move(after, entry["stage"], None)
