"""Bad values refused at the edge, before any resolver: NUL characters in text, and numbers that are not finite
or beyond any portfolio's (|x| > 1e15), anywhere in a field's arguments. BAD_INPUT names the argument path
(``input.annualBenefit``); the rules of each field (years, rates, ...) stay with their domain."""

from __future__ import annotations

import math
from typing import Any, Iterator

from graphql import ArgumentNode, FieldNode, GraphQLError, Visitor, value_from_ast_untyped, visit
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from graph_itsm.api.documents import per_document
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


def _arguments_of(document: Any) -> tuple[ArgumentNode, ...]:
    """Every field argument of the whole document, in the order a walk meets them."""
    found: list[ArgumentNode] = []

    class _Args(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            found.extend(node.arguments or ())

    visit(document, _Args())
    return tuple(found)


class SaneValues(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        if ec.graphql_document is not None and ec.result is None:
            variables = dict(ec.variables or {})
            try:
                # the walk once per document; the values (variables differ) every request
                for arg in per_document(ec.graphql_document, "arguments", lambda: _arguments_of(ec.graphql_document)):
                    _check(value_from_ast_untyped(arg.value, variables), arg.name.value)
            except BadInput as e:
                ec.result = GraphQLExecutionResult(data=None, errors=[GraphQLError(e.message, original_error=e)])
        yield
