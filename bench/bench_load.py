"""Load benchmark: a realistic frontend mix against a running ``graph-itsm serve``, for a bounded time at several
connection counts, with the throughput of a trivial query (``{ __typename }``) measured in the same run as the
denominator of the ratio.

The load comes from ``wrk`` (Debian's package; ``--client wrk``, the default where it is installed): a compiled
client that spends about a hundredth of the CPU the server does, where this script's own httpx client
(``--client httpx``, the fallback) spent as much CPU as the server it measured and, on a 2-core machine, took
half the cores the server was meant to use. The client's CPU is reported beside the server's.

The mix (issue 15): 40 % service detail with dependencies and outcomes, 20 % filtered service lists (a page of
20 and the count), 15 % small impacts (counts and a first page), 10 % a service's cost for a month, 10 % a
customer's charge statement, 5 % a page of the month's cost report.

Reported per server set-up and connection count: requests a second, p50/p95/p99 latency, errors, CPU of the
server processes and of the database process (percent of one core, over the measured time), memory (resident)
at the start and the end of the run. Several set-ups (``--workers 1,2``) run one after another on one generated
portfolio, so they are compared side by side in one run.

    python bench/bench_load.py --services 20000 --duration 20 --workers 1,2
    python bench/bench_load.py --url http://127.0.0.1:8000 --period 2026-01   # a server already running
    python bench/bench_load.py --smoke                                        # CI: small and short
    python bench/bench_load.py --workers 1,2 --baseline /tmp/main             # main's code beside this one's
    python bench/bench_load.py --workers 1 --soak 600                         # 10 minutes at 8 connections
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SERVICE = """query Detail($id: ID!) { service(id: $id) { id name kind stage owner criticality
  dependencies { service { id name stage } share } consumers { service { id name } }
  enables { id name } } }"""
SERVICES = """query List($filter: ServiceFilter) { services(filter: $filter, first: 20) { totalCount
  edges { node { id name kind stage owner } } pageInfo { hasNextPage endCursor } } }"""
IMPACT = """query Impact($failed: [ID!]!) { impact(failed: $failed) { counts { services customerFacing outcomes customers }
  services(first: 10) { service { id name } status distance } } }"""
COST = """query Cost($id: ID!, $period: String!) { service(id: $id) { id name cost(period: $period) { direct total retained
  byCategory { category direct total } } } }"""
CHARGES = """query Charges($customer: ID!, $period: String!) { chargeStatement(customerId: $customer, period: $period) {
  total totalCost lines { service { id name } cost charge fraction } } }"""
REPORT = """query Report($period: String!, $offset: Int!) { costReport(period: $period) { totalDirect totalRetained
  services(first: 20, offset: $offset) { service { id name } direct total } } }"""
TRIVIAL = "{ __typename }"

WARM_SECONDS = 3.0  # of the mix before measuring: the first answers build the projections and the month's costs

MIX = (("service", 40), ("services", 20), ("impact", 15), ("cost", 10), ("charges", 10), ("report", 5))


@dataclass
class Estate:
    """What the mix asks about: ids that exist in the served graph."""

    services: list[str]
    small_impacts: list[str]  # services few others depend on: a small impact
    customers: list[str]
    owners: list[str]
    period: str
    pages: int  # pages of 20 in the cost report

    def request(self, rng: random.Random, kind: str) -> dict[str, Any]:
        if kind == "service":
            return {"query": SERVICE, "variables": {"id": rng.choice(self.services)}}
        if kind == "services":
            filters = [{"stage": "CATALOGUE"}, {"kind": "SUPPORTING", "stage": "CATALOGUE"}, {"kind": "CUSTOMER_FACING"},
                       {"owner": rng.choice(self.owners)} if self.owners else {"stage": "PIPELINE"}, {"search": "svc-1"}]
            return {"query": SERVICES, "variables": {"filter": rng.choice(filters)}}
        if kind == "impact":
            return {"query": IMPACT, "variables": {"failed": [rng.choice(self.small_impacts)]}}
        if kind == "cost":
            return {"query": COST, "variables": {"id": rng.choice(self.services), "period": self.period}}
        if kind == "charges":
            return {"query": CHARGES, "variables": {"customer": rng.choice(self.customers), "period": self.period}}
        return {"query": REPORT, "variables": {"period": self.period, "offset": 20 * rng.randrange(max(self.pages, 1))}}


def estate_of(doc: dict[str, Any], period: str) -> Estate:
    ids = [s["id"] for s in doc["services"]]
    fan_in: dict[str, int] = {}
    for s in doc["services"]:
        for d in s.get("dependsOn", s.get("dependencies", [])) or []:
            provider = d["service"] if isinstance(d, dict) else d
            fan_in[provider] = fan_in.get(provider, 0) + 1
    small = [i for i in ids if fan_in.get(i, 0) <= 2] or ids
    owners = sorted({s.get("owner") for s in doc["services"] if s.get("owner")})[:50]
    return Estate(ids, small, [c["id"] for c in doc.get("customers", [])], owners, period, min(len(ids) // 20, 50))


def estate_from_server(base: str, period: str) -> Estate:
    """The ids of a server already running (first pages only: enough for the mix)."""
    import httpx

    with httpx.Client(base_url=base, timeout=120) as http:
        def data(query: str) -> dict[str, Any]:
            body = http.post("/graphql", json={"query": query}).json()
            assert not body.get("errors"), body
            return body["data"]

        ids = [e["node"]["id"] for e in data("{ services(first: 500) { edges { node { id } } } }")["services"]["edges"]]
        # the customer-facing tier: few services depend on them, so their impacts are small
        top = [e["node"]["id"] for e in data('{ services(first: 500, filter: {kind: CUSTOMER_FACING}) '
                                              '{ edges { node { id } } } }')["services"]["edges"]]
        customers = [c["id"] for c in data("{ customers { id } }")["customers"]]
    return Estate(ids + top, top or ids, customers, [], period, min(len(ids) // 20, 50))


# -- processes -----------------------------------------------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    kids = [int(p) for p in out.split()]
    return kids + [g for k in kids for g in _children(k)]


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


@dataclass
class Processes:
    server: list[int] = field(default_factory=list)
    database: list[int] = field(default_factory=list)


# -- load ----------------------------------------------------------------------------------------------------

@dataclass
class Level:
    connections: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    server_cpu: float  # percent of one core
    db_cpu: float
    first_error: str = ""
    load: str = ""  # the machine's load average (1, 5, 15 min) at the end
    client_cpu: float = float("nan")  # percent of one core: the load client's own CPU
    percentiles: dict[float, float] = field(default_factory=dict)  # ms, where the client gives no latency list

    @property
    def cpu_ms(self) -> float:
        """Server CPU a request (ms): percent of one core over requests a second."""
        return 10 * self.server_cpu / self.rps if self.rps else float("nan")

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return self.percentiles.get(p, float("nan"))
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def _load(base: str, connections: int, seconds: float, make: Any, procs: Processes, seed: int) -> Level:
    import httpx

    latencies: list[float] = []
    errors = 0
    first_error = ""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        # warm the connections and the server's caches before the clock starts
        await asyncio.gather(*(http.post("/graphql", json={"query": TRIVIAL}) for _ in range(connections)))
        stop = time.perf_counter() + seconds
        cpu0 = (_cpu_seconds(procs.server), _cpu_seconds(procs.database))
        own0 = time.process_time()
        t0 = time.perf_counter()

        async def worker(k: int) -> None:
            nonlocal errors, first_error
            rng = random.Random(seed * 1000 + k)
            while time.perf_counter() < stop:
                body = make(rng)
                start = time.perf_counter()
                try:
                    response = await http.post("/graphql", json=body)
                    ok = response.status_code == 200 and not response.json().get("errors")
                    if not ok and not first_error:
                        first_error = response.text[:300]
                except httpx.HTTPError as e:
                    ok = False
                    first_error = first_error or repr(e)
                latencies.append((time.perf_counter() - start) * 1000)
                if not ok:
                    errors += 1

        await asyncio.gather(*(worker(k) for k in range(connections)))
        elapsed = time.perf_counter() - t0
        cpu1 = (_cpu_seconds(procs.server), _cpu_seconds(procs.database))
        own = time.process_time() - own0
    return Level(connections, len(latencies), errors, elapsed, latencies,
                 100 * (cpu1[0] - cpu0[0]) / elapsed, 100 * (cpu1[1] - cpu0[1]) / elapsed, first_error, load_average(),
                 client_cpu=100 * own / elapsed)


# wrk's script: the bodies are made here (the same mix, seeded) and sent in turn; an answer that is no 200 or holds
# GraphQL errors counts as an error; done() prints the counts and percentiles (microseconds) for _load_wrk to read.
_WRK_SCRIPT = """
local bodies = {%(bodies)s}
local headers = {["Content-Type"] = "application/json"}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) errors = 0; first_error = ""; sent = %(offset)d end
function request()
  sent = sent + 1
  return wrk.format("POST", "/graphql", headers, bodies[(sent %% #bodies) + 1])
end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body, 1, 300) end
  end
end
function done(summary, latency, requests)
  local e, first = 0, ""
  for _, t in ipairs(threads) do
    e = e + t:get("errors")
    if first == "" then first = t:get("first_error") end
  end
  local s = summary.errors
  io.write(string.format("GRAPH_ITSM requests=%%d duration_us=%%d errors=%%d socket=%%d\\n", summary.requests,
    summary.duration, e, s.connect + s.read + s.write + s.timeout))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("GRAPH_ITSM p%%d=%%d\\n", p, latency:percentile(p)))
  end
  io.write("GRAPH_ITSM first_error=" .. string.gsub(first, "\\n", " ") .. "\\n")
end
"""


def _lua_string(text: str) -> str:
    level = "=" * next(k for k in range(1, 10) if f"]{'=' * k}]" not in text)
    return f"[{level}[{text}]{level}]"


def _load_wrk(base: str, connections: int, seconds: float, make: Any, procs: Processes, seed: int,
              bodies: int = 4000) -> Level:
    """The load of :func:`_load`, sent by ``wrk`` (one thread, ``connections`` connections, ``seconds``)."""
    rng = random.Random(seed)
    texts = [json.dumps(make(rng), separators=(",", ":")) for _ in range(bodies)]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-load-", delete=False) as f:
        f.write(_WRK_SCRIPT % {"bodies": ",".join(map(_lua_string, texts)), "offset": seed % bodies})
        script = f.name
    try:
        cpu0 = (_cpu_seconds(procs.server), _cpu_seconds(procs.database))
        own0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(seconds, 1):.0f}s", "--timeout", "60s",
                              "-s", script, base + "/graphql"], capture_output=True, text=True, check=True).stdout
        elapsed = time.perf_counter() - t0
        cpu1 = (_cpu_seconds(procs.server), _cpu_seconds(procs.database))
        own1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        os.unlink(script)
    got: dict[str, str] = {}
    for line in out.splitlines():
        if line.startswith("GRAPH_ITSM first_error="):
            got["first_error"] = line.partition("=")[2]
        elif line.startswith("GRAPH_ITSM "):
            got.update(pair.split("=", 1) for pair in line.split()[1:])
    if "requests" not in got:
        raise SystemExit(f"wrk printed no figures:\n{out}")
    measured = int(got["duration_us"]) / 1e6
    own = (own1.ru_utime + own1.ru_stime) - (own0.ru_utime + own0.ru_stime)
    return Level(connections, int(got["requests"]), int(got["errors"]) + int(got["socket"]), measured, [],
                 100 * (cpu1[0] - cpu0[0]) / elapsed, 100 * (cpu1[1] - cpu0[1]) / elapsed, got["first_error"],
                 load_average(), client_cpu=100 * own / elapsed,
                 percentiles={p: int(got[f"p{p}"]) / 1000 for p in (50, 95, 99)})


CLIENT = "httpx"  # or "wrk": set by main() from --client


def measure(base: str, connections: int, seconds: float, make: Any, procs: Processes, seed: int) -> Level:
    """One bounded load by the client chosen (``CLIENT``)."""
    if CLIENT == "wrk":
        return _load_wrk(base, connections, seconds, make, procs, seed)
    return asyncio.run(_load(base, connections, seconds, make, procs, seed))


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _mix_request(estate: Estate) -> Any:
    kinds = [k for k, w in MIX for _ in range(w)]
    return lambda rng: estate.request(rng, rng.choice(kinds))


def run_levels(base: str, estate: Estate, procs: Processes, levels: list[int], seconds: float, label: str,
               seed: int = 0) -> list[tuple[Level, Level]]:
    """Each level: the mix for ``seconds``, then ``{ __typename }`` for half as long. Prints a line each."""
    mix = _mix_request(estate)
    trivial = lambda rng: {"query": TRIVIAL}  # noqa: E731
    rows = []
    for c in levels:
        mixed = measure(base, c, seconds, mix, procs, seed)
        typename = measure(base, c, max(seconds / 2, 1.0), trivial, procs, seed)
        rows.append((mixed, typename))
        ratio = mixed.rps / typename.rps if typename.rps else float("nan")
        print(f"{label} {c:>3} conn: mix {mixed.rps:7.1f} req/s  p50 {mixed.pct(50):6.1f}  p95 {mixed.pct(95):6.1f}  "
              f"p99 {mixed.pct(99):6.1f} ms  errors {mixed.errors}  | CPU server {mixed.server_cpu:5.0f} %  "
              f"db {mixed.db_cpu:4.0f} %  client {mixed.client_cpu:4.0f} %  ({mixed.cpu_ms:.1f} ms server CPU a request)  "
              f"| {{ __typename }} "
              f"{typename.rps:7.1f} req/s (p99 {typename.pct(99):.1f} ms, {typename.cpu_ms:.1f} ms CPU)  ratio {ratio:.3f}"
              f"  | load {mixed.load}", flush=True)
        if mixed.first_error:
            print(f"    first error: {mixed.first_error}")
    return rows


def soak(base: str, estate: Estate, procs: Processes, seconds: float, connections: int, label: str,
         seed: int = 0, slice_s: float = 60.0, warmup_s: float = 60.0) -> None:
    """The mix for ``seconds`` at ``connections``, in slices of ``slice_s``: a line a slice (throughput, p99,
    errors, memory, load), then the growth of the memory of the server and of the database from the soak's
    start to its end. The soak starts after ``warmup_s`` of the same mix, so that every worker has built its
    caches (projection, months, documents) before memory is first read: growth then means a leak, not a cache
    being filled."""
    mix = _mix_request(estate)
    if warmup_s > 0:
        before = (_rss_mb(procs.server), _rss_mb(procs.database))
        level = measure(base, connections, warmup_s, mix, procs, seed - 1)
        print(f"{label} soak warm-up: {level.seconds:.0f} s, {level.requests:,} requests, {level.errors} errors; "
              f"memory server {before[0]:.0f} -> {_rss_mb(procs.server):.0f} MB, database {before[1]:.0f} -> "
              f"{_rss_mb(procs.database):.0f} MB", flush=True)
    start = (_rss_mb(procs.server), _rss_mb(procs.database))
    print(f"{label} soak: {seconds:.0f} s at {connections} connections; memory at the start: server {start[0]:.0f} MB, "
          f"database {start[1]:.0f} MB; load {load_average()}", flush=True)
    done, errors, requests, k = 0.0, 0, 0, 0
    settled = start  # after the first slice: the caches a busy machine had not built in the warm-up are built
    while done < seconds - 0.5:
        part = min(slice_s, seconds - done)
        level = measure(base, connections, part, mix, procs, seed + k)
        done, errors, requests, k = done + level.seconds, errors + level.errors, requests + level.requests, k + 1
        now = (_rss_mb(procs.server), _rss_mb(procs.database))
        settled = now if k == 1 else settled
        print(f"  {done:5.0f} s: {level.rps:6.1f} req/s  p99 {level.pct(99):6.1f} ms  errors {level.errors}  "
              f"CPU server {level.server_cpu:4.0f} %  db {level.db_cpu:3.0f} %  client {level.client_cpu:3.0f} %  "
              f"memory server {now[0]:.0f} MB  "
              f"database {now[1]:.0f} MB  load {level.load}", flush=True)
        if level.first_error:
            print(f"    first error: {level.first_error}")
    end = (_rss_mb(procs.server), _rss_mb(procs.database))
    growth = lambda b, e: 100 * (e - b) / b if b else float("nan")  # noqa: E731
    print(f"{label} soak: {requests:,} requests, {errors} errors; memory server {start[0]:.0f} -> {end[0]:.0f} MB "
          f"({growth(start[0], end[0]):+.1f} %), database {start[1]:.0f} -> {end[1]:.0f} MB "
          f"({growth(start[1], end[1]):+.1f} %); after the first slice: server {settled[0]:.0f} -> {end[0]:.0f} MB "
          f"({growth(settled[0], end[0]):+.1f} %), database {settled[1]:.0f} -> {end[1]:.0f} MB "
          f"({growth(settled[1], end[1]):+.1f} %)", flush=True)


def summary(results: list[tuple[str, list[tuple[Level, Level]], tuple[float, float], tuple[float, float]]]) -> None:
    """One table of every set-up measured in this run, side by side."""
    print(f"\n(load client: {CLIENT})")
    print("| set-up | conn | req/s | p50 ms | p95 ms | p99 ms | errors | CPU server % | CPU db % | CPU client % "
          "| ms CPU/req | __typename req/s | ratio | memory server MB | memory db MB | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, rows, before, after in results:
        for mixed, typename in rows:
            ratio = mixed.rps / typename.rps if typename.rps else float("nan")
            print(f"| {label} | {mixed.connections} | {mixed.rps:.1f} | {mixed.pct(50):.1f} | {mixed.pct(95):.1f} | "
                  f"{mixed.pct(99):.1f} | {mixed.errors} | {mixed.server_cpu:.0f} | {mixed.db_cpu:.0f} | "
                  f"{mixed.client_cpu:.0f} | "
                  f"{mixed.cpu_ms:.1f} | {typename.rps:.1f} | {ratio:.3f} | {before[0]:.0f} -> {after[0]:.0f} | "
                  f"{before[1]:.0f} -> {after[1]:.0f} | {mixed.load} |")


# -- a server of our own -------------------------------------------------------------------------------------

def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(http: "httpx.Client", server: subprocess.Popen, timeout_s: float) -> bool:
    """Poll ``/healthz`` through ``http`` until it answers 200 (True), or the server exits or ``timeout_s``
    passes (False)."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if http.get("/healthz").status_code == 200:
                return True
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            return False
        time.sleep(0.1)


def start_server(data_dir: Path, workers: int, root: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """``graph-itsm serve`` on ``data_dir`` with the code of ``root`` (this checkout unless told), run by the
    Python of ``root``'s own ``.venv`` when another checkout has one (its own dependencies), else by this one."""
    import httpx

    own = root / ".venv" / "bin" / "python"
    python = str(own) if root != ROOT and own.exists() else sys.executable

    port = _free_port()
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(data_dir), "PYTHONPATH": str(root)}
    env.pop("GRAPH_ITSM_DB", None)
    server = subprocess.Popen(
        [python, "-m", "graph_itsm.cli", "serve", "--port", str(port), "--workers", str(workers),
         "--log-level", "warning"], env=env, stdin=subprocess.DEVNULL, cwd=str(root))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=5).status_code == 200 and len(_children(server.pid)) >= (
                    workers if workers > 1 else 0):
                return server, base
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit("the API did not start")
        time.sleep(0.2)


