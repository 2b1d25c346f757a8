"""An analytics query as its file declares it: parameters (type, range, default, description) and columns.

A parameter line of a query file reads ``// param NAME: TYPE[?] [LO..HI] [= DEFAULT] [-- description]``:

* ``TYPE`` is one of :data:`TYPES`; ``?`` allows null; ``LO..HI`` bounds a number (either end may be left out);
* ``DEFAULT`` is ``null``, ``true``/``false``, a number, a quoted string or a JSON list;
* ``= @projection:NAME`` marks a parameter the runner computes from the topology projection before the query
  runs (``graph_itsm.analytics.projections``); callers cannot give it.

Values from GraphQL (JSON) go through :meth:`ParamSpec.coerce`, values typed on the command line through
:meth:`ParamSpec.parse`; both raise ``BadInput`` naming the parameter.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

from graph_itsm.errors import BadInput
from graph_itsm.store.queries import Query, QueryFileError

__all__ = ["TYPES", "PROJECTION", "ParamSpec", "Analysis"]

TYPES = ("string", "int", "float", "bool", "map", "list<string>", "list<int>", "list<float>", "list<map>")
PROJECTION = "@projection:"
PREFIX = "analytics/"

_TYPE = re.compile(
    r"^(?P<base>[a-z]+(?:<[a-z]+>)?)(?P<nullable>\?)?"
    r"(?:\s+(?P<lo>-?\d+(?:\.\d+)?)?\.\.(?P<hi>-?\d+(?:\.\d+)?)?)?$"
)
_ARTICLE = {"int": "an int", "float": "a number", "string": "a string", "bool": "true or false", "map": "an object"}


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str  # one of TYPES
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    has_default: bool = False
    description: str = ""
    projection: str | None = None  # computed from this projection, not given by callers

    @property
    def required(self) -> bool:
        return not (self.has_default or self.nullable or self.projection)

    @property
    def declared(self) -> str:
        """The type as a person reads it: ``int 1..1000``, ``string?``."""
        text = self.type + ("?" if self.nullable else "")
        if self.minimum is not None or self.maximum is not None:
            text += f" {_fmt(self.minimum)}..{_fmt(self.maximum)}"
        return text

    @classmethod
    def from_header(cls, name: str, declared: str, default: str | None, doc: str | None) -> ParamSpec:
        m = _TYPE.match(declared.strip())
        if not m or m["base"] not in TYPES:
            raise ValueError(f"param {name}: type {declared!r} is not one of {', '.join(TYPES)} (with ? and LO..HI)")
        spec = cls(name, m["base"], bool(m["nullable"]), _number(m["lo"]), _number(m["hi"]), description=doc or "")
        if default is None:
            return spec
        if default.startswith(PROJECTION):
            if spec.type != "list<map>":
                raise ValueError(f"param {name}: a projection gives a list<map>, not a {spec.type}")
            return replace(spec, projection=default[len(PROJECTION) :])
        try:
            value = json.loads(_json_literal(default))
        except json.JSONDecodeError as e:
            raise ValueError(f"param {name}: default {default!r} is not a literal ({e.msg})") from None
        try:
            value = spec.coerce(value)
        except BadInput as e:
            raise ValueError(f"default: {e.message}") from None
        return replace(spec, default=value, has_default=True)

    # -- values ------------------------------------------------------------------------------------
    def coerce(self, value: Any) -> Any:
        """A JSON value checked against the declared type and range (ints widen to floats)."""
        if value is None:
            if self.nullable:
                return None
            self._fail("must not be null")
        if self.type.startswith("list<"):
            if not isinstance(value, list):
                self._fail(f"expected a list, got {_show(value)}")
            item = self.type[5:-1]
            return [self._scalar(item, v, f"[{i}]") for i, v in enumerate(value)]
        return self._scalar(self.type, value, "")

    def parse(self, text: str) -> Any:
        """A value typed on the command line: JSON where it parses as the declared type, else the plain text
        (``--param period=2026-01``); lists also as comma-separated items; ``null`` for a nullable param."""
        if self.nullable and text == "null":
            return None
        if self.type == "string":
            return text
        if self.type.startswith("list<") and not text.lstrip().startswith("["):
            item = ParamSpec(self.name, self.type[5:-1])
            return self.coerce([item.parse(t.strip()) for t in text.split(",") if t.strip()])
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = text
        if self.type == "bool" and isinstance(value, str) and value.lower() in ("yes", "no"):
            value = value.lower() == "yes"
        return self.coerce(value)

    def _scalar(self, kind: str, value: Any, where: str) -> Any:
        ok = {
            "string": isinstance(value, str),
            "bool": isinstance(value, bool),
            "map": isinstance(value, dict),
            "int": isinstance(value, int) and not isinstance(value, bool)
            or isinstance(value, float) and value.is_integer(),
            "float": isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value),
        }[kind]
        if not ok:
            self._fail(f"expected {_ARTICLE[kind]}, got {_show(value)}", where)
        if kind == "int":
            value = int(value)
        elif kind == "float":
            value = float(value)
        if kind in ("int", "float"):
            if self.minimum is not None and value < self.minimum:
                self._fail(f"must be at least {_fmt(self.minimum)}, got {_fmt(value)}", where)
            if self.maximum is not None and value > self.maximum:
                self._fail(f"must be at most {_fmt(self.maximum)}, got {_fmt(value)}", where)
        return value

    def _fail(self, why: str, where: str = "") -> None:
        raise BadInput(f"param {self.name}{where}: {why}", field=f"params.{self.name}")


@dataclass(frozen=True)
class Analysis:
    """One query of ``cypher/analytics/``: its name (without the folder), purpose, params and columns."""

    name: str
    description: str
    columns: tuple[str, ...]
    params: tuple[ParamSpec, ...]
    query: Query

    @classmethod
    def from_query(cls, query: Query) -> Analysis:
        where = str(query.path or query.name)
        if query.returns != "many":
            raise QueryFileError(f"{where}: an analytics query returns many rows ('// returns: many')")
        if not query.columns:
            raise QueryFileError(f"{where}: an analytics query lists its result columns ('// columns: a, b')")
        if not query.description:
            raise QueryFileError(f"{where}: an analytics query states its purpose ('// description: ...')")
        defaults, docs = query.defaults or {}, query.param_docs or {}
        try:
            params = tuple(
                ParamSpec.from_header(n, t, defaults.get(n), docs.get(n)) for n, t in query.params.items()
            )
        except ValueError as e:
            raise QueryFileError(f"{where}: {e}") from None
        return cls(query.name.removeprefix(PREFIX), query.description, query.columns, params, query)

    @property
    def projections(self) -> dict[str, str]:
        """param name -> projection name, for the params the runner computes."""
        return {p.name: p.projection for p in self.params if p.projection}

    def bind(self, given: Mapping[str, Any] | None, *, from_text: bool = False) -> dict[str, Any]:
        """The caller's values checked and completed with defaults (projection params are left to the
        runner). ``from_text``: the values are command-line strings to parse."""
        given = dict(given or {})
        specs = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(specs))
        if unknown:
            user = [p.name for p in self.params if not p.projection] or ["none"]
            raise BadInput(
                f"param {unknown[0]}: {self.name} has no such parameter (it takes: {', '.join(user)})",
                field=f"params.{unknown[0]}",
            )
        values: dict[str, Any] = {}
        for spec in self.params:
            if spec.projection:
                if spec.name in given:
                    raise BadInput(
                        f"param {spec.name}: computed from the topology projection; it cannot be given",
                        field=f"params.{spec.name}",
                    )
            elif spec.name in given:
                raw = given[spec.name]
                values[spec.name] = spec.parse(raw) if from_text and isinstance(raw, str) else spec.coerce(raw)
            elif spec.required:
                raise BadInput(f"param {spec.name}: required ({spec.declared})", field=f"params.{spec.name}")
            else:
                values[spec.name] = spec.default
        return values


def _json_literal(text: str) -> str:
    """A header default as JSON: single-quoted strings become double-quoted."""
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return json.dumps(text[1:-1])
    return text


def _fmt(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def _show(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
