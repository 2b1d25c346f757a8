"""Access settings from the environment: anonymous reads, public host names, the body limit, the OIDC JWKS."""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass, field

from graph_itsm.access.jwt import JwtSettings
from graph_itsm.access.oidc import OidcSettings
from graph_itsm.access.roles import Principal

__all__ = ["AccessSettings", "is_loopback"]

DEFAULT_MAX_BODY = 1_048_576  # bytes of a request body (GRAPH_ITSM_MAX_BODY_BYTES)
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _wildcard(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


@dataclass
class AccessSettings:
    """``bind_host`` is the address the server listens on (``serve --host``): anonymous reads only on loopback.

    - ``GRAPH_ITSM_ANONYMOUS``: ``read`` (default; anonymous requests read as ``viewer`` on a loopback bind) or
      ``none`` (every request needs a token).
    - ``GRAPH_ITSM_PUBLIC_NAMES``: comma-separated host names (``Host`` header, port ignored) the server answers
      besides its bind address (and the loopback names on a loopback or wildcard bind); ``*`` answers any name.
    - ``GRAPH_ITSM_MAX_BODY_BYTES``: larger request bodies are refused with 413 (default 1 MiB).
    - ``GRAPH_ITSM_JWKS``, ``GRAPH_ITSM_JWT_ISSUER``, ``GRAPH_ITSM_JWT_AUDIENCE``, ``GRAPH_ITSM_JWT_ROLES_CLAIM``
      (default ``roles``), ``GRAPH_ITSM_JWT_CUSTOMER_CLAIM``: OIDC bearer JWTs (all three first ones needed).
    - ``GRAPH_ITSM_OIDC_CLIENT_ID`` and the other ``GRAPH_ITSM_OIDC_*``: sign-in in the web app (:mod:`.oidc`).
    """

    bind_host: str = "127.0.0.1"
    anonymous: str = "read"
    public_names: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY
    jwt: JwtSettings | None = None
    oidc: OidcSettings | None = None  # the web app's sign-in (GRAPH_ITSM_OIDC_CLIENT_ID)
    # Tokens known to this process only (sha256 -> principal): the test suite's clients use these.
    static_tokens: dict[str, Principal] = field(default_factory=dict)

    @classmethod
    def from_env(cls, bind_host: str = "127.0.0.1", env: dict[str, str] | None = None) -> "AccessSettings":
        env = dict(os.environ if env is None else env)
        anonymous = env.get("GRAPH_ITSM_ANONYMOUS", "read").strip().lower() or "read"
        if anonymous not in ("read", "none"):
            raise ValueError("GRAPH_ITSM_ANONYMOUS: 'read' or 'none'")
        jwks = env.get("GRAPH_ITSM_JWKS", "").strip()
        jwt = None
        if jwks:
            issuer, audience = env.get("GRAPH_ITSM_JWT_ISSUER", "").strip(), env.get("GRAPH_ITSM_JWT_AUDIENCE", "").strip()
            if not issuer or not audience:
                raise ValueError("GRAPH_ITSM_JWKS needs GRAPH_ITSM_JWT_ISSUER and GRAPH_ITSM_JWT_AUDIENCE")
            jwt = JwtSettings(jwks, issuer, audience, env.get("GRAPH_ITSM_JWT_ROLES_CLAIM", "roles").strip() or "roles",
                              env.get("GRAPH_ITSM_JWT_CUSTOMER_CLAIM", "").strip() or None)
        names = tuple(n.strip().lower() for n in env.get("GRAPH_ITSM_PUBLIC_NAMES", "").split(",") if n.strip())
        oidc = OidcSettings.from_env(env, jwt.issuer if jwt else None)
        return cls(bind_host=bind_host, anonymous=anonymous, public_names=names,
                   max_body_bytes=int(env.get("GRAPH_ITSM_MAX_BODY_BYTES", DEFAULT_MAX_BODY)), jwt=jwt, oidc=oidc)

    @property
    def anonymous_reads(self) -> bool:
        return self.anonymous != "none" and is_loopback(self.bind_host)

    def allowed_hosts(self) -> frozenset[str] | None:
        """Host names the server answers (None: any)."""
        if "*" in self.public_names:
            return None
        names = {n.strip("[]") for n in self.public_names}
        if not _wildcard(self.bind_host):
            names.add(self.bind_host.strip("[]").lower())
        if is_loopback(self.bind_host) or _wildcard(self.bind_host):
            names.update(_LOOPBACK_NAMES)
        if _wildcard(self.bind_host):
            names.add(socket.gethostname().lower())
        return frozenset(names)
