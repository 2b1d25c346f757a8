"""The Starlette app: the web app at /, GraphQL (with GraphiQL) at /graphql, health at /healthz, and the streams that bypass
the GraphQL executor (GET /impact.ndjson)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from typing import Any, AsyncIterator, Awaitable, Callable, Sequence

import anyio
import anyio.to_thread

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from graph_itsm.access.http import PRINCIPAL_KEY, AccessGuard
from graph_itsm.access.settings import AccessSettings
from graph_itsm.api.context import AppState, Context
from graph_itsm.api.schema import schema
from graph_itsm.impact.routes import routes as impact_routes
from graph_itsm.store import GraphStore
from graph_itsm.web import GRAPHIQL_HTML
from graph_itsm.web import routes as web_routes

__all__ = ["create_app", "execution_threads"]


def execution_threads() -> int:
    """How many GraphQL operations of one process run at once (``GRAPH_ITSM_THREADS``, default 8): each runs on
    its own worker thread, so the event loop only moves bytes and a slow query holds up nobody else."""
    raw = os.environ.get("GRAPH_ITSM_THREADS", "")
    return max(1, int(raw)) if raw.strip().isdigit() else 8


_local = threading.local()


def _run_on_thread_loop(make: Callable[[], Awaitable[Any]]) -> Any:
    """Run a coroutine to its end on this worker thread's own event loop (made once per thread, then reused).
    Resolvers and DataLoaders call the store synchronously; here that blocks this thread, not the server's loop."""
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = _local.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    return loop.run_until_complete(make())


class _GraphQL(GraphQL):
    def __init__(self, state: AppState, threads: int) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=False)
        self.state = state
        self.threads = threads
        self._limiter: anyio.CapacityLimiter | None = None

    async def execute_single(self, **kwargs: Any) -> Any:  # type: ignore[override]
        """Parse, validate and execute one operation on a worker thread (at most ``threads`` at once)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.threads)
        parent = super().execute_single
        return await anyio.to_thread.run_sync(_run_on_thread_loop, lambda: parent(**kwargs), limiter=self._limiter)

    async def get_context(self, request: Any, response: Any = None) -> Context:  # type: ignore[override]
        return Context(state=self.state, request=request, principal=request.scope.get("state", {}).get(PRINCIPAL_KEY))

    @property
    def graphql_ide_html(self) -> str:
        # GraphiQL from files the package ships (graph_itsm/web/static/vendor/), not from a CDN
        return GRAPHIQL_HTML

    async def render_graphql_ide(self, request: Any) -> Any:
        from graph_itsm.web.routes import page

        return page(self.graphql_ide_html)


def create_app(
    store: GraphStore, *, close_store_on_shutdown: bool = False, cors_origins: Sequence[str] | None = None,
    access: AccessSettings | None = None, threads: int | None = None,
) -> Starlette:
    """The ASGI app over ``store``; ``close_store_on_shutdown`` when the app owns the store. Browser frontends on
    other origins are allowed by ``cors_origins`` (default: ``GRAPH_ITSM_CORS_ORIGINS``, comma-separated, or ``*``).
    ``access`` (default: from the environment, bound to 127.0.0.1) decides who may do what (graph_itsm/access).
    ``threads`` (default :func:`execution_threads`) bounds the GraphQL operations running at once."""
    access = access if access is not None else AccessSettings.from_env()
    state = AppState(store=store, access=access)
    if cors_origins is None:
        cors_origins = [o.strip() for o in os.environ.get("GRAPH_ITSM_CORS_ORIGINS", "").split(",") if o.strip()]

    async def healthz(request: Request) -> JSONResponse:
        ok = await run_in_threadpool(store.ping)  # starlette's own pool: never queued behind GraphQL
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "database": store.backend, "reachable": ok},
            status_code=200 if ok else 503,
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if close_store_on_shutdown:
            store.close()

    graphql = _GraphQL(state, threads if threads is not None else execution_threads())
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            *impact_routes,
            *web_routes,
        ],
        lifespan=lifespan,
        middleware=([
            Middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                       allow_headers=["content-type", "authorization"])
        ] if cors_origins else []) + [Middleware(AccessGuard, store=store, settings=access)],
    )
    app.state.graph_itsm = state
    return app
