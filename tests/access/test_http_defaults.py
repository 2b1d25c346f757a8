"""Safe defaults over HTTP: anonymous reads only on loopback, writes need a token, Host checked, no GraphQL over
GET, JSON bodies only and bounded in size (issue 10: an anonymous client could create services and issue
statements; any web page could drive the API)."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.access.support import app_for, codes, post
from tests.graphql_client import grant

_CREATE = 'mutation { createService(input: {id: "evil", name: "Evil", kind: SUPPORTING, owner: "x", criticality: 1}) { id } }'
_ISSUE = 'mutation { issueChargeStatement(customerId: "retail-bu", period: "2026-01") { total } }'
_COUNT = "{ services { totalCount } }"


def test_anonymous_reads_on_loopback_but_may_not_write(northwind_store):
    app = app_for(northwind_store)
    status, body = post(app, _COUNT)
    assert status == 200 and body["data"]["services"]["totalCount"] == 17
    for mutation in (_CREATE, _ISSUE):
        status, body = post(app, mutation)
        assert codes(body) == ["UNAUTHENTICATED"], body
    assert post(app, '{ service(id: "evil") { id } }')[1]["data"]["service"] is None
    assert post(app, '{ chargeStatement(customerId: "retail-bu", period: "2026-01") { issued } }'
                )[1]["data"]["chargeStatement"]["issued"] is False


def test_anonymous_may_not_run_cypher(northwind_store):
    status, body = post(app_for(northwind_store), '{ cypher(query: "MATCH (n) RETURN count(n) AS n") { rows } }')
    assert codes(body) == ["UNAUTHENTICATED"]


def test_no_anonymous_when_turned_off_or_bound_beyond_loopback(northwind_store):
    for app in (app_for(northwind_store, anonymous="none"), app_for(northwind_store, bind_host="0.0.0.0")):
        status, body = post(app, _COUNT)
        assert status == 401 and codes(body) == ["UNAUTHENTICATED"]
        token = grant(app, ["viewer"])
        assert post(app, _COUNT, token=token)[1]["data"]["services"]["totalCount"] == 17


def test_unknown_token_is_unauthenticated_not_anonymous(northwind_store):
    status, body = post(app_for(northwind_store), _COUNT, token="gitsm_not-a-token")
    assert status == 401 and codes(body) == ["UNAUTHENTICATED"]


def test_host_header_must_name_this_server(northwind_store):
    app = app_for(northwind_store)
    assert post(app, _COUNT, host="attacker.example")[0] == 421  # DNS rebinding
    assert post(app, _COUNT, host="localhost:8000")[0] == 200
    named = app_for(northwind_store, public_names=("itsm.example.org",))
    assert post(named, _COUNT, host="itsm.example.org")[0] == 200


def test_graphql_over_get_is_refused(northwind_store):
    app = app_for(northwind_store)
    with TestClient(app, base_url="http://127.0.0.1") as http:
        r = http.get("/graphql", params={"query": '{ cypher(query: "RETURN 1 AS x") { rows } }'})
        assert r.status_code == 405
        r = http.get("/graphql", params={"query": _CREATE})
        assert r.status_code == 405
        assert http.get("/graphql", headers={"accept": "text/html"}).status_code == 200  # GraphiQL itself


def test_only_json_posts_and_bounded_bodies(northwind_store):
    app = app_for(northwind_store, max_body_bytes=10_000)
    with TestClient(app, base_url="http://127.0.0.1") as http:
        r = http.post("/graphql", content='{"query": "{ services { totalCount } }"}', headers={"content-type": "text/plain"})
        assert r.status_code == 415  # a form or text/plain POST needs no CORS preflight: refused
        big = {"query": _COUNT, "variables": {"pad": "x" * 20_000}}
        assert http.post("/graphql", json=big).status_code == 413

        def chunks():
            for _ in range(30):
                yield b" " * 1000

        r = http.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413


def test_the_stream_needs_a_reader(northwind_store):
    app = app_for(northwind_store, anonymous="none")
    with TestClient(app, base_url="http://127.0.0.1") as http:
        assert http.get("/impact.ndjson", params={"failed": "dc-east"}).status_code == 401
        token = grant(app, ["customer"], customer="retail-bu")
        r = http.get("/impact.ndjson", params={"failed": "dc-east"}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 403
        token = grant(app, ["viewer"])
        r = http.get("/impact.ndjson", params={"failed": "dc-east"}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.text.count("\n") > 3
        assert http.get("/healthz").status_code == 200
