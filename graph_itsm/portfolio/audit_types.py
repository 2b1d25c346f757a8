"""The Strawberry type of the audit trail (``Service.history``). Thin: built from ``audit.py`` values."""

from __future__ import annotations

from typing import Optional

import strawberry
from strawberry.scalars import JSON

from graph_itsm.portfolio import audit

__all__ = ["AuditEntry", "AuditFilter", "AuditEntryEdge", "AuditEntryConnection"]


@strawberry.type(description="One change in the audit trail: who did what, when, with the values before and after.")
class AuditEntry:
    id: strawberry.ID
    at: str = strawberry.field(description="When, as an ISO 8601 timestamp in UTC.")
    actor: str = strawberry.field(description='Who: "anonymous" until authentication exists.')
    action: str = strawberry.field(description="The mutation (createService, moveServiceStage, ...) or import.")
    target: str = strawberry.field(description="What changed, e.g. `service:web-shop`, `dependency:a->b`.")
    before: Optional[JSON] = strawberry.field(description="The values before; null for a creation.")
    after: Optional[JSON] = strawberry.field(description="The values after; null for a deletion.")
    version: Optional[int] = strawberry.field(description="The graph version the change produced (commit order).")

    @classmethod
    def from_entry(cls, e: audit.AuditEntry) -> "AuditEntry":
        return cls(id=strawberry.ID(e.id), at=e.at, actor=e.actor, action=e.action, target=e.target,
                   before=e.before, after=e.after, version=e.version)


@strawberry.input(description="Audit entries to list; every field given must match.")
class AuditFilter:
    actor: Optional[str] = None
    action: Optional[str] = strawberry.field(default=None, description="A mutation name, or `import`.")
    entity: Optional[str] = strawberry.field(default=None, description="A target (`service:web-shop`, "
                                             "`complaint:cmp-2`) or a kind of target (`budget`, `survey`, ...).")
    since: Optional[str] = strawberry.field(default=None, description="From this time on (ISO 8601), inclusive.")
    until: Optional[str] = strawberry.field(default=None, description="Before this time (ISO 8601), exclusive.")


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type(description="A page of the audit log, newest first (Relay connection, like `services`).")
class AuditEntryConnection:
    edges: list[AuditEntryEdge]
    page_info: "PageInfo"
    total_count: int

    @strawberry.field
    def nodes(self) -> list[AuditEntry]:
        return [e.node for e in self.edges]


from graph_itsm.portfolio.types import PageInfo  # noqa: E402  (types imports this module for Service.history)
