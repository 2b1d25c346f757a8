"""Apps with chosen access settings, clients for each principal, and a request helper that keeps the status."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient

from graph_itsm.access.settings import AccessSettings
from graph_itsm.api.app import create_app
from graph_itsm.store import GraphStore


def app_for(store: GraphStore, **settings: Any) -> Any:
    return create_app(store, access=AccessSettings(**settings))


def post(app: Any, document: str, *, token: str | None = None, host: str = "127.0.0.1",
         variables: dict[str, Any] | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with TestClient(app, base_url=f"http://{host}") as http:
        # NaN and Infinity travel as the JSON literals a careless client would send
        body = json.dumps({"query": document, "variables": variables or {}}, allow_nan=True)
        r = http.post("/graphql", content=body, headers={**headers, "content-type": "application/json"})
    return r.status_code, r.json()


def codes(body: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
