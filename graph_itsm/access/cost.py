"""Query cost analysis, before anything runs: each field's weight times how many times it will be resolved
(page sizes given or defaulted, an estimated fan-out for lists without pages), nested. Over :data:`MAX_COST`
the request is TOO_COMPLEX with ``extensions.cost`` = ``{requested, allowed}``."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLList, GraphQLNonNull, GraphQLObjectType,
    GraphQLSchema, InlineFragmentNode, OperationDefinitionNode, SelectionSetNode, get_named_type,
    value_from_ast_untyped,
)
from graphql.language import is_const_value_node

from graph_itsm.api.documents import MISSING, remember, remembered
from graph_itsm.errors import TooComplex
from graph_itsm.paging import LIST_MAX_PAGE_SIZE, LIST_PAGE_SIZE

__all__ = ["MAX_COST", "WEIGHTS", "query_cost", "check_cost"]

MAX_COST = 100_000
DEFAULT_PAGE = LIST_PAGE_SIZE  # a `first` argument given as null or with no default: the default page
FANOUT = 10  # an object's list without pages (dependencies, subscriptions, ...)
ROOT_FANOUT = 200  # a root list without pages

# What resolving a field costs once, beyond 1 an item it returns (computations and traversals weigh more).
WEIGHTS: dict[str, int] = {
    "Query.impact": 5000, "Query.dependencies": 1000, "Query.costReport": 2000, "Query.budgetReport": 2000,
    "Query.portfolioCost": 1000, "Query.retirementCandidates": 1000, "Query.demandReport": 1000,
    "Query.pipelineByNpv": 500, "Query.chargeStatement": 500, "Query.customerView": 500,
    "Query.runAnalytics": 2000, "Query.cypher": 2000, "Query.valueSheet": 50,
    "Service.cost": 20, "Service.valueSheet": 20, "Service.demand": 20, "Service.history": 5,
    "ImpactReport.chargesAtRisk": 500, "Customer.satisfaction": 5,
}


def _unwrap(t: Any) -> tuple[Any, bool]:
    is_list = False
    while isinstance(t, (GraphQLNonNull, GraphQLList)):
        if isinstance(t, GraphQLList):
            is_list = True
        t = t.of_type
    return t, is_list


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]):
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.read_variables = False  # whether a page size came from the request's variables

    def _first(self, node: FieldNode, field_def: Any) -> int | None:
        """The page size a list field will return: its ``first``, or the field's default when not given or null
        (the resolvers page the same way). An offset-paged list refuses a ``first`` over its maximum itself
        (BAD_INPUT naming it), so such a ``first`` weighs as the maximum here."""
        if "first" not in field_def.args:
            return None
        default = field_def.args["first"].default_value
        size = default if isinstance(default, int) else DEFAULT_PAGE
        for arg in node.arguments or ():
            if arg.name.value == "first":
                self.read_variables |= not is_const_value_node(arg.value)
                value = value_from_ast_untyped(arg.value, self.variables)
                if isinstance(value, (int, float)):
                    size = max(int(value), 0)
        if "offset" in field_def.args:
            size = min(size, LIST_MAX_PAGE_SIZE)
        return size

    def selection(self, sel: SelectionSetNode | None, parent: Any, paged: int | None, root: bool) -> int:
        if sel is None or not isinstance(parent, GraphQLObjectType) and not hasattr(parent, "fields"):
            return 0
        total = 0
        for s in sel.selections:
            if isinstance(s, FieldNode):
                total += self.field(s, parent, paged, root)
            elif isinstance(s, InlineFragmentNode):
                t = self.schema.get_type(s.type_condition.name.value) if s.type_condition else parent
                total += self.selection(s.selection_set, t, paged, root)
            elif isinstance(s, FragmentSpreadNode):
                frag = self.fragments.get(s.name.value)
                if frag is not None:
                    total += self.selection(frag.selection_set, self.schema.get_type(frag.type_condition.name.value),
                                            paged, root)
        return total

    def field(self, node: FieldNode, parent: Any, paged: int | None, root: bool) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 1
        field_def = parent.fields.get(name)
        if field_def is None:
            return 1
        target, is_list = _unwrap(field_def.type)
        first = self._first(node, field_def)
        count = 1
        if is_list:
            if first is not None:
                count = first
            elif paged is not None:
                count, paged = paged, None  # a connection's edges: its page size
            elif get_named_type(target) is target and not hasattr(target, "fields"):
                count = 1  # a list of scalars (a path, ids) weighs like one value
            else:
                count = ROOT_FANOUT if root else FANOUT
        child_paged = first if (first is not None and not is_list) else paged
        call = WEIGHTS.get(f"{parent.name}.{name}", 0)  # the work of resolving the field once, however long its list
        inner = self.selection(node.selection_set, target, child_paged, False) if hasattr(target, "fields") else 0
        return call + count * (1 + inner)


def query_cost(schema: GraphQLSchema, document: Any, operation: OperationDefinitionNode,
               variables: dict[str, Any] | None) -> int:
    """The operation's cost; remembered per document and operation when no page size is a variable."""
    key = ("cost", id(schema), id(operation))
    known = remembered(document, key)
    if known is not MISSING:
        return known
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    root = schema.mutation_type if operation.operation.value == "mutation" else schema.query_type
    walk = _Walk(schema, fragments, dict(variables or {}))
    cost = walk.selection(operation.selection_set, root, None, True)
    if not walk.read_variables:
        remember(document, key, cost)
    return cost


def check_cost(schema: GraphQLSchema, document: Any, operation: OperationDefinitionNode,
               variables: dict[str, Any] | None) -> int:
    cost = query_cost(schema, document, operation, variables)
    if cost > MAX_COST:
        raise TooComplex(f"the query would cost {cost}, over the limit of {MAX_COST}: ask for smaller pages, "
                         "fewer nested lists or fewer aliases", cost={"requested": cost, "allowed": MAX_COST})
    return cost
