"""The audit trail: who changed what, when, with the values before and after.

Each audited write records one ``(:AuditEntry {id, at, actor, action, target, before, after, version})`` node
(``before``/``after`` as JSON text, absent for a creation or a deletion), linked
``(:AuditEntry)-[:CONCERNS]->(:Service)`` to every service the change touched, in the same atomic write as the
change itself (see :mod:`graph_itsm.portfolio.writes`). ``version`` is the graph version the write produced,
so the trail is in commit order even when clocks disagree.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

from graph_itsm.store import GraphStore, library

__all__ = ["AuditEntry", "ANONYMOUS", "new_entry", "entry_from_props", "history_of_services", "compact"]

ANONYMOUS = "anonymous"  # the actor until authentication exists


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: str
    actor: str
    action: str
    target: str
    before: Any
    after: Any
    version: int | None


def compact(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the trail records them: absent (null) ones left out, keys sorted."""
    return {k: v for k, v in sorted(values.items()) if v is not None}


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def new_entry(*, actor: str, action: str, target: str, before: Any, after: Any) -> dict[str, Any]:
    """The properties of a new entry (``before``/``after`` as JSON text); the write stamps ``version``."""
    return {
        "id": f"audit-{uuid.uuid4().hex}",
        "at": _now(),
        "actor": actor or ANONYMOUS,
        "action": action,
        "target": target,
        "before": _json(before),
        "after": _json(after),
    }


def entry_from_props(p: dict[str, Any]) -> AuditEntry:
    def load(text: str | None) -> Any:
        return None if text is None else json.loads(text)

    return AuditEntry(
        id=p["id"], at=p["at"], actor=p.get("actor") or ANONYMOUS, action=p["action"], target=p.get("target") or "",
        before=load(p.get("before")), after=load(p.get("after")), version=p.get("version"),
    )


def history_of_services(store: GraphStore, ids: Sequence[str]) -> list[list[AuditEntry]]:
    """The entries concerning each service of ``ids`` (newest first), in key order: one query for all keys."""
    groups: dict[str, list[AuditEntry]] = {k: [] for k in ids}
    for r in store.read(library()["portfolio/audit/history_of_services"], {"ids": list(ids)}):
        groups[r["key"]].append(entry_from_props(r["entry"]))
    return [groups[k] for k in ids]
