"""Syncing services from an outside source into the graph through the one import path.

An importer describes the services it knows (the fields it manages, and their dependencies among themselves);
``sync_services`` merges that with what the graph holds (fields and edges the source does not manage are kept),
imports only the services that are new or changed, in one atomic write with the usual validation, and tells
which of the services the source brought in earlier are gone. ``--prune`` retires those by the life-cycle
rules (``portfolio.lifecycle``), one rule-checked move each; nothing is ever deleted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from graph_itsm.errors import BadInput, GraphItsmError
from graph_itsm.portfolio.audit import ANONYMOUS
from graph_itsm.portfolio.exporter import service_entry
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore, library

__all__ = ["SyncReport", "SourceService", "sync_services", "current_services", "graph_currency", "relabel"]

_EDGE_KEYS = ("share", "redundancyGroup", "demandFactor")
_PLACE = re.compile(r"^(\w+)\[(\d+)\]")


@dataclass
class SyncReport:
    """What an import did (or, on a dry run, would do): service ids by outcome, and every problem found."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False

    def summary(self) -> str:
        parts = [f"{len(self.created)} created", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged"]
        if self.gone:
            parts.append(f"{len(self.gone)} gone from the source")
        if self.retired:
            parts.append(f"{len(self.retired)} retired")
        return ", ".join(parts) + (" (dry run: nothing written)" if self.dry_run else "")


@dataclass(frozen=True)
class SourceService:
    """One service as the source describes it: ``fields`` it manages (a ``None`` value keeps the graph's, or
    ``default`` for a new service), the ids it depends on, and where it came from (for error places)."""

    id: str
    fields: dict[str, Any]
    depends_on: Sequence[str]
    origin: str
    defaults: dict[str, Any] = field(default_factory=dict)


def graph_currency(store: GraphStore) -> str | None:
    meta = store.read(library()["store/get_meta"])
    return meta[0]["currency"] if meta and meta[0].get("currency") else None


def current_services(store: GraphStore) -> dict[str, dict[str, Any]]:
    """Every service of the graph as its document entry, with ``enables`` and ``dependsOn`` (two reads)."""
    q = library()
    deps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.read(q["portfolio/export/dependencies"]):
        deps[r["consumer"]].append({"service": r["provider"], **{k: r[k] for k in _EDGE_KEYS if r.get(k) is not None}})
    enables: dict[str, list[str]] = defaultdict(list)
    for r in store.read(q["portfolio/export/enables"]):
        enables[r["service"]].append(r["outcome"])
    out = {}
    for r in store.read(q["portfolio/export/services"]):
        entry = service_entry(r["props"])
        entry["enables"] = enables.get(entry["id"], [])
        entry["dependsOn"] = deps.get(entry["id"], [])
        out[entry["id"]] = entry
    return out


def _source_ids(store: GraphStore, source: str) -> list[str]:
    rows = store.read(library()["formats/get_import_source"], {"source": source})
    return list(rows[0]["ids"] or []) if rows else []


def _merge(current: dict[str, Any] | None, s: SourceService, managed: set[str]) -> dict[str, Any]:
    entry = dict(current) if current else {"id": s.id, "enables": [], "dependsOn": []}
    for key, value in {**s.defaults, **s.fields}.items():
        if value is not None:
            entry[key] = value
        elif current is None and key in s.defaults:
            entry[key] = s.defaults[key]
    old = {d["service"]: d for d in entry.get("dependsOn", [])}
    kept = [d for p, d in old.items() if p not in managed]  # edges to services the source does not describe
    entry["dependsOn"] = kept + [old.get(p, {"service": p}) for p in s.depends_on]
    return entry


def _comparable(entry: dict[str, Any]) -> dict[str, Any]:
    out = dict(entry)
    out["dependsOn"] = sorted((d["service"], tuple((k, d.get(k)) for k in _EDGE_KEYS)) for d in entry.get("dependsOn", []))
    out["enables"] = sorted(entry.get("enables", []))
    return out


def relabel(error: BadInput, origins: Sequence[str], key: str = "services") -> BadInput:
    """The import path names places in the generated document (``services[3].kind``); name the source's instead."""
    def place(detail: str) -> str:
        m = _PLACE.match(detail)
        if not m or m.group(1) != key or int(m.group(2)) >= len(origins):
            return detail
        return f"{origins[int(m.group(2))]} {detail[m.end():].lstrip('.')}"

    return BadInput(error.message.replace("portfolio document", "import"), details=[place(d) for d in error.details])


def sync_services(
    store: GraphStore, source: str, services: Sequence[SourceService], *, currency: str = "EUR", dry_run: bool = False,
    prune: bool = False, actor: str = ANONYMOUS, on_progress: Callable[[str, int, int], None] | None = None,
) -> SyncReport:
    """Bring ``services`` into the graph (see the module docstring). Raises ``BadInput`` naming the source's
    places, or ``RuleViolation``; nothing is written then."""
    report = SyncReport(dry_run=dry_run)
    current = current_services(store)
    managed = {s.id for s in services}
    entries, origins = [], []
    for s in services:
        was = current.get(s.id)
        entry = _merge(was, s, managed)
        if was is None:
            report.created.append(s.id)
        elif _comparable(entry) != _comparable(was):
            if was.get("stage") == "RETIRED" and entry.get("stage") != "RETIRED":
                report.problems.append(f"{s.origin}: {s.id!r} is RETIRED in the graph and RETIRED is final; "
                                       f"the source says {entry.get('stage')}")
                continue
            report.updated.append(s.id)
        else:
            report.unchanged.append(s.id)
            continue
        entries.append(entry)
        origins.append(s.origin)
    if report.problems:
        n = len(report.problems)
        raise BadInput(f"import refused: {n} problem{'' if n == 1 else 's'}", details=report.problems)
    previous = _source_ids(store, source)
    report.gone = sorted(i for i in previous if i not in managed and current.get(i, {}).get("stage") not in (None, "RETIRED"))
    still = [i for i in previous if i not in managed and i in current and i in report.gone]
    ids = sorted(managed) + still
    document = {"currency": graph_currency(store) or currency, "services": entries}
    try:
        doc = document_from_data(document)
        if not dry_run and (entries or ids != previous):
            q = library()
            import_document(store, doc, actor=actor, on_progress=on_progress,
                            extra_steps=[(q["formats/set_import_source"], {"source": source, "ids": ids})])
            report.written = True
        elif dry_run and entries:
            from graph_itsm.portfolio.importer import check_allocatable, existing_ids
            from graph_itsm.portfolio.validation import validate_document
            from graph_itsm.portfolio.canonical import normalise

            validate_document(doc, existing=existing_ids(store))
            check_allocatable(store, normalise(doc))
    except BadInput as e:
        raise relabel(e, origins) from None
    if prune and report.gone:
        _prune(store, report, actor=actor)
    return report


def _prune(store: GraphStore, report: SyncReport, *, actor: str) -> None:
    from graph_itsm.portfolio.lifecycle import move_service_stage

    for sid in report.gone:
        if report.dry_run:
            report.notes.append(f"{sid}: would be retired")
            continue
        try:
            move_service_stage(store, sid, "RETIRED", actor=actor)
            report.retired.append(sid)
        except GraphItsmError as e:
            report.problems.append(f"{sid}: not retired: {e.message}")
