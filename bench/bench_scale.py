"""Scale benchmark: generate and import a large portfolio (default 1,000,000 services, about 4 million
dependencies) into an embedded database, then report import time, projection build time and memory (bytes an
edge, resident memory), and over HTTP (a ``graph-itsm serve`` of its own on that database) impact counts of the
largest hub and a month's costs, cold and warm.

    python bench/bench_scale.py --services 100000
    python bench/bench_scale.py --smoke            # 2,000 services (CI)

Issue 15's targets at 1,000,000 services: projection under 20 s and 150 bytes an edge; impact counts over HTTP
under 500 ms; a month's costs under 5 s cold and 50 ms warm. The machine may be shared: say so with the figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

IMPACT = """query ($failed: [ID!]!) { impact(failed: $failed) { counts { services down degraded customerFacing outcomes
  customers } services(first: 20) { service { id } status distance } } }"""
COSTS = """query ($period: String!) { costReport(period: $period) { totalDirect totalRetained totalUnallocated
  services(first: 20) { service { id } direct total } } }"""


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used: on a shared machine a steadier figure than the clock."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _db_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "falkordb.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def _generate_and_import(store: Any, args: argparse.Namespace) -> None:
    from generate import generate

    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data

    t = time.perf_counter()
    doc = generate(args.services, args.edges_per_service, args.seed, period=args.period)
    document = document_from_data(doc)
    generated = time.perf_counter() - t
    del doc
    t = time.perf_counter()
    atomic = store.write_all
    if args.statement_steps:
        store.write_all = _in_statements(atomic, args.statement_steps)
    try:
        import_document(store, document)
    finally:
        store.write_all = atomic
    imported = time.perf_counter() - t
    del document
    gc.collect()
    how = f"in statements of {args.statement_steps} steps" if args.statement_steps else "one atomic write"
    print(f"generate + parse {generated:.1f} s; import (validated, {how}) {imported:.1f} s", flush=True)


def _in_statements(write_all: Any, size: int) -> Any:
    """``write_all`` in statements of ``size`` steps each, NOT atomic: at 1,000,000 services the import's one
    statement (about a gigabyte of Cypher with its parameters) is more than the server reads as one argument
    (redis ``proto-max-bulk-len``, 512 MB), and the connection is dropped. Each later statement finds by MATCH
    what an earlier one wrote, so the graph is the same; only a failure half way would leave half of it."""
    def in_parts(steps: list[Any], *, on_step: Any = None) -> Any:
        rows = []
        for k in range(0, len(steps), size):
            rows = write_all(steps[k : k + size], on_step=on_step)
        return rows

    return in_parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1_000_000)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", default="2026-01")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="2,000 services, 3 runs (CI)")
    parser.add_argument("--data-dir", type=Path, help="keep the database here; if it holds a portfolio already, "
                        "skip generate and import (an import of 1,000,000 services takes many minutes)")
    parser.add_argument("--statement-steps", type=int, default=0, help="import in statements of this many "
                        "steps (not atomic; needed at 1,000,000 services); 0: one atomic write")
    parser.add_argument("--import-only", action="store_true", help="stop after the import (with --data-dir)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.services, args.runs = 2000, 3

    import httpx
    import numpy as np
    from bench_load import _free_port, wait_healthy
    from graph_itsm.config import Settings
    from graph_itsm.store import open_store
    from graph_itsm.topology.cache import load_topology

    print(f"== scale benchmark: {args.services:,} services, ~{args.edges_per_service:g} edges a service "
          "(the machine may be shared: compare with care)")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "db"
        store = open_store(Settings(data_dir=data_dir))
        server = None
        try:
            held = store.read_only("MATCH (s:Service) RETURN count(s)", {}, timeout_ms=600_000, max_rows=1).rows[0][0]
            if held:
                print(f"reusing the portfolio in {data_dir}: {held:,} services (no generate, no import)")
            else:
                _generate_and_import(store, args)
            if args.import_only:
                return 0

            rss0 = _rss_mb(os.getpid())
            db_pid = _db_pid(data_dir)
            cpu0, db0 = time.process_time(), _cpu_s(db_pid) if db_pid else float("nan")
            t = time.perf_counter()
            topo = load_topology(store)
            built = time.perf_counter() - t
            cpu, db_cpu = time.process_time() - cpu0, (_cpu_s(db_pid) if db_pid else float("nan")) - db0
            rss1 = _rss_mb(os.getpid())
            print(f"projection: {topo.n:,} services, {topo.m:,} edges, built in {built:.1f} s "
                  f"(CPU {cpu:.1f} s here + {db_cpu:.1f} s in the database), "
                  f"{topo.nbytes() / max(topo.m, 1):.0f} bytes an edge (arrays and lists), "
                  f"resident memory +{rss1 - rss0:.0f} MB", flush=True)
            consumers = np.bincount(topo.provider, minlength=topo.n)
            hub = topo.ids[int(np.argmax(consumers))]
            # new questions: the next largest hubs, each asked once (no answer of it cached)
            others = [topo.ids[int(i)] for i in np.argsort(-consumers, kind="stable")[1:1 + max(args.runs, 3)]]
            del topo
            gc.collect()

            port = _free_port()
            env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
            env.pop("GRAPH_ITSM_DB", None)
            server = subprocess.Popen([sys.executable, "-m", "graph_itsm.cli", "serve", "--port", str(port),
                                       "--workers", "1", "--log-level", "warning"], env=env, stdin=subprocess.DEVNULL)
            http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600)
            if not wait_healthy(http, server, 600):
                raise SystemExit("the API did not start")

            def ask(query: str, variables: dict[str, Any]) -> float:
                t0 = time.perf_counter()
                body = http.post("/graphql", json={"query": query, "variables": variables}).json()
                assert not body.get("errors"), body["errors"]
                return (time.perf_counter() - t0) * 1000

            first = ask(IMPACT, {"failed": [hub]})
            warm = [ask(IMPACT, {"failed": [hub]}) for _ in range(args.runs)]
            new = [ask(IMPACT, {"failed": [other]}) for other in others]
            print(f"impact of the largest hub over HTTP: first {first:.0f} ms (with the projection build), "
                  f"then p50 {statistics.median(warm):.0f} ms")
            print(f"impact of the next {len(new)} largest hubs over HTTP, each a new question: p50 "
                  f"{statistics.median(new):.0f} ms, slowest {max(new):.0f} ms")
            cpu0, db0 = _cpu_s(server.pid), _cpu_s(db_pid) if db_pid else float("nan")
            cold = ask(COSTS, {"period": args.period})
            cold_cpu, cold_db = _cpu_s(server.pid) - cpu0, (_cpu_s(db_pid) if db_pid else float("nan")) - db0
            warm = [ask(COSTS, {"period": args.period}) for _ in range(args.runs)]
            print(f"a month's costs over HTTP (cost report, first page): cold {cold:.0f} ms "
                  f"(CPU {cold_cpu:.1f} s in the API process + {cold_db:.1f} s in the database), "
                  f"warm p50 {statistics.median(warm):.0f} ms")
            db_rss = _rss_mb(db_pid) if db_pid else float("nan")
            print(f"resident memory: API process {_rss_mb(server.pid):.0f} MB, database {db_rss:.0f} MB", flush=True)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=60)
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
