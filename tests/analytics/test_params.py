"""Declared parameters: header parsing, checking and coercing values, and the runner's refusals."""

from __future__ import annotations

import pytest

from graph_itsm.analytics import get_analysis, run_analysis
from graph_itsm.analytics.model import Analysis, ParamSpec
from graph_itsm.errors import BadInput, NotFound
from graph_itsm.store import GraphStore
from graph_itsm.store.queries import QueryFileError, parse_query


def _spec(declared: str, default: str | None = None) -> ParamSpec:
    return ParamSpec.from_header("x", declared, default, "a param")


def _bad(spec: ParamSpec, value: object) -> str:
    with pytest.raises(BadInput) as e:
        spec.coerce(value)
    assert e.value.extensions["field"] == "params.x"
    return e.value.message


def test_header_types_ranges_and_defaults() -> None:
    top = _spec("int 1..1000", "10")
    assert (top.type, top.minimum, top.maximum, top.default, top.required) == ("int", 1, 1000, 10, False)
    assert top.declared == "int 1..1000"
    period = _spec("string?", "null")
    assert (period.nullable, period.default, period.has_default) == (True, None, True)
    assert _spec("string", "'2026-01'").default == "2026-01"
    assert _spec("list<string>", '["a", "b"]').default == ["a", "b"]
    assert _spec("float 0..", "10000").default == 10000.0
    assert _spec("bool").required
    derived = _spec("list<map>", "@projection:blast_radius")
    assert (derived.projection, derived.required) == ("blast_radius", False)


@pytest.mark.parametrize(
    ("declared", "default", "problem"),
    [
        ("integer", None, "is not one of"),
        ("int", "ten", "is not a literal"),
        ("int 1..5", "9", "at most 5"),
        ("string", "@projection:blast_radius", "a projection gives a list<map>"),
    ],
)
def test_bad_headers_are_refused(declared: str, default: str | None, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        _spec(declared, default)


def test_json_values_are_checked_against_the_type() -> None:
    assert _spec("int").coerce(3.0) == 3
    assert _spec("float").coerce(3) == 3.0 and isinstance(_spec("float").coerce(3), float)
    assert _spec("list<int>").coerce([1, 2]) == [1, 2]
    assert "expected an int, got 'ten'" in _bad(_spec("int"), "ten")
    assert "expected an int, got true" in _bad(_spec("int"), True)
    assert "expected an int, got 2.5" in _bad(_spec("int"), 2.5)
    assert "param x[1]: expected a string, got 2" in _bad(_spec("list<string>"), ["a", 2])
    assert "expected a list" in _bad(_spec("list<string>"), "a")
    assert "must not be null" in _bad(_spec("string"), None)
    assert "must be at least 1, got 0" in _bad(_spec("int 1..10"), 0)


def test_command_line_text_is_parsed_as_the_declared_type() -> None:
    assert _spec("int").parse("7") == 7
    assert _spec("string").parse("2026-01") == "2026-01"
    assert _spec("string?").parse("null") is None
    assert _spec("bool").parse("yes") is True and _spec("bool").parse("false") is False
    assert _spec("list<string>").parse("a, b") == ["a", "b"]
    assert _spec("list<int>").parse("[1, 2]") == [1, 2]
    with pytest.raises(BadInput, match="param x: expected an int, got 'seven'"):
        _spec("int").parse("seven")


def test_an_analytics_file_must_state_columns_purpose_and_many_rows() -> None:
    base = "// name: analytics/x\n// returns: many\n// description: why\n// columns: a\nRETURN 1 AS a"
    assert Analysis.from_query(parse_query(base, name="analytics/x")).name == "x"
    for broken, problem in [
        (base.replace("// columns: a\n", ""), "lists its result columns"),
        (base.replace("// description: why\n", ""), "states its purpose"),
        (base.replace("returns: many", "returns: one"), "returns many rows"),
    ]:
        with pytest.raises(QueryFileError, match=problem):
            Analysis.from_query(parse_query(broken, name="analytics/x"))


def test_bind_fills_defaults_and_refuses_what_is_not_declared() -> None:
    spots = get_analysis("rank_cost_hot_spots")
    assert spots.bind({}) == {"period": None, "top": 3}
    assert spots.bind({"top": "5"}, from_text=True) == {"period": None, "top": 5}
    with pytest.raises(BadInput, match="param colour: rank_cost_hot_spots has no such parameter"):
        spots.bind({"colour": "blue"})
    with pytest.raises(BadInput, match="param radius: computed from the topology projection"):
        get_analysis("rank_blast_radius").bind({"radius": []})


def test_runner_refusals_name_the_problem(northwind_store: GraphStore) -> None:
    with pytest.raises(NotFound, match="no analytics query named 'nonsense'"):
        run_analysis(northwind_store, "nonsense")
    with pytest.raises(BadInput, match="param top: must be at least 1, got 0") as e:
        run_analysis(northwind_store, "rank_blast_radius", {"top": 0})
    assert e.value.extensions["field"] == "params.top"
    with pytest.raises(BadInput, match="param period: expected a string, got 202601"):
        run_analysis(northwind_store, "find_budget_overruns", {"period": 202601})
    with pytest.raises(BadInput, match="params: expected an object"):
        run_analysis(northwind_store, "find_budget_overruns", ["2026-01"])  # type: ignore[arg-type]
