"""The built-in demo portfolio goes only into an empty database: it never overwrites anyone's edits."""

from __future__ import annotations

from typing import Any, Callable

from graph_itsm.portfolio.audit import ANONYMOUS
from graph_itsm.portfolio.importer import ImportSummary, NotEmpty, import_document
from graph_itsm.portfolio.parsing import demo_document
from graph_itsm.store import GraphStore
from graph_itsm.store.backup import is_empty

__all__ = ["load_demo"]


def load_demo(
    store: GraphStore,
    *,
    replace: bool = False,
    actor: str = ANONYMOUS,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> ImportSummary | None:
    """Load the demo into an empty database and return what was written; on a non-empty one write nothing and
    return ``None``. ``replace`` starts over instead: the graph is emptied and the demo loaded in one atomic
    write, with one audit entry (action ``replace``, ``after.source`` = ``demo``) naming ``actor``."""
    if not replace and not is_empty(store):
        return None
    kwargs: dict[str, Any] = {"on_progress": on_progress} if on_progress else {}
    try:
        # the emptiness is checked again when the import plans and inside its write (a write landing after
        # the check above is not overwritten)
        return import_document(store, demo_document(), actor=actor, replace=replace, source="demo",
                               into_empty=not replace, **kwargs)
    except NotEmpty:
        return None
