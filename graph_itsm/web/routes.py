"""Routes of the web app: ``/`` (the app), ``/static/...`` (its files and the vendored libraries), ``/auth/config``
(how to sign in: OIDC or a token) and the GraphiQL page that ``GET /graphql`` answers with. Every page carries a
Content-Security-Policy that lets the browser load and fetch from this origin only (and, with OIDC sign-in, fetch
the identity provider's token endpoint: the browser exchanges its code there itself)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from graph_itsm.access.oidc import OidcSettings, origin_of

__all__ = ["CSP", "GRAPHIQL_HTML", "routes", "csp"]

STATIC = Path(__file__).parent / "static"

# GraphiQL (emotion) and cytoscape add <style> elements at run time, hence 'unsafe-inline' for styles only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'"
)



def csp(connect: str | None = None) -> str:
    """The policy, with one more origin the page may fetch from (the OIDC token endpoint's)."""
    return CSP.replace("connect-src 'self'", f"connect-src 'self' {connect}") if connect else CSP


GRAPHIQL_HTML = (STATIC / "graphiql.html").read_text(encoding="utf-8")
_INDEX = STATIC / "index.html"


class _Static(StaticFiles):
    async def get_response(self, path: str, scope):  # type: ignore[no-untyped-def]
        response = await super().get_response(path, scope)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        # the app's own modules change with the package; revalidate (ETag) rather than cache blindly
        response.headers.setdefault("Cache-Control", "no-cache")
        return response


def page(html: str, connect: str | None = None) -> Response:
    return HTMLResponse(html, headers={"Content-Security-Policy": csp(connect), "Cache-Control": "no-cache"})


def _oidc(request: Request) -> OidcSettings | None:
    state = getattr(request.app.state, "graph_itsm", None)
    return getattr(getattr(state, "access", None), "oidc", None)


async def index(request: Request) -> Response:
    oidc = _oidc(request)
    told = await run_in_threadpool(oidc.public) if oidc else None
    return page(_INDEX.read_text(encoding="utf-8"), origin_of(told["tokenEndpoint"]) if told else None)


async def auth_config(request: Request) -> Response:
    """How the app signs in: ``{"oidc": null}`` (paste a token) or the OIDC client's public settings."""
    oidc = _oidc(request)
    told = await run_in_threadpool(oidc.public) if oidc else None
    return JSONResponse({"oidc": told}, headers={"Cache-Control": "no-store"})


routes = [
    Route("/", index, methods=["GET"]),
    Route("/auth/config", auth_config, methods=["GET"]),
    Mount("/static", app=_Static(directory=STATIC), name="static"),
]
