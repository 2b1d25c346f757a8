"""Errors reach clients with the right ``extensions.code``, including those raised before any resolver runs."""

from __future__ import annotations

from tests.graphql_client import GraphQLClient

PAGE = "query($filter: ServiceFilter, $first: Int) { services(filter: $filter, first: $first) { totalCount } }"


def test_an_enum_value_that_does_not_exist_is_bad_input(client: GraphQLClient) -> None:
    body = client.execute(PAGE, filter={"stage": "LIVE"})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_INPUT"]
    assert "LIVE" in body["errors"][0]["message"]


def test_a_variable_of_the_wrong_type_is_bad_input(client: GraphQLClient) -> None:
    assert client.error_codes(PAGE, first="ten") == ["BAD_INPUT"]


def test_a_missing_required_argument_is_bad_input(client: GraphQLClient) -> None:
    assert client.error_codes("{ service { id } }") == ["BAD_INPUT"]
