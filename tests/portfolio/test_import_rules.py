"""An import follows the rules for what already exists: the life cycle for services the graph holds, and the
checks and the write as one atomic unit against the graph version that was read."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from graph_itsm.errors import BadInput, RuleViolation, StoreError
from graph_itsm.portfolio import importer
from graph_itsm.portfolio.dependencies import add_dependency
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.portfolio.writes import MAX_ATTEMPTS
from graph_itsm.store import GraphStore, library
from graph_itsm.finance.service import FinanceCache
from graph_itsm.topology.cache import TopologyCache
from tests.conftest import northwind_data


def _service(id_: str, *depends_on: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": id_, "name": id_, "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "o", "criticality": 2,
            "dependsOn": list(depends_on), **fields}


def _entry(sid: str) -> dict[str, Any]:
    """The northwind document's entry of a service (a copy)."""
    return copy.deepcopy(next(s for s in northwind_data()["services"] if s["id"] == sid))


def _import(store: GraphStore, **lists: Any) -> None:
    import_document(store, document_from_data({"currency": "EUR", **lists}))


def _refused(store: GraphStore, **lists: Any) -> RuleViolation:
    before = export_document(store)
    with pytest.raises(RuleViolation) as caught:
        _import(store, **lists)
    assert export_document(store) == before
    return caught.value


# -- the life cycle --------------------------------------------------------------------------------------------


def test_an_import_cannot_put_a_retired_service_back_in_the_catalogue(northwind_store: GraphStore) -> None:
    fax = {**_entry("fax-gateway"), "stage": "CATALOGUE"}
    error = _refused(northwind_store, services=[fax])
    assert error.extensions["rule"] == "retired-is-final"
    assert error.extensions["services"] == ["fax-gateway"]
    assert "'fax-gateway' is RETIRED, which is final" in error.message


def test_an_import_cannot_move_a_catalogue_service_back_to_the_pipeline(northwind_store: GraphStore) -> None:
    error = _refused(northwind_store, services=[{**_entry("backup"), "stage": "PIPELINE"}])
    assert error.extensions["rule"] == "lifecycle"


def test_pipeline_to_catalogue_by_import_needs_due_diligence(northwind_store: GraphStore) -> None:
    loyalty = {**_entry("loyalty-app"), "stage": "CATALOGUE"}  # riskAssessed false in the example
    error = _refused(northwind_store, services=[loyalty])
    assert error.extensions["rule"] == "due-diligence" and "riskAssessed is not true" in error.message
    # With the risks assessed it passes: the business case bc-loyalty is in the graph already.
    _import(northwind_store, services=[{**loyalty, "riskAssessed": True}])
    rows = northwind_store.read(library()["portfolio/import/existing_services"])
    assert {r["id"]: r["stage"] for r in rows}["loyalty-app"] == "CATALOGUE"


def test_retiring_by_import_is_refused_while_catalogue_services_depend_on_it(northwind_store: GraphStore) -> None:
    error = _refused(northwind_store, services=[{**_entry("backup"), "stage": "RETIRED"}])
    assert error.extensions["rule"] == "retirement"
    assert set(error.extensions["services"]) >= {"backup", "database-platform", "mail-platform", "payroll"}


def test_new_services_may_come_in_any_stage(northwind_store: GraphStore) -> None:
    _import(northwind_store, services=[_service("old-telex", stage="RETIRED"), _service("new-crm", stage="CATALOGUE")])
    rows = northwind_store.read(library()["portfolio/import/existing_services"])
    stages = {r["id"]: r["stage"] for r in rows}
    assert stages["old-telex"] == "RETIRED" and stages["new-crm"] == "CATALOGUE"


def test_reimporting_an_unchanged_stage_is_no_move(northwind_store: GraphStore) -> None:
    _import(northwind_store, services=[_entry("fax-gateway")])  # RETIRED, as in the graph: allowed


# -- checks and write as one unit ----------------------------------------------------------------------------


def _provider_shares(store: GraphStore, provider: str) -> float:
    rows = store.read(library()["portfolio/import/existing_dependency_shares"])
    return sum(r["share"] or 0.0 for r in rows if r["provider"] == provider)


def _between_read_and_write(monkeypatch: pytest.MonkeyPatch, concurrent) -> list[int]:
    """Run ``concurrent()`` once, after the import has read and checked the graph and before it writes
    (the last check, ``check_allocatable``, is the hook). Returns the list of calls, to count the attempts."""
    calls: list[int] = []
    checked = importer.check_allocatable

    def hooked(store: GraphStore, doc: dict[str, Any], **options: Any) -> None:
        checked(store, doc, **options)
        calls.append(1)
        if len(calls) == 1:
            concurrent()

    monkeypatch.setattr(importer, "check_allocatable", hooked)
    return calls


def test_a_concurrent_add_dependency_cannot_push_a_providers_shares_over_1(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(store, services=[_service("p"), _service("a", {"service": "p", "share": 0.6}), _service("c")])
    calls = _between_read_and_write(
        monkeypatch, lambda: add_dependency(store, "c", "p", {"share": 0.4}, actor="someone-else"))
    with pytest.raises(BadInput) as caught:  # checked again on the moved graph: 0.6 + 0.4 + 0.4
        _import(store, services=[_service("b", {"service": "p", "share": 0.4})])
    assert len(calls) == 1  # the first attempt was checked, then the graph moved; the second check refused it
    assert any("shares of the dependencies on 'p' sum to 1.4" in d for d in caught.value.details), caught.value.details
    assert _provider_shares(store, "p") == pytest.approx(1.0)  # a's 0.6 and c's 0.4: b was never written
    rows = store.read(library()["portfolio/import/existing_services"])
    assert "b" not in {r["id"] for r in rows}
    # Every cost report still works on the graph left behind.
    FinanceCache(store, TopologyCache(store)).month("2026-01")


def test_an_import_is_retried_when_an_unrelated_write_lands_in_between(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(store, services=[_service("p"), _service("a", {"service": "p", "share": 0.6}), _service("c")])
    calls = _between_read_and_write(
        monkeypatch, lambda: add_dependency(store, "c", "p", {"share": 0.1}, actor="someone-else"))
    _import(store, services=[_service("b", {"service": "p", "share": 0.3})])
    assert len(calls) == 2  # checked, graph moved, checked again on the new graph, written
    assert _provider_shares(store, "p") == pytest.approx(1.0)
    assert {"b", "c"} <= {r["id"] for r in store.read(library()["portfolio/import/existing_services"])}


def test_an_import_is_refused_when_the_graph_never_holds_still(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(store, services=[_service("p"), _service("c")])
    checked = importer.check_allocatable
    shares = iter([round(0.05 * k, 2) for k in range(1, MAX_ATTEMPTS + 1)])  # one for every attempt

    def always_moving(s: GraphStore, doc: dict[str, Any], **options: Any) -> None:
        checked(s, doc, **options)
        add_dependency(store, "c", "p", {"share": next(shares)}, actor="someone-else")

    monkeypatch.setattr(importer, "check_allocatable", always_moving)
    with pytest.raises(StoreError) as caught:
        _import(store, services=[_service("b", {"service": "p", "share": 0.3})])
    assert f"({MAX_ATTEMPTS} attempts); nothing was written" in caught.value.message
    assert "b" not in {r["id"] for r in store.read(library()["portfolio/import/existing_services"])}
