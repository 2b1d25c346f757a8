"""What a mutation asks for, checked at the edge: id format, ranges, enums and combinations of fields.

The checks are those of the portfolio document (``document.py``), so that whatever the API writes exports as a
valid document. Input comes as dicts with the document's camelCase keys; for updates, a key set to ``None``
clears an optional field and a missing key keeps the current value. Each problem becomes a ``BadInput`` whose
message names the field (``criticality: Input should be less than or equal to 5``); ``field`` holds the first.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from graph_itsm.errors import BadInput
from graph_itsm.portfolio import document as model
from graph_itsm.portfolio.exporter import service_entry
from graph_itsm.portfolio.fields import Id
from graph_itsm.portfolio.importer import service_props
from graph_itsm.portfolio.parsing import error_message
from graph_itsm.portfolio.problems import format_path

__all__ = [
    "check_id", "new_service", "patched_service", "check_redundancy", "dependency_props", "subscription_props",
    "new_outcome", "patched_outcome", "new_customer", "patched_customer", "validate_model",
]

M = TypeVar("M", bound=BaseModel)
_ID = TypeAdapter(Id)


def _validate(cls: type[M], data: dict[str, Any], *, prefix: str = "") -> M:
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        problems = [(prefix + format_path(err["loc"]), error_message(err)) for err in e.errors()]
        message = "; ".join(f"{where}: {what}" for where, what in problems)
        raise BadInput(message, field=problems[0][0], details=[f"{w}: {m}" for w, m in problems]) from None


def validate_model(cls: type[M], data: dict[str, Any], *, prefix: str = "") -> M:
    """``data`` (document keys) as the document model ``cls``; every problem in one ``BadInput`` naming fields."""
    return _validate(cls, data, prefix=prefix)


def check_id(value: str, field: str) -> str:
    """``value`` must be a slug (lower-case letters, digits, '-' and '_')."""
    try:
        return _ID.validate_python(value)
    except ValidationError as e:
        raise BadInput(f"{field}: {error_message(e.errors()[0])}", field=field) from None


def _patched(cls: type[BaseModel], current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``current`` (document keys) with ``patch`` applied; a required field cannot be cleared."""
    required = {f.alias for f in cls.model_fields.values() if f.is_required()}
    merged = dict(current)
    for key, value in patch.items():
        if value is None:
            if key in required:
                raise BadInput(f"{key}: cannot be null; leave it out to keep the current value", field=key)
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _dump(m: BaseModel) -> dict[str, Any]:
    return m.model_dump(mode="json", by_alias=True)


# -- services ----------------------------------------------------------------------------------------------


def new_service(data: dict[str, Any]) -> dict[str, Any]:
    """The node properties of a new service (every key present); it starts in the PIPELINE."""
    service = _validate(model.Service, {**_present(data), "stage": "PIPELINE"})
    return {"id": service.id, **service_props(_dump(service))}


def patched_service(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The node properties of ``current`` after ``patch`` (never the id or the stage)."""
    patch = dict(patch)
    if patch.get("provider") not in (None, "THIRD_PARTY") and "supplier" not in patch:
        patch["supplier"] = None  # an INTERNAL service has no supplier
    merged = _patched(model.Service, service_entry(current), patch)
    service = _validate(model.Service, merged)
    return {"id": service.id, **service_props(_dump(service))}


def check_redundancy(props: dict[str, Any], groups: dict[str, int]) -> None:
    """The k-of-n rules in ``props`` (a service's node properties) against ``groups`` (its redundancy groups and
    their sizes): each names one of them, and a ``minUp`` no larger than its members."""
    from graph_itsm.topology.projection import redundancy_rules

    for j, r in enumerate(redundancy_rules(props.get("redundancy"))):
        size = groups.get(r["group"], 0)
        if not size:
            named = ", ".join(repr(g) for g in sorted(groups)) or "none"
            raise BadInput(f"redundancy[{j}].group: {r['group']!r} is no redundancyGroup of the service's "
                           f"dependencies (its groups: {named})", field=f"redundancy[{j}].group")
        if r.get("minUp") is not None and r["minUp"] > size:
            raise BadInput(f"redundancy[{j}].minUp: {r['minUp']} is more than the {size} members of group "
                           f"{r['group']!r}", field=f"redundancy[{j}].minUp")


# -- edges -------------------------------------------------------------------------------------------------


def dependency_props(provider: str, data: dict[str, Any]) -> dict[str, Any]:
    """``share`` (0..1), ``redundancyGroup`` and ``demandFactor`` (>= 0) of a DEPENDS_ON edge."""
    dep = _validate(model.Dependency, {**_present(data), "service": provider})
    return {"share": dep.share, "redundancyGroup": dep.redundancy_group, "demandFactor": dep.demand_factor}


def subscription_props(service: str, data: dict[str, Any]) -> dict[str, Any]:
    """``since`` (YYYY-MM-DD), ``share`` (0..1), ``units`` (>= 0) and ``specialBusinessCase`` of a subscription."""
    sub = _dump(_validate(model.Subscription, {**_present(data), "service": service}))
    return {k: sub.get(k) for k in ("since", "share", "units", "specialBusinessCase")}


# -- outcomes and customers --------------------------------------------------------------------------------

_OUTCOME_KEYS = ("name", "description")
_CUSTOMER_KEYS = ("name", "description", "type")


def _props(m: BaseModel, keys: tuple[str, ...]) -> dict[str, Any]:
    dumped = _dump(m)
    return {"id": dumped["id"], **{k: dumped.get(k) for k in keys}}


def new_outcome(data: dict[str, Any]) -> dict[str, Any]:
    return _props(_validate(model.Outcome, _present(data)), _OUTCOME_KEYS)


def patched_outcome(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = _patched(model.Outcome, _known(current, ("id", *_OUTCOME_KEYS)), patch)
    return _props(_validate(model.Outcome, merged), _OUTCOME_KEYS)


def new_customer(data: dict[str, Any]) -> dict[str, Any]:
    return _props(_validate(model.Customer, _present(data)), _CUSTOMER_KEYS)


def patched_customer(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = _patched(model.Customer, _known(current, ("id", *_CUSTOMER_KEYS)), patch)
    return _props(_validate(model.Customer, merged), _CUSTOMER_KEYS)


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """Input without its null fields (absent and null mean the same for a new object)."""
    return {k: v for k, v in data.items() if v is not None}


def _known(props: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: props[k] for k in keys if props.get(k) is not None}
