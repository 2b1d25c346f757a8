"""Benchmark of impact analysis end to end, on one generated portfolio in a fresh embedded FalkorDB.

Imports ``generate(--services N)`` through the project's importer into a temporary data directory, starts
``graph-itsm serve`` on it (a subprocess on 127.0.0.1, a free port), then measures on that same graph, in
this one run, the failure of the service with the most direct consumers:

  (a) ``impact`` through HTTP GraphQL: counts, the first 100 services, outcomes and customers;
  (b) the same answer from level-by-level Cypher BFS: one ``UNWIND $frontier`` query per level, then the
      members and k-of-n rules of the redundancy groups met, the DOWN fixpoint in plain Python over the
      fetched edges, and the queries for kinds, names, outcomes and customers that the answer needs; like the
      engine it leaves out services out of service (RETIRED without a special business case) and needs
      ``minUp``/``minUpPercent`` members of a group up (the generated portfolio gets such rules, see
      :func:`with_k_of_n`);
  (c) the in-memory engine on the projection (``compute_impact``: BFS + DOWN fixpoint + ordering);
  (d) the naive variable-length Cypher reachability, under a FalkorDB query timeout;
  (e) the NDJSON stream of the whole set through HTTP, in rows/s;
  (f) the projection: build time (``load_topology``) and bytes per edge.

It prints p50/p95, ratios and the targets beside them. It is not a test: it fails on nothing timed.

    PYTHONPATH=. python bench/bench_impact.py                 # 100,000 services, about 400,000 edges
    PYTHONPATH=. python bench/bench_impact.py --services 20000 --edges-per-service 5
    PYTHONPATH=. python bench/bench_impact.py --smoke         # a small size, quickly (CI)
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from generate import generate  # noqa: E402
from bench_load import wait_healthy  # noqa: E402

from graph_itsm.config import Settings  # noqa: E402
from graph_itsm.errors import TooComplex  # noqa: E402
from graph_itsm.impact.engine import DOWN, compute_impact  # noqa: E402
from graph_itsm.impact.ndjson import _json_texts  # noqa: E402
from graph_itsm.portfolio.importer import import_document  # noqa: E402
from graph_itsm.portfolio.parsing import document_from_data  # noqa: E402
from graph_itsm.store import GraphStore, open_store  # noqa: E402
from graph_itsm.store.queries import Query, parse_query  # noqa: E402
from graph_itsm.topology.cache import load_topology  # noqa: E402
from graph_itsm.topology.projection import redundancy_rules  # noqa: E402

PAGE = 100
GRAPHQL = """
query Impact($failed: [ID!]!, $first: Int) {
  impact(failed: $failed) {
    counts { services down degraded customerFacing outcomes customers }
    services(first: $first) { service { id name } status distance path }
    outcomes { outcome { id name } status }
    customers { customer { id name } status }
  }
}
"""

# The same question with the first 100 of every list asked for explicitly (outcomes and customers are pages of
# 100 by default, so the answer is the same as GRAPHQL's).
GRAPHQL_PAGED = """
query Impact($failed: [ID!]!, $first: Int) {
  impact(failed: $failed) {
    counts { services down degraded customerFacing outcomes customers }
    services(first: $first) { service { id name } status distance path }
    outcomes(first: $first) { outcome { id name } status }
    customers(first: $first) { customer { id name } status }
  }
}
"""


def _q(text: str) -> Query:
    params = "".join(f"// param {p}: list<string>\n" for p in ("frontier", "ids") if f"${p}" in text)
    return parse_query(f"// name: bench\n// returns: many\n{params}{text}", name="bench")


# (b) Cypher one level at a time: what the database alone can do without enumerating paths.
LEVEL = _q(
    "UNWIND $frontier AS id MATCH (p:Service {id: id})<-[d:DEPENDS_ON]-(c:Service) "
    "RETURN p.id, c.id, c.kind, d.redundancyGroup, c.stage"
)
GROUP_MEMBERS = _q(
    "UNWIND $ids AS id MATCH (c:Service {id: id})-[d:DEPENDS_ON]->(p:Service) WHERE d.redundancyGroup IS NOT NULL "
    "RETURN c.id, d.redundancyGroup, p.id, p.stage, c.redundancy"
)
SPECIAL = _q(
    "UNWIND $ids AS id MATCH (:Customer)-[x:SUBSCRIBES]->(s:Service {id: id}) RETURN s.id, x.specialBusinessCase"
)
KINDS = _q("UNWIND $ids AS id MATCH (s:Service {id: id}) RETURN s.id, s.kind, s.stage")
NAMES = _q("UNWIND $ids AS id MATCH (s:Service {id: id}) RETURN s.id, s.name")
ENABLES = _q("UNWIND $ids AS id MATCH (s:Service {id: id})-[:ENABLES]->(o:BusinessOutcome) RETURN s.id, o.id, o.name")
SUBSCRIBERS = _q("UNWIND $ids AS id MATCH (c:Customer)-[:SUBSCRIBES]->(s:Service {id: id}) RETURN s.id, c.id")
PURSUERS = _q("UNWIND $ids AS id MATCH (c:Customer)-[:PURSUES]->(o:BusinessOutcome {id: id}) RETURN o.id, c.id")
CUSTOMER_NAMES = _q("UNWIND $ids AS id MATCH (c:Customer {id: id}) RETURN c.id, c.name")
NAIVE = "MATCH (x:Service {id: $id})<-[:DEPENDS_ON*1..]-(up:Service) RETURN count(DISTINCT up)"


def _delivered(store: GraphStore, stages: dict[str, str]) -> set[str]:
    """Those of ``stages`` (id -> stage) that are delivered (spec "Impact analysis"): not RETIRED, or RETIRED
    but still held by a subscription with a special business case. One query for the retired ones."""
    live = {s for s, stage in stages.items() if stage != "RETIRED"}
    retired = sorted(set(stages) - live)
    if retired:
        live |= {s for s, case in store.read_tuples(SPECIAL, {"ids": retired}) if case}
    return live


def _need(rules: dict[str, tuple[int, float]], group: str, size: int) -> int:
    """How many members of ``group`` (``size`` of them in service) must be up: ``minUpPercent`` of them rounded
    up, or ``minUp``, or 1; at least 1 and at most ``size`` (graph_itsm.topology.projection.Topology.group_need)."""
    up, percent = rules.get(group, (0, 0.0))
    need = up if up > 0 else 1
    if percent > 0:
        need = math.ceil(percent * size / 100.0 - 1e-9)
    return min(max(need, 1), size)


def with_k_of_n(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with k-of-n rules stated on some redundancy groups (the generator states none, so each pair
    would need one of its two): every third consumer of a pair needs both (``minUp: 2``), every third after it
    75 % of them (both, rounded up). Then (b) and (c) also have to agree on the k-of-n rule."""
    k = 0
    for service in doc["services"]:
        named = [d["redundancyGroup"] for d in service.get("dependsOn") or [] if d.get("redundancyGroup")]
        groups = sorted(g for g in set(named) if named.count(g) > 1)  # a pair, not a group of one
        if not groups:
            continue
        k += 1
        if k % 3 == 1:
            service["redundancy"] = [{"group": groups[0], "minUp": 2}]
        elif k % 3 == 2:
            service["redundancy"] = [{"group": groups[0], "minUpPercent": 75}]
    return doc


