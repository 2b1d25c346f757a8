"""The error types every layer raises; the API maps each to a GraphQL ``extensions.code``.

Service-layer code raises these; driver errors are wrapped (``raise StoreError(...) from e``) and anything
else is masked as ``INTERNAL`` by the API.
"""

from __future__ import annotations

__all__ = [
    "GraphItsmError",
    "NotFound",
    "BadInput",
    "RuleViolation",
    "Forbidden",
    "Unauthenticated",
    "TooComplex",
    "StoreError",
]


class GraphItsmError(Exception):
    """Root of every error graph-itsm raises on purpose."""

    code = "INTERNAL"

    def __init__(self, message: str, *, details: list[str] | None = None, **extensions: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details or [])
        self.extensions = extensions


class NotFound(GraphItsmError):
    """A referenced id does not exist."""

    code = "NOT_FOUND"


class BadInput(GraphItsmError):
    """Input is malformed: wrong type, range, enum or format. ``field`` names where."""

    code = "BAD_INPUT"


class RuleViolation(GraphItsmError):
    """Input is well-formed but breaks a rule of the domain (spec/domain.md)."""

    code = "RULE_VIOLATION"


class Forbidden(GraphItsmError):
    """The action is not allowed (for example a write through the read-only Cypher endpoint)."""

    code = "FORBIDDEN"


class Unauthenticated(GraphItsmError):
    code = "UNAUTHENTICATED"


class TooComplex(GraphItsmError):
    """A request exceeds a limit (depth, page size, time, rows)."""

    code = "TOO_COMPLEX"


class StoreError(GraphItsmError):
    """The database could not be reached or failed; the cause is chained."""

    code = "INTERNAL"
