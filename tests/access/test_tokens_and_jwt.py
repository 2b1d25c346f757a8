"""Authentication: API tokens (stored as hashes, made, listed and revoked by the command line) and OIDC JWTs
verified against a JWKS file the test makes; the audit actor is the token's name or the JWT subject."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from graph_itsm.access import tokens
from graph_itsm.access.jwt import JwtSettings
from graph_itsm.errors import BadInput, RuleViolation
from graph_itsm.store import Query
from tests.access.support import app_for, codes, post

_RENAME = 'mutation { updateService(id: "web-shop", input: {name: "Shop"}) { id } }'
_HISTORY = '{ service(id: "web-shop") { history { actor action } } }'


@pytest.fixture
def fresh_tokens(store):
    for t in tokens.list_tokens(store):
        tokens.revoke_token(store, t.name)
    yield store
    for t in tokens.list_tokens(store):
        tokens.revoke_token(store, t.name)


def test_token_is_stored_only_as_its_hash_and_acts_under_its_name(northwind_store, fresh_tokens):
    token = tokens.create_token(northwind_store, "ci-bot", "portfolio")
    stored = json.dumps(northwind_store.read(Query(name="test/tokens", text="MATCH (t:ApiToken) RETURN properties(t) AS p",
                                                   returns="many", params={})))
    assert token not in stored and tokens.token_hash(token) in stored
    if northwind_store.backend == "falkordb":  # ad-hoc Cypher runs on a copy that holds no tokens
        assert northwind_store.read_only("MATCH (t:ApiToken) RETURN t.hash AS h", {}, timeout_ms=5000,
                                         max_rows=10).rows == []
    app = app_for(northwind_store)
    status, body = post(app, _RENAME, token=token)
    assert status == 200 and not body.get("errors"), body
    history = post(app, _HISTORY)[1]["data"]["service"]["history"]
    assert history[0] == {"actor": "ci-bot", "action": "updateService"}
    listed = tokens.list_tokens(northwind_store)
    assert [(t.name, t.roles) for t in listed] == [("ci-bot", ["portfolio"])] and listed[0].last_used


def test_revoked_token_is_refused(northwind_store, fresh_tokens):
    token = tokens.create_token(northwind_store, "temp", "viewer")
    app = app_for(northwind_store, anonymous="none")
    assert post(app, "{ services { totalCount } }", token=token)[0] == 200
    tokens.revoke_token(northwind_store, "temp")
    status, body = post(app, "{ services { totalCount } }", token=token)
    assert status == 401 and codes(body) == ["UNAUTHENTICATED"]


def test_token_names_roles_and_customer_binding_are_checked(northwind_store, fresh_tokens):
    tokens.create_token(northwind_store, "one", "viewer")
    with pytest.raises(RuleViolation):
        tokens.create_token(northwind_store, "one", "admin")
    with pytest.raises(BadInput) as e:
        tokens.create_token(northwind_store, "two", "root")
    assert e.value.extensions["field"] == "role"
    with pytest.raises(BadInput):
        tokens.create_token(northwind_store, "three", "customer")  # no --customer
    token = tokens.create_token(northwind_store, "portal", "customer", customer="retail-bu")
    app = app_for(northwind_store)
    own = post(app, '{ customerView(id: "retail-bu", period: "2026-01") { customer { id } } }', token=token)[1]
    assert own["data"]["customerView"]["customer"]["id"] == "retail-bu"
    other = post(app, '{ customerView(id: "online-bu", period: "2026-01") { customer { id } } }', token=token)[1]
    assert codes(other) == ["FORBIDDEN"]
    leak = post(app, '{ customerView(id: "retail-bu", period: "2026-01") { services { service { dependencies '
                     '{ service { id } } } } } }', token=token)[1]
    assert codes(leak) == ["FORBIDDEN"]  # a customer sees its services, not what they run on


def test_token_command_line(tmp_path, monkeypatch, capsys):
    from graph_itsm.cli import main

    monkeypatch.setenv("GRAPH_ITSM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GRAPH_ITSM_DB", raising=False)
    assert main(["token", "create", "--name", "ops", "--role", "portfolio,finance"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(tokens.PREFIX) and out.count("\n") == 1  # the token alone on stdout
    assert main(["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ops" in listing and "finance,portfolio" in listing and out.strip() not in listing
    assert main(["token", "revoke", "ops"]) == 0
    assert main(["token", "revoke", "ops"]) == 1
    assert "no token named" in capsys.readouterr().err
    assert (tmp_path / "data").stat().st_mode & 0o077 == 0  # the data directory is the owner's only


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")
    path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key, other, str(path)


def _jwt(key, **claims):
    base = {"iss": "https://idp.example", "aud": "graph-itsm", "sub": "alice@example.org",
            "exp": int(time.time()) + 300, "roles": ["portfolio"]}
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, key, algorithm="RS256", headers={"kid": "k1"})


def test_oidc_jwt_roles_subject_and_refusals(northwind_store, keys):
    key, other, jwks = keys
    settings = JwtSettings(jwks=jwks, issuer="https://idp.example", audience="graph-itsm",
                           customer_claim="customer_id")
    app = app_for(northwind_store, jwt=settings, anonymous="none")
    status, body = post(app, _RENAME, token=_jwt(key))
    assert status == 200 and not body.get("errors"), body
    viewer = _jwt(key, roles=["viewer"])
    assert post(app, _HISTORY, token=viewer)[1]["data"]["service"]["history"][0]["actor"] == "alice@example.org"
    assert codes(post(app, _RENAME, token=viewer)[1]) == ["FORBIDDEN"]
    for bad in (_jwt(key, aud="someone-else"), _jwt(key, iss="https://evil.example"),
                _jwt(key, exp=int(time.time()) - 3600), _jwt(other), _jwt(key, sub=None)):
        status, body = post(app, _HISTORY, token=bad)
        assert status == 401 and codes(body) == ["UNAUTHENTICATED"], body
    portal = _jwt(key, roles=["customer"], customer_id="retail-bu")
    assert codes(post(app, '{ chargeStatement(customerId: "retail-bu", period: "2026-01") { total } }',
                      token=portal)[1]) == []
    assert codes(post(app, '{ chargeStatement(customerId: "online-bu", period: "2026-01") { total } }',
                      token=portal)[1]) == ["FORBIDDEN"]
