"""A synthetic service portfolio of any size, for benchmarks (spec/portfolio-format.md).

Shape: a customer-facing tier (about 5 % of services) over layers of supporting services that grow towards
the top (a few data-centre-like services at the bottom, many application services above). Every dependency
goes from a higher layer to a lower one, mostly to the layer just below, and favours popular providers, so a
bottom-layer hub is needed, transitively, by most of the estate. On top of that:

* redundancy: some dependencies get a partner edge to the provider's sibling, the pair forming one
  ``redundancyGroup`` (think dc-east/dc-west);
* cycles: a few edges get a back edge (provider -> consumer) with ``share: 0.0``; the other consumers of the
  back edge's provider state equal shares, so cost allocation stays solvable and every cycle has a zero link;
* about one customer per 100 services and one outcome per 50; one cost item per service for ``period``,
  allocated wholly to it; a budget line per customer-facing service.

``generate()`` returns the document; ``generate_rows()`` returns the rows ``Topology.build`` takes, without
building a million small dicts. Both are deterministic in ``seed``.

CLI: ``python bench/generate.py --services 100000 --out portfolio.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph_itsm.heap import gc_paused

__all__ = ["generate", "generate_rows", "Rows"]

_CATEGORIES = ("HARDWARE", "SOFTWARE", "PEOPLE", "FACILITIES", "EXTERNAL_SERVICE", "OTHER")
_PRICING = (
    {"model": "COST_RECOVERY"},
    {"model": "COST_PLUS", "markup": 0.1},
    {"model": "FIXED", "price": 250.0},
    {"model": "PER_UNIT", "price": 2.5},
    {"model": "NOT_CHARGED"},
)


@dataclass
class _Plan:
    """Everything drawn at random, as arrays; both output forms are rendered from it."""

    ids: list[str]
    layer: np.ndarray  # int[n]: 0 = bottom supporting layer, top = customer-facing tier
    customer_facing: np.ndarray  # bool[n]
    stage: list[str]
    consumer: np.ndarray  # int[m]
    provider: np.ndarray  # int[m]
    share: np.ndarray  # float[m], NaN = not stated
    group: list[str | None]  # redundancyGroup per edge
    demand_factor: np.ndarray  # float[m], NaN = not stated
    outcome_ids: list[str]
    enables: list[tuple[int, int]]  # (service, outcome)
    customer_ids: list[str]
    subscribes: list[tuple[int, int]]  # (customer, service)
    pursues: list[tuple[int, int]]  # (customer, outcome)


@dataclass
class Rows:
    """The arguments of ``Topology.build``, plus each service's layer (0 = bottom)."""

    services: list[tuple[str, str, str]]
    edges: list[tuple[str, str, float | None, str | None, float | None]]
    enables: list[tuple[str, str]]
    subscribes: list[tuple[str, str]]
    pursues: list[tuple[str, str]]
    layer: np.ndarray


