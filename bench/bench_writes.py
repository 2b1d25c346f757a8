"""Writes benchmark (issue 15, "Writes that cost what they change"): over HTTP, on a generated portfolio in an
embedded database, each kind of write and the questions right after it, timed twice in one run: once with
``GRAPH_ITSM_REBUILD_ON_WRITE=1`` (every write rebuilds the projection, checks the whole graph for a closed
cycle and has the month read again: the behaviour before) and once as the server runs by default (writes patch
the projection, check only what they reach and carry the month's cost items).

    python bench/bench_writes.py --services 100000
    python bench/bench_writes.py --smoke            # 2,000 services, 3 rounds (CI)

Per round and mode: ``addDependency`` (a customer-facing service on the largest hub), then the hub's impact
and the month's cost report; ``createService``, then both questions; ``moveServiceStage`` (a customer-facing
service retired), then both; ``updateService`` (a rename) and ``subscribe`` (a customer to a customer-facing
service), then both; ``recordCostItem``, then the cost report. Reported as p50 per step and the ratio
before / after. Issue 15's targets at 100,000 services: each write and the next impact and cost questions
under 100 ms. The machine may be shared: the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import COSTS, IMPACT  # noqa: E402 - the same questions as the scale benchmark asks

ADD = """mutation ($c: ID!, $p: ID!) { addDependency(input: {consumer: $c, provider: $p}) { id } }"""
CREATE = """mutation ($id: ID!) { createService(input: {id: $id, name: "Benchmark service", kind: SUPPORTING,
  owner: "bench", criticality: 2}) { id } }"""
RETIRE = """mutation ($s: ID!) { moveServiceStage(input: {service: $s, stage: RETIRED}) { service { id } } }"""
UPDATE = """mutation ($s: ID!, $name: String!) { updateService(id: $s, input: {name: $name}) { id } }"""
SUBSCRIBE = """mutation ($c: ID!, $s: ID!) { subscribe(input: {customer: $c, service: $s}) { since } }"""
RECORD = """mutation ($input: RecordCostItemInput!) { recordCostItem(input: $input) { id } }"""

# each write, then the questions asked right after it (a question's key names the write before it)
STEPS = ["addDependency", "addDependency|impact", "addDependency|costReport",
         "createService", "createService|impact", "createService|costReport",
         "updateService", "updateService|impact", "updateService|costReport",
         "subscribe", "subscribe|impact", "subscribe|costReport",
         "moveServiceStage", "moveServiceStage|impact", "moveServiceStage|costReport",
         "recordCostItem", "recordCostItem|costReport"]


def _load() -> str:
    return Path("/proc/loadavg").read_text().split(" ")[0] if Path("/proc/loadavg").exists() else "?"


def _mode(data_dir: Path, token: str, *, rebuild: bool, runs: int, period: str, hub: str, top: list[str], tag: str,
          customer: str) -> dict:
    """p50 (ms) of each step over ``runs`` rounds with a server of its own; ``top`` supplies fresh services."""
    import httpx
    from bench_load import _free_port, wait_healthy

    port = _free_port()
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("GRAPH_ITSM_DB", None)
    env.pop("GRAPH_ITSM_REBUILD_ON_WRITE", None)
    if rebuild:
        env["GRAPH_ITSM_REBUILD_ON_WRITE"] = "1"
    server = subprocess.Popen([sys.executable, "-m", "graph_itsm.cli", "serve", "--port", str(port),
                               "--workers", "1", "--log-level", "warning"], env=env, stdin=subprocess.DEVNULL)
    try:
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600,
                            headers={"Authorization": f"Bearer {token}"})
        if not wait_healthy(http, server, 600):
            raise SystemExit("the API did not start")

        def ask(query: str, **variables: Any) -> float:
            t0 = time.perf_counter()
            body = http.post("/graphql", json={"query": query, "variables": variables}).json()
            assert not body.get("errors"), body["errors"]
            return (time.perf_counter() - t0) * 1000

        impact: Callable[[], float] = lambda: ask(IMPACT, failed=[hub])  # noqa: E731
        costs: Callable[[], float] = lambda: ask(COSTS, period=period)  # noqa: E731
        impact(), costs()  # the projection and the month, built and read once
        times: dict[str, list[float]] = {step: [] for step in STEPS}
        for k in range(runs):
            consumer, retired = top[2 * k], top[2 * k + 1]
            writes: dict[str, Callable[[], float]] = {
                "addDependency": lambda: ask(ADD, c=consumer, p=hub),
                "createService": lambda: ask(CREATE, id=f"bench-{tag}-{k}"),
                "moveServiceStage": lambda: ask(RETIRE, s=retired),
                "updateService": lambda: ask(UPDATE, s=consumer, name=f"Renamed {tag} {k}"),
                "subscribe": lambda: ask(SUBSCRIBE, c=customer, s=consumer),
                "recordCostItem": lambda: ask(RECORD, input={
                    "id": f"bench-{tag}-{k}-{period}", "name": "Benchmark cost", "category": "SOFTWARE",
                    "nature": "OPEX", "amount": 100.0, "period": period,
                    "allocations": [{"service": consumer, "share": 1.0}]}),
            }
            questions = {"impact": impact, "costReport": costs}
            for step in STEPS:
                write, _, question = step.partition("|")
                times[step].append(questions[question]() if question else writes[write]())
        return {step: statistics.median(values) for step, values in times.items()}
    finally:
        server.terminate()
        server.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", default="2026-01")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="2,000 services, 3 rounds (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.services, args.runs = 2000, 3

    import numpy as np
    from generate import generate

    from graph_itsm.access.tokens import create_token
    from graph_itsm.config import Settings
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data
    from graph_itsm.store import open_store
    from graph_itsm.topology.cache import load_topology

    print(f"== writes benchmark: {args.services:,} services, ~{args.edges_per_service:g} edges a service, "
          f"{args.runs} rounds (the machine may be shared: compare with care)")
    with tempfile.TemporaryDirectory(prefix="bench-writes-") as tmp:
        data_dir = Path(tmp) / "db"
        store = open_store(Settings(data_dir=data_dir))
        try:
            t = time.perf_counter()
            import_document(store, document_from_data(generate(args.services, args.edges_per_service, args.seed,
                                                               period=args.period)))
            print(f"generate + import {time.perf_counter() - t:.1f} s")
            token = create_token(store, "bench-writes", ["admin"])
            topo = load_topology(store)
            hub = topo.ids[int(np.argmax(np.bincount(topo.provider, minlength=topo.n)))]
            # customer-facing services nothing depends on, in the catalogue: new consumers of the hub, then retired
            consumers = np.bincount(topo.consumer, minlength=topo.n)
            has_consumers = np.bincount(topo.provider, minlength=topo.n) > 0
            free = np.flatnonzero(topo.customer_facing & ~has_consumers & (topo.stage == 1) & (consumers > 0))
            top = [topo.ids[i] for i in free[: 4 * args.runs]]
            customer = topo.customer_ids[0]
            assert len(top) >= 4 * args.runs, "not enough customer-facing services to write to"
            del topo
        finally:
            store.close()
        print(f"load average before: {_load()}")
        before = _mode(data_dir, token, rebuild=True, runs=args.runs, period=args.period, hub=hub,
                       top=top[: 2 * args.runs], tag="before", customer=customer)
        print(f"load average between: {_load()}")
        after = _mode(data_dir, token, rebuild=False, runs=args.runs, period=args.period, hub=hub,
                      top=top[2 * args.runs:], tag="after", customer=customer)
        print(f"load average after: {_load()}")
    print(f"{'p50 over HTTP, ms':<22}{'rebuild on write':>18}{'patched':>10}{'ratio':>8}")
    for step in STEPS:
        label = f"  then {step.partition('|')[2]}" if "|" in step else step
        print(f"{label:<22}{before[step]:>18.1f}{after[step]:>10.1f}{before[step] / max(after[step], 1e-9):>7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
