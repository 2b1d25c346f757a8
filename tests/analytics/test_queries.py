"""Every analytics query on the northwind example (or northwind plus a few additions), its exact answer
worked out by hand from shared/examples/northwind-retail.json and the definitions in each query's header.

Northwind in short (consumer -> provider, [group]):
  web-shop -> payments, identity, database-platform, dc-east [hosting], dc-west [hosting]
  point-of-sale -> payments, network-core, database-platform      email -> mail-platform, identity
  internet-access -> network-core, isp-uplink-a [uplink], isp-uplink-b [uplink]
  payroll -> database-platform, identity, backup     loyalty-app (PIPELINE) -> identity, database-platform
  fax-gateway (RETIRED) -> network-core       payments (PayCo) -> network-core
  identity -> database-platform (share 0)     database-platform -> identity, dc-east [hosting], dc-west [hosting], backup
  mail-platform -> dc-east, backup            backup -> dc-west      network-core -> dc-east [hosting], dc-west [hosting]
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_itsm.analytics import analyses, run_analysis
from graph_itsm.store import GraphStore

ALL_FOUR = ["email", "payroll", "point-of-sale", "web-shop"]  # the live customer-facing services identity takes down


def _rows(store: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    result = run_analysis(store, name, params)
    assert not result.truncated
    return [dict(zip(result.columns, row)) for row in result.rows]


def _column(rows: list[dict[str, Any]], column: str) -> list[Any]:
    return [r[column] for r in rows]


def test_there_are_at_least_twelve_documented_analytics() -> None:
    found = analyses()
    assert len(found) >= 12
    for a in found:
        assert a.description and a.columns
        assert all(p.description for p in a.params), a.name


@pytest.mark.parametrize("name", [a.name for a in analyses()])
def test_each_query_returns_its_declared_columns(northwind_store: GraphStore, name: str) -> None:
    analysis = next(a for a in analyses() if a.name == name)
    assert run_analysis(northwind_store, name).columns == list(analysis.columns)


def test_single_points_of_failure(northwind_store: GraphStore) -> None:
    # identity and database-platform take each other down (lone edges both ways), then everything on them;
    # backup is a lone edge of database-platform, dc-west a lone edge of backup: same four live services.
    # network-core: point-of-sale, internet-access and payments (so web-shop). payments: web-shop, pos.
    # dc-east only through mail-platform (its other consumers have dc-west in the hosting group): email.
    # isp-uplink-a/b are redundant: no row. loyalty-app (pipeline) and fax-gateway (retired) are not live.
    rows = _rows(northwind_store, "find_single_points_of_failure")
    assert [(r["service"], r["takesDown"], r["examples"], r["customers"]) for r in rows] == [
        ("backup", 4, ALL_FOUR, 4),
        ("database-platform", 4, ALL_FOUR, 4),
        ("dc-west", 4, ALL_FOUR, 4),
        ("identity", 4, ALL_FOUR, 4),
        ("network-core", 3, ["internet-access", "point-of-sale", "web-shop"], 4),
        ("payments", 2, ["point-of-sale", "web-shop"], 2),  # retail-bu, franchise-co
        ("dc-east", 1, ["email"], 3),  # retail, finance, hr
        ("mail-platform", 1, ["email"], 3),
    ]
    assert rows[0] == {"service": "backup", "name": "Backup and restore", "owner": "data", "criticality": 4,
                        "takesDown": 4, "examples": ALL_FOUR, "customers": 4}


def test_single_points_of_failure_know_k_of_n(store: GraphStore) -> None:
    # northwind with internet-access needing both uplinks (minUp 2 of its group "uplink"): each uplink alone
    # now takes internet-access down (retail, finance, hr subscribe to it); with minUpPercent 50 (1 of 2) not.
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data
    from tests.conftest import northwind_data

    def uplinks(rule: dict[str, Any]) -> list[tuple[str, int, int]]:
        doc = northwind_data()
        (access,) = [s for s in doc["services"] if s["id"] == "internet-access"]
        access["redundancy"] = [{"group": "uplink", **rule}]
        import_document(store, document_from_data(doc), replace=True)
        return [(r["service"], r["takesDown"], r["customers"]) for r in _rows(store, "find_single_points_of_failure")
                if r["service"].startswith("isp-")]

    assert uplinks({"minUp": 2}) == [("isp-uplink-a", 1, 3), ("isp-uplink-b", 1, 3)]
    assert uplinks({"minUpPercent": 50}) == []


def test_blast_radius_ranks_by_services_impacted(northwind_store: GraphStore) -> None:
    # (services impacted incl. itself, DOWN, customer-facing, outcomes, customers) of each failing alone:
    # dc-west reaches everything but the uplinks, dc-east and the retired fax-gateway (13); DOWN: itself, backup,
    # database-platform, identity, mail-platform, email, payroll, web-shop, point-of-sale, loyalty-app (10).
    # dc-east reaches 12, DOWN only itself, mail-platform, email. fax-gateway is RETIRED with no special
    # business case: out of service, never impacted (spec "Impact analysis"). isp-uplink-a: internet-access DEGRADED;
    # outcomes staff-communicate and trade-online, so franchise-co (pursues trade-online) too: 4 customers.
    rows = _rows(northwind_store, "rank_blast_radius")
    got = [(r["service"], r["impactedServices"], r["down"], r["customerFacing"], r["outcomes"], r["customers"])
           for r in rows]
    assert got == [
        ("dc-west", 13, 10, 6, 4, 4),
        ("dc-east", 12, 3, 6, 4, 4),
        ("backup", 9, 9, 5, 4, 4),
        ("database-platform", 7, 7, 5, 4, 4),
        ("identity", 7, 7, 5, 4, 4),
        ("network-core", 5, 5, 3, 3, 4),
        ("payments", 3, 3, 2, 2, 2),
        ("isp-uplink-a", 2, 1, 1, 2, 4),
        ("isp-uplink-b", 2, 1, 1, 2, 4),
        ("mail-platform", 2, 2, 1, 1, 3),
    ]
    assert _column(_rows(northwind_store, "rank_blast_radius", top=3), "service") == ["dc-west", "dc-east", "backup"]


def test_orphaned_supporting_services(northwind_store: GraphStore) -> None:
    assert _rows(northwind_store, "find_orphaned_services") == []  # every supporting service has a live consumer


def test_orphaned_supporting_services_on_the_extended_graph(extended_store: GraphStore) -> None:
    # legacy-ftp: no consumer; old-dns: only fax-gateway (retired); vector-db has chatbot (pipeline): not orphaned
    assert _rows(extended_store, "find_orphaned_services") == [
        {"service": "legacy-ftp", "name": "Legacy FTP", "owner": "workplace", "stage": "CATALOGUE",
         "retiredConsumers": []},
        {"service": "old-dns", "name": "Old DNS", "owner": "network", "stage": "CATALOGUE",
         "retiredConsumers": ["fax-gateway"]},
    ]


def test_services_without_outcome_on_the_extended_graph(extended_store: GraphStore) -> None:
    # chatbot enables self-service; print-shop enables nothing
    assert _rows(extended_store, "find_services_without_outcome") == [
        {"service": "loyalty-app", "name": "Loyalty app", "stage": "PIPELINE", "owner": "ecommerce", "subscribers": 0},
        {"service": "print-shop", "name": "Print shop", "stage": "CATALOGUE", "owner": "workplace", "subscribers": 1},
    ]


def test_services_without_outcome_on_northwind(northwind_store: GraphStore) -> None:
    # fax-gateway enables nothing either, but it is retired
    assert _column(_rows(northwind_store, "find_services_without_outcome"), "service") == ["loyalty-app"]


def test_unserved_outcomes(northwind_store: GraphStore) -> None:
    assert _rows(northwind_store, "find_unserved_outcomes") == []


def test_unserved_outcomes_on_the_extended_graph(extended_store: GraphStore) -> None:
    assert _rows(extended_store, "find_unserved_outcomes") == [
        {"outcome": "green-it", "name": "IT carbon footprint halved", "enabledBy": [], "pursuedBy": ["hr-bu"]},
        {"outcome": "paper-archive", "name": "Paper records archived", "enabledBy": ["fax-gateway"], "pursuedBy": []},
        {"outcome": "self-service", "name": "Customers serve themselves", "enabledBy": ["chatbot"],
         "pursuedBy": ["retail-bu"]},
    ]


def test_supplier_concentration(northwind_store: GraphStore) -> None:
    # 5 live customer-facing services. PayCo's payments is needed by web-shop and point-of-sale (lone edges:
    # both DOWN). NetA and NetB each carry internet-access, which the other uplink keeps up.
    assert _rows(northwind_store, "rank_supplier_concentration") == [
        {"supplier": "PayCo", "services": ["payments"], "dependents": ["point-of-sale", "web-shop"], "share": 0.4,
         "takesDown": ["point-of-sale", "web-shop"]},
        {"supplier": "NetA", "services": ["isp-uplink-a"], "dependents": ["internet-access"], "share": 0.2,
         "takesDown": []},
        {"supplier": "NetB", "services": ["isp-uplink-b"], "dependents": ["internet-access"], "share": 0.2,
         "takesDown": []},
    ]


def test_customers_most_exposed(northwind_store: GraphStore) -> None:
    # A single point of failure counts for a customer when it takes one of their subscriptions down:
    # retail-bu has all eight; finance-bu and hr-bu miss payments (web-shop, point-of-sale only);
    # franchise-co (web-shop, point-of-sale) misses dc-east and mail-platform (email only).
    all_eight = ["backup", "database-platform", "dc-east", "dc-west", "identity", "mail-platform", "network-core",
                 "payments"]
    rows = _rows(northwind_store, "rank_exposed_customers")
    assert [(r["customer"], r["services"], r["singlePointsOfFailure"], r["exposure"]) for r in rows] == [
        ("retail-bu", ["email", "internet-access", "point-of-sale", "web-shop"], all_eight, 8),
        ("finance-bu", ["email", "internet-access", "payroll"], all_eight[:-1], 7),
        ("hr-bu", ["email", "internet-access"], all_eight[:-1], 7),
        ("franchise-co", ["point-of-sale", "web-shop"],
         ["backup", "database-platform", "dc-west", "identity", "network-core", "payments"], 6),
    ]
    assert rows[-1]["type"] == "EXTERNAL"


def test_cost_hot_spots_by_category(northwind_store: GraphStore) -> None:
    # 2026-01 (the latest month). PEOPLE 36,000 + 54,000 + 21,000 + 12,000 = 123,000: web-shop 0.9 * 54,000,
    # network-core 0.8 * 36,000, point-of-sale 21,000. HARDWARE: servers split east/west, backup storage.
    # EXTERNAL_SERVICE and SOFTWARE tie at 33,000 (name order). OTHER: 60 % of 5,000 allocated to web-shop.
    rows = _rows(northwind_store, "rank_cost_hot_spots")
    assert [(r["category"], r["categoryTotal"], r["service"], r["amount"]) for r in rows] == [
        ("PEOPLE", 123000.0, "web-shop", 48600.0),
        ("PEOPLE", 123000.0, "network-core", 28800.0),
        ("PEOPLE", 123000.0, "point-of-sale", 21000.0),
        ("FACILITIES", 80000.0, "dc-east", 42000.0),
        ("FACILITIES", 80000.0, "dc-west", 38000.0),
        ("HARDWARE", 37000.0, "dc-east", 15000.0),
        ("HARDWARE", 37000.0, "dc-west", 15000.0),
        ("HARDWARE", 37000.0, "backup", 7000.0),
        ("EXTERNAL_SERVICE", 33000.0, "payments", 25000.0),
        ("EXTERNAL_SERVICE", 33000.0, "isp-uplink-a", 4000.0),
        ("EXTERNAL_SERVICE", 33000.0, "isp-uplink-b", 4000.0),
        ("SOFTWARE", 33000.0, "database-platform", 18000.0),
        ("SOFTWARE", 33000.0, "mail-platform", 9000.0),
        ("SOFTWARE", 33000.0, "identity", 6000.0),
        ("OTHER", 5000.0, "web-shop", 3000.0),
    ]
    for r in rows:
        assert r["share"] == pytest.approx(r["amount"] / r["categoryTotal"], abs=5e-5)
    top1 = _rows(northwind_store, "rank_cost_hot_spots", top=1, period="2026-01")
    assert _column(top1, "service") == ["web-shop", "dc-east", "dc-east", "payments", "database-platform", "web-shop"]
    assert _rows(northwind_store, "rank_cost_hot_spots", period="2025-12") == []


def test_retirement_candidates(northwind_store: GraphStore) -> None:
    assert _rows(northwind_store, "find_retirement_candidates") == []


def test_retirement_candidates_on_the_extended_graph(extended_store: GraphStore) -> None:
    # legacy-ftp: nobody; old-dns: only the retired fax-gateway. print-shop has a subscriber but no outcome
    # and 15,000 of direct cost in 2026-01. chatbot is in the pipeline, not the catalogue.
    assert _rows(extended_store, "find_retirement_candidates") == [
        {"service": "legacy-ftp", "name": "Legacy FTP", "kind": "SUPPORTING", "reason": "NO_CONSUMERS",
         "directCost": 0.0},
        {"service": "old-dns", "name": "Old DNS", "kind": "SUPPORTING", "reason": "NO_CONSUMERS", "directCost": 0.0},
        {"service": "print-shop", "name": "Print shop", "kind": "CUSTOMER_FACING", "reason": "COST_WITHOUT_OUTCOME",
         "directCost": 15000.0},
    ]
    assert _column(_rows(extended_store, "find_retirement_candidates", min_cost=20000), "service") == [
        "legacy-ftp", "old-dns"]
    assert _column(_rows(extended_store, "find_retirement_candidates", period="2025-12"), "service") == [
        "legacy-ftp", "old-dns"]  # no cost that month


def test_dependency_cycles(northwind_store: GraphStore) -> None:
    assert _rows(northwind_store, "find_dependency_cycles") == [
        {"members": ["database-platform", "identity"], "memberCount": 2,
         "edges": ["database-platform -> identity", "identity -> database-platform (share 0)"],
         "supportingOnly": True},
    ]


def test_criticality_inversions(northwind_store: GraphStore) -> None:
    # Criticality-5 consumers: web-shop, point-of-sale, payments, identity, network-core and database-platform
    # depend only on criticality-5 services, except database-platform -> backup (4).
    expected = [{"consumer": "database-platform", "consumerCriticality": 5, "provider": "backup",
                 "providerCriticality": 4, "redundancyGroup": None}]
    assert _rows(northwind_store, "find_criticality_inversions") == expected
    # From criticality 3 up nothing more: internet-access (4) and payroll (4) use 4s and 5s, backup (4) a 5,
    # email and mail-platform (3) use 3s, 4s and 5s.
    assert _rows(northwind_store, "find_criticality_inversions", min_criticality=3) == expected


def test_pipeline_without_business_case(northwind_store: GraphStore) -> None:
    assert _rows(northwind_store, "find_pipeline_without_business_case") == []  # loyalty-app has bc-loyalty


def test_pipeline_without_business_case_on_the_extended_graph(extended_store: GraphStore) -> None:
    assert _rows(extended_store, "find_pipeline_without_business_case") == [
        {"service": "chatbot", "name": "Chatbot", "kind": "CUSTOMER_FACING", "owner": "ecommerce",
         "riskAssessed": False, "costItems": 1},
        {"service": "vector-db", "name": "Vector database", "kind": "SUPPORTING", "owner": "data",
         "riskAssessed": False, "costItems": 0},
    ]


def test_budget_overruns(northwind_store: GraphStore) -> None:
    # 2026-01 budgets: web-shop 60,000 against 48,600 + 3,000 direct; email 5,000 against none;
    # payroll 11,000 against 12,000 (hr-it): 1,000 over, ratio 12/11.
    assert _rows(northwind_store, "find_budget_overruns") == [
        {"service": "payroll", "period": "2026-01", "budget": 11000.0, "directCost": 12000.0, "overBy": 1000.0,
         "ratio": 1.0909},
    ]
    assert _rows(northwind_store, "find_budget_overruns", period="2026-02") == []


@pytest.mark.parametrize("name", [a.name for a in analyses()])
def test_each_query_answers_an_empty_graph_with_no_rows(store: GraphStore, name: str) -> None:
    assert run_analysis(store, name).rows == []


def test_retirement_candidates_without_any_cost_item(store: GraphStore) -> None:
    # no month to take as the latest: direct costs are 0 and the NO_CONSUMERS arm still answers
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data

    lone = {"id": "lone", "name": "Lone", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "x",
            "criticality": 3, "riskAssessed": True}
    import_document(store, document_from_data({"currency": "EUR", "services": [lone]}))
    assert _rows(store, "find_retirement_candidates") == [
        {"service": "lone", "name": "Lone", "kind": "SUPPORTING", "reason": "NO_CONSUMERS", "directCost": 0.0}]