def cypher_bfs(store: GraphStore, failed: list[str]) -> dict[str, Any]:
    """The answer of (a) from Cypher, level by level, with the DOWN fixpoint in Python. Only delivered services
    take part: one out of service is never impacted, passes nothing on and is no member of a redundancy group;
    a group is DOWN when fewer than its ``minUp`` (k of n) members are up."""
    found = {s: (k, st) for s, k, st in store.read_tuples(KINDS, {"ids": failed})}
    live = _delivered(store, {s: st for s, (_, st) in found.items()})
    sources = [f for f in dict.fromkeys(failed) if f in live]
    distance = {f: 0 for f in sources}
    parent: dict[str, str] = {}
    kind = {s: k for s, (k, _) in found.items()}
    consumers: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    frontier, level = list(sources), 0
    while frontier:
        level += 1
        fresh = []
        rows = store.read_tuples(LEVEL, {"frontier": frontier})
        live |= _delivered(store, {c: st for _, c, _, _, st in rows if c not in live})
        for p, c, k, g, _ in rows:
            if c not in live:
                continue  # out of service: not impacted, and the failure goes no further through it
            consumers[p].append((c, g))
            if c not in distance:
                distance[c], parent[c], kind[c] = level, p, k
                fresh.append(c)
        frontier = fresh
    grouped = sorted({c for edges in consumers.values() for c, g in edges if g is not None})
    members = store.read_tuples(GROUP_MEMBERS, {"ids": grouped})
    live |= _delivered(store, {p: st for _, _, p, st, _ in members if p not in live})
    size: dict[tuple[str, str], int] = defaultdict(int)
    rules: dict[str, dict[str, tuple[int, float]]] = {}
    for c, g, p, _, redundancy in members:
        if p in live:
            size[(c, g)] += 1
        rules[c] = {r["group"]: (int(r.get("minUp") or 0), float(r.get("minUpPercent") or 0.0))
                    for r in redundancy_rules(redundancy)}
    # DOWN: the least fixpoint, a worklist over the fetched edges; a group falls when more of its members are
    # DOWN than it can spare (size - need).
    down, queue = set(sources), deque(sources)
    spare: dict[tuple[str, str], int] = {}
    while queue:
        p = queue.popleft()
        for c, g in consumers.get(p, ()):
            if c in down:
                continue
            if g is not None:
                key = (c, g)
                if key not in spare:
                    spare[key] = size[key] - _need(rules.get(c, {}), g, size[key])
                spare[key] -= 1
                if spare[key] >= 0:
                    continue
            down.add(c)
            queue.append(c)
    order = sorted(distance, key=lambda s: (distance[s], s))
    status = {s: "DOWN" if s in down else "DEGRADED" for s in order}
    page = order[:PAGE]
    names = dict(store.read_tuples(NAMES, {"ids": page}))
    rows = []
    for s in page:
        path = [s]
        while path[-1] in parent:
            path.append(parent[path[-1]])
        rows.append({"service": {"id": s, "name": names[s]}, "status": status[s], "distance": distance[s],
                     "path": path[::-1]})
    facing = [s for s in order if kind[s] == "CUSTOMER_FACING"]
    worst: dict[str, str] = {}
    outcome_names: dict[str, str] = {}

    def worse(table: dict[str, str], key: str, st: str) -> None:
        if table.get(key) != "DOWN":
            table[key] = st

    for s, o, name in store.read_tuples(ENABLES, {"ids": facing}):
        outcome_names[o] = name
        worse(worst, o, status[s])
    customers: dict[str, str] = {}
    for s, c in store.read_tuples(SUBSCRIBERS, {"ids": facing}):
        worse(customers, c, status[s])
    for o, c in store.read_tuples(PURSUERS, {"ids": sorted(worst)}):
        worse(customers, c, worst[o])
    customer_names = dict(store.read_tuples(CUSTOMER_NAMES, {"ids": sorted(customers)}))
    return {
        "counts": {"services": len(order), "down": len(down), "degraded": len(order) - len(down),
                   "customerFacing": len(facing), "outcomes": len(worst), "customers": len(customers)},
        "services": rows,
        # the API's default page of outcomes and customers (graph_itsm.paging.LIST_PAGE_SIZE)
        "outcomes": [{"outcome": {"id": o, "name": outcome_names[o]}, "status": worst[o]} for o in sorted(worst)[:PAGE]],
        "customers": [{"customer": {"id": c, "name": customer_names[c]}, "status": customers[c]}
                      for c in sorted(customers)[:PAGE]],
        "levels": level - 1,
    }


