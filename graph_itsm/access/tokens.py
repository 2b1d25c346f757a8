"""API tokens: made, listed and revoked by ``graph-itsm token``; kept in the graph only as sha256 hashes
(``(:ApiToken {id: name, hash, roles, customer, created, lastUsed})``); looked up by the hash of a bearer token."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from graph_itsm.access.roles import Principal, Role, parse_roles
from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.store import GraphStore, library

__all__ = ["TokenInfo", "create_token", "list_tokens", "revoke_token", "principal_for", "token_hash", "PREFIX"]

PREFIX = "gitsm_"  # so a leaked token is recognisable (secret scanners) and never taken for a JWT
_TOUCH_EVERY_S = 60.0  # lastUsed is written at most once a minute per token
_touched: dict[str, float] = {}


@dataclass(frozen=True)
class TokenInfo:
    name: str
    roles: list[str]
    customer: str | None
    created: str
    last_used: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or any(not (c.isalnum() or c in "-_.@") for c in name):
        raise BadInput("name: 1 to 100 letters, digits or - _ . @", field="name")
    return name


def create_token(store: GraphStore, name: str, roles: str | list[str], customer: str | None = None) -> str:
    """Make a token and return it (the only time it is ever seen). A ``customer`` token needs ``customer``
    (an existing customer id); a name already in use is RULE_VIOLATION ``token-name``."""
    name = _check_name(name)
    parsed = parse_roles(roles)
    if Role.CUSTOMER in parsed and not customer:
        raise BadInput("customer: the customer role needs --customer ID (the customer it is bound to)", field="customer")
    if customer and Role.CUSTOMER not in parsed:
        raise BadInput("customer: a customer binding goes with the customer role", field="customer")
    if customer and not store.read(library()["portfolio/get_customers"], {"ids": [customer]}):
        raise NotFound(f"customer: no customer {customer!r}", field="customer")
    token = PREFIX + secrets.token_urlsafe(32)
    rows = store.write(library()["access/create_token"], {
        "name": name, "hash": token_hash(token), "roles": sorted(r.value for r in parsed),
        "customer": customer, "created": _now()})
    if not rows or not rows[0]["created"]:
        raise RuleViolation(f"token-name: a token named {name!r} exists; revoke it first", rule="token-name")
    return token


def list_tokens(store: GraphStore) -> list[TokenInfo]:
    return [TokenInfo(r["name"], list(r["roles"] or []), r["customer"], r["created"], r["lastUsed"])
            for r in store.read(library()["access/list_tokens"])]


def revoke_token(store: GraphStore, name: str) -> None:
    if not store.write(library()["access/revoke_token"], {"name": name}):
        raise NotFound(f"name: no token named {name!r}", field="name")
    _touched.pop(name, None)


def principal_for(store: GraphStore, token: str) -> Principal | None:
    """The principal of an API token, or None when no token has that hash; notes its use (at most once a minute)."""
    row = store.read(library()["access/get_token_by_hash"], {"hash": token_hash(token)})
    if not row:
        return None
    r = row[0]
    now = time.monotonic()
    if now - _touched.get(r["name"], -_TOUCH_EVERY_S) >= _TOUCH_EVERY_S:
        _touched[r["name"]] = now
        store.write(library()["access/touch_token"], {"name": r["name"], "now": _now()})
    roles = frozenset(Role(x) for x in (r["roles"] or []) if x in {e.value for e in Role})
    return Principal(name=r["name"], roles=roles, customer=r["customer"])
