"""Every root field of the schema, with every role, over HTTP: allowed, FORBIDDEN (naming the roles that may),
or, for a customer token, allowed for its own customer only. Fields come from the schema, so a new field without
a line in graph_itsm/access/policy.py fails here."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType, get_named_type,
)

from graph_itsm.access.policy import POLICY, rule_for
from graph_itsm.access.roles import READERS, Role
from graph_itsm.api.schema import schema
from tests.access.support import app_for, codes, post
from tests.graphql_client import grant

GQL = schema._schema
ROOTS = [("Query", GQL.query_type), ("Mutation", GQL.mutation_type)]
FIELDS = [(kind, name) for kind, t in ROOTS for name in t.fields]
OWN, OTHER = "retail-bu", "online-bu"


def test_every_root_field_is_declared_and_nothing_else():
    declared = set(POLICY)
    assert {f"{k}.{n}" for k, n in FIELDS} - declared == set(), "declare these in graph_itsm/access/policy.py"
    assert declared - {f"{k}.{n}" for k, n in FIELDS} == set(), "policy lines for fields that no longer exist"


def test_every_root_field_says_its_roles_in_the_schema():
    for kind, t in ROOTS:
        for name, f in t.fields.items():
            assert "Roles: admin" in (f.description or ""), f"{kind}.{name}"


def _sample(t: Any, arg_name: str, customer: str) -> Any:
    if isinstance(t, GraphQLNonNull):
        return _sample(t.of_type, arg_name, customer)
    if isinstance(t, GraphQLList):
        return [_sample(t.of_type, arg_name, customer)]
    if isinstance(t, GraphQLEnumType):
        return next(iter(t.values))
    if isinstance(t, GraphQLInputObjectType):
        return {n: _sample(f.type, n, customer) for n, f in t.fields.items() if isinstance(f.type, GraphQLNonNull)
                and f.default_value is None or n in ("id", "customer")}
    assert isinstance(t, GraphQLScalarType)
    if arg_name in ("id", "customerId", "customer"):
        return customer
    if arg_name == "period":
        return "2026-01"
    return {"Int": 1, "Float": 1.0, "Boolean": False, "JSON": {}}.get(t.name, "web-shop")


def _operation(kind: str, name: str, customer: str) -> tuple[str, dict[str, Any]]:
    f = (GQL.query_type if kind == "Query" else GQL.mutation_type).fields[name]
    decls, args, variables = [], [], {}
    for arg_name, arg in f.args.items():
        bound = (rule_for(kind, name).customer_arg or "").split(".")[0]  # `filter` of `filter.customer`
        if isinstance(arg.type, GraphQLNonNull) or arg_name in ("id", "customerId", bound):
            decls.append(f"${arg_name}: {arg.type}")
            args.append(f"{arg_name}: ${arg_name}")
            variables[arg_name] = _sample(arg.type, arg_name, customer)
    selection = " { __typename }" if hasattr(get_named_type(f.type), "fields") else ""
    head = ("query" if kind == "Query" else "mutation") + (f"({', '.join(decls)})" if decls else "")
    return f"{head} {{ {name}{'(' + ', '.join(args) + ')' if args else ''}{selection} }}", variables


PRINCIPALS = [r.value for r in Role] + ["anonymous"]


@pytest.mark.parametrize("who", PRINCIPALS)
def test_each_role_at_each_root_field(northwind_store, who):
    app = app_for(northwind_store)
    token = None if who == "anonymous" else grant(app, [who], customer=OWN if who == "customer" else None)
    for kind, name in FIELDS:
        rule = rule_for(kind, name)
        for customer in ([OWN, OTHER] if rule.customer_arg else [OWN]):
            query, variables = _operation(kind, name, customer)
            status, body = post(app, query, token=token, variables=variables)
            got = codes(body)
            if who == "admin" or rule.anyone:
                allowed = True
            elif who == "anonymous":
                allowed = Role.VIEWER in rule.roles and kind == "Query"
            elif who == "customer":
                allowed = bool(rule.customer_arg) and customer == OWN
            else:
                allowed = Role(who) in rule.roles
            where = f"{who} at {kind}.{name}({variables})"
            assert status in (200, 400), (where, body)
            assert "INTERNAL" not in got, (where, body)
            if allowed:
                assert not {"FORBIDDEN", "UNAUTHENTICATED"} & set(got), (where, body)
            elif who == "anonymous":
                assert got == ["UNAUTHENTICATED"], (where, body)
            else:
                assert got == ["FORBIDDEN"], (where, body)
                assert "admin" in body["errors"][0]["extensions"]["requiredRoles"], where


def test_readers_are_every_staff_role():
    assert READERS == frozenset(Role) - {Role.ADMIN, Role.CUSTOMER}
