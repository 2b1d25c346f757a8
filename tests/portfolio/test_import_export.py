"""Import and export against the real database: round trips, idempotence, and nothing written on bad input."""

from __future__ import annotations

import copy
import json

import pytest

from graph_itsm.errors import BadInput, RuleViolation
from graph_itsm.portfolio import document_from_data, equivalent
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import BATCH_SIZE, import_document
from graph_itsm.store import GraphStore
from tests.conftest import northwind_data


def _import(store: GraphStore, data: dict) -> None:
    import_document(store, document_from_data(data))


def test_export_after_import_is_an_equivalent_document(store: GraphStore) -> None:
    data = northwind_data()
    _import(store, data)
    assert equivalent(export_document(store), data)


def test_importing_twice_leaves_the_same_graph(store: GraphStore) -> None:
    data = northwind_data()
    _import(store, data)
    first = export_document(store)
    _import(store, data)
    assert export_document(store) == first


def test_document_replaces_the_links_of_the_services_it_lists(store: GraphStore) -> None:
    data = northwind_data()
    _import(store, data)
    changed = copy.deepcopy(data)
    web_shop = next(s for s in changed["services"] if s["id"] == "web-shop")
    web_shop["dependsOn"] = [{"service": "payments", "share": 0.8}]
    _import(store, changed)
    exported = next(s for s in export_document(store)["services"] if s["id"] == "web-shop")
    assert exported["dependsOn"] == [{"service": "payments", "share": 0.8}]


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["services"][0].__setitem__("colour", "blue"), "services[0].colour"),
        (lambda d: d["services"][0]["dependsOn"][0].__setitem__("service", "no-such-service"),
         "services[0].dependsOn[0].service"),
        (lambda d: d["services"][1].__setitem__("kind", "SOMETIMES"), "services[1].kind"),
    ],
    ids=["unknown-field", "dangling-reference", "bad-enum"],
)
def test_invalid_document_names_the_place_and_writes_nothing(store: GraphStore, mutate, path: str) -> None:
    data = northwind_data()
    _import(store, data)
    before = export_document(store)
    bad = copy.deepcopy(data)
    bad["services"][0]["name"] = "Renamed, must not be written"
    mutate(bad)
    with pytest.raises(BadInput) as caught:
        _import(store, bad)
    assert any(d.startswith(path + ":") for d in caught.value.details), caught.value.details
    assert export_document(store) == before


def test_reference_to_a_service_already_in_the_graph_is_accepted(store: GraphStore) -> None:
    _import(store, northwind_data())
    extra = {
        "currency": "EUR",
        "services": [{"id": "new-app", "name": "New app", "kind": "CUSTOMER_FACING", "stage": "PIPELINE",
                      "owner": "apps", "criticality": 2, "dependsOn": [{"service": "identity"}]}],
    }
    _import(store, extra)
    deps = next(s for s in export_document(store)["services"] if s["id"] == "new-app")["dependsOn"]
    assert deps == [{"service": "identity"}]


def test_a_second_currency_is_refused(store: GraphStore) -> None:
    _import(store, northwind_data())
    with pytest.raises(RuleViolation, match="currency"):
        _import(store, {"currency": "USD", "outcomes": [{"id": "x", "name": "X"}]})


def test_large_import_goes_in_batches_and_round_trips(store: GraphStore) -> None:
    n = BATCH_SIZE + 250
    services = [
        {"id": f"svc-{i:05d}", "name": f"Service {i}", "kind": "SUPPORTING", "stage": "CATALOGUE",
         "owner": "ops", "criticality": 3,
         "dependsOn": [{"service": f"svc-{i - 1:05d}"}] if i else []}
        for i in range(n)
    ]
    data = {"currency": "EUR", "services": services}
    _import(store, data)
    exported = export_document(store)
    assert len(exported["services"]) == n
    assert equivalent(exported, data)


def test_yaml_and_json_import_the_same_graph(store: GraphStore, tmp_path) -> None:
    import yaml

    from graph_itsm.portfolio import load_document

    path = tmp_path / "northwind.yaml"
    path.write_text(yaml.safe_dump(northwind_data()))
    import_document(store, load_document(path))
    assert equivalent(export_document(store), json.loads(json.dumps(northwind_data())))


def test_document_closing_a_cost_cycle_is_refused_naming_it(store: GraphStore) -> None:
    """Two supporting services that only serve each other would pass all their cost around for ever."""
    _import(store, northwind_data())
    before = export_document(store)
    loop = {
        "currency": "EUR",
        "services": [
            {"id": f"loop-{x}", "name": f"Loop {x}", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "ops",
             "criticality": 2, "dependsOn": [{"service": f"loop-{y}"}]}
            for x, y in (("a", "b"), ("b", "a"))
        ],
    }
    with pytest.raises(RuleViolation, match="loop-a") as caught:
        _import(store, loop)
    assert "loop-b" in caught.value.message
    assert export_document(store) == before


def test_a_cycle_that_leaks_cost_imports(store: GraphStore) -> None:
    """The same pair with a customer-facing consumer: cost leaves the cycle, so allocation has a solution."""
    loop = {
        "currency": "EUR",
        "services": [
            {"id": "loop-a", "name": "Loop a", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "ops",
             "criticality": 2, "dependsOn": [{"service": "loop-b"}]},
            {"id": "loop-b", "name": "Loop b", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "ops",
             "criticality": 2, "dependsOn": [{"service": "loop-a"}]},
            {"id": "app", "name": "App", "kind": "CUSTOMER_FACING", "stage": "PIPELINE", "owner": "ops",
             "criticality": 2, "dependsOn": [{"service": "loop-a"}]},
        ],
    }
    _import(store, loop)
    assert {s["id"] for s in export_document(store)["services"]} == {"loop-a", "loop-b", "app"}
