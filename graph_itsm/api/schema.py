"""The root schema: it only combines the domains' Query and Mutation types, and sets the limits."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import (
    AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, ParserCache, QueryDepthLimiter, ValidationCache,
)

from graph_itsm.access.guard import AccessControl
from graph_itsm.access.policy import describe
from graph_itsm.access.schema import AccessQuery
from graph_itsm.analytics.schema import AnalyticsQuery
from graph_itsm.api.errors import ErrorCodes
from graph_itsm.api.values import SaneValues
from graph_itsm.errors import GraphItsmError
from graph_itsm.finance.mutations import FinanceMutation
from graph_itsm.finance.schema import FinanceQuery
from graph_itsm.formats.mutations import FormatsMutation
from graph_itsm.impact.schema import ImpactQuery
from graph_itsm.portfolio.mutations import PortfolioMutation
from graph_itsm.portfolio.schema import PortfolioQuery
from graph_itsm.relationships.mutations import RelationshipMutation
from graph_itsm.relationships.schema import RelationshipQuery
from graph_itsm.planning.schema import PlanningQuery
from graph_itsm.strategy.schema import StrategyMutation, StrategyQuery

__all__ = ["schema", "Query", "Mutation", "MAX_DEPTH", "MAX_ALIASES", "MAX_TOKENS"]

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5000


@strawberry.type(description="Read the portfolio, its impact analysis, its finances and its customer relationships.")
class Query(PortfolioQuery, ImpactQuery, FinanceQuery, AnalyticsQuery, RelationshipQuery, AccessQuery, StrategyQuery,
            PlanningQuery):
    pass


@strawberry.type(
    description="Change the portfolio. Each mutation is one atomic write, recorded in the audit trail "
    "(`Service.history`). A failed mutation leaves the graph unchanged; its error has `extensions.code`: BAD_INPUT "
    "(malformed input; `extensions.field` names the field), NOT_FOUND (an id names nothing) or RULE_VIOLATION (a "
    "portfolio rule; the message starts with the rule's name, `extensions.rule` holds it and `extensions.services` "
    "lists the services involved)."
)
class Mutation(PortfolioMutation, FinanceMutation, RelationshipMutation, FormatsMutation, StrategyMutation):
    pass


describe(Query, Mutation)  # each root field's description ends with the roles it needs


class _Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Errors raised on purpose are answers, not incidents: keep them out of the server log. Unexpected ones
        are logged (with their traceback) by :class:`ErrorCodes` before it masks them."""
        unexpected = [e for e in errors if e.original_error is not None
                      and not isinstance(e.original_error, GraphItsmError)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


# The limit rules are built once: a rule class made per request (as QueryDepthLimiter makes one per instance)
# would make every request's rules differ, and the validation cache would never hit.
_LIMIT_RULES = [*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
                *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules]
CACHED_DOCUMENTS = 1024  # distinct query texts whose parse and validation are remembered (LRU)

schema = _Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        lambda: AddValidationRules(_LIMIT_RULES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
        AccessControl,
        SaneValues,
        ErrorCodes,
    ],
)
