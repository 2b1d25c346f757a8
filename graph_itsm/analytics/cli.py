"""``graph-itsm analytics list|run`` and ``graph-itsm cypher``: the analytics on the command line.

Results print as a table (rich), or ``--format json`` (``{"columns", "rows", "truncated"}``, as the GraphQL
API answers) or ``--format csv`` (lists and maps as JSON in their cells). A result cut by the row limit
says so on stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, Callable

__all__ = ["register", "cell_text"]

FORMATS = ("table", "json", "csv")
Handler = Callable[[argparse.Namespace], int]


def register(sub: Any) -> dict[str, Handler]:
    """Add the ``analytics`` and ``cypher`` subcommands to the ``graph-itsm`` parser."""
    p = sub.add_parser("analytics", help="list or run the named Cypher analytics (cypher/analytics/)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the analytics queries with their params and columns")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    run = actions.add_parser("run", help="run one analytics query (read-only)")
    run.add_argument("name", help="as `graph-itsm analytics list` shows it, e.g. find_single_points_of_failure")
    _params_and_format(run, "a declared param, typed as declared: --param top=5 --param period=2026-01")

    p = sub.add_parser("cypher", help="run ad-hoc read-only Cypher (a write is refused by the database)")
    p.add_argument("query", help="the Cypher text, e.g. 'MATCH (s:Service) RETURN s.id AS id'")
    _params_and_format(p, "$k's value: JSON where it parses (5, true, [\"a\"], \"5\"), otherwise the text as a string")
    return {"analytics": _analytics, "cypher": _cypher}


def _params_and_format(p: argparse.ArgumentParser, help_param: str) -> None:
    p.add_argument("--param", action="append", default=[], metavar="K=V", help=help_param + " (repeatable)")
    p.add_argument("--format", choices=FORMATS, default="table")


def _pairs(items: list[str]) -> dict[str, str]:
    from graph_itsm.errors import BadInput

    pairs: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BadInput(f"--param {item!r}: expected NAME=VALUE", field="params")
        pairs[key.strip()] = value
    return pairs


def _with_store(work: Callable[[Any], Any]) -> Any:
    from graph_itsm.store import open_store

    store = open_store()
    try:
        return work(store)
    finally:
        store.close()


def _analytics(args: argparse.Namespace) -> int:
    from graph_itsm.analytics import runner

    if args.action == "list":
        _print_catalogue(runner.analyses(), args.format)
        return 0
    runner.get_analysis(args.name)  # an unknown name fails before the database is opened
    params = _pairs(args.param)
    result = _with_store(lambda store: runner.run_analysis(store, args.name, params, from_text=True))
    _print_result(result, args.format)
    return 0


def _cypher(args: argparse.Namespace) -> int:
    from graph_itsm.analytics import runner

    params: dict[str, Any] = {}
    for key, text in _pairs(args.param).items():
        try:
            params[key] = json.loads(text)
        except json.JSONDecodeError:
            params[key] = text
    result = _with_store(lambda store: runner.run_cypher(store, args.query, params))
    _print_result(result, args.format)
    return 0


# -- output -------------------------------------------------------------------------------------------------


def cell_text(value: Any, *, table: bool = False) -> str:
    """Text for a table or CSV cell: JSON for anything but a string; in a table a list of plain values
    reads ``a, b, c``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if table and isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value):
        return ", ".join(cell_text(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _console() -> Any:
    from rich.console import Console

    # Piped output keeps whole lines rather than wrapping at 80 columns.
    return Console(width=None if sys.stdout.isatty() else 250)


def _print_result(result: Any, fmt: str) -> None:
    if fmt == "json":
        body = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}
        sys.stdout.write(json.dumps(body, indent=1, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([cell_text(v) for v in row] for row in result.rows)
    else:
        from rich.table import Table

        table = Table(*result.columns)
        for row in result.rows:
            table.add_row(*(cell_text(v, table=True) for v in row))
        _console().print(table)
        print(f"{len(result.rows)} row{'' if len(result.rows) == 1 else 's'}", file=sys.stderr)
    if result.truncated:
        print(f"truncated: only the first {len(result.rows)} rows are shown (the row limit)", file=sys.stderr)


def _print_catalogue(found: list[Any], fmt: str) -> None:
    if fmt == "json":
        body = [
            {"name": a.name, "description": a.description, "columns": list(a.columns),
             "params": [{"name": p.name, "type": p.declared, "required": p.required, "default": p.default,
                         "description": p.description, "computedFrom": p.projection} for p in a.params]}
            for a in found
        ]
        sys.stdout.write(json.dumps(body, indent=1, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    table = Table("name", "params", "description", show_lines=True)
    for a in found:
        params = "\n".join(
            f"{p.name}: {p.declared}" + ("" if p.required else f" = {json.dumps(p.default)}")
            for p in a.params if not p.projection
        )
        table.add_row(a.name, params, a.description)
    _console().print(table)
