"""The synthetic portfolio generator keeps the rules of the domain, so imports and cost allocation accept it."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench_generate", Path(__file__).resolve().parents[2] / "bench" / "generate.py"
)
generate_module = sys.modules["bench_generate"] = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate_module)


@pytest.fixture(scope="module")
def doc() -> dict:
    return generate_module.generate(1000, seed=3)


def _edges(doc: dict) -> list[tuple[str, dict]]:
    return [(s["id"], d) for s in doc["services"] for d in s["dependsOn"]]


def test_portfolio_has_the_requested_shape(doc: dict) -> None:
    services = doc["services"]
    assert len(services) == 1000
    assert 3500 <= len(_edges(doc)) <= 4500
    assert Counter(s["kind"] for s in services)["CUSTOMER_FACING"] == 50
    assert (len(doc["customers"]), len(doc["outcomes"])) == (10, 20)
    assert sorted(c["allocations"][0]["service"] for c in doc["costs"]) == sorted(s["id"] for s in services)
    assert {c["period"] for c in doc["costs"]} == {"2026-01"}
    groups = Counter((c, d["redundancyGroup"]) for c, d in _edges(doc) if "redundancyGroup" in d)
    assert groups and max(groups.values()) == 2


def test_dependencies_name_known_services_once_and_never_themselves(doc: dict) -> None:
    ids = {s["id"] for s in doc["services"]}
    pairs = [(c, d["service"]) for c, d in _edges(doc)]
    assert all(p in ids and p != c for c, p in pairs)
    assert len(pairs) == len(set(pairs))


def test_stated_shares_of_a_provider_sum_to_at_most_one(doc: dict) -> None:
    total: Counter[str] = Counter()
    for _, d in _edges(doc):
        total[d["service"]] += d.get("share", 0.0)
    assert max(total.values()) <= 1 + 1e-9


def test_there_are_cycles_and_each_passes_through_a_zero_share(doc: dict) -> None:
    def acyclic(edges: list[tuple[str, str]]) -> bool:
        indegree = Counter(c for c, _ in edges)
        consumers: dict[str, list[str]] = {}
        for c, p in edges:
            consumers.setdefault(p, []).append(c)
        ready = [s["id"] for s in doc["services"] if indegree[s["id"]] == 0]
        seen = 0
        while ready:
            seen += 1
            for c in consumers.get(ready.pop(), []):
                indegree[c] -= 1
                if indegree[c] == 0:
                    ready.append(c)
        return seen == len(doc["services"])

    edges = _edges(doc)
    assert not acyclic([(c, d["service"]) for c, d in edges])
    assert acyclic([(c, d["service"]) for c, d in edges if d.get("share") != 0.0])


def test_only_live_customer_facing_services_are_subscribed(doc: dict) -> None:
    by_id = {s["id"]: s for s in doc["services"]}
    subscribed = {x["service"] for c in doc["customers"] for x in c["subscriptions"]}
    assert all(by_id[s]["kind"] == "CUSTOMER_FACING" and by_id[s]["stage"] == "CATALOGUE" for s in subscribed)
    providers = {d["service"] for _, d in _edges(doc)}
    assert all(by_id[p]["stage"] == "CATALOGUE" for p in providers)


def test_rows_describe_the_same_portfolio_as_the_document(doc: dict) -> None:
    rows = generate_module.generate_rows(1000, seed=3)
    assert rows.services == [(s["id"], s["kind"], s["stage"]) for s in doc["services"]]
    fields = ("share", "redundancyGroup", "demandFactor")
    assert set(rows.edges) == {(c, d["service"], *(d.get(f) for f in fields)) for c, d in _edges(doc)}
    assert set(rows.subscribes) == {(c["id"], x["service"]) for c in doc["customers"] for x in c["subscriptions"]}


def test_command_line_writes_a_json_document(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.json"
    assert generate_module.main(["--services", "60", "--out", str(out)]) == 0
    written = json.loads(out.read_text())
    assert len(written["services"]) == 60 and written["currency"] == "EUR"
