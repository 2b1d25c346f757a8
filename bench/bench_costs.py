"""Benchmark: one month's cost allocation through the finance service layer, database reads included.

    PYTHONPATH=. python bench/bench_costs.py [--services 100000] [--cold-runs 5] [--warm-runs 50] [--smoke]

Generates a portfolio with ``bench/generate.py`` (about 4 dependencies and one cost item per service), imports it
into a fresh embedded FalkorDB in a temporary folder, then times ``FinanceCache.month(period)``:

- cold: a fresh app state, so the topology projection, the month's cost items and the allocation are all read
  and computed (and, apart, how much of it the projection takes);
- costs cold: the projection cached, the month not (what a request pays after the cache of months is dropped);
- warm: the month cached for the graph version (what a request pays: one version query).

Prints p50/p95 and the ratio of the cold p50 to the 2 s target. Not a timed test: figures vary by machine; it
never fails on timing. ``--smoke`` runs a tiny portfolio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from graph_itsm.config import Settings  # noqa: E402
from graph_itsm.finance.service import FinanceCache  # noqa: E402
from graph_itsm.heap import gc_paused  # noqa: E402
from graph_itsm.portfolio import document_from_data  # noqa: E402
from graph_itsm.portfolio.importer import import_document  # noqa: E402
from graph_itsm.store import open_store  # noqa: E402
from graph_itsm.topology.cache import TopologyCache  # noqa: E402

TARGET_S = 2.0
PERIOD = "2026-01"


def _summary(times_s: list[float]) -> str:
    p50, p95 = np.percentile(np.asarray(times_s) * 1000, [50, 95])
    return f"p50 {p50:9.1f} ms  p95 {p95:9.1f} ms  (n={len(times_s)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--warm-runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="a tiny run (500 services) to see that it works")
    args = parser.parse_args(argv)
    if args.smoke:
        args.services, args.cold_runs, args.warm_runs = 500, 2, 5

    with tempfile.TemporaryDirectory(prefix="bench-costs-") as tmp:
        start = time.perf_counter()
        doc = generate(args.services, args.edges_per_service, args.seed, PERIOD)
        t_gen = time.perf_counter() - start
        store = open_store(Settings(data_dir=Path(tmp)))
        try:
            start = time.perf_counter()
            import_document(store, document_from_data(doc))
            t_import = time.perf_counter() - start
            edges = sum(len(s["dependsOn"]) for s in doc["services"])
            print(f"services {args.services:,}  edges {edges:,}  cost items {len(doc['costs']):,}  "
                  f"(generated in {t_gen:.1f} s, imported in {t_import:.1f} s)")
            del doc
            _run(store, args)
        finally:
            store.close()
    return 0


def _run(store, args: argparse.Namespace) -> None:
    cold, projection = [], []
    for _ in range(args.cold_runs):
        topology = TopologyCache(store)  # what a fresh app state starts with
        cache = FinanceCache(store, topology)
        start = time.perf_counter()
        month = cache.month(PERIOD)
        cold.append(time.perf_counter() - start)
    for _ in range(args.cold_runs):
        fresh = TopologyCache(store)
        with gc_paused():  # as FinanceCache.month reads it
            start = time.perf_counter()
            fresh.current()
            projection.append(time.perf_counter() - start)

    costs_cold = []
    for _ in range(args.cold_runs):
        cache = FinanceCache(store, topology)  # the projection stays cached
        start = time.perf_counter()
        cache.month(PERIOD)
        costs_cold.append(time.perf_counter() - start)

    warm = []
    for _ in range(args.warm_runs):
        start = time.perf_counter()
        month = cache.month(PERIOD)
        warm.append(time.perf_counter() - start)

    a = month.allocation
    print(f"cold (projection + cost items + allocation)  {_summary(cold)}")
    print(f"  of which the projection (topology read)     {_summary(projection)}")
    print(f"costs cold, projection cached                 {_summary(costs_cold)}")
    print(f"warm (cached per graph version and period)    {_summary(warm)}")
    print(f"conservation error {a.conservation_error:.2e} on a total of {a.total_direct:,.2f}; solver {a.solver.method}")
    ratio = float(np.percentile(cold, 50)) / TARGET_S
    print(f"ratio to the {TARGET_S:.0f} s target (cold p50 / target): {ratio:.2f}"
          f"{'  (within target)' if ratio <= 1 else '  (over target)'}; "
          f"costs cold {float(np.percentile(costs_cold, 50)) / TARGET_S:.2f}; "
          f"warm {float(np.percentile(warm, 50)) / TARGET_S:.4f}")


if __name__ == "__main__":
    sys.exit(main())
