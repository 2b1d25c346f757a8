"""Portfolio rules and reads. No GraphQL here: callers pass plain values and get plain values back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_itsm.errors import BadInput
from graph_itsm.store import GraphStore, library

__all__ = ["ServicePage", "MAX_PAGE_SIZE", "DEFAULT_PAGE_SIZE", "list_services"]

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
    if size < 0 or size > MAX_PAGE_SIZE:
        raise BadInput(f"first: must be between 0 and {MAX_PAGE_SIZE}, got {size}", field="first")
    filters = {
        "kind": kind,
        "stage": stage,
        "owner": owner,
        "provider": provider,
        "search": search.strip().lower() if search and search.strip() else None,
    }
    q = library()
    rows = store.read(q["portfolio/list_services"], {**filters, "after": after_id, "limit": size + 1})
    total = store.scalar(q["portfolio/count_services"], filters) or 0
    services = [r["service"] for r in rows]
    return ServicePage(services=services[:size], has_next_page=len(services) > size, total_count=int(total))
