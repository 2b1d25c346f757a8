"""The GraphQL guard, one Strawberry extension for every field: before the operation runs it checks each root
field against :mod:`graph_itsm.access.policy` for the request's principal (and, for ``customer`` principals,
the customer binding and the fields they may see), then the query's cost (:mod:`graph_itsm.access.cost`)."""

from __future__ import annotations

from typing import Any, Iterator

from graphql import (
    FieldNode, GraphQLError, OperationDefinitionNode, TypeInfo, TypeInfoVisitor, Visitor, get_named_type,
    value_from_ast_untyped, visit,
)
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from graph_itsm.access.cost import check_cost
from graph_itsm.access.policy import CUSTOMER_VISIBLE, rule_for
from graph_itsm.access.roles import Principal, Role, require
from graph_itsm.api.documents import per_document
from graph_itsm.errors import Forbidden, GraphItsmError, Unauthenticated

__all__ = ["AccessControl", "check_operation"]


class _Check:
    def __init__(self, schema: Any, principal: Principal, variables: dict[str, Any]) -> None:
        self.schema, self.principal, self.variables = schema, principal, variables
        self.roots = {t for t in (schema.query_type, schema.mutation_type) if t is not None}

    def field(self, parent: Any, node: FieldNode) -> None:
        name = node.name.value
        if parent in self.roots:
            self._root(parent.name, node)
        elif self.principal.is_customer_only:
            visible = CUSTOMER_VISIBLE.get(get_named_type(parent).name)
            if visible is not None and name not in visible:
                raise Forbidden(f"{parent.name}.{name} is not visible to customer tokens",
                                requiredRoles=sorted(r.value for r in Role if r is not Role.CUSTOMER))

    def _root(self, type_name: str, node: FieldNode) -> None:
        rule = rule_for(type_name, node.name.value)
        what = f"{type_name}.{node.name.value}"
        p = self.principal
        if rule.anyone or p.has_any(rule.roles):
            return
        if rule.customer_arg and Role.CUSTOMER in p.roles and p.customer:
            value = None
            name, *path = rule.customer_arg.split(".")
            for arg in node.arguments or ():
                if arg.name.value == name:
                    value = value_from_ast_untyped(arg.value, self.variables)
            for key in path:  # a field of an input object (`filter.customer`)
                value = value.get(key) if isinstance(value, dict) else None
            if value == p.customer:
                return
            raise Forbidden(f"{what}: a customer token sees its own customer {p.customer!r} only "
                            f"(`{rule.customer_arg}`)", requiredRoles=sorted({r.value for r in rule.roles} | {"admin"}),
                            field=rule.customer_arg)
        if p.anonymous:
            kind = "writes" if type_name == "Mutation" else f"{what}"
            raise Unauthenticated(f"{kind} need a bearer token (anonymous requests may only read); "
                                  "make one with graph-itsm token create")
        require(p, rule.roles, what=what)


def _fields_of(schema: Any, document: Any) -> tuple[tuple[Any, FieldNode], ...]:
    """Every field of the whole document with its parent type, in the order a walk meets them (fragments are
    checked wherever they are spread, and at their own type); meta fields (``__typename``) left out."""
    type_info = TypeInfo(schema)
    found: list[tuple[Any, FieldNode]] = []

    class _Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = type_info.get_parent_type()
            if parent is not None and not node.name.value.startswith("__"):
                found.append((parent, node))

    visit(document, TypeInfoVisitor(type_info, _Collect()))
    return tuple(found)


def check_operation(schema: Any, document: Any, operation: OperationDefinitionNode, principal: Principal,
                    variables: dict[str, Any] | None) -> None:
    """Refuse the operation unless ``principal`` may run every field of it, then refuse it if it costs too much.
    The walk of the document is done once per document (:func:`per_document`); each request replays it."""
    check = _Check(schema, principal, dict(variables or {}))
    for parent, node in per_document(document, ("access", id(schema)), lambda: _fields_of(schema, document)):
        check.field(parent, node)
    check_cost(schema, document, operation, variables)


class AccessControl(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        document = ec.graphql_document
        principal = getattr(ec.context, "principal", None)
        if document is not None:
            operation = get_operation_ast(document, ec.operation_name)
            try:
                if principal is None:
                    raise Unauthenticated("no principal for this request")
                if operation is not None:
                    check_operation(ec.schema._schema, document, operation, principal, ec.variables)
            except GraphItsmError as e:
                ec.result = GraphQLExecutionResult(data=None, errors=[GraphQLError(e.message, original_error=e)])
        yield
