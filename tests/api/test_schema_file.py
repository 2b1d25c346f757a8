"""schema.graphql is generated from the code; frontends read it, so it must never be stale."""

from __future__ import annotations

from pathlib import Path

from graph_itsm.api.export_schema import sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_graphql_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == sdl(), (
        "schema.graphql is stale: run `python -m graph_itsm.api.export_schema > schema.graphql`"
    )


def test_contract_names_are_in_the_schema() -> None:
    text = sdl()
    for name in ("service(id: ID!): Service", "input ServiceFilter", "type ServiceConnection"):
        assert name in text
