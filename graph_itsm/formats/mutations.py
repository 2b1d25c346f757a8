"""Import mutations of the GraphQL API for the outside formats: the document text in, a summary out. Thin: each
calls the importer, which validates everything and writes through the one import path (nothing on a dry run).

Errors (``extensions.code``): ``BAD_INPUT`` naming every bad place (entity and field, file line and column,
mapping key) when nothing was written; ``RULE_VIOLATION`` for a portfolio rule the import would break.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from graph_itsm.formats.types import ImportSummary

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["FormatsMutation"]


@strawberry.type
class FormatsMutation:
    @strawberry.mutation(description="Sync a Backstage catalog (YAML text, one or more entities; Locations are not "
                                     "followed) into services. `mapping` is the mapping file's YAML text; `prune` "
                                     "retires services an earlier import brought in that the catalog no longer lists. "
                                     "Errors: BAD_INPUT naming every problem (entity and field); nothing written.")
    def import_backstage(self, info: strawberry.Info["Context", None], catalog: str, mapping: str | None = None,
                         dry_run: bool = False, prune: bool = False) -> ImportSummary:
        from graph_itsm.formats.backstage import catalog_from_text, import_backstage, load_mapping

        report = import_backstage(info.context.store, catalog_from_text(catalog), load_mapping(text=mapping or ""),
                                  dry_run=dry_run, prune=prune, actor=info.context.actor)
        info.context.changed()
        return ImportSummary.from_report(report)

    @strawberry.mutation(description="Import FOCUS billing rows (CSV text) as cost items of their month. `mapping` "
                                     "is the mapping file's YAML text (rules, costColumn, nature, categories). "
                                     "Errors: BAD_INPUT naming every bad place (`focus.csv:12:EffectiveCost`); "
                                     "nothing written.")
    def import_focus(self, info: strawberry.Info["Context", None], csv: str, mapping: str | None = None,
                     dry_run: bool = False) -> ImportSummary:
        from graph_itsm.formats.focus import import_focus, load_focus_mapping

        report = import_focus(info.context.store, [], load_focus_mapping(text=mapping or ""), dry_run=dry_run,
                              texts={"focus.csv": csv}, actor=info.context.actor)
        info.context.changed()
        return ImportSummary.from_report(report)
