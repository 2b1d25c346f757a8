"""OIDC sign-in end to end in headless chromium: the API verifies JWTs against a fake identity provider's JWKS
(served by the test: tests/web/fake_idp.py), the app offers "Sign in with ...", runs the authorization code flow
with PKCE in the browser, and then sends the JWT as its Bearer token: the server takes it for the JWT's subject
with its roles, and the page shows what those roles may use."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Page, serve_demo
from tests.web.fake_idp import AUDIENCE, CLIENT_ID, FakeIdp


@pytest.fixture(scope="module")
def idp():
    with FakeIdp(subject="olivia@example.org", roles=["finance", "viewer"]) as fake:
        yield fake


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory, idp):
    with serve_demo(tmp_path_factory, GRAPH_ITSM_JWKS=idp.base + "/jwks", GRAPH_ITSM_JWT_ISSUER=idp.base,
                    GRAPH_ITSM_JWT_AUDIENCE=AUDIENCE, GRAPH_ITSM_OIDC_CLIENT_ID=CLIENT_ID) as (base, _env):
        yield base


def test_sign_in_with_the_identity_provider_then_the_jwt_is_the_bearer(browser, oidc_server, idp) -> None:
    tab = Page(browser, oidc_server)
    try:
        tab.open("/#/finance")
        # anonymous (a loopback server): reads as a viewer, no write controls
        statements = tab.page.locator("section[aria-label^='Statements']")
        assert statements.get_by_role("button", name=re.compile("^Issue")).count() == 0
        sent: list[str | None] = []
        tab.page.on("request", lambda r: sent.append(r.headers.get("authorization")) if r.url.endswith("/graphql") else None)
        tab.page.get_by_role("button", name=f"Sign in with 127.0.0.1:{idp.port}").click()
        try:
            tab.page.wait_for_selector("text=Signed in as olivia@example.org (finance, viewer)", timeout=15000)
        except Exception:
            raise AssertionError((tab.page.url, tab.errors, idp.authorize_requests, idp.token_requests,
                                  tab.page.locator("main").inner_text()[:500], tab.page.locator("#signin").inner_text()))
        tab.settle()
        # the browser went to the identity provider with a PKCE challenge and came back to the page it left
        (asked,) = idp.authorize_requests
        assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
        assert asked["redirect_uri"] == oidc_server + "/" and asked["client_id"] == CLIENT_ID and asked["state"]
        (exchanged,) = idp.token_requests
        assert set(exchanged) == {"grant_type", "code", "redirect_uri", "client_id", "code_verifier"}  # no secret
        assert tab.page.url == oidc_server + "/#/finance"
        # every GraphQL request after it carries the JWT the identity provider signed
        (jwt,) = idp.issued
        assert sent and sent[-1] == f"Bearer {jwt}"
        assert tab.page.evaluate("sessionStorage.getItem('graph-itsm-token')") == jwt
        # the finance role from the JWT's claim: statements can be issued from the page
        assert statements.get_by_role("button", name=re.compile("^Issue the statement of")).count() > 0
        assert tab.errors == [] and tab.page.locator(".error").count() == 0
        tab.shot("oidc-signed-in")
        assert tab.axe() == []
    finally:
        tab.context.close()


def test_an_answer_this_tab_did_not_ask_for_is_refused_in_words(browser, oidc_server, idp) -> None:
    tab = Page(browser, oidc_server)
    try:
        tab.open("/?code=stolen&state=forged#/portfolio")
        box = tab.page.locator(".error").first
        assert "Sign-in failed." in box.inner_text() and "sign in again" in box.inner_text()
        assert tab.page.evaluate("sessionStorage.getItem('graph-itsm-token')") is None
        assert "code=" not in tab.page.url  # the answer does not stay in the address bar
        assert all(r.get("code") != "stolen" for r in idp.token_requests)
    finally:
        tab.context.close()
