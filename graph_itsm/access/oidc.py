"""OpenID Connect sign-in for the web app: what the browser needs to run the authorization code flow with PKCE
itself (a public client: no secret anywhere), told by ``GET /auth/config``. The API then verifies the JWT the
browser sends as it verifies any (``GRAPH_ITSM_JWKS``, issuer, audience: :mod:`graph_itsm.access.jwt`).

Settings: ``GRAPH_ITSM_OIDC_CLIENT_ID`` turns sign-in on (with ``GRAPH_ITSM_JWKS``/``_ISSUER``/``_AUDIENCE`` set);
``GRAPH_ITSM_OIDC_AUTHORIZATION_ENDPOINT`` and ``GRAPH_ITSM_OIDC_TOKEN_ENDPOINT`` (default: the issuer's
``/.well-known/openid-configuration``, read once); ``GRAPH_ITSM_OIDC_SCOPE`` (default ``openid``);
``GRAPH_ITSM_OIDC_TOKEN``: which token of the answer the app sends, ``access_token`` (default) or ``id_token``;
``GRAPH_ITSM_OIDC_NAME``: what the button says after "Sign in with" (default: the issuer's host)."""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

__all__ = ["OidcSettings", "origin_of"]

log = logging.getLogger("graph_itsm.access")
_TOKENS = ("access_token", "id_token")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class OidcSettings:
    issuer: str
    client_id: str
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    scope: str = "openid"
    token: str = "access_token"
    name: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str], issuer: str | None) -> "OidcSettings | None":
        client_id = env.get("GRAPH_ITSM_OIDC_CLIENT_ID", "").strip()
        if not client_id:
            return None
        if not issuer:
            raise ValueError("GRAPH_ITSM_OIDC_CLIENT_ID needs GRAPH_ITSM_JWKS, GRAPH_ITSM_JWT_ISSUER and "
                             "GRAPH_ITSM_JWT_AUDIENCE (the API verifies the tokens the sign-in gives)")
        token = env.get("GRAPH_ITSM_OIDC_TOKEN", "access_token").strip() or "access_token"
        if token not in _TOKENS:
            raise ValueError("GRAPH_ITSM_OIDC_TOKEN: 'access_token' or 'id_token'")
        return cls(issuer=issuer, client_id=client_id,
                   authorization_endpoint=env.get("GRAPH_ITSM_OIDC_AUTHORIZATION_ENDPOINT", "").strip() or None,
                   token_endpoint=env.get("GRAPH_ITSM_OIDC_TOKEN_ENDPOINT", "").strip() or None,
                   scope=env.get("GRAPH_ITSM_OIDC_SCOPE", "openid").strip() or "openid", token=token,
                   name=env.get("GRAPH_ITSM_OIDC_NAME", "").strip() or None)

    def resolve(self) -> bool:
        """Fill the endpoints not given from the issuer's discovery document (once); whether both are known."""
        with self._lock:
            if self.authorization_endpoint and self.token_endpoint:
                return True
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            try:
                with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - the configured issuer
                    found = json.loads(r.read())
            except (OSError, ValueError) as e:
                log.warning("OIDC discovery at %s failed: %s", url, e)
                return False
            self.authorization_endpoint = self.authorization_endpoint or found.get("authorization_endpoint")
            self.token_endpoint = self.token_endpoint or found.get("token_endpoint")
            return bool(self.authorization_endpoint and self.token_endpoint)

    def public(self) -> dict[str, Any] | None:
        """What the browser is told (nothing secret: there is no secret); None while the endpoints are unknown."""
        if not self.resolve():
            return None
        return {"issuer": self.issuer, "clientId": self.client_id, "authorizationEndpoint": self.authorization_endpoint,
                "tokenEndpoint": self.token_endpoint, "scope": self.scope, "token": self.token,
                "name": self.name or urlsplit(self.issuer).netloc or self.issuer}
