"""Routes of the web app: ``/`` (the app), ``/static/...`` (its files and the vendored libraries), and the GraphiQL
page that ``GET /graphql`` answers with. Every page carries a Content-Security-Policy that lets the browser load
and fetch from this origin only."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

__all__ = ["CSP", "GRAPHIQL_HTML", "routes"]

STATIC = Path(__file__).parent / "static"

# GraphiQL (emotion) and cytoscape add <style> elements at run time, hence 'unsafe-inline' for styles only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'"
)

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


def page(html: str) -> Response:
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})


async def index(request: Request) -> Response:
    return page(_INDEX.read_text(encoding="utf-8"))


routes = [
    Route("/", index, methods=["GET"]),
    Mount("/static", app=_Static(directory=STATIC), name="static"),
]
