"""Helpers for the relationship tests: a client whose clock is fixed."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from graph_itsm.api.app import create_app
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient


class Clock:
    """A settable clock for the app (``AppState.clock``)."""

    def __init__(self, at: str) -> None:
        self.at = datetime.fromisoformat(at).astimezone(timezone.utc)

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: str) -> None:
        self.at = datetime.fromisoformat(at).astimezone(timezone.utc)


def client_at(store: GraphStore, clock: Clock) -> GraphQLClient:
    app = create_app(store)
    app.state.graph_itsm.clock = clock
    return GraphQLClient(app)


def error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors"), body
    return body["errors"][0]
