"""`me` answers what the server decided for the request (actor, roles, customer, the root fields it may call),
for every kind of principal, anonymous and role-less ones too; the web app's files and `/auth/config` are open on a
server that needs a token for everything else; `/auth/config` tells the browser how to sign in with OIDC."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.testclient import TestClient

from graph_itsm.access.oidc import OidcSettings
from graph_itsm.access.policy import POLICY
from graph_itsm.access.settings import AccessSettings
from graph_itsm.api.app import create_app
from tests.access.support import app_for, codes, post
from tests.graphql_client import GraphQLClient, grant

ME = "{ me { actor roles customer anonymous allowed } }"


def test_me_for_each_kind_of_principal(northwind_store):
    app = app_for(northwind_store)
    anon = GraphQLClient(app, anonymous=True).data(ME)["me"]
    assert anon["actor"] == "anonymous" and anon["anonymous"] is True and anon["roles"] == ["viewer"]
    assert "Query.services" in anon["allowed"] and "Query.me" in anon["allowed"]
    assert not [f for f in anon["allowed"] if f.startswith("Mutation.")]  # anonymous never writes
    assert "Query.runAnalytics" not in anon["allowed"]

    viewer = GraphQLClient(app, roles=["viewer"], name="vera").data(ME)["me"]
    assert viewer["actor"] == "vera" and viewer["anonymous"] is False and viewer["customer"] is None
    assert "Query.runAnalytics" not in viewer["allowed"] and "Mutation.issueChargeStatement" not in viewer["allowed"]

    arch = GraphQLClient(app, roles=["architect"]).data(ME)["me"]
    assert {"Query.analytics", "Query.runAnalytics", "Query.cypher"} <= set(arch["allowed"])
    finance = GraphQLClient(app, roles=["finance", "viewer"]).data(ME)["me"]
    assert finance["roles"] == ["finance", "viewer"] and "Mutation.issueChargeStatement" in finance["allowed"]

    cust = GraphQLClient(app, roles=["customer"], customer="retail-bu").data(ME)["me"]
    assert cust["customer"] == "retail-bu"
    assert {"Query.customerView", "Query.chargeStatement", "Query.me"} <= set(cust["allowed"])
    assert "Query.services" not in cust["allowed"] and "Query.customers" not in cust["allowed"]

    admin = GraphQLClient(app).data(ME)["me"]
    assert set(admin["allowed"]) == set(POLICY)


def test_what_me_allows_is_what_the_server_lets_through(northwind_store):
    app = app_for(northwind_store)
    for roles in (["viewer"], ["architect"]):
        client = GraphQLClient(app, roles=roles)
        allowed = set(client.data(ME)["me"]["allowed"])
        q = '{ analytics { name } }'
        assert (client.error_codes(q) == []) == ("Query.analytics" in allowed)


def test_me_is_readable_without_any_role_and_without_anonymous_reads(northwind_store):
    app = app_for(northwind_store, anonymous="none")
    token = grant(app, [])  # a JWT or token that carries no role the server knows
    status, body = post(app, ME, token=token)
    assert status == 200 and body["data"]["me"]["roles"] == [] and body["data"]["me"]["allowed"] == ["Query.me"]
    assert codes(post(app, "{ services { totalCount } }", token=token)[1]) == ["FORBIDDEN"]
    assert post(app, ME)[0] == 401  # no token where one is needed: refused before GraphQL


def test_the_app_and_sign_in_config_are_open_where_data_needs_a_token(northwind_store):
    app = app_for(northwind_store, anonymous="none")
    with TestClient(app, base_url="http://127.0.0.1") as http:
        assert http.get("/").status_code == 200
        assert http.get("/static/app/main.js").status_code == 200
        assert http.get("/graphql", headers={"accept": "text/html"}).status_code == 200
        assert http.get("/auth/config").json() == {"oidc": None}
        assert http.post("/graphql", json={"query": "{ services { totalCount } }"}).status_code == 401
        assert http.get("/impact.ndjson", params={"failed": "dc-east"}).status_code == 401


@pytest.fixture
def discovery():
    """A discovery document on a loopback port, as an identity provider serves it."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append(self.path)
            body = json.dumps({"issuer": base, "authorization_endpoint": base + "/authorize",
                               "token_endpoint": "http://127.0.0.1:9/token", "jwks_uri": base + "/jwks"}).encode()
            self.send_response(200 if self.path == "/.well-known/openid-configuration" else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, seen
    server.shutdown()


def test_auth_config_discovers_the_endpoints_and_the_page_may_fetch_the_token_endpoint(northwind_store, discovery, tmp_path):
    base, seen = discovery
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))]}))
    settings = AccessSettings.from_env(env={"GRAPH_ITSM_JWKS": str(jwks), "GRAPH_ITSM_JWT_ISSUER": base,
                                            "GRAPH_ITSM_JWT_AUDIENCE": "graph-itsm", "GRAPH_ITSM_OIDC_CLIENT_ID": "web"})
    app = create_app(northwind_store, access=settings)
    with TestClient(app, base_url="http://127.0.0.1") as http:
        told = http.get("/auth/config").json()["oidc"]
        assert told == {"issuer": base, "clientId": "web", "authorizationEndpoint": base + "/authorize",
                        "tokenEndpoint": "http://127.0.0.1:9/token", "scope": "openid", "token": "access_token",
                        "name": base.split("//")[1]}
        csp = http.get("/").headers["content-security-policy"]
        assert "connect-src 'self' http://127.0.0.1:9;" in csp and "script-src 'self';" in csp
        http.get("/auth/config")
    assert seen == ["/.well-known/openid-configuration"]  # read once


def test_oidc_settings_are_checked():
    with pytest.raises(ValueError, match="GRAPH_ITSM_JWKS"):
        AccessSettings.from_env(env={"GRAPH_ITSM_OIDC_CLIENT_ID": "web"})
    with pytest.raises(ValueError, match="GRAPH_ITSM_OIDC_TOKEN"):
        OidcSettings.from_env({"GRAPH_ITSM_OIDC_CLIENT_ID": "web", "GRAPH_ITSM_OIDC_TOKEN": "both"}, "https://idp")
    given = OidcSettings.from_env({"GRAPH_ITSM_OIDC_CLIENT_ID": "web", "GRAPH_ITSM_OIDC_AUTHORIZATION_ENDPOINT": "https://idp/a",
                                   "GRAPH_ITSM_OIDC_TOKEN_ENDPOINT": "https://idp/t", "GRAPH_ITSM_OIDC_NAME": "Example SSO"},
                                  "https://idp")
    assert given.public()["name"] == "Example SSO" and given.public()["tokenEndpoint"] == "https://idp/t"
