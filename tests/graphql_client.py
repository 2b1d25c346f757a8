"""A small client for the API in tests: ``execute(app, query, **variables)`` over real HTTP semantics.

By default the client authenticates as an ``admin`` (a bearer token known to the app's process only, so nothing
lands in the graph); ``GraphQLClient(app, roles=["finance"])``, ``roles=["customer"], customer="retail-bu"``
or ``anonymous=True`` make clients for other principals of the same app."""

from __future__ import annotations

import secrets
from typing import Any, Sequence

from starlette.testclient import TestClient

from graph_itsm.access.roles import Principal, Role
from graph_itsm.access.tokens import PREFIX, token_hash


def grant(app: Any, roles: Sequence[str], *, name: str | None = None, customer: str | None = None) -> str:
    """A bearer token for ``roles`` that ``app`` accepts (in-process only)."""
    token = PREFIX + secrets.token_urlsafe(16)
    principal = Principal(name=name or "test-" + "-".join(roles), roles=frozenset(Role(r) for r in roles),
                          customer=customer)
    app.state.graph_itsm.access.static_tokens[token_hash(token)] = principal
    return token


class GraphQLClient:
    def __init__(self, app: Any, *, roles: Sequence[str] = ("admin",), customer: str | None = None,
                 anonymous: bool = False, name: str | None = None) -> None:
        headers = {} if anonymous else {"Authorization": f"Bearer {grant(app, roles, name=name, customer=customer)}"}
        self.app = app
        self.http = TestClient(app, base_url="http://127.0.0.1", headers=headers)

    def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        """The whole response body: ``data`` and, when something failed, ``errors``."""
        response = self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code in (200, 400), response.text
        return response.json()

    def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """``data`` of a request that must succeed."""
        body = self.execute(query, **variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def error_codes(self, query: str, **variables: Any) -> list[str]:
        body = self.execute(query, **variables)
        return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
