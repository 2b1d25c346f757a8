"""The roles, the principal a request acts as, and the one place that decides what a principal may do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable

from graph_itsm.errors import BadInput, Forbidden

__all__ = ["Role", "Principal", "READERS", "parse_roles", "ANONYMOUS_NAME", "require"]

ANONYMOUS_NAME = "anonymous"


class Role(str, Enum):
    VIEWER = "viewer"  # reads
    ARCHITECT = "architect"  # reads, analytics, ad-hoc read-only Cypher
    PORTFOLIO = "portfolio"  # portfolio writes
    FINANCE = "finance"  # cost, budget, business case and statement writes
    RELATIONSHIP = "relationship"  # managers, surveys, complaints
    ADMIN = "admin"  # everything
    CUSTOMER = "customer"  # bound to one customer: its own view, subscriptions, charges and statements


# Every staff role reads the portfolio; ``customer`` does not (it sees its own customer only).
READERS = frozenset({Role.VIEWER, Role.ARCHITECT, Role.PORTFOLIO, Role.FINANCE, Role.RELATIONSHIP})


def parse_roles(text: str | Iterable[str], *, field_name: str = "role") -> frozenset[Role]:
    """``"a,b"`` (or a list) as roles; an unknown or empty one is BAD_INPUT naming ``field_name``."""
    names = [n.strip() for n in (text.split(",") if isinstance(text, str) else text)]
    known = {r.value for r in Role}
    unknown = [n for n in names if n not in known]
    if unknown or not any(names):
        raise BadInput(f"{field_name}: unknown role {', '.join(unknown) or '(empty)'}; one of {', '.join(sorted(known))}",
                       field=field_name)
    return frozenset(Role(n) for n in names if n)


@dataclass(frozen=True)
class Principal:
    """Who a request acts as. ``name`` is the audit actor (the token's name or the JWT subject)."""

    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    customer: str | None = None  # the customer a ``customer`` principal is bound to
    anonymous: bool = False

    @property
    def is_customer_only(self) -> bool:
        """Bound to a customer and holding no role that sees more."""
        return Role.CUSTOMER in self.roles and not (self.roles - {Role.CUSTOMER})

    def has_any(self, roles: Iterable[Role]) -> bool:
        return Role.ADMIN in self.roles or bool(self.roles & set(roles))


def require(principal: Principal, roles: Iterable[Role], *, what: str) -> None:
    """FORBIDDEN unless ``principal`` holds one of ``roles`` (admin always may); ``requiredRoles`` says which may."""
    roles = frozenset(roles)
    if not principal.has_any(roles):
        needed = sorted({r.value for r in roles} | {Role.ADMIN.value})
        who = "anonymous requests" if principal.anonymous else f"{principal.name} ({', '.join(sorted(r.value for r in principal.roles)) or 'no role'})"
        raise Forbidden(f"{what} needs one of the roles {', '.join(needed)}; {who} may not", requiredRoles=needed)
