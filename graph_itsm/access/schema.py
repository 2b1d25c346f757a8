"""``me``: who the server takes the request for, as it decided it (the token's name or the JWT subject, its roles,
its customer), and the root fields that principal may call, so a frontend shows only what the role may use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import strawberry

from graph_itsm.access.policy import allowed_fields

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["AccessQuery", "Me"]


@strawberry.type(description="The principal a request acts as (graph_itsm/access).")
class Me:
    actor: str = strawberry.field(description="The name the audit trail records: the token's name, the JWT's `sub`, "
                                              "or `anonymous`.")
    roles: list[str] = strawberry.field(description="Its roles (lower case, as `token create --role` takes them), "
                                                    "sorted; an anonymous request reads as `viewer`.")
    customer: Optional[strawberry.ID] = strawberry.field(description="The customer a `customer` token is bound to.")
    anonymous: bool = strawberry.field(description="Whether the request came without a token.")
    allowed: list[str] = strawberry.field(description="The root fields it may call, as `Query.field` and "
                                                      "`Mutation.field`, sorted (a customer's: for its own customer).")


@strawberry.type
class AccessQuery:
    @strawberry.field(description="Who this request acts as, and what it may call: the server's own decision.")
    def me(self, info: strawberry.Info["Context", None]) -> Me:
        p = info.context.principal
        assert p is not None  # the guard refused requests without one
        return Me(actor=p.name, roles=sorted(r.value for r in p.roles), customer=p.customer, anonymous=p.anonymous,
                  allowed=allowed_fields(p))