def _database_pids(data_dir: Path) -> list[int]:
    try:
        return [int((data_dir / "falkordb.pid").read_text().strip())]
    except (OSError, ValueError):
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of the mix at each connection count")
    parser.add_argument("--connections", default="1,8,32", help="comma-separated connection counts")
    parser.add_argument("--workers", default=str(os.cpu_count() or 1),
                        help="server set-ups to compare, comma-separated `serve --workers` values (e.g. 1,2)")
    parser.add_argument("--url", help="measure this running server instead of starting one (no CPU figures)")
    parser.add_argument("--server-pid", type=int, action="append", default=[],
                        help="with --url: the server's process (its children count too), for CPU and memory")
    parser.add_argument("--db-pid", type=int, action="append", default=[], help="with --url: the database's process")
    parser.add_argument("--label", default="server", help="with --url: how the lines are labelled")
    parser.add_argument("--period", default="2026-01")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", type=Path, metavar="ROOT",
                        help="also serve with the code of this checkout (e.g. an export of main), each set-up "
                        "right before this checkout's, on the same portfolio")
    parser.add_argument("--soak", type=float, metavar="SECONDS",
                        help="instead of the levels: the mix for this long at --soak-connections, reporting the "
                        "memory of server and database at the start and the end (growth %%) and the errors")
    parser.add_argument("--soak-connections", type=int, default=8)
    parser.add_argument("--soak-warmup", type=float, default=60.0, metavar="SECONDS",
                        help="the mix for this long before the soak's memory is first read (default 60)")
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto",
                        help="what sends the load: wrk (Debian's package; auto takes it where it is installed) "
                        "or this script's httpx client")
    parser.add_argument("--smoke", action="store_true", help="500 services, 2 s a level at 1 and 8 connections (CI)")
    args = parser.parse_args(argv)
    global CLIENT
    CLIENT = args.client if args.client != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    if CLIENT == "wrk" and not shutil.which("wrk"):
        parser.error("--client wrk: wrk is not installed (apt-get install wrk)")
    if args.smoke:
        args.services, args.duration, args.connections = 500, 2.0, "1,8"
    levels = [int(c) for c in args.connections.split(",") if c.strip()]
    print(f"== load benchmark (load sent by {CLIENT}): the machine may be shared; compare the lines of one run "
          f"(and each mix to its {{ __typename }}), not runs on different days")

    if args.url:
        estate = estate_from_server(args.url, args.period)
        procs = Processes(server=[p for pid in args.server_pid for p in (pid, *_children(pid))], database=args.db_pid)
        asyncio.run(_load(args.url, 2, WARM_SECONDS, _mix_request(estate), procs, args.seed + 99))  # as below
        if args.soak:
            soak(args.url, estate, procs, args.soak, args.soak_connections, args.label, args.seed,
                 warmup_s=args.soak_warmup)
            return 0
        before = (_rss_mb(procs.server), _rss_mb(procs.database))
        run_levels(args.url, estate, procs, levels, args.duration, args.label)
        after = (_rss_mb(procs.server), _rss_mb(procs.database))
        if procs.server:
            print(f"{args.label} memory: server {before[0]:.0f} -> {after[0]:.0f} MB, "
                  f"database {before[1]:.0f} -> {after[1]:.0f} MB (resident)")
        return 0

    from generate import generate

    from graph_itsm.config import Settings
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data
    from graph_itsm.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        data_dir = Path(tmp) / "db"
        store = open_store(Settings(data_dir=data_dir))
        try:
            start = time.perf_counter()
            doc = generate(args.services, args.edges_per_service, args.seed, period=args.period)
            estate = estate_of(doc, args.period)
            import_document(store, document_from_data(doc))
            print(f"{args.services:,} services, {len(estate.customers)} customers: generated and imported in "
                  f"{time.perf_counter() - start:.1f} s")
            del doc
            gc.collect()
            setups = []
            for workers in [int(w) for w in args.workers.split(",") if w.strip()]:
                if args.baseline:
                    setups.append((f"baseline workers={workers}", args.baseline.resolve(), workers))
                setups.append((f"{'this ' if args.baseline else ''}workers={workers}", ROOT, workers))
            results = []
            for label, root, workers in setups:
                server, base = start_server(data_dir, workers, root)
                try:
                    procs = Processes(server=[server.pid, *_children(server.pid)], database=_database_pids(data_dir))
                    # first answers build the projection and the month's allocation in every worker
                    warm = _mix_request(estate)
                    asyncio.run(_load(base, max(workers, 1) * 2, WARM_SECONDS, warm, procs, args.seed + 99))
                    if args.soak:
                        soak(base, estate, procs, args.soak, args.soak_connections, label, args.seed,
                             warmup_s=args.soak_warmup)
                        continue
                    before = (_rss_mb(procs.server), _rss_mb(procs.database))
                    rows = run_levels(base, estate, procs, levels, args.duration, label, args.seed)
                    after = (_rss_mb(procs.server), _rss_mb(procs.database))
                    print(f"{label} memory: server {before[0]:.0f} -> {after[0]:.0f} MB, "
                          f"database {before[1]:.0f} -> {after[1]:.0f} MB (resident)")
                    results.append((label, rows, before, after))
                finally:
                    server.terminate()
                    server.wait(timeout=60)
            if results:
                summary(results)
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
