"""Audited, checked, atomic writes.

A mutation reads the facts its rules need (one or two round trips, each returning the graph version it saw),
checks the rules in Python, and plans a :class:`Change`: the statements that make it plus what the audit entry
records. :func:`commit` sends the whole change as one atomic write::

    portfolio/audit/begin      lock the graph's Meta node; if the graph is still at the version the checks
                               read, create the audit entry (else nothing)
    <the change's statements>  each starts from that entry, so they write only if it was created
    store/bump_version         every write moves the graph version, and the topology version unless the
                               change says it cannot touch the topology (store/bump_data_version); an
                               attempt whose entry was not made moves neither
    portfolio/audit/finish     stamp the entry with the new version, link it to the services concerned

So the rules hold at write time even with other writers: a write that lands between the read and ours moves
the version, our statements do nothing, and the change is checked again against the new graph (a few times at
most). This guard lives inside the write itself, in Cypher both backends run; no rule needs repeating there.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from graph_itsm.errors import StoreError
from graph_itsm.portfolio.audit import new_entry
from graph_itsm.store import GraphStore, library
from graph_itsm.store.port import Step

__all__ = ["Change", "commit", "audited", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 12
_BACKOFF_S = 0.01  # the first retry waits up to 10 ms, doubling each time up to 0.5 s (about 4 s in all at most)
_BACKOFF_MAX_S = 0.5


@dataclass
class Change:
    """A planned write: its statements (run only after the audit entry is made) and the entry's contents."""

    action: str
    target: str
    before: Any
    after: Any
    services: Sequence[str]  # the services the entry concerns
    steps: list[tuple[str, dict[str, Any]]]  # (query name, params without "audit")
    version: int | None  # the graph version the checks read; None writes unconditionally
    result: Any = None  # what the mutation returns once written
    # False for writes that cannot change services, dependencies, subscriptions or outcome links (cost items,
    # budgets, business cases, statements): the in-memory projection of the topology then stays valid.
    topology: bool = True


def audited(
    steps: Sequence[Step], entry: dict[str, Any], *, version: int | None, services: Sequence[str], topology: bool = True
) -> list[Step]:
    """``steps`` wrapped as one audited write (see the module docstring); each step gets ``audit`` = the entry id."""
    q = library()
    return [
        (q["portfolio/audit/begin"], {"version": version, "entry": entry}),
        *((query, {**params, "audit": entry["id"]}) for query, params in steps),
        (q["store/bump_version" if topology else "store/bump_data_version"], {"audit": entry["id"]}),
        (q["portfolio/audit/finish"], {"id": entry["id"], "services": list(dict.fromkeys(services))}),
    ]


def _tell(store: GraphStore, change: Change, version: int) -> None:
    """The write made graph version ``version`` (it was written at ``change.version``, which it moved by one)."""
    for listener in list(store.committed):
        listener(change, version)


def commit(store: GraphStore, actor: str, plan: Callable[[], Change]) -> Any:
    """Plan (read and check) and write until the graph holds still between the two; return the change's result.

    ``plan`` raises the typed errors of the rules; they reach the caller unchanged, and nothing is written.
    """
    q = library()
    for attempt in range(MAX_ATTEMPTS):
        with store.write_lock:
            change = plan()
            entry = new_entry(actor=actor, action=change.action, target=change.target,
                              before=change.before, after=change.after)
            steps = [(q[name], params) for name, params in change.steps]
            rows = store.write_all(
                audited(steps, entry, version=change.version, services=change.services, topology=change.topology)
            )
            if rows and change.version is not None:
                _tell(store, change, change.version + 1)
        if rows:  # audit/finish found the entry: it was made, so was the change
            return change.result
        # another process wrote in between: let it finish, with jitter so that two retrying writers part
        time.sleep(random.uniform(0, min(_BACKOFF_MAX_S, _BACKOFF_S * 2**attempt)))
    raise StoreError(
        f"{change.action}: the portfolio kept changing while this change was checked ({MAX_ATTEMPTS} attempts); "
        "nothing was written, try again"
    )
