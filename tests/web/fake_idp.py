"""A tiny OpenID Connect identity provider for the sign-in test, served by the test itself (Starlette on a loopback
port): discovery, a JWKS of a key the test made, /authorize that approves at once and sends the browser back with a
code, and /token that exchanges it for a signed JWT only when the PKCE verifier matches the challenge. It records
every authorize and token request so the test can check what the browser sent (and that no secret was)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "graph-itsm-web"
AUDIENCE = "graph-itsm"


class FakeIdp:
    def __init__(self, *, subject: str, roles: list[str]) -> None:
        self.subject, self.roles = subject, roles
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid="test-key", use="sig", alg="RS256")
        self.jwks = {"keys": [jwk]}
        self.codes: dict[str, dict[str, str]] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.issued: list[str] = []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        app = Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery), Route("/jwks", self.keys),
            Route("/authorize", self.authorize), Route("/token", self.token, methods=["POST", "OPTIONS"]),
        ])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "FakeIdp":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the fake identity provider did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    async def discovery(self, request: Request) -> Response:
        return JSONResponse({"issuer": self.base, "authorization_endpoint": self.base + "/authorize",
                             "token_endpoint": self.base + "/token", "jwks_uri": self.base + "/jwks",
                             "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"]})

    async def keys(self, request: Request) -> Response:
        return JSONResponse(self.jwks)

    async def authorize(self, request: Request) -> Response:
        q = dict(request.query_params)
        self.authorize_requests.append(q)
        if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code" or q.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"challenge": q["code_challenge"], "redirect_uri": q["redirect_uri"]}
        return RedirectResponse(q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", "")}),
                                status_code=302)

    async def token(self, request: Request) -> Response:
        cors = {"Access-Control-Allow-Origin": request.headers.get("origin", "*"),
                "Access-Control-Allow-Headers": "content-type, accept", "Access-Control-Allow-Methods": "POST"}
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=cors)
        form = dict(parse_qsl((await request.body()).decode()))  # (no python-multipart needed)
        self.token_requests.append(form)
        grant = self.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (grant is None or form.get("grant_type") != "authorization_code" or form.get("client_id") != CLIENT_ID
                or form.get("redirect_uri") != grant["redirect_uri"] or challenge != grant["challenge"]):
            return JSONResponse({"error": "invalid_grant", "error_description": "code or verifier refused"},
                                status_code=400, headers=cors)
        now = int(time.time())
        access = jwt.encode({"iss": self.base, "aud": AUDIENCE, "sub": self.subject, "iat": now, "exp": now + 300,
                             "roles": self.roles}, self.key, algorithm="RS256", headers={"kid": "test-key"})
        self.issued.append(access)
        return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": 300}, headers=cors)
