"""A month's allocation as FOCUS 1.3 split cost allocation rows: allocated rows sum to their origin, a month's
rows to its cost, and the export reads back as a FOCUS file that reconciles."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from graph_itsm.errors import BadInput
from graph_itsm.finance.service import FinanceCache
from graph_itsm.formats.focus import import_focus
from graph_itsm.formats.focus_export import METHOD, focus_rows, write_focus
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache
from tests.conftest import northwind_data


def test_allocated_rows_sum_to_their_origin_and_the_month_to_its_cost(northwind_store: GraphStore) -> None:
    rows = focus_rows(northwind_store, "2026-01")
    origins = [r for r in rows if not r["AllocatedResourceId"]]
    items = {k["id"]: k for k in northwind_data()["costs"] if k["period"] == "2026-01"}
    assert {r["ResourceId"] for r in origins} == set(items)
    allocated: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        assert r["AllocatedMethodId"] == METHOD
        if r["AllocatedResourceId"]:
            allocated[r["ResourceId"]] += Decimal(r["EffectiveCost"])
    for iid, item in items.items():
        assert allocated[iid] == Decimal(repr(item["amount"])).quantize(Decimal("0.01"))
    month = FinanceCache(northwind_store, TopologyCache(northwind_store)).month("2026-01").allocation
    total = sum(Decimal(r["EffectiveCost"]) for r in rows)
    assert total == Decimal(repr(month.total_direct + month.total_unallocated)).quantize(Decimal("0.01"))
    # services that pass cost on retain only part of it: the rows name the services that keep the cost
    by_service: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r["AllocatedResourceId"] and r["AllocatedResourceId"] != "unallocated":
            by_service[r["AllocatedResourceId"]] += Decimal(r["EffectiveCost"])
    for cost in month.costs():
        assert abs(float(by_service.get(cost.service_id, Decimal(0))) - cost.retained) < 0.01 * len(items)


def test_the_export_reads_back_as_focus_that_reconciles(northwind_store: GraphStore) -> None:
    text = write_focus(focus_rows(northwind_store, "2026-01"))
    northwind_store.clear()
    report = import_focus(northwind_store, [], texts={"export.csv": text})
    assert report.problems == [] and report.notes[0].endswith("reconciled to the cent")


def test_a_bad_period_is_refused_naming_it(store: GraphStore) -> None:
    with pytest.raises(BadInput, match="period"):
        focus_rows(store, "January")


def test_items_solved_a_block_at_a_time_give_the_same_rows(northwind_store: GraphStore,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The export holds only a block of items dense at once (a large month would not fit otherwise); the rows
    do not depend on the block size."""
    import graph_itsm.formats.focus_export as focus_export

    whole = focus_rows(northwind_store, "2026-01")
    assert len({r["ResourceId"] for r in whole}) > 2
    monkeypatch.setattr(focus_export, "_ITEMS_AT_ONCE", 2)
    assert focus_rows(northwind_store, "2026-01") == whole
