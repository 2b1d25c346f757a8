"""The HTTP guard in front of every route: Host header, body size, JSON-only GraphQL POSTs, no GraphQL over GET,
and who the request acts as (bearer API token, bearer JWT, or anonymous where allowed)."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from graph_itsm.access import tokens
from graph_itsm.access.jwt import JwtVerifier, looks_like_jwt
from graph_itsm.access.roles import ANONYMOUS_NAME, READERS, Principal, Role, require
from graph_itsm.access.settings import AccessSettings
from graph_itsm.errors import Forbidden, GraphItsmError, Unauthenticated
from graph_itsm.store import GraphStore

__all__ = ["AccessGuard", "PRINCIPAL_KEY", "ANONYMOUS"]

log = logging.getLogger("graph_itsm.access")

PRINCIPAL_KEY = "graph_itsm_principal"
ANONYMOUS = Principal(name=ANONYMOUS_NAME, roles=frozenset({Role.VIEWER}), anonymous=True)
_OPEN_PATHS = ("/healthz", "/auth/config")
# The web app's own files (the page, its scripts, GraphiQL's page) hold no data: open, so a browser can load the
# app and sign in on a server that needs a token for everything else.
_OPEN_PAGES = ("/", "/graphql")
_OPEN_PREFIX = "/static/"
_BODY_METHODS = ("POST", "PUT", "PATCH")

ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]],
                   Awaitable[None]]


def _error(status: int, code: str, message: str, **extensions: Any) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
                        status_code=status, headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


def _open(scope: dict[str, Any]) -> bool:
    path = scope["path"]
    return path in _OPEN_PATHS or (scope["method"] in ("GET", "HEAD") and (
        path in _OPEN_PAGES or path.startswith(_OPEN_PREFIX)))


class AccessGuard:
    """ASGI middleware; every request passes here before any route."""

    def __init__(self, app: ASGIApp, *, store: GraphStore, settings: AccessSettings) -> None:
        self.app, self.store, self.settings = app, store, settings
        self.hosts = settings.allowed_hosts()
        self.verifier = JwtVerifier(settings.jwt) if settings.jwt else None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(scope, headers)
        if refusal is None and scope["method"] in _BODY_METHODS:
            receive, refusal = await self._buffered(receive, headers)
        if refusal is None and not _open(scope):
            try:
                principal = await self._principal(headers)
                if scope["path"] != "/graphql":  # the other routes are reads (the NDJSON stream)
                    self._require_reader(principal)
            except (Unauthenticated, Forbidden) as e:
                status = 401 if isinstance(e, Unauthenticated) else 403
                refusal = _error(status, e.code, e.message, **e.extensions)
            except GraphItsmError:  # the database failed: no detail for the client
                log.exception("authentication failed on a database error")
                refusal = _error(503, "INTERNAL", "the database could not check the token; try again")
            else:
                scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: dict[str, Any], headers: dict[str, str]) -> JSONResponse | None:
        host = headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        name = name.strip("[]").lower()
        if self.hosts is not None and name not in self.hosts:
            return _error(421, "FORBIDDEN", f"Host {host!r} is not a name of this server; add it to "
                          "GRAPH_ITSM_PUBLIC_NAMES if it is")
        if scope["path"] == "/graphql":
            if scope["method"] == "GET" and scope.get("query_string"):
                return _error(405, "FORBIDDEN", "GraphQL over GET is refused: POST a JSON body")
            if scope["method"] == "POST":
                ctype = headers.get("content-type", "").split(";", 1)[0].strip().lower()
                if ctype != "application/json":
                    return _error(415, "BAD_INPUT", "POST /graphql takes Content-Type: application/json")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.settings.max_body_bytes):
            return _error(413, "TOO_COMPLEX", f"the request body is over {self.settings.max_body_bytes} bytes")
        return None

    async def _buffered(self, receive: Any, headers: dict[str, str]) -> tuple[Any, JSONResponse | None]:
        """Read the body (at most the limit) so a chunked one cannot slip past it; replay it to the app."""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.settings.max_body_bytes:
                return receive, _error(413, "TOO_COMPLEX", f"the request body is over {self.settings.max_body_bytes} bytes")
            chunks.append(chunk)
            more = message.get("more_body", False)
        body, sent = b"".join(chunks), False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay, None

    async def _principal(self, headers: dict[str, str]) -> Principal:
        auth = headers.get("authorization", "").strip()
        if not auth:
            if self.settings.anonymous_reads:
                return ANONYMOUS
            why = ("GRAPH_ITSM_ANONYMOUS is none" if self.settings.anonymous == "none"
                   else "the server listens beyond loopback")
            raise Unauthenticated(f"a bearer token is needed ({why}); make one with graph-itsm token create")
        scheme, _, token = auth.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("Authorization must be 'Bearer <token>'")
        static = self.settings.static_tokens.get(tokens.token_hash(token))
        if static is not None:
            return static
        if looks_like_jwt(token) and not token.startswith(tokens.PREFIX):
            if self.verifier is None:
                raise Unauthenticated("a JWT was sent but no GRAPH_ITSM_JWKS is configured")
            return await run_in_threadpool(self.verifier.principal, token)
        principal = await run_in_threadpool(tokens.principal_for, self.store, token)
        if principal is None:
            raise Unauthenticated("the bearer token is unknown or revoked")
        return principal

    @staticmethod
    def _require_reader(principal: Principal) -> None:
        require(principal, READERS, what="this route")
