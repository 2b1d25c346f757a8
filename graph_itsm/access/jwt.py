"""OpenID Connect bearer JWTs, verified with PyJWT against a JWKS (a file path or an https URL): signature,
issuer, audience and expiry; roles from a configurable claim, a customer binding from another."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt as pyjwt

from graph_itsm.access.roles import Principal, Role
from graph_itsm.errors import Unauthenticated

__all__ = ["JwtSettings", "JwtVerifier", "looks_like_jwt"]

_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"]


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


@dataclass(frozen=True)
class JwtSettings:
    jwks: str  # GRAPH_ITSM_JWKS: a JWKS file path or URL
    issuer: str  # GRAPH_ITSM_JWT_ISSUER
    audience: str  # GRAPH_ITSM_JWT_AUDIENCE
    roles_claim: str = "roles"  # GRAPH_ITSM_JWT_ROLES_CLAIM
    customer_claim: str | None = None  # GRAPH_ITSM_JWT_CUSTOMER_CLAIM


class JwtVerifier:
    def __init__(self, settings: JwtSettings) -> None:
        self.settings = settings
        if settings.jwks.startswith(("https://", "http://")):
            self._client: pyjwt.PyJWKClient | None = pyjwt.PyJWKClient(settings.jwks, cache_keys=True, lifespan=300)
            self._keys: pyjwt.PyJWKSet | None = None
        else:
            self._client = None
            self._keys = pyjwt.PyJWKSet.from_dict(json.loads(Path(settings.jwks).read_text(encoding="utf-8")))

    def _key(self, token: str) -> Any:
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key
        kid = pyjwt.get_unverified_header(token).get("kid")
        assert self._keys is not None
        keys = [k for k in self._keys.keys if kid is None or k.key_id == kid]
        if not keys:
            raise pyjwt.InvalidTokenError("no key of the JWKS has the token's kid")
        return keys[0].key

    def principal(self, token: str) -> Principal:
        """The principal the token speaks for; UNAUTHENTICATED when it does not verify (the reason in the message)."""
        s = self.settings
        try:
            claims = pyjwt.decode(
                token, self._key(token), algorithms=_ALGORITHMS, audience=s.audience, issuer=s.issuer,
                options={"require": ["exp", "iss", "aud", "sub"]}, leeway=30,
            )
        except (pyjwt.PyJWTError, ValueError) as e:
            raise Unauthenticated(f"the bearer JWT was refused: {e}") from e
        raw = claims.get(s.roles_claim) or []
        if isinstance(raw, str):
            raw = raw.replace(",", " ").split()
        known = {r.value for r in Role}
        roles = frozenset(Role(r) for r in raw if isinstance(r, str) and r in known)
        customer = claims.get(s.customer_claim) if s.customer_claim else None
        if Role.CUSTOMER in roles and not isinstance(customer, str):
            roles = roles - {Role.CUSTOMER}  # a customer role without a binding sees nothing
        return Principal(name=str(claims["sub"]), roles=roles, customer=customer if isinstance(customer, str) else None)
