"""``graph-itsm impact a,b [--max-depth N] [--what-if-retired x] [--format table|json|ndjson]``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from graph_itsm.errors import BadInput
from graph_itsm.impact.ndjson import ndjson_chunks
from graph_itsm.impact.service import ImpactReport, analyse_impact

__all__ = ["add_parser", "run"]


def _ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``graph-itsm impact`` to the command line (see ``graph_itsm.cli._extensions``)."""
    add_parser(sub)

    def handler(args: argparse.Namespace) -> int:
        from graph_itsm.store import open_store

        return run(args, open_store)

    return {"impact": handler}


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "impact",
        help="what goes DOWN or DEGRADED when services fail (or would be retired)",
        description="Impact analysis (spec: Impact analysis). Lists are ordered by distance, then id.",
    )
    p.add_argument("failed", nargs="?", default="", help="comma-separated ids of the failed services")
    p.add_argument("--max-depth", type=int, help="report only services at most N hops from a failed one")
    p.add_argument(
        "--what-if-retired",
        action="append",
        default=[],
        metavar="IDS",
        help="comma-separated ids of services to treat as retired (removed); may repeat",
    )
    p.add_argument("--format", choices=["table", "json", "ndjson"], default="table")
    p.add_argument("--limit", type=int, default=50, help="rows of the table format (0: all; default 50)")


def run(args: argparse.Namespace, open_store: Callable[[], Any]) -> int:
    from graph_itsm.topology.cache import load_topology

    failed = _ids(args.failed)
    retired = [i for text in args.what_if_retired for i in _ids(text)]
    if not failed and not retired:
        raise BadInput("give the ids of the failed services (a,b) or --what-if-retired ids", field="failed")
    store = open_store()
    try:
        topo = load_topology(store)
    finally:
        store.close()
    report = analyse_impact(topo, failed, max_depth=args.max_depth, what_if_retired=retired)
    out = sys.stdout
    if args.format == "ndjson":
        out.flush()
        for chunk in ndjson_chunks(report):
            out.buffer.write(chunk)
        out.buffer.flush()
    elif args.format == "json":
        json.dump(_as_json(report), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        _table(report, args.limit)
    return 0


def _as_json(report: ImpactReport) -> dict[str, Any]:
    c = report.counts
    names = report.topology.names
    index = report.topology.index
    return {
        "counts": {
            "services": c.services,
            "down": c.down,
            "degraded": c.degraded,
            "customerFacing": c.customer_facing,
            "outcomes": c.outcomes,
            "customers": c.customers,
            "live": c.live,
            "planned": c.planned,
        },
        "services": [
            {"id": r.id, "name": names[index[r.id]], "status": r.status.value, "distance": r.distance,
             "path": r.path, "stage": r.stage, "assumedRetired": r.assumed_retired}
            for r in report.services()
        ],
        "customerFacing": [r.id for r in report.customer_facing()],
        "outcomes": [{"id": o, "status": s.value} for o, s in report.outcomes()],
        "customers": [{"id": k, "status": s.value} for k, s in report.customers()],
    }


def _table(report: ImpactReport, limit: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=True)
    c = report.counts
    console.print(
        f"impacted services: {c.services} ({c.down} DOWN, {c.degraded} DEGRADED), customer-facing {c.customer_facing}, "
        f"outcomes {c.outcomes}, customers {c.customers}; live {c.live}, planned {c.planned}"
    )
    rows = report.services(first=limit or None)
    table = Table("service", "status", "distance", "path (from a failed service)", "stage", "what-if")
    for r in rows:
        table.add_row(r.id, r.status.value, str(r.distance), " > ".join(r.path), r.stage, "retired" if r.assumed_retired else "")
    console.print(table)
    if len(rows) < c.services:
        console.print(f"... {c.services - len(rows)} more (--limit 0 lists all; --format ndjson streams them)")
    for title, pairs in (("outcome", report.outcomes()), ("customer", report.customers())):
        if pairs:
            t = Table(title, "status")
            for key, status in pairs:
                t.add_row(key, status.value)
            console.print(t)
