"""FOCUS billing files into cost items: the specification's examples reconcile to the cent, rules map rows to
services, unmatched rows stay unallocated, a second import changes nothing, bad input names its place."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from graph_itsm.errors import BadInput
from graph_itsm.finance.service import FinanceCache
from graph_itsm.formats.focus import import_focus, load_focus_mapping, parse_amount
from graph_itsm.portfolio import document_from_data
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import import_document
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.cache import TopologyCache

DATA = Path(__file__).parent.parent / "data" / "focus"
EXAMPLES = sorted((DATA / "spec_v1.2_examples").glob("*.csv"))
SAAS_C = DATA / "spec_v1.2_examples" / "simple_saas_agreements_c.csv"


def _portfolio(store: GraphStore, currency: str = "USD") -> None:
    service = {"kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "ops", "criticality": 3}
    import_document(store, document_from_data({"currency": currency, "services": [
        {"id": "crm", "name": "CRM", **service}, {"id": "hosting", "name": "Hosting", **service}]}))


def _file_total(path: Path, column: str = "EffectiveCost") -> dict[str, Decimal]:
    from graph_itsm.formats.focus import parse_month

    totals: dict[str, Decimal] = {}
    with path.open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            month = parse_month(row.get("ChargePeriodStart") or row["BillingPeriodStart"])
            totals[month] = totals.get(month, Decimal(0)) + parse_amount(row[column])
    return totals


def _items(store: GraphStore) -> dict[str, dict]:
    return {k["id"]: k for k in export_document(store)["costs"]}


def _version(store: GraphStore) -> int:
    return store.read(library()["store/get_meta"])[0]["version"]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_each_specification_example_reconciles_to_the_cent(falkordb: GraphStore, path: Path) -> None:
    report = import_focus(falkordb, [path])
    assert report.problems == []
    items = _items(falkordb)
    for month, total in _file_total(path).items():
        imported = sum(Decimal(repr(k["amount"])) for k in items.values() if k["period"] == month)
        assert imported.quantize(Decimal("0.01")) == total.quantize(Decimal("0.01"))
        assert any(line.startswith(month) and line.endswith("reconciled to the cent") for line in report.notes)


def test_rules_map_rows_first_match_wins_and_the_rest_is_unallocated(store: GraphStore) -> None:
    _portfolio(store)
    mapping = load_focus_mapping(text="""
        nature: CAPEX
        rules:
          - {service: crm, serviceName: "acmecorp*", subAccountName: nobody}
          - {service: hosting, serviceName: "ACMECORP lic*", category: HARDWARE}
          - {service: crm, serviceName: "*"}
        """)
    report = import_focus(store, [SAAS_C], mapping)
    items = _items(store)
    april = items["focus-acmecorp-2025-04-hosting-hardware-capex"]
    assert april["amount"] == 10100.0 and april["allocations"] == [{"service": "hosting", "share": 1.0}]
    assert items["focus-acmecorp-2025-06-hosting-hardware-capex"]["amount"] == 12700.0 and len(items) == 3
    assert all(k["allocations"] for k in items.values())  # the third rule is never reached, nothing unmapped
    assert report.created == sorted(items)
    unmapped = import_focus(store, [SAAS_C], load_focus_mapping(text="rules: [{service: crm, resourceId: none}]"))
    month = FinanceCache(store, TopologyCache(store)).month("2025-04").allocation
    assert month.total_unallocated == 10100.0  # the unmapped item; the earlier ones are superseded (set to 0)
    assert month.total_direct == 0.0
    assert "focus-acmecorp-2025-04-unmapped-software-opex" in unmapped.created


def test_importing_the_same_file_again_changes_nothing(store: GraphStore) -> None:
    _portfolio(store)
    mapping = load_focus_mapping(text="rules: [{service: hosting, serviceName: '*'}]")
    import_focus(store, [SAAS_C], mapping)
    before, version = export_document(store), _version(store)
    again = import_focus(store, [SAAS_C], mapping)
    assert (again.created, again.updated, again.written) == ([], [], False) and len(again.unchanged) == 3
    assert export_document(store) == before and _version(store) == version


def test_nulls_signs_and_separators_are_read_as_focus_writes_them(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "bill.csv"
    path.write_text(
        "BillingPeriodStart,ChargePeriodStart,ChargeCategory,ServiceCategory,ServiceName,ResourceId,Tags,"
        "BillingCurrency,EffectiveCost,BilledCost\n"
        '2026-01-01T00:00:00Z,2026-01-03T00:00:00Z,Usage,Compute,VM,vm-1,"{""app"": ""crm""}",USD,"$1,234.565",NULL\n'
        "2026-01-01T00:00:00Z,NULL,Tax,NULL,NULL,NULL,NULL,USD,0.105,NULL\n"
        '2026-01-01T00:00:00Z,2026-01-09T00:00:00Z,Usage,Compute,VM,vm-2,"{""app"": ""crm""}",USD,(0.10),NULL\n',
        encoding="utf-8")
    _portfolio(store)
    report = import_focus(store, [path], load_focus_mapping(text="rules: [{service: crm, tags: {app: crm}}]"))
    items = _items(store)
    assert items["focus-focus-2026-01-crm-hardware-opex"]["amount"] == 1234.465
    assert items["focus-focus-2026-01-unmapped-other-opex"]["amount"] == 0.105
    assert report.notes == ["2026-01 focus: file 1234.57 USD, imported 1234.57 in 2 cost items (0.11 unmapped): "
                            "reconciled to the cent"]


@pytest.mark.parametrize("content, place", [
    ("ChargePeriodStart,ChargeCategory,EffectiveCost\n2026-01-01,Usage,12.5\n2026-01-02,Usage,twelve\n",
     "bill.csv:3:EffectiveCost: not a number: 'twelve'"),
    ("ChargePeriodStart,ChargeCategory,BilledCost\n2026-01-01,Usage,12.5\n", "bill.csv:1: missing column EffectiveCost"),
    ("ChargePeriodStart,ChargeCategory,EffectiveCost\n2026-01-01,Usage,NULL\n",
     "bill.csv:2:EffectiveCost: required value is missing (NULL)"),
    ("ChargePeriodStart,ChargeCategory,EffectiveCost\nyesterday,Usage,1\n",
     "bill.csv:2:ChargePeriodStart: not a date (ISO 8601 or M/D/YY): 'yesterday'"),
])
def test_bad_input_names_its_place_and_writes_nothing(store: GraphStore, tmp_path: Path, content: str,
                                                       place: str) -> None:
    _portfolio(store)
    (tmp_path / "bill.csv").write_text(content, encoding="utf-8")
    before, version = export_document(store), _version(store)
    with pytest.raises(BadInput) as e:
        import_focus(store, [tmp_path / "bill.csv"])
    assert [d.replace(str(tmp_path) + "/", "") for d in e.value.details] == [place]
    assert export_document(store) == before and _version(store) == version


def test_a_rule_naming_an_unknown_service_is_refused_at_the_rule(store: GraphStore) -> None:
    _portfolio(store)
    with pytest.raises(BadInput) as e:
        import_focus(store, [SAAS_C], load_focus_mapping(text="rules: [{service: payroll, serviceName: '*'}]"))
    assert e.value.details[0].startswith("mapping rules[0] allocations[0].service: unknown service 'payroll'")
    assert _items(store) == {}


def test_invalid_mapping_names_its_places() -> None:
    with pytest.raises(BadInput) as e:
        load_focus_mapping(text="costColumn: Price\nrules: [{service: crm, colour: red}]")
    assert [d.split(":")[0] for d in e.value.details] == ["costColumn", "rules[0].colour"]
