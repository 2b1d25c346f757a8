"""``graph-itsm costs PERIOD [--format table|json]``: a month's cost report with its reconciliation."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from graph_itsm.finance.reconciliation import Reconciliation
from graph_itsm.finance.service import FinanceCache, check_period
from graph_itsm.topology.cache import TopologyCache

__all__ = ["register", "run", "report_of"]


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``graph-itsm costs`` to the command line (see ``graph_itsm.cli._extensions``)."""
    p = sub.add_parser(
        "costs",
        help="a month's costs: totals, unrecovered cost by reason, and the reconciliation",
        description="Cost items = allocated to customers + unrecovered (by reason), to the cent (spec: Accounting).",
    )
    p.add_argument("period", help="the month, YYYY-MM")
    p.add_argument("--format", choices=["table", "json"], default="table")

    def handler(args: argparse.Namespace) -> int:
        from graph_itsm.store import open_store

        return run(args, open_store)

    return {"costs": handler}


def report_of(store: Any, period: str) -> dict[str, Any]:
    """The month's figures as plain data, rounded to cents."""
    check_period(period)
    month = FinanceCache(store, TopologyCache(store)).month(period, charging=True)
    r: Reconciliation = month.reconciliation
    cents = lambda x: round(x, 2) + 0.0  # noqa: E731  (+ 0.0: no -0.0)
    return {
        "period": period,
        "totalDirect": cents(month.allocation.total_direct),
        "costItems": cents(r.cost_items),
        "allocatedToCustomers": cents(r.allocated_to_customers),
        "unrecovered": cents(r.total_unrecovered),
        "unrecoveredByReason": {reason.value: cents(v) for reason, v in r.by_reason().items()},
        "unrecoveredItems": [
            {"reason": u.reason.value, "amount": cents(u.amount), "service": u.service_id, "costItem": u.cost_item_id}
            for u in r.unrecovered
        ],
        "difference": r.difference,
        "balanced": r.balanced,
    }


def run(args: argparse.Namespace, open_store: Callable[[], Any]) -> int:
    check_period(args.period)
    store = open_store()
    try:
        report = report_of(store, args.period)
    finally:
        store.close()
    if args.format == "json":
        json.dump(report, sys.stdout, indent=1)
        print()
        return 0
    out = sys.stdout
    print(f"costs of {report['period']}", file=out)
    print(f"  {'cost items':<24}{report['costItems']:>16,.2f}", file=out)
    print(f"  {'allocated to customers':<24}{report['allocatedToCustomers']:>16,.2f}", file=out)
    print(f"  {'unrecovered':<24}{report['unrecovered']:>16,.2f}", file=out)
    for reason, amount in report["unrecoveredByReason"].items():
        print(f"    {reason:<22}{amount:>16,.2f}", file=out)
    for u in report["unrecoveredItems"]:
        print(f"      {u['reason']:<20} {u['service'] or u['costItem']:<24}{u['amount']:>14,.2f}", file=out)
    state = "reconciles" if report["balanced"] else "DOES NOT reconcile"
    print(f"  {'difference':<24}{report['difference']:>16,.2f}  ({state})", file=out)
    return 0
