"""``graph-itsm strategy PERIOD [--format table|json]``: the strategy view of a month or a year."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any, Callable

from graph_itsm.finance.service import FinanceCache
from graph_itsm.strategy.service import view_of
from graph_itsm.topology.cache import TopologyCache

__all__ = ["register", "run", "view_data"]


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``graph-itsm strategy`` to the command line (see ``graph_itsm.cli._extensions``)."""
    p = sub.add_parser(
        "strategy",
        help="the strategy view: spend and pipeline investment by investment category against the targets",
        description="Spend (retained cost) and pipeline investment by RUN / GROW / TRANSFORM against the objectives' "
                    "targets, objectives with no live service, services serving no objective and enabling no outcome.",
    )
    p.add_argument("period", help="a month (YYYY-MM) or a year (YYYY)")
    p.add_argument("--format", choices=["table", "json"], default="table")

    def handler(args: argparse.Namespace) -> int:
        from graph_itsm.store import open_store

        return run(args, open_store)

    return {"strategy": handler}


def view_data(store: Any, period: str) -> dict[str, Any]:
    """The view as plain data (money rounded to cents, shares to 4 places)."""
    view = view_of(store, FinanceCache(store, TopologyCache(store)), period)

    def tidy(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 4) + 0.0
        if isinstance(value, dict):
            return {k: tidy(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [tidy(v) for v in value]
        return value

    return tidy(dataclasses.asdict(view))


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def run(args: argparse.Namespace, open_store: Callable[[], Any]) -> int:
    store = open_store()
    try:
        data = view_data(store, args.period)
    finally:
        store.close()
    if args.format == "json":
        json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    out = sys.stdout
    print(f"strategy of {data['period']} ({', '.join(data['months']) or 'no months with costs'})", file=out)
    print(f"  {'category':<12}{'spend':>16}{'share':>10}{'target':>10}{'gap':>10}{'pipeline':>16}", file=out)
    for c in data["categories"]:
        gap = "–" if c["gap"] is None else f"{100 * c['gap']:+.1f}"
        print(f"  {c['category'] or '(none)':<12}{c['spend']:>16,.2f}{_pct(c['share']):>10}{_pct(c['target']):>10}"
              f"{gap:>10}{c['pipeline_investment']:>16,.2f}", file=out)
    print(f"  {'total':<12}{data['total_spend']:>16,.2f}{'':>30}{data['total_pipeline_investment']:>16,.2f}", file=out)
    print("objectives", file=out)
    for line in data["objectives"]:
        o = line["objective"]
        live = ", ".join(line["live_services"]) or "NO LIVE SERVICE"
        print(f"  {o['id']:<24}{line['spend']:>16,.2f}  owner {o['owner'] or '–'}, horizon {o['horizon'] or '–'}; "
              f"live: {live}", file=out)
    unaligned = data["unaligned_services"]
    print(f"services serving no objective and enabling no outcome: {len(unaligned)}", file=out)
    for s in unaligned:
        note = " (needed by aligned services)" if s["supports_aligned"] else ""
        print(f"  {s['id']} [{s['kind'].lower()}, {s['stage'].lower()}]{note}", file=out)
    return 0