def _plan(services: int, edges_per_service: float, seed: int) -> _Plan:
    if services < 2:
        raise ValueError("services must be at least 2")
    rng = np.random.default_rng(seed)
    n = services
    n_cf = max(1, round(0.05 * n))
    n_sup = n - n_cf
    n_layers = int(np.clip(np.log(max(n_sup, 2)) / np.log(3), 1, 10))
    n_layers = min(n_layers, n_sup)
    weights = 1.6 ** np.arange(n_layers)  # layers grow towards the top
    sizes = 1 + np.floor((n_sup - n_layers) * weights / weights.sum()).astype(np.int64)
    sizes[-1] += n_sup - sizes.sum()
    sizes = np.append(sizes, n_cf)  # the customer-facing tier on top
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    layer = np.repeat(np.arange(sizes.size), sizes)
    top = sizes.size - 1

    # Dependencies: every service above the bottom layer draws 1 + Poisson dependencies; 10 % get a partner.
    pair_rate = 0.1
    upper = np.flatnonzero(layer > 0)
    per_service = max(edges_per_service * n / max(upper.size, 1) / (1 + pair_rate), 1.0)
    k = 1 + rng.poisson(per_service - 1, upper.size)
    cons = np.repeat(upper, k)
    c_layer = layer[cons]
    below = np.where(rng.random(cons.size) < 0.6, c_layer - 1, (rng.random(cons.size) * c_layer).astype(np.int64))
    size_t = sizes[below]
    idx = np.minimum((size_t * rng.random(cons.size) ** 2.5).astype(np.int64), size_t - 1)  # popular first
    prov = starts[below] + idx
    paired = (rng.random(cons.size) < pair_rate) & (size_t >= 2)
    sibling = np.where((idx ^ 1) < size_t, idx ^ 1, idx - 1)
    p_cons, p_prov = cons[paired], (starts[below] + sibling)[paired]
    tags = np.full(cons.size, -1)
    tags[paired] = np.arange(int(paired.sum()))
    consumer = np.concatenate([cons, p_cons])
    provider = np.concatenate([prov, p_prov])
    tag = np.concatenate([tags, tags[paired]])
    _, keep = np.unique(consumer * n + provider, return_index=True)  # one edge per (consumer, provider)
    keep.sort()
    consumer, provider, tag = consumer[keep], provider[keep], tag[keep]
    share = np.full(consumer.size, np.nan)

    # Cycles: back edges among supporting services, share 0; the targets' other consumers split evenly.
    sup_edges = np.flatnonzero(layer[consumer] < top)
    n_cycles = min(max(1, n // 2000), sup_edges.size)
    back = rng.choice(sup_edges, n_cycles, replace=False) if n_cycles else np.zeros(0, np.int64)
    targets = np.unique(consumer[back])
    others = np.isin(provider, targets)
    share[others] = 1.0 / np.bincount(provider[others], minlength=n)[provider[others]]
    consumer, provider = np.concatenate([consumer, provider[back]]), np.concatenate([provider, consumer[back]])
    share = np.concatenate([share, np.zeros(back.size)])
    tag = np.concatenate([tag, np.full(back.size, -1)])
    demand = np.where(rng.random(consumer.size) < 0.2, np.round(rng.uniform(0.1, 1.0, consumer.size), 2), np.nan)
    demand[consumer.size - back.size :] = np.nan  # back edges pass no demand either
    groups = [None if t < 0 else f"rg-{t}" for t in tag.tolist()]

    width = max(6, len(str(n - 1)))
    numbers = rng.permutation(n)  # ids do not follow layers, so sorting by id is a real sort
    ids = [f"svc-{x:0{width}d}" for x in numbers.tolist()]
    cf = layer == top
    stage = np.where(cf, rng.choice(["CATALOGUE", "PIPELINE", "RETIRED"], n, p=[0.9, 0.05, 0.05]), "CATALOGUE")

    n_out, n_cust = max(1, n // 50), max(1, n // 100)
    cf_ix = np.flatnonzero(cf)
    enables = sorted({(int(s), int(o)) for s in cf_ix for o in rng.integers(0, n_out, 1 + (s % 2))})
    live_cf = cf_ix[stage[cf_ix] == "CATALOGUE"]
    subscribes, pursues = [], []
    for c in range(n_cust):
        if live_cf.size:
            picks = rng.choice(live_cf, min(live_cf.size, 1 + rng.poisson(4)), replace=False)
            subscribes += [(c, int(s)) for s in np.sort(picks)]
        pursues += [(c, int(o)) for o in np.unique(rng.integers(0, n_out, 1 + rng.poisson(1)))]
    return _Plan(
        ids=ids,
        layer=layer,
        customer_facing=cf,
        stage=stage.tolist(),
        consumer=consumer,
        provider=provider,
        share=share,
        group=groups,
        demand_factor=demand,
        outcome_ids=[f"outcome-{o:05d}" for o in range(n_out)],
        enables=enables,
        customer_ids=[f"cust-{c:05d}" for c in range(n_cust)],
        subscribes=subscribes,
        pursues=pursues,
    )


def _opt(values: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]  # NaN -> None


def generate_rows(services: int, edges_per_service: float = 4, seed: int = 0) -> Rows:
    """The portfolio of ``generate()`` in the row form of ``Topology.build``."""
    plan = _plan(services, edges_per_service, seed)
    ids, outs, custs = plan.ids, plan.outcome_ids, plan.customer_ids
    kinds = np.where(plan.customer_facing, "CUSTOMER_FACING", "SUPPORTING").tolist()
    c_ids = [ids[i] for i in plan.consumer.tolist()]
    p_ids = [ids[i] for i in plan.provider.tolist()]
    return Rows(
        services=list(zip(ids, kinds, plan.stage)),
        edges=list(zip(c_ids, p_ids, _opt(plan.share), plan.group, _opt(plan.demand_factor))),
        enables=[(ids[s], outs[o]) for s, o in plan.enables],
        subscribes=[(custs[c], ids[s]) for c, s in plan.subscribes],
        pursues=[(custs[c], outs[o]) for c, o in plan.pursues],
        layer=plan.layer,
    )


def generate(services: int, edges_per_service: float = 4, seed: int = 0, period: str = "2026-01") -> dict:
    """A whole portfolio document (camelCase keys of spec/portfolio-format.md) with ``services`` services
    and about ``edges_per_service * services`` dependencies. The garbage collector is paused while the millions
    of dicts and lists are made (none in a cycle): its passes over them took 17 of 19 s at 1,000,000 services."""
    with gc_paused():
        return _document(services, edges_per_service, seed, period)


def _document(services: int, edges_per_service: float, seed: int, period: str) -> dict:
    plan = _plan(services, edges_per_service, seed)
    rng = np.random.default_rng(seed + 1)
    ids = plan.ids
    n = len(ids)
    order = np.argsort(plan.consumer, kind="stable")
    bounds = np.searchsorted(plan.consumer[order], np.arange(n + 1))
    edge_cons, edge_prov = plan.consumer.tolist(), plan.provider.tolist()
    shares, factors = _opt(plan.share), _opt(plan.demand_factor)
    enabled: list[list[str]] = [[] for _ in range(n)]
    for s, o in plan.enables:
        enabled[s].append(plan.outcome_ids[o])
    criticality = rng.integers(1, 6, n)
    third_party = rng.random(n) < 0.1
    amounts = np.round(rng.lognormal(8.5, 1.0, n), 2).tolist()
    categories = rng.integers(0, len(_CATEGORIES), n).tolist()

    services_doc = []
    for i, sid in enumerate(ids):
        deps = []
        for e in order[bounds[i] : bounds[i + 1]].tolist():
            dep: dict = {"service": ids[edge_prov[e]]}
            if shares[e] is not None:
                dep["share"] = shares[e]
            if plan.group[e] is not None:
                dep["redundancyGroup"] = plan.group[e]
            if factors[e] is not None:
                dep["demandFactor"] = factors[e]
            deps.append(dep)
        cf = bool(plan.customer_facing[i])
        doc = {
            "id": sid,
            "name": f"{'Customer service' if cf else 'Supporting service'} {sid[4:]}",
            "kind": "CUSTOMER_FACING" if cf else "SUPPORTING",
            "stage": plan.stage[i],
            "owner": f"team-{int(plan.layer[i])}-{i % 7}",
            "provider": "THIRD_PARTY" if third_party[i] else "INTERNAL",
            "criticality": int(criticality[i]),
            "riskAssessed": True,
            "enables": enabled[i],
            "dependsOn": deps,
        }
        if third_party[i]:
            doc["supplier"] = f"supplier-{i % 13}"
        if cf:
            doc["pricing"] = dict(_PRICING[i % len(_PRICING)])
            doc["capacity"] = 1000 * (1 + i % 50)
        services_doc.append(doc)

    subs: list[list[dict]] = [[] for _ in plan.customer_ids]
    for c, s in plan.subscribes:
        subs[c].append({"service": ids[s], "since": "2025-01-01", "units": 1 + (c * 7 + s) % 200})
    pursued: list[list[str]] = [[] for _ in plan.customer_ids]
    for c, o in plan.pursues:
        pursued[c].append(plan.outcome_ids[o])
    return {
        "currency": "EUR",
        "outcomes": [{"id": o, "name": f"Outcome {o[8:]}"} for o in plan.outcome_ids],
        "services": services_doc,
        "customers": [
            {
                "id": cid,
                "name": f"Customer {cid[5:]}",
                "type": "EXTERNAL" if c % 4 == 0 else "INTERNAL",
                "relationshipManager": {"id": f"brm-{c % 20}", "name": f"BRM {c % 20}",
                                        "email": f"brm-{c % 20}@example.org"},
                "pursues": pursued[c],
                "subscriptions": subs[c],
            }
            for c, cid in enumerate(plan.customer_ids)
        ],
        "costs": [
            {
                "id": f"cost-{sid}-{period}",
                "name": f"Running cost of {sid}",
                "category": _CATEGORIES[categories[i]],
                "nature": "CAPEX" if _CATEGORIES[categories[i]] == "HARDWARE" else "OPEX",
                "period": period,
                "amount": amounts[i],
                "allocations": [{"service": sid, "share": 1.0}],
            }
            for i, sid in enumerate(ids)
        ],
        "budgets": [
            {"service": ids[i], "period": period, "amount": round(amounts[i] * 3, 2)}
            for i in np.flatnonzero(plan.customer_facing).tolist()
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, required=True)
    parser.add_argument("--edges-per-service", type=float, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--period", default="2026-01")
    parser.add_argument("--out", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    doc = generate(args.services, args.edges_per_service, args.seed, args.period)
    if args.out:
        with args.out.open("w") as f:
            json.dump(doc, f, separators=(",", ":"))
    else:
        json.dump(doc, sys.stdout, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
