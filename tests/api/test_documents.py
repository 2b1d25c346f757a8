"""The walks of a document are remembered per document (graph_itsm/api/documents.py), the decisions are not:
one query text is judged afresh for each principal and each request's variables."""

from __future__ import annotations

from tests.access.support import app_for, codes, post
from tests.graphql_client import grant

CUSTOMER = "query($c: ID!) { customer(id: $c) { id name } }"
DEPENDENCIES = '{ service(id: "web-shop") { id dependencies { service { id } } } }'
PAGED = "query($n: Int) { services(first: $n) { edges { node { id dependencies { share service { id } } } } } }"
SEARCH = "query($s: String) { services(filter: {search: $s}, first: 5) { totalCount } }"


def test_one_document_is_judged_for_each_customer_binding_and_variable(northwind_store):
    app = app_for(northwind_store)
    own = grant(app, ["customer"], customer="retail-bu")
    assert codes(post(app, CUSTOMER, token=own, variables={"c": "retail-bu"})[1]) == []
    assert codes(post(app, CUSTOMER, token=own, variables={"c": "hr-bu"})[1]) == ["FORBIDDEN"]
    assert codes(post(app, CUSTOMER, token=own, variables={"c": "retail-bu"})[1]) == []


def test_one_document_is_judged_for_each_principal(northwind_store):
    app = app_for(northwind_store)
    viewer, customer = grant(app, ["viewer"]), grant(app, ["customer"], customer="retail-bu")
    assert codes(post(app, DEPENDENCIES, token=viewer)[1]) == []
    assert codes(post(app, DEPENDENCIES, token=customer)[1]) == ["FORBIDDEN"]  # dependencies are not theirs to see
    assert codes(post(app, DEPENDENCIES, token=viewer)[1]) == []


def test_the_cost_of_a_page_size_given_as_a_variable_follows_the_variable(northwind_store):
    app = app_for(northwind_store)
    assert codes(post(app, PAGED, variables={"n": 5})[1]) == []
    assert codes(post(app, PAGED, variables={"n": 500})[1]) == ["TOO_COMPLEX"]
    assert codes(post(app, PAGED, variables={"n": 5})[1]) == []


def test_the_values_of_each_request_are_checked(northwind_store):
    app = app_for(northwind_store)
    assert codes(post(app, SEARCH, variables={"s": "shop"})[1]) == []
    status, body = post(app, SEARCH, variables={"s": "sh\x00op"})
    assert codes(body) == ["BAD_INPUT"] and body["errors"][0]["extensions"]["field"] == "filter.search"
    assert codes(post(app, SEARCH, variables={"s": "shop"})[1]) == []
