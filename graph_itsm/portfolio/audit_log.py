"""The audit log of everything (not only services), newest first, paged like ``services``: the cursor is the
graph version of the last entry seen (each write produces one version, so it orders the trail)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from graph_itsm.errors import BadInput
from graph_itsm.portfolio.audit import AuditEntry, entry_from_props
from graph_itsm.paging import decode_cursor, encode_cursor, page_size
from graph_itsm.store import GraphStore, library

__all__ = ["AuditPage", "list_audit_entries", "entry_cursor"]


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    has_next_page: bool
    total_count: int


def _instant(value: str | None, field: str) -> str | None:
    """An ISO 8601 time as the trail writes it (UTC, microseconds, ``Z``); ``BadInput`` naming ``field``."""
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"{field}: must be an ISO 8601 time such as 2026-02-01T10:00:00Z; got {value!r}",
                       field=field) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def entry_cursor(entry: AuditEntry) -> str:
    return encode_cursor("auditEntry", str(entry.version or 0))


def list_audit_entries(
    store: GraphStore, *, actor: str | None = None, action: str | None = None, entity: str | None = None,
    since: str | None = None, until: str | None = None, first: int | None = None, after: str | None = None,
) -> AuditPage:
    size = page_size(first, "audit entries")
    before = None
    if after is not None:
        text = decode_cursor("auditEntry", after)
        if not text.isdigit():
            raise BadInput(f"after: {after!r} is not a cursor returned by `auditLog`", field="after")
        before = int(text)
    filters = {"actor": actor, "action": action, "entity": entity or None,
               "since": _instant(since, "since"), "until": _instant(until, "until")}
    q = library()
    rows = store.read(q["portfolio/audit/list_entries"], {**filters, "before": before, "limit": size + 1})
    total = int(store.scalar(q["portfolio/audit/count_entries"], filters) or 0)
    entries = [entry_from_props(r["entry"]) for r in rows]
    return AuditPage(entries=entries[:size], has_next_page=len(entries) > size, total_count=total)
