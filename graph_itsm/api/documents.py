"""What is worked out once per query document and replayed per request: the parser cache hands every request
with the same text the same document object, so walks of the document that do not depend on the request
(which fields sit under which types, which arguments there are) are done once, not per request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

__all__ = ["per_document", "remembered", "remember", "MISSING", "REMEMBERED"]

T = TypeVar("T")

MISSING: Any = object()  # nothing remembered

REMEMBERED = 2048  # (document, purpose) pairs kept (LRU); the parser cache keeps 1024 documents

_memo: OrderedDict[tuple[int, Hashable], tuple[Any, Any]] = OrderedDict()
_lock = threading.Lock()


def per_document(document: Any, purpose: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` for ``document`` and ``purpose``, remembered while the document is among the last used."""
    found = remembered(document, purpose)
    if found is MISSING:
        found = compute()
        remember(document, purpose, found)
    return found


def remembered(document: Any, purpose: Hashable) -> Any:
    """What was remembered for ``document`` and ``purpose``, or :data:`MISSING`.

    Keyed by the document's identity, not its value (hashing a document walks it); each entry holds its
    document too, so the id cannot be reused by another document while the entry lives."""
    key = (id(document), purpose)
    with _lock:
        found = _memo.get(key)
        if found is None or found[0] is not document:
            return MISSING
        _memo.move_to_end(key)
        return found[1]


def remember(document: Any, purpose: Hashable, value: Any) -> None:
    key = (id(document), purpose)
    with _lock:
        _memo[key] = (document, value)
        _memo.move_to_end(key)
        while len(_memo) > REMEMBERED:
            _memo.popitem(last=False)
