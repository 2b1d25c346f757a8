"""The canonical JSON form of a portfolio document, so that two documents can be compared for meaning.

Canonical means: keys in the order of the format; absent optional fields left out (never ``null``);
defaults filled in (``provider: INTERNAL``, ``riskAssessed: false``, ``escalationLevel: 0``, empty lists),
because a document read back from the graph cannot know whether its source wrote them; timestamps in UTC;
and lists whose order carries no meaning sorted by their key (ids, then natural keys such as a budget's
service and period). ``nonFinancialImpacts`` keeps its order: it is prose, listed as its author chose.
"""

from __future__ import annotations

from typing import Any, Callable

from graph_itsm.portfolio.document import PortfolioDocument
from graph_itsm.portfolio.parsing import document_from_data

__all__ = ["normalise", "equivalent"]

_Key = Callable[[Any], Any]


def _by(*fields: str) -> _Key:
    return lambda item: tuple(item[f] for f in fields)


def _itself(item: Any) -> Any:
    return item


# list name -> how to sort it, and for lists of objects the nested lists to sort inside each object
_TOP: dict[str, tuple[_Key, dict[str, _Key]]] = {
    "outcomes": (_by("id"), {}),
    "services": (_by("id"), {"enables": _itself, "dependsOn": _by("service"), "redundancy": _by("group"),
                             "serves": _itself}),
    "customers": (_by("id"), {"pursues": _itself, "subscriptions": _by("service")}),
    "costs": (_by("id"), {"allocations": _by("service")}),
    "budgets": (_by("service", "period"), {}),
    "businessCases": (_by("id"), {}),
    "surveys": (_by("customer", "period"), {}),
    "complaints": (_by("id"), {}),
    "objectives": (_by("id"), {"supportedBy": _itself}),
}


def normalise(doc: PortfolioDocument) -> dict[str, Any]:
    """The canonical JSON-ready form of ``doc`` (plain dicts, lists, strings, numbers and booleans)."""
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    for name, (key, inner) in _TOP.items():
        data[name] = sorted(data[name], key=key)
        for item in data[name]:
            for field, inner_key in inner.items():
                item[field] = sorted(item[field], key=inner_key)
    return data


def equivalent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two decoded documents mean the same portfolio (their canonical forms are equal).

    Raises ``BadInput`` if either is not a valid document in shape.
    """
    return normalise(document_from_data(a)) == normalise(document_from_data(b))
