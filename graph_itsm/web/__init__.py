"""The browser app and GraphiQL, served from files inside the package (graph_itsm/web/static/): no asset comes
from another origin, so both work on a machine without internet."""

from graph_itsm.web.routes import GRAPHIQL_HTML, routes

__all__ = ["GRAPHIQL_HTML", "routes"]
