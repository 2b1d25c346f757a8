"""The embedded FalkorDB and Neo4j side by side, on one generated portfolio, in one run.

For each database: import the portfolio through the project's importer (validated, batched ``UNWIND`` in
one atomic write), build the topology projection (``load_topology``), ask an impact question over HTTP
(``graph-itsm serve`` in its own process on that database: counts and the first 100 of every list, a new
question each time and one asked before) and compute a month's costs (``FinanceCache.month``, the projection
cached, then warm). It prints p50s, and Neo4j's figures as ratios to FalkorDB's.

    PYTHONPATH=. python bench/bench_databases.py --db bolt://127.0.0.1:7687           # 100,000 services
    PYTHONPATH=. python bench/bench_databases.py --db bolt://127.0.0.1:7687 --smoke   # small (CI)

``--db`` names the Neo4j server (default ``NEO4J_URI``; with ``NEO4J_USER``/``NEO4J_PASSWORD``). Its graph is
EMPTIED first: point it at a server kept for tests and benchmarks. Without one, only the embedded database
runs. Not a test: nothing here fails on timing.
"""

from __future__ import annotations

import argparse
import gc
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from generate import generate  # noqa: E402

from graph_itsm.config import Settings  # noqa: E402
from graph_itsm.finance.service import FinanceCache  # noqa: E402
from graph_itsm.portfolio.importer import import_document  # noqa: E402
from graph_itsm.portfolio.parsing import document_from_data  # noqa: E402
from graph_itsm.store import GraphStore, open_store  # noqa: E402
from graph_itsm.topology.cache import TopologyCache, load_topology  # noqa: E402

PERIOD = "2026-01"  # the month generate() gives its cost items
IMPACT = """
query Impact($failed: [ID!]!) {
  impact(failed: $failed) {
    counts { services down degraded customerFacing outcomes customers }
    services(first: 100) { service { id name } status distance path }
    outcomes(first: 100) { outcome { id name } status }
    customers(first: 100) { customer { id name } status }
  }
}
"""


def _p50(times: list[float]) -> float:
    return float(np.percentile(times, 50)) if times else float("nan")


def _timed(fn: Callable[[], Any], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    import httpx

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graph_itsm.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env={**env, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the API did not start")


def measure(name: str, store: GraphStore, env: dict[str, str], doc: dict[str, Any], runs: int) -> dict[str, float]:
    import httpx

    print(f"-- {name}")
    store.clear()
    document = document_from_data(doc)
    start = time.perf_counter()
    import_document(store, document)
    figures = {"import": time.perf_counter() - start}
    print(f"   import {figures['import']:.2f} s")
    del document
    gc.collect()

    builds = _timed(lambda: load_topology(store), 3)
    figures["projection"] = _p50(builds)
    topo = load_topology(store)
    indegree = np.bincount(topo.provider, minlength=topo.n)
    order = np.argsort(-indegree)
    print(f"   projection {figures['projection']:.2f} s ({topo.n:,} services, {topo.m:,} edges)")

    server, base = _serve(env)
    try:
        http = httpx.Client(base_url=base, timeout=300)

        def ask(failed: list[str]) -> dict[str, Any]:
            body = http.post("/graphql", json={"query": IMPACT, "variables": {"failed": failed}}).json()
            assert "errors" not in body, body
            return body["data"]["impact"]

        hub = topo.ids[int(order[0])]
        counts = ask([hub])["counts"]  # the first question builds the server's projection
        fresh = [[hub, topo.ids[int(order[k])]] for k in range(1, runs + 1)]
        figures["impact_new"] = _p50([t for t, _ in (_time_one(ask, f) for f in fresh)])
        figures["impact_again"] = _p50(_timed(lambda: ask([hub]), runs))
        print(f"   impact of {hub} ({counts['services']:,} services): new question {figures['impact_new'] * 1000:.1f} ms, "
              f"asked before {figures['impact_again'] * 1000:.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)

    topology = TopologyCache(store)
    topology.current()
    cold = []
    for _ in range(max(2, runs // 4)):
        cache = FinanceCache(store, topology)
        start = time.perf_counter()
        month = cache.month(PERIOD)
        cold.append(time.perf_counter() - start)
    figures["costs_cold"] = _p50(cold)
    figures["costs_warm"] = _p50(_timed(lambda: cache.month(PERIOD), runs))
    figures["total_direct"] = month.allocation.total_direct
    print(f"   a month's costs: cold {figures['costs_cold']:.2f} s, warm {figures['costs_warm'] * 1000:.2f} ms "
          f"(total direct {month.allocation.total_direct:,.2f})")
    return figures


def _time_one(fn: Callable[[Any], Any], arg: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn(arg)
    return time.perf_counter() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", default=os.environ.get("NEO4J_URI"), help="bolt://... of a Neo4j kept for benchmarks")
    parser.add_argument("--smoke", action="store_true", help="2,000 services, a few runs (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.services, args.runs = 2000, 4

    print(f"== databases side by side: {args.services:,} services, ~{args.edges_per_service:g} edges a service")
    doc = generate(args.services, args.edges_per_service, args.seed, PERIOD)
    results: dict[str, dict[str, float]] = {}
    base_env = {k: v for k, v in os.environ.items() if k not in ("GRAPH_ITSM_DB", "GRAPH_ITSM_DATA_DIR")}
    with tempfile.TemporaryDirectory(prefix="bench-databases-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "db")
        store = open_store(settings)
        try:
            results["FalkorDB (embedded)"] = measure(
                "FalkorDB (embedded)", store, {**base_env, "GRAPH_ITSM_DATA_DIR": str(settings.data_dir)}, doc, args.runs
            )
        finally:
            store.close()
    if args.db:
        user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        store = open_store(Settings(db_url=args.db, neo4j_user=user, neo4j_password=password))
        try:
            results["Neo4j"] = measure("Neo4j", store, {**base_env, "GRAPH_ITSM_DB": args.db}, doc, args.runs)
            store.clear()
        finally:
            store.close()
    else:
        print("-- Neo4j: no --db and no NEO4J_URI; only the embedded database was measured")

    rows = [("import", "s", 1), ("projection", "s", 1), ("impact_new", "ms", 1000), ("impact_again", "ms", 1000),
            ("costs_cold", "s", 1), ("costs_warm", "ms", 1000)]
    names = list(results)
    print("\n| measure (p50) | " + " | ".join(names) + (" | Neo4j / FalkorDB |" if len(names) == 2 else " |"))
    print("|---" * (len(names) + 1 + (len(names) == 2)) + "|")
    for key, unit, scale in rows:
        cells = [f"{results[n][key] * scale:,.2f} {unit}" for n in names]
        ratio = [f"{results[names[1]][key] / results[names[0]][key]:.2f}x"] if len(names) == 2 else []
        print(f"| {key.replace('_', ' ')} | " + " | ".join(cells + ratio) + " |")
    if len(names) == 2:
        a, b = (results[n]["total_direct"] for n in names)
        print(f"same month's total direct cost on both: {abs(a - b) < 0.005} ({a:,.2f} / {b:,.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
