"""Benchmark: one month's cost allocation over a large synthetic portfolio.

    PYTHONPATH=. python bench/bench_allocation.py [--services 100000] [--degree 4] [--cyclic 0.0] [--compare]

Builds a layered service graph with numpy (infrastructure at the bottom, customer-facing services on top,
providers drawn from lower layers, ~``degree`` DEPENDS_ON edges per service, a few back edges from a lower to a
higher layer with share 0, or a small positive share for the fraction ``--cyclic`` of them, which makes real
cycles), one cost item per service, and numbers the services in random order (as a database would). Prints the
time of each step and the conservation error. ``--compare`` also times the alternatives that were considered.
Not a timed test: figures vary by machine; read them as ratios measured in one run.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from graph_itsm.finance.allocation import item_matrix, allocate, allocation_weights
from graph_itsm.finance.linear import Rollup, closed_set
from graph_itsm.finance.model import CostCategory, CostItem, CostNature
from graph_itsm.finance.explain import by_category, origins, trace
from graph_itsm.topology.projection import STAGE_CODES, Topology


def synthetic_topology(n: int, degree: float, layers: int, back: float, cyclic: float, seed: int) -> Topology:
    rng = np.random.default_rng(seed)
    layer = np.sort(rng.integers(0, layers, n))  # in layer order here; renumbered randomly below
    first_above_0 = int(np.searchsorted(layer, 1))
    n_back = int(back * n)
    consumer = rng.integers(first_above_0, n, int(degree * n) - n_back)
    below = np.searchsorted(layer, layer[consumer], "left")  # providers come from lower layers
    provider = (rng.random(consumer.size) * below).astype(np.int64)
    back_c = rng.integers(0, n, n_back)
    back_p = rng.integers(0, n, n_back)
    upward = layer[back_c] < layer[back_p]
    consumer = np.concatenate([consumer, back_c[upward]])
    provider = np.concatenate([provider, back_p[upward]])
    is_back = np.zeros(consumer.size, bool)
    is_back[-int(upward.sum()) :] = True
    pairs, first = np.unique(consumer * n + provider, return_index=True)
    consumer, provider, is_back = pairs // n, pairs % n, is_back[first]

    # Shares: unstated (equal split) except at providers with a back edge, where every consumer states one.
    share = np.full(consumer.size, np.nan)
    stated = np.zeros(n, bool)
    stated[provider[is_back]] = True
    on = stated[provider]
    back_share = np.where(rng.random(consumer.size) < cyclic, 0.02, 0.0)
    raw = np.where(is_back, 0.0, rng.random(consumer.size) + 0.1)
    sums = np.bincount(provider[on], weights=raw[on], minlength=n)
    room = 0.97 - np.bincount(provider[on & is_back], weights=back_share[on & is_back], minlength=n)
    scaled = raw[on] / np.maximum(sums[provider[on]], 1e-300) * room[provider[on]]
    share[on] = np.where(is_back[on], back_share[on], scaled)

    stage = np.where(rng.random(n) < 0.02, STAGE_CODES["RETIRED"], STAGE_CODES["CATALOGUE"]).astype(np.int8)
    renumber = rng.permutation(n)  # database order, not topological
    m = consumer.size
    ids = [f"svc-{i:06d}" for i in range(n)]
    return Topology(
        version=1,
        ids=ids,
        index={s: i for i, s in enumerate(ids)},
        customer_facing=(layer == layers - 1)[np.argsort(renumber)],
        stage=stage,
        consumer=renumber[consumer].astype(np.int32),
        provider=renumber[provider].astype(np.int32),
        group=np.arange(m, dtype=np.int32),
        share=share,
        demand_factor=np.zeros(m),
        n_groups=m,
    )


def _timed(fn, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--degree", type=float, default=4.0)
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--back", type=float, default=0.02, help="back edges per service")
    parser.add_argument("--cyclic", type=float, default=0.0, help="fraction of back edges with a positive share")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare", action="store_true", help="also time the alternatives considered")
    args = parser.parse_args()

    topo, (t_build,) = _timed(
        lambda: synthetic_topology(args.services, args.degree, args.layers, args.back, args.cyclic, args.seed)
    )
    categories = list(CostCategory)
    items, (t_items,) = _timed(
        lambda: [
            CostItem(f"cost-{sid}", sid, categories[i % 6], CostNature.OPEX, 1000.0 + i % 997, "2026-01", [(sid, 1.0)])
            for i, sid in enumerate(topo.ids)
        ]
    )
    print(f"services {topo.n:,}  edges {topo.m:,}  cost items {len(items):,}")
    print(f"build topology (numpy)     {t_build * 1000:8.1f} ms")
    print(f"build cost items (Python)  {t_items * 1000:8.1f} ms")

    allocation, times = _timed(lambda: allocate(topo, items, period="2026-01"), args.repeat)
    print(
        f"allocate (whole month)     {times[0] * 1000:8.1f} ms first, {statistics.median(times) * 1000:.1f} ms median"
        f" of {args.repeat}"
    )
    print(f"  conservation error {allocation.conservation_error:.3e} on {allocation.total_direct:,.2f} "
          f"(relative {allocation.conservation_error / allocation.total_direct:.1e}); "
          f"solver {allocation.solver.method}")

    _, (t_i,) = _timed(lambda: item_matrix(topo, items))
    weights, (t_w,) = _timed(lambda: allocation_weights(topo))
    _, (t_c,) = _timed(lambda: closed_set(topo.n, topo.provider, topo.consumer, weights))
    solver, (t_m,) = _timed(lambda: Rollup(topo.n, topo.consumer, topo.provider, weights))
    _, (t_s,) = _timed(lambda: solver.solve(allocation.direct))
    print(f"  of which: cost items -> matrix {t_i * 1000:.1f} ms, weights {t_w * 1000:.1f} ms, "
          f"closed-cycle check {t_c * 1000:.1f} ms, sparse A {t_m * 1000:.1f} ms, solve {t_s * 1000:.1f} ms")
    _, (t_cat,) = _timed(lambda: by_category(allocation))
    top = int(np.argmax(allocation.total))
    _, (t_tr,) = _timed(lambda: trace(allocation, top))
    _, (t_or,) = _timed(lambda: origins(allocation, top))
    print(f"by_category (6 right sides) {t_cat * 1000:6.1f} ms; trace {t_tr * 1000:.1f} ms; "
          f"origins {t_or * 1000:.1f} ms")

    if args.compare:
        _compare(topo, weights, allocation)


def _compare(topo: Topology, weights: np.ndarray, allocation) -> None:
    """The same solve by the methods considered, on the same A and d."""
    import scipy.sparse as sp
    from scipy.sparse.linalg import splu

    from graph_itsm.finance import linear

    d, t = allocation.direct, allocation.total
    steps = linear.FIXED_POINT_LIMIT
    solver = Rollup(topo.n, topo.consumer, topo.provider, weights)
    x, (t_fp,) = _timed(lambda: solver.solve(d))
    print(f"compare: fixed-point iteration           {t_fp * 1000:8.1f} ms  ({solver.method})")
    linear.FIXED_POINT_LIMIT = 0
    try:
        solver = Rollup(topo.n, topo.consumer, topo.provider, weights)
        x, (t_lu,) = _timed(lambda: solver.solve(d))
        _, (t_again,) = _timed(lambda: solver.solve(d))
    finally:
        linear.FIXED_POINT_LIMIT = steps
    print(f"compare: SCC order + SuperLU (natural)   {t_lu * 1000:8.1f} ms first, {t_again * 1000:.1f} ms per "
          f"further solve ({solver.method}, largest block {solver.largest_block}); "
          f"max rel diff {np.abs(x - t).max() / np.abs(t).max():.1e}")
    system = (sp.identity(topo.n, format="csc") - solver.matrix).tocsc()
    _, (t_colamd,) = _timed(
        lambda: splu(system, permc_spec="COLAMD", diag_pivot_thresh=0.0, options={"SymmetricMode": True})
    )
    print(f"compare: SuperLU COLAMD, symmetric mode  {t_colamd * 1000:8.1f} ms (factorise only)")
    print("compare: scipy spsolve / splu with default options: minutes at this size (not run; see linear.py)")


if __name__ == "__main__":
    main()
