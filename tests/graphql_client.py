"""A small client for the API in tests: ``execute(app, query, **variables)`` over real HTTP semantics."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient


class GraphQLClient:
    def __init__(self, app: Any) -> None:
        self.http = TestClient(app)

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
