"""The named-query library: headers must agree with the text, and every shipped query loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_itsm.store.queries import QueryFileError, QueryLibrary, parse_query


def test_every_shipped_query_loads_with_a_consistent_header() -> None:
    lib = QueryLibrary()
    assert "portfolio/get_services" in lib
    for name in lib.names():
        assert lib[name].returns in {"one", "many", "scalar", "write"}


def test_param_used_but_not_declared_fails_at_load() -> None:
    with pytest.raises(QueryFileError, match=r"used but not declared: \['id'\]"):
        parse_query("// name: x\n// returns: one\nMATCH (s {id: $id}) RETURN s", name="x")


def test_param_declared_but_not_used_fails_at_load() -> None:
    with pytest.raises(QueryFileError, match=r"declared but not used: \['ghost'\]"):
        parse_query("// name: x\n// returns: one\n// param ghost: string\nRETURN 1", name="x")


def test_dollar_inside_a_string_is_not_a_param() -> None:
    q = parse_query("// name: x\n// returns: scalar\nRETURN 'costs $5' AS s", name="x")
    assert q.params == {}


def test_a_broken_file_fails_the_whole_library(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "ok.cypher").write_text("// name: d/ok\n// returns: scalar\nRETURN 1 AS one\n")
    (tmp_path / "d" / "bad.cypher").write_text("// name: d/bad\n// returns: sometimes\nRETURN 1\n")
    with pytest.raises(QueryFileError, match="bad.cypher"):
        QueryLibrary(tmp_path)


def test_header_name_must_match_file_name(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.cypher").write_text("// name: d/b\n// returns: scalar\nRETURN 1 AS one\n")
    with pytest.raises(QueryFileError, match="names 'd/b'"):
        QueryLibrary(tmp_path)


def _dummy(declared_type: str):
    t = declared_type.split()[0].rstrip("?").lower() if declared_type else ""
    if t.startswith("list"):
        return []
    if t.startswith("map"):
        return {}
    if t in ("int", "integer"):
        return 0
    if t in ("float", "number"):
        return 0.0
    if t in ("bool", "boolean"):
        return False
    return ""


def test_every_shipped_query_compiles_on_the_embedded_database(falkordb) -> None:
    """FalkorDB plans each query (EXPLAIN): its dialect accepts every file, not only Neo4j's linter."""
    lib = QueryLibrary()
    failures = []
    for name in lib.names():
        query = lib[name]
        if "dialect: neo4j" in query.text:
            continue
        params = {p: _dummy(t) for p, t in query.params.items()}
        try:
            falkordb._graph.explain(query.text, params)
        except Exception as e:  # noqa: BLE001 - collect every failure
            failures.append(f"{name}: {e}")
    assert not failures, "\n".join(failures)