# -- plumbing ----------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(fn: Callable[[], Any], runs: int, warmup: int = 1) -> tuple[list[float], Any]:
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def _p(times: list[float]) -> tuple[float, float]:
    p50, p95 = np.percentile(times, [50, 95])
    return float(p50), float(p95)


def _line(label: str, times: list[float], target: str = "") -> float:
    p50, p95 = _p(times)
    print(f"  {label:<46} p50 {p50:9.1f} ms   p95 {p95:9.1f} ms   {target}")
    return p50


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark impact analysis end to end on a generated portfolio.")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--runs", type=int, default=20, help="timed runs of the fast measurements")
    parser.add_argument("--slow-runs", type=int, default=5, help="timed runs of the Cypher BFS and the stream")
    parser.add_argument("--naive-timeout", type=float, default=20.0, help="seconds for the variable-length query")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="2,000 services, a few runs (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.services, args.runs, args.slow_runs, args.naive_timeout = 2000, 5, 2, 5.0

    import httpx

    with tempfile.TemporaryDirectory(prefix="bench-impact-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "db")
        store = open_store(settings)
        server = None
        try:
            server = _run(args, store, settings, httpx)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            store.close()
    return 0


def _run(args: argparse.Namespace, store: GraphStore, settings: Settings, httpx: Any) -> subprocess.Popen | None:
    print(f"== impact benchmark: {args.services:,} services, ~{args.edges_per_service:g} edges a service, seed {args.seed}")
    start = time.perf_counter()
    doc = with_k_of_n(generate(args.services, args.edges_per_service, args.seed))
    document = document_from_data(doc)
    parsed = time.perf_counter() - start
    start = time.perf_counter()
    import_document(store, document)  # the project's importer: validated, one atomic write
    print(f"generate + parse {parsed:.1f} s; import through the project's importer {time.perf_counter() - start:.1f} s")
    del doc, document
    gc.collect()

    # (f) the projection
    build_times, topo = _timed(lambda: load_topology(store), max(1, min(3, args.slow_runs)), warmup=0)
    for name in ("redundant_by_provider", "consumers_by_provider", "providers_by_consumer", "id_rank", "by_consumer"):
        getattr(topo, name)
    ids_json, names_json = _json_texts(topo)
    fragments = sum(sys.getsizeof(s) for s in ids_json) + sum(sys.getsizeof(s) for s in names_json) + 2 * sys.getsizeof(ids_json)
    per_edge = topo.nbytes() / max(topo.m, 1)
    print(f"graph: {topo.n:,} services, {topo.m:,} DEPENDS_ON edges")

    indegree = np.bincount(topo.provider, minlength=topo.n)
    hub = int(np.argmax(indegree))
    failed = [topo.ids[hub]]

    # The API in its own process, as deployed: `graph-itsm serve` on the same embedded database.
    port = _free_port()
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("GRAPH_ITSM_DB", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "graph_itsm.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env=env, stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    http = httpx.Client(base_url=base, timeout=120)
    if not wait_healthy(http, server, 60):
        print("the API did not start; skipping the HTTP measurements")
        return server

    def graphql(question: list[str] = failed, query: str = GRAPHQL) -> dict[str, Any]:
        response = http.post("/graphql", json={"query": query, "variables": {"failed": question, "first": PAGE}})
        body = response.json()
        assert "errors" not in body, body
        return body["data"]["impact"]

    start = time.perf_counter()
    first_answer = graphql()
    first_request = (time.perf_counter() - start) * 1000

    # (a) warm: the same question again (the server keeps the last few reports of a snapshot), and cold:
    # a question not asked before (the hub with one more service each time), so the traversal runs.
    http_times, answer = _timed(graphql, args.runs)
    rng = np.random.default_rng(args.seed)
    extra = [topo.ids[i] for i in rng.choice(np.flatnonzero(np.arange(topo.n) != hub), args.runs + 1, replace=False)]
    questions = iter([[failed[0], x] for x in extra])
    cold_times, _ = _timed(lambda: graphql(next(questions)), args.runs)
    paged_times, _ = _timed(lambda: graphql(failed, GRAPHQL_PAGED), args.runs)
    paged_questions = iter([[failed[0], x, y] for x, y in zip(extra, extra[1:] + extra[:1])])
    paged_cold_times, _ = _timed(lambda: graphql(next(paged_questions), GRAPHQL_PAGED), args.runs)
    # (c) and (b)
    mem_times, result = _timed(lambda: compute_impact(topo, [hub]), args.runs)
    mem_cold = iter([[hub, topo.index[x]] for x in extra])
    mem_cold_times, _ = _timed(lambda: compute_impact(topo, next(mem_cold)), args.runs)
    bfs_times, bfs = _timed(lambda: cypher_bfs(store, failed), args.slow_runs)

    # (e) the stream, first byte to last
    def stream() -> int:
        rows = 0
        with http.stream("GET", "/impact.ndjson", params={"failed": ",".join(failed)}) as response:
            assert response.status_code == 200
            for chunk in response.iter_bytes():
                rows += chunk.count(b"\n")
        return rows

    stream_times, streamed = _timed(stream, args.slow_runs)

    # (d) the naive query, once, under a timeout
    start = time.perf_counter()
    try:
        found = store.read_only(NAIVE, {"id": failed[0]}, timeout_ms=int(args.naive_timeout * 1000), max_rows=1)
        naive = f"{found.rows[0][0]:,} consumers in {(time.perf_counter() - start):.2f} s"
    except TooComplex:
        naive = f"timed out after {time.perf_counter() - start:.1f} s (limit {args.naive_timeout:g} s)"

    counts = answer["counts"]
    agree = (
        answer == first_answer
        and {k: v for k, v in bfs.items() if k != "levels"} == answer
        and counts["services"] == result.services.size
        and counts["down"] == int(np.count_nonzero(result.status[result.services] == DOWN))
    )
    print(
        f"failure of {failed[0]} ({int(indegree[hub]):,} direct consumers): {counts['services']:,} impacted "
        f"({counts['down']:,} DOWN, {counts['degraded']:,} DEGRADED) over {bfs['levels']} levels, "
        f"{counts['customerFacing']:,} customer-facing, {counts['outcomes']:,} outcomes, {counts['customers']:,} customers"
    )
    print(f"the answers of (a) HTTP, (b) Cypher BFS and (c) in-memory agree: {'yes' if agree else 'NO'}")

    big = args.services >= 50_000
    target_ms = 150 if big else 30
    print("\nlatency of one impact question (counts, the first 100 services, outcomes, customers)")
    http_p50 = _line("(a) HTTP GraphQL, a question asked before", http_times,
                     f"target p50 < {target_ms} ms: {_verdict(_p(http_times)[0] < target_ms)}")
    cold_p50 = _line("(a) HTTP GraphQL, a new question", cold_times,
                     f"target p50 < {target_ms} ms: {_verdict(_p(cold_times)[0] < target_ms)}")
    bfs_p50 = _line("(b) Cypher BFS, one query a level + Python", bfs_times)
    mem_p50 = _line("(c) in-memory compute_impact", mem_times)
    mem_cold_p50 = _line("(c) in-memory, the new questions of (a)", mem_cold_times)
    print(f"  {'(d) naive variable-length Cypher':<46} {naive}")
    print(f"  first HTTP request after start (builds the projection): {first_request:,.0f} ms")
    ratio, cold_ratio = http_p50 / mem_p50, cold_p50 / mem_cold_p50
    goal = lambda r: f" (target < 3x: {_verdict(r < 3)})" if big else ""  # noqa: E731
    print(f"  HTTP / in-memory: asked before {ratio:.2f}x{goal(ratio)}, new {cold_ratio:.2f}x{goal(cold_ratio)}")
    print(f"  Cypher BFS / HTTP (new) {bfs_p50 / cold_p50:.0f}x; Cypher BFS / in-memory {bfs_p50 / mem_p50:.0f}x")
    print("\nthe same with the first 100 of every list (services, outcomes, customers)")
    paged_p50 = _line("(a') HTTP GraphQL, a question asked before", paged_times,
                      f"target p50 < {target_ms} ms: {_verdict(_p(paged_times)[0] < target_ms)}")
    paged_cold_p50 = _line("(a') HTTP GraphQL, a new question", paged_cold_times,
                           f"target p50 < {target_ms} ms: {_verdict(_p(paged_cold_times)[0] < target_ms)}")
    p_ratio, p_cold_ratio = paged_p50 / mem_p50, paged_cold_p50 / mem_cold_p50
    print(f"  HTTP / in-memory: asked before {p_ratio:.2f}x{goal(p_ratio)}, new {p_cold_ratio:.2f}x{goal(p_cold_ratio)}")

    print("\nNDJSON stream of the whole set (HTTP, request to last byte)")
    s50, s95 = _p(stream_times)
    rate = streamed / (s50 / 1000)
    print(f"  {streamed:,} rows: p50 {s50:,.0f} ms, p95 {s95:,.0f} ms, {rate:,.0f} rows/s "
          f"(target >= 200,000 rows/s: {_verdict(rate >= 200_000)})")

    print("\nprojection")
    b50 = float(np.median(build_times))
    print(f"  build (load_topology, one pass): {b50:,.0f} ms (target < 5 s: {_verdict(b50 < 5000)})")
    print(f"  memory: {topo.nbytes() / 1e6:.1f} MB, {per_edge:.0f} bytes/edge (target < 200: {_verdict(per_edge < 200)}); "
          f"NDJSON text cache {fragments / 1e6:.1f} MB more ({fragments / max(topo.m, 1):.0f} bytes/edge)")
    http.close()
    return server


if __name__ == "__main__":
    sys.exit(main())
