"""Bad values refused at the edge, before any resolver: NUL characters in text, and numbers that are not finite
or beyond any portfolio's (|x| > 1e15), anywhere in a field's arguments. BAD_INPUT names the argument path
(``input.annualBenefit``); the rules of each field (years, rates, ...) stay with their domain."""

from __future__ import annotations

import math
from typing import Any, Iterator

from graphql import FieldNode, GraphQLError, Visitor, value_from_ast_untyped, visit
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from graph_itsm.errors import BadInput

__all__ = ["SaneValues", "MAX_MAGNITUDE"]

MAX_MAGNITUDE = 1e15


def _check(value: Any, path: str) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise BadInput(f"{path}: NUL characters are not allowed", field=path)
    elif isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise BadInput(f"{path}: {value!r} is not a usable number (finite, at most {MAX_MAGNITUDE:.0e})", field=path)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check(k, path)
            _check(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check(v, f"{path}[{i}]")


class _Args(Visitor):
    def __init__(self, variables: dict[str, Any]) -> None:
        super().__init__()
        self.variables = variables

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        for arg in node.arguments or ():
            _check(value_from_ast_untyped(arg.value, self.variables), arg.name.value)


class SaneValues(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        if ec.graphql_document is not None and ec.result is None:
            try:
                visit(ec.graphql_document, _Args(dict(ec.variables or {})))
            except BadInput as e:
                ec.result = GraphQLExecutionResult(data=None, errors=[GraphQLError(e.message, original_error=e)])
        yield
