"""The Strawberry type of the audit trail (``Service.history``). Thin: built from ``audit.py`` values."""

from __future__ import annotations

from typing import Optional

import strawberry
from strawberry.scalars import JSON

from graph_itsm.portfolio import audit

__all__ = ["AuditEntry"]


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
