"""The analytics over GraphQL: listing, running, ad-hoc read-only Cypher, limits and error codes."""

from __future__ import annotations

import pytest

from graph_itsm.analytics import runner
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore

LIST = """
query { analytics { name description columns params { name type required default description computedFrom } } }
"""
RUN = """
query ($name: String!, $params: JSON) { runAnalytics(name: $name, params: $params) { columns rows truncated } }
"""
CYPHER = """
query ($text: String!, $params: JSON) { cypher(query: $text, params: $params) { columns rows truncated } }
"""

# Each way of writing through the ad-hoc endpoint; the write procedure is each backend's own.
WRITES = {
    "create": "CREATE (:Service {id: 'intruder', name: 'Intruder'})",
    "merge": "MERGE (s:Service {id: 'intruder'}) RETURN s.id AS id",
    "set": "MATCH (s:Service {id: 'web-shop'}) SET s.name = 'Hacked' RETURN s.name AS name",
    "delete": "MATCH (s:Service {id: 'web-shop'}) DETACH DELETE s",
    "remove": "MATCH (s:Service {id: 'web-shop'}) REMOVE s.owner RETURN s.id AS id",
    "create index": "CREATE INDEX FOR (c:Customer) ON (c.name)",
    "write procedure": None,
}
WRITE_PROCEDURES = {
    "falkordb": "CALL db.idx.fulltext.createNodeIndex('Service', 'name')",
    "neo4j": "CALL db.createLabel('Intruder')",
}


def write_statement(kind: str, backend: str) -> str:
    return WRITES[kind] or WRITE_PROCEDURES[backend]


def _errors(client, document: str, **variables) -> list[dict]:
    body = client.execute(document, **variables)
    assert body.get("errors"), body
    return body["errors"]


def test_analytics_lists_each_query_with_params_and_columns(northwind_client) -> None:
    found = {a["name"]: a for a in northwind_client.data(LIST)["analytics"]}
    assert len(found) >= 12
    spots = found["rank_cost_hot_spots"]
    assert spots["columns"] == ["category", "categoryTotal", "service", "amount", "share"]
    assert spots["params"] == [
        {"name": "period", "type": "string?", "required": False, "default": None,
         "description": "the month, YYYY-MM; null takes the latest month with cost items", "computedFrom": None},
        {"name": "top", "type": "int 1..1000", "required": False, "default": 3,
         "description": "how many services to list per category", "computedFrom": None},
    ]
    radius = {p["name"]: p for p in found["rank_blast_radius"]["params"]}
    assert radius["radius"]["computedFrom"] == "blast_radius"
    assert "Single points of failure" in found["find_single_points_of_failure"]["description"]


def test_run_analytics_returns_rows_as_json_arrays(northwind_client) -> None:
    result = northwind_client.data(RUN, name="rank_supplier_concentration", params={})["runAnalytics"]
    assert result["columns"] == ["supplier", "services", "dependents", "share", "takesDown"]
    assert result["rows"][0] == ["PayCo", ["payments"], ["point-of-sale", "web-shop"], 0.4,
                                 ["point-of-sale", "web-shop"]]
    assert result["truncated"] is False
    top = northwind_client.data(RUN, name="rank_blast_radius", params={"top": 2})["runAnalytics"]
    assert [row[0] for row in top["rows"]] == ["dc-west", "dc-east"]


def test_run_analytics_refusals_carry_their_codes(northwind_client) -> None:
    (error,) = _errors(northwind_client, RUN, name="nonsense")
    assert error["extensions"]["code"] == "NOT_FOUND"
    (error,) = _errors(northwind_client, RUN, name="rank_blast_radius", params={"top": "ten"})
    assert error["extensions"]["code"] == "BAD_INPUT"
    assert error["extensions"]["field"] == "params.top" and "param top" in error["message"]
    (error,) = _errors(northwind_client, RUN, name="rank_blast_radius", params={"radius": []})
    assert error["extensions"]["code"] == "BAD_INPUT" and "param radius" in error["message"]
    (error,) = _errors(northwind_client, RUN, name="rank_blast_radius", params=[1])
    assert error["extensions"]["code"] == "BAD_INPUT"


def test_cypher_runs_a_read_with_params(northwind_client) -> None:
    result = northwind_client.data(
        CYPHER,
        text="MATCH (s:Service) WHERE s.supplier IN $suppliers RETURN s.id AS id, s.criticality AS c ORDER BY id",
        params={"suppliers": ["NetA", "PayCo"]},
    )["cypher"]
    assert result == {"columns": ["id", "c"], "rows": [["isp-uplink-a", 4], ["payments", 5]], "truncated": False}


def test_cypher_returns_nodes_and_paths_as_json(northwind_client) -> None:
    rows = northwind_client.data(
        CYPHER, text="MATCH p = (:Service {id: 'backup'})-[:DEPENDS_ON]->(s) RETURN s, p"
    )["cypher"]["rows"]
    node, path = rows[0]
    assert node["id"] == "dc-west" and node["kind"] == "SUPPORTING"
    assert [n["id"] for n in path["nodes"]] == ["backup", "dc-west"] and len(path["relationships"]) == 1


@pytest.mark.parametrize("kind", list(WRITES))
def test_cypher_refuses_every_write_and_changes_nothing(northwind_client, northwind_store: GraphStore, kind) -> None:
    before = export_document(northwind_store)
    (error,) = _errors(northwind_client, CYPHER, text=write_statement(kind, northwind_store.backend))
    assert error["extensions"]["code"] == "FORBIDDEN", error
    assert export_document(northwind_store) == before


def test_cypher_cuts_long_results_at_the_row_limit(northwind_client, monkeypatch) -> None:
    monkeypatch.setattr(runner, "CYPHER_MAX_ROWS", 5)
    result = northwind_client.data(CYPHER, text="UNWIND range(1, 8) AS x RETURN x")["cypher"]
    assert result["rows"] == [[1], [2], [3], [4], [5]] and result["truncated"] is True
    exact = northwind_client.data(CYPHER, text="UNWIND range(1, 5) AS x RETURN x")["cypher"]
    assert exact["truncated"] is False


def test_cypher_over_the_time_limit_is_too_complex(northwind_client, monkeypatch) -> None:
    monkeypatch.setattr(runner, "CYPHER_TIMEOUT_MS", 50)
    # about 60 nodes to the fifth power: far more than 50 ms on either backend (the filter keeps Neo4j from
    # answering a bare count(*) of a cartesian product from its count store without visiting a row)
    text = "MATCH (a), (b), (c), (d), (e) WHERE a.name <> e.name RETURN count(*) AS n"
    (error,) = _errors(northwind_client, CYPHER, text=text)
    assert error["extensions"]["code"] == "TOO_COMPLEX"


@pytest.mark.parametrize(
    ("query", "params"),
    [("MATCH (s:Service RETURN s", None), ("   ", None), ("RETURN $x AS x", {"not a name": 1})],
)
def test_cypher_bad_input(northwind_client, query: str, params) -> None:
    (error,) = _errors(northwind_client, CYPHER, text=query, params=params)
    assert error["extensions"]["code"] == "BAD_INPUT"
