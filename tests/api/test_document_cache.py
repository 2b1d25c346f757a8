"""Parsing and validation are remembered per query text: the second request of a text parses and validates
nothing, and the limits (depth, aliases, tokens) still refuse what they refused."""

from __future__ import annotations

from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from graph_itsm.api.schema import CACHED_DOCUMENTS, MAX_ALIASES, MAX_DEPTH


def test_the_second_request_of_a_query_hits_both_caches(northwind_client) -> None:
    parse, validate = _get_parse_cache(CACHED_DOCUMENTS), _get_validate_cache(CACHED_DOCUMENTS)
    query = 'query ($id: ID!) { service(id: $id) { id name dependencies { service { id } } } } # document-cache'
    first = northwind_client.data(query, id="web-shop")
    parsed, validated = parse.cache_info(), validate.cache_info()
    second = northwind_client.data(query, id="payments")
    assert first["service"]["id"] == "web-shop" and second["service"]["id"] == "payments"
    assert parse.cache_info().hits == parsed.hits + 1 and parse.cache_info().misses == parsed.misses
    assert validate.cache_info().hits == validated.hits + 1 and validate.cache_info().misses == validated.misses


def test_limits_still_refuse_when_cached(northwind_client) -> None:
    deep = '{ service(id: "web-shop") ' + "{ dependencies { service " * MAX_DEPTH + "{ id }" + " } }" * MAX_DEPTH + " }"
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1)) + " }"
    for query in (deep, aliases):
        for _ in range(2):  # the second answer comes from the caches
            body = northwind_client.execute(query)
            assert body.get("errors"), body
    assert northwind_client.data("{ a: __typename }") == {"a": "Query"}
