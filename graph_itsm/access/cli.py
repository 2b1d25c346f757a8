"""``graph-itsm token create|list|revoke``: API tokens, made and revoked by whoever runs the command on the
database (the command line reaches the database directly, so it needs no token itself)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

__all__ = ["register"]


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    p = sub.add_parser("token", help="API tokens: create (printed once), list, revoke")
    tsub = p.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    c = tsub.add_parser("create", help="make a token; it is printed alone on stdout, this once")
    c.add_argument("--name", required=True)
    c.add_argument("--role", required=True, help="viewer, architect, portfolio, finance, relationship, admin, "
                   "customer; several as a,b")
    c.add_argument("--customer", help="the customer a customer token is bound to")
    ls = tsub.add_parser("list", help="names, roles, created, last used (never the token)")
    ls.add_argument("--format", choices=["table", "json"], default="table")
    r = tsub.add_parser("revoke", help="revoke a token by name")
    r.add_argument("name")
    return {"token": _token}


def _token(args: argparse.Namespace) -> int:
    from graph_itsm.access import tokens
    from graph_itsm.cli import _open_store  # the one way the command line opens the database

    store = _open_store()
    try:
        if args.token_command == "create":
            token = tokens.create_token(store, args.name, args.role, args.customer)
            sys.stdout.write(token + "\n")
            print(f"token {args.name} made; it is shown only this once. Send it as 'Authorization: Bearer <token>'",
                  file=sys.stderr)
        elif args.token_command == "list":
            rows = tokens.list_tokens(store)
            if args.format == "json":
                json.dump([{"name": t.name, "roles": t.roles, "customer": t.customer, "created": t.created,
                            "lastUsed": t.last_used} for t in rows], sys.stdout, indent=1)
                sys.stdout.write("\n")
            else:
                print(f"{'NAME':<24} {'ROLES':<28} {'CUSTOMER':<16} {'CREATED':<21} LAST USED")
                for t in rows:
                    print(f"{t.name:<24} {','.join(t.roles):<28} {t.customer or '-':<16} {t.created:<21} "
                          f"{t.last_used or 'never'}")
        else:
            tokens.revoke_token(store, args.name)
            print(f"token {args.name} revoked", file=sys.stderr)
    finally:
        store.close()
    return 0
