"""GraphQL types of the importers (thin: the fields of ``formats.sync.SyncReport``)."""

from __future__ import annotations

import strawberry

from graph_itsm.formats.sync import SyncReport

__all__ = ["ImportSummary"]


@strawberry.type(description="What an import did, or on a dry run would do: service or cost item ids by outcome.")
class ImportSummary:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    gone: list[str] = strawberry.field(description="Services an earlier import of the source brought in that it "
                                                   "no longer lists (retired with prune).")
    retired: list[str]
    problems: list[str] = strawberry.field(description="What was left undone, such as a refused retirement.")
    notes: list[str] = strawberry.field(description="What each entity kind became; a FOCUS import's reconciliation.")
    written: bool
    dry_run: bool

    @classmethod
    def from_report(cls, r: SyncReport) -> "ImportSummary":
        return cls(created=r.created, updated=r.updated, unchanged=r.unchanged, gone=r.gone, retired=r.retired,
                   problems=r.problems, notes=r.notes, written=r.written, dry_run=r.dry_run)
