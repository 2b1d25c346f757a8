"""Benchmark: what the sandbox costs ad-hoc Cypher on the embedded FalkorDB (graph_itsm/store/sandbox.py).

    PYTHONPATH=. python bench/bench_sandbox.py [--services 20000] [--runs 5] [--smoke]

Generates a portfolio with ``bench/generate.py``, imports it into a fresh embedded FalkorDB, then times, in one run:

- the first ad-hoc query of a process: the sandbox's server starts and the graph is copied (``DUMP``/``RESTORE``);
- an ad-hoc query on a copy that is current (no copy made): beside it, the same query on the graph's own server
  (what ad-hoc Cypher cost before the sandbox) as the ratio's denominator;
- an ad-hoc query after a write moved the graph's version (a new copy);
- the product's own simple query on the graph's server while copies are made again and again (``DUMP`` runs on
  that server's main thread): its p50/p99 against the same query with nothing else running.

Prints the figures and ratios; never fails on timing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from graph_itsm.config import Settings  # noqa: E402
from graph_itsm.portfolio import document_from_data  # noqa: E402
from graph_itsm.portfolio.importer import import_document  # noqa: E402
from graph_itsm.store import Query, open_store  # noqa: E402

AD_HOC = "MATCH (s:Service)-[d:DEPENDS_ON]->(p:Service) RETURN p.kind AS kind, count(d) AS n ORDER BY n DESC"
SIMPLE = Query(name="bench/count", text="MATCH (s:Service {id: $id}) RETURN s.name AS name", returns="scalar",
               params={"id": "string"})
BUMP = Query(name="bench/bump", text="MATCH (m:Meta {id: 'graph'}) SET m.version = m.version + 1", returns="write",
             params={})


def _ms(values: list[float]) -> str:
    p50, p99 = np.percentile(np.asarray(values) * 1000, [50, 99])
    return f"p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  (n={len(values)})"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="500 services, 2 runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.services, args.runs = 500, 2

    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as tmp:
        doc = generate(args.services)
        store = open_store(Settings(data_dir=Path(tmp)))
        try:
            import_document(store, document_from_data(doc))
            first_id = doc["services"][0]["id"]
            del doc
            _run(store, args, first_id)
        finally:
            store.close()
    return 0


def _run(store, args: argparse.Namespace, service_id: str) -> None:
    sandbox = store._sandbox
    ad_hoc = lambda: store.read_only(AD_HOC, {}, timeout_ms=10_000, max_rows=10_000)  # noqa: E731
    nodes = store._db.connection.execute_command("GRAPH.RO_QUERY", "itsm", "MATCH (n) RETURN count(n)")[1][0][0]
    print(f"services {args.services:,}  nodes {nodes:,}")

    first = _timed(ad_hoc)
    print(f"first ad-hoc query (sandbox started, graph copied): {first * 1000:8.1f} ms  copies {sandbox.copies}")

    current = [_timed(ad_hoc) for _ in range(args.runs * 4)]
    direct = [_timed(lambda: store._graph.ro_query(AD_HOC, {}, timeout=10_000)) for _ in range(args.runs * 4)]
    print(f"ad-hoc, copy current:             {_ms(current)}")
    print(f"same query on the graph's server: {_ms(direct)}   ratio {np.median(current) / np.median(direct):.2f}")

    after_write = []
    for _ in range(args.runs):
        store.write(BUMP)
        after_write.append(_timed(ad_hoc))
    print(f"ad-hoc after a write (new copy):  {_ms(after_write)}   copies {sandbox.copies}")

    alone = [_timed(lambda: store.scalar(SIMPLE, {"id": service_id})) for _ in range(200)]
    stop = threading.Event()

    def copy_again_and_again() -> None:
        while not stop.is_set():
            store.write(BUMP)
            ad_hoc()

    copier = threading.Thread(target=copy_again_and_again, daemon=True)
    copier.start()
    beside = []
    deadline = time.monotonic() + max(3.0, 3 * float(np.median(after_write)))
    while time.monotonic() < deadline:
        beside.append(_timed(lambda: store.scalar(SIMPLE, {"id": service_id})))
        time.sleep(0.005)
    stop.set()
    copier.join()
    print(f"product query, nothing else:      {_ms(alone)}")
    print(f"product query, copies being made: {_ms(beside)}   p99 ratio "
          f"{np.percentile(beside, 99) / np.percentile(alone, 99):.1f}  (copies made {sandbox.copies})")


if __name__ == "__main__":
    raise SystemExit(main())
