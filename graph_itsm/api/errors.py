"""One place that turns exceptions into GraphQL errors with ``extensions.code``.

Errors raised on purpose (:class:`graph_itsm.errors.GraphItsmError`) keep their message and get their code;
GraphQL validation errors are ``BAD_INPUT`` (or ``TOO_COMPLEX`` when a limit rule refused the document);
anything else is masked as ``INTERNAL`` so no stack trace or driver detail leaks, and is logged.
"""

from __future__ import annotations

import logging
import uuid

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from graph_itsm.errors import GraphItsmError

__all__ = ["ErrorCodes"]

log = logging.getLogger("graph_itsm.api")

_LIMIT_MARKERS = ("exceeds maximum operation depth", "maximum number of aliases", "maximum of", "tokens")


def _code_for(error: GraphQLError) -> tuple[str, GraphQLError | None]:
    original = error.original_error
    if isinstance(original, GraphItsmError) and original.code != "INTERNAL":
        return original.code, None
    if original is None or error.path is None:
        # No resolver involved: the document or its variables were refused before execution (an enum value
        # that does not exist, a missing variable, a limit). graphql-core chains the coercion's own exception.
        message = error.message
        if any(m in message for m in _LIMIT_MARKERS) and ("depth" in message or "alias" in message or "token" in message):
            return "TOO_COMPLEX", None
        return "BAD_INPUT", None
    # Driver text, paths and Cypher stay in the server log, under a reference the client gets instead.
    reference = f"err-{uuid.uuid4().hex[:12]}"
    log.error("internal error %s at %s", reference, ".".join(map(str, error.path or [])), exc_info=original)
    return "INTERNAL", GraphQLError(
        f"Internal error: the request could not be completed; the server log has the details under {reference}.",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"reference": reference},
    )


class ErrorCodes(MaskErrors):
    """Adds ``extensions.code`` (and ``field``/``details`` where known) to every error; masks unexpected ones."""

    def __init__(self) -> None:
        super().__init__()

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        out: list[GraphQLError] = []
        for error in errors:
            code, replacement = _code_for(error)
            error = replacement or error
            extensions = dict(error.extensions or {})
            extensions["code"] = code
            original = error.original_error
            if isinstance(original, GraphItsmError) and code != "INTERNAL":
                if original.details:
                    extensions["details"] = original.details
                for key, value in original.extensions.items():
                    extensions[key] = value
            error.extensions = extensions
            out.append(error)
        return out
