"""Benchmark of the impact engine on a synthetic portfolio, no database involved.

Builds a Topology from ``generate_rows``, then times ``compute_impact`` for the failure of the bottom-layer
service with the most direct consumers, and ``dependencies`` of a customer-facing service. Prints figures
measured in this run; it is not a test and fails on nothing.

    PYTHONPATH=. python bench/bench_engine.py --services 100000 --runs 20
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_rows  # noqa: E402

from graph_itsm.impact.engine import DOWN, compute_impact, dependencies  # noqa: E402
from graph_itsm.topology import Topology  # noqa: E402


def _timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def _summary(times: list[float]) -> str:
    p50, p95 = np.percentile(times, [50, 95])
    return f"p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  min {min(times):7.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the impact engine on a generated portfolio.")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    rows = generate_rows(args.services, args.edges_per_service, args.seed)
    print(f"generate_rows: {time.perf_counter() - start:.2f} s, {len(rows.services)} services, {len(rows.edges)} edges")

    start = time.perf_counter()
    topo = Topology.build(
        rows.services, rows.edges, enables=rows.enables, subscribes=rows.subscribes, pursues=rows.pursues
    )
    print(f"Topology.build: {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    for name in ("redundant_by_provider", "consumers_by_provider", "providers_by_consumer", "id_rank"):
        getattr(topo, name)
    print(f"derived arrays (CSR, id rank; once per snapshot): {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"Topology.nbytes: {topo.nbytes() / 1e6:.1f} MB, {topo.nbytes() / max(topo.m, 1):.1f} bytes/edge")

    bottom = np.flatnonzero(rows.layer == 0)
    indegree = np.bincount(topo.provider, minlength=topo.n)
    hub = int(bottom[np.argmax(indegree[bottom])])
    times, result = _timed(lambda: compute_impact(topo, [hub]), args.runs)
    counts = result.counts()
    print(
        f"compute_impact([{topo.ids[hub]}], {indegree[hub]} direct consumers): {_summary(times)}\n"
        f"  impacted {counts.services} ({counts.down} DOWN, {counts.degraded} DEGRADED), "
        f"customer-facing {counts.customer_facing}, outcomes {counts.outcomes}, customers {counts.customers}, "
        f"levels {int(result.distance.max())}"
    )
    deepest = int(result.services[-1])
    start = time.perf_counter()
    path = result.path(deepest)
    print(f"  path to the farthest service: {len(path)} services in {(time.perf_counter() - start) * 1e6:.0f} us")

    pair = bottom[np.argsort(indegree[bottom])[-2:]].tolist()
    times, result = _timed(lambda: compute_impact(topo, pair), args.runs)
    down = int(np.count_nonzero(result.status == DOWN))
    print(f"compute_impact(two largest hubs): {_summary(times)}  impacted {result.services.size}, DOWN {down}")

    top = int(np.flatnonzero(topo.customer_facing)[0])
    times, (found, _) = _timed(lambda: dependencies(topo, top), args.runs)
    print(f"dependencies({topo.ids[top]}): {_summary(times)}  {found.size} services")
    return 0


if __name__ == "__main__":
    sys.exit(main())
