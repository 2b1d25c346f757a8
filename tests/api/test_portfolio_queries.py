"""The GraphQL skeleton on the northwind example: services, relations, paging, limits, errors, health."""

from __future__ import annotations

from graph_itsm.api.app import create_app
from graph_itsm.portfolio import document_from_data
from graph_itsm.portfolio.importer import import_document
from graph_itsm.store import GraphStore
from tests.conftest import northwind_data
from tests.graphql_client import GraphQLClient

WEB_SHOP = """
query ($id: ID!) {
  service(id: $id) {
    id name kind stage owner criticality
    dependencies { share redundancyGroup demandFactor service { id name } }
    enables { id name }
    subscriptions { customer { id } units share }
  }
}
"""


def test_service_with_its_dependencies_is_what_the_file_says(northwind_client: GraphQLClient) -> None:
    data = northwind_client.data(WEB_SHOP, id="web-shop")["service"]
    source = next(s for s in northwind_data()["services"] if s["id"] == "web-shop")
    assert data["name"] == source["name"] and data["kind"] == source["kind"] and data["stage"] == source["stage"]
    got = {d["service"]["id"]: (d["share"], d["redundancyGroup"], d["demandFactor"]) for d in data["dependencies"]}
    want = {d["service"]: (d.get("share"), d.get("redundancyGroup"), d.get("demandFactor")) for d in source["dependsOn"]}
    assert got == want
    assert sorted(o["id"] for o in data["enables"]) == sorted(source["enables"])


def test_unknown_service_is_null(northwind_client: GraphQLClient) -> None:
    assert northwind_client.data(WEB_SHOP, id="no-such-service")["service"] is None


def test_paging_visits_every_service_once(northwind_client: GraphQLClient) -> None:
    query = """query ($after: String) { services(first: 5, after: $after) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = northwind_client.data(query, after=after)["services"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(s["id"] for s in northwind_data()["services"])
    assert page["totalCount"] == len(seen)


def test_filters_combine(northwind_client: GraphQLClient) -> None:
    query = """query ($f: ServiceFilter) { services(filter: $f, first: 100) { edges { node { id } } } }"""
    ids = lambda f: [e["node"]["id"] for e in northwind_client.data(query, f=f)["services"]["edges"]]  # noqa: E731
    assert ids({"kind": "CUSTOMER_FACING", "stage": "CATALOGUE", "owner": "ecommerce"}) == ["web-shop"]
    assert ids({"search": "SIGN-ON"}) == ["identity"]
    assert ids({"provider": "THIRD_PARTY"}) == sorted(
        s["id"] for s in northwind_data()["services"] if s.get("provider") == "THIRD_PARTY"
    )


def test_bad_cursor_is_bad_input_and_oversized_page_too_complex(northwind_client: GraphQLClient) -> None:
    assert northwind_client.error_codes("{ services(after: \"nonsense\") { totalCount } }") == ["BAD_INPUT"]
    assert northwind_client.error_codes("{ services(first: 100000) { totalCount } }") == ["TOO_COMPLEX"]


def test_unknown_field_is_bad_input_and_deep_query_too_complex(northwind_client: GraphQLClient) -> None:
    assert northwind_client.error_codes("{ service(id: \"x\") { colour } }") == ["BAD_INPUT"]
    deep = "{ service(id: \"web-shop\") { " + "dependencies { service { " * 8 + "id" + " } }" * 8 + " } }"
    assert northwind_client.error_codes(deep) == ["TOO_COMPLEX"]


def test_round_trips_do_not_grow_with_the_number_of_services(store: GraphStore) -> None:
    services = [
        {"id": f"svc-{i:03d}", "name": f"S{i}", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "ops",
         "criticality": 3, "enables": ["o1"],
         "dependsOn": [{"service": f"svc-{(i + 1) % 100:03d}", "share": 0.25},
                       {"service": f"svc-{(i + 7) % 100:03d}", "share": 0.25}]}
        for i in range(100)
    ]
    import_document(store, document_from_data(
        {"currency": "EUR", "outcomes": [{"id": "o1", "name": "O"}], "services": services}))
    client = GraphQLClient(create_app(store))
    client.data("{ services(first: 1) { totalCount } }")  # the first list of a version reads the service index
    store.round_trips = 0
    query = """{ services(first: 100) { edges { node { id
        dependencies { share service { id name } } enables { id } } } } }"""
    edges = client.data(query)["services"]["edges"]
    assert len(edges) == 100 and all(len(e["node"]["dependencies"]) == 2 for e in edges)
    # version check + page, then one batch each for dependencies, their services and outcomes
    assert store.round_trips <= 6, store.round_trips


def test_internal_errors_are_masked(northwind_store: GraphStore, monkeypatch) -> None:
    from graph_itsm.portfolio import service as portfolio_service

    def boom(*args, **kwargs):
        raise RuntimeError("secret driver detail")

    monkeypatch.setattr(portfolio_service, "list_services", boom)
    body = GraphQLClient(create_app(northwind_store)).execute("{ services { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert "secret" not in json_text(body)


def json_text(body: dict) -> str:
    import json

    return json.dumps(body)


def test_healthz_reports_the_database(northwind_store: GraphStore) -> None:
    client = GraphQLClient(create_app(northwind_store))
    response = client.http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["reachable"] is True


def test_graphiql_is_served_to_browsers(northwind_store: GraphStore) -> None:
    client = GraphQLClient(create_app(northwind_store))
    response = client.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


def test_errors_raised_on_purpose_stay_out_of_the_error_log(northwind_client: GraphQLClient, caplog) -> None:
    import logging

    with caplog.at_level(logging.ERROR):
        assert northwind_client.error_codes("{ services(after: \"nonsense\") { totalCount } }") == ["BAD_INPUT"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_unexpected_errors_are_logged_with_their_cause(northwind_store: GraphStore, monkeypatch, caplog) -> None:
    import logging

    from graph_itsm.portfolio import service as portfolio_service

    def boom(*args, **kwargs):
        raise RuntimeError("secret driver detail")

    monkeypatch.setattr(portfolio_service, "list_services", boom)
    with caplog.at_level(logging.ERROR):
        GraphQLClient(create_app(northwind_store)).execute("{ services { totalCount } }")
    assert any(r.exc_info and "secret driver detail" in str(r.exc_info[1]) for r in caplog.records)


def test_browser_frontends_on_allowed_origins_may_call_the_api(northwind_store: GraphStore) -> None:
    client = GraphQLClient(create_app(northwind_store, cors_origins=["https://portfolio.example.org"]))
    preflight = client.http.options(
        "/graphql",
        headers={"Origin": "https://portfolio.example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://portfolio.example.org"
    other = client.http.post("/graphql", json={"query": "{ services { totalCount } }"},
                             headers={"Origin": "https://elsewhere.example.com"})
    assert "access-control-allow-origin" not in other.headers
