"""The portfolio document: parsing, schema errors with their paths, cross-reference rules, canonical form."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph_itsm.errors import BadInput
from graph_itsm.portfolio import (
    ExistingIds,
    Provider,
    ServiceKind,
    demo_document,
    document_from_data,
    load_document,
    parse_document,
    validate_document,
)

NORTHWIND = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "northwind-retail.json"


def _northwind() -> dict[str, Any]:
    return json.loads(NORTHWIND.read_text())


def _problems(data: dict[str, Any], existing: ExistingIds | None = None) -> list[str]:
    """The details of the one BadInput that reading and validating ``data`` raises."""
    with pytest.raises(BadInput) as caught:
        validate_document(document_from_data(data), existing=existing)
    assert caught.value.message == f"portfolio document is invalid: {len(caught.value.details)} problem" + (
        "" if len(caught.value.details) == 1 else "s"
    )
    return caught.value.details


def _paths(details: list[str]) -> list[str]:
    return [d.split(": ", 1)[0] for d in details]


# --- reading ---------------------------------------------------------------------------------------------


def test_northwind_json_parses_and_validates_cleanly() -> None:
    doc = parse_document(NORTHWIND.read_text())
    validate_document(doc)
    assert len(doc.services) == 17 and len(doc.customers) == 4
    web_shop = doc.services[0]
    assert web_shop.kind is ServiceKind.CUSTOMER_FACING and web_shop.risk_assessed is True
    assert web_shop.depends_on[3].redundancy_group == "hosting" and web_shop.depends_on[3].demand_factor == 0.5
    assert web_shop.pricing is not None and web_shop.pricing.markup == 0.1
    assert doc.services[7].provider is Provider.THIRD_PARTY and doc.services[7].supplier == "PayCo"
    assert doc.complaints[0].opened == datetime(2026, 1, 12, 9, 30, tzinfo=timezone.utc)


def test_northwind_as_yaml_reads_the_same_document() -> None:
    text = yaml.safe_dump(_northwind(), sort_keys=False)
    from_yaml = parse_document(text)
    validate_document(from_yaml)
    assert from_yaml == parse_document(NORTHWIND.read_text()) == parse_document(text, fmt="yaml")


def test_yaml_native_dates_and_timestamps_are_read() -> None:
    doc = parse_document(
        """
currency: EUR
services: [{id: s, name: S, kind: CUSTOMER_FACING, stage: CATALOGUE, owner: o, criticality: 1}]
customers:
  - {id: c, name: C, type: EXTERNAL, subscriptions: [{service: s, since: 2024-03-01}]}
complaints: [{id: k, customer: c, severity: 1, opened: 2026-01-12T10:30:00+01:00, status: OPEN}]
"""
    )
    assert str(doc.customers[0].subscriptions[0].since) == "2024-03-01"
    assert doc.complaints[0].opened == datetime(2026, 1, 12, 9, 30, tzinfo=timezone.utc)


def test_load_document_takes_the_format_from_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.yml"
    path.write_text(yaml.safe_dump(_northwind()))
    assert load_document(path) == load_document(NORTHWIND)


def test_demo_portfolio_is_northwind() -> None:
    assert demo_document() == load_document(NORTHWIND)


@pytest.mark.parametrize(("text", "fmt", "reason"), [
    ('{"currency": "EUR",', None, "not valid JSON"),
    ("currency: [EUR", None, "not valid YAML"),
    ("{}", "xml", "unknown document format"),
])
def test_unreadable_text_is_bad_input(text: str, fmt: str | None, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        parse_document(text, fmt=fmt)


def test_document_that_is_not_an_object_is_reported_at_the_root() -> None:
    with pytest.raises(BadInput) as caught:
        parse_document("[1, 2]")
    assert caught.value.details == ["document: must be an object"]


# --- schema errors: one per kind, at its exact path --------------------------------------------------------


def test_unknown_field_is_reported_with_its_path() -> None:
    data = _northwind()
    data["services"][0]["colour"] = "red"
    assert _problems(data) == ["services[0].colour: unknown field"]


def test_bad_enum_names_the_allowed_values() -> None:
    data = _northwind()
    data["services"][1]["kind"] = "INTERNAL_ONLY"
    assert _problems(data) == ["services[1].kind: must be one of CUSTOMER_FACING, SUPPORTING; got 'INTERNAL_ONLY'"]


def test_share_above_one_is_refused() -> None:
    data = _northwind()
    data["services"][0]["dependsOn"][0]["share"] = 1.5
    assert _paths(_problems(data)) == ["services[0].dependsOn[0].share"]


def test_bad_period_is_refused() -> None:
    data = _northwind()
    data["costs"][0]["period"] = "2026-13"
    assert _problems(data) == ["costs[0].period: must be a month as YYYY-MM; got '2026-13'"]


@pytest.mark.parametrize(("path", "value", "expected"), [
    (("services", 7, "supplier"), None, "services[7].supplier: is required with provider THIRD_PARTY"),
    (("services", 0, "pricing"), {"model": "FIXED"}, "services[0].pricing.price: is required with pricing model FIXED"),
    (("services", 0, "pricing"), {"model": "COST_RECOVERY", "markup": 0.2},
     "services[0].pricing.markup: is not used with pricing model COST_RECOVERY"),
    (("services", 0, "riskAssessed"), "yes", "services[0].riskAssessed: Input should be a valid boolean"),
    (("services", 0, "criticality"), 6, "services[0].criticality: Input should be less than or equal to 5"),
    (("services", 0, "id"), "Web Shop",
     "services[0].id: must be a slug of lower-case letters, digits, '-' and '_'; got 'Web Shop'"),
    (("complaints", 0, "opened"), "2026-01-12T09:30:00", "complaints[0].opened: Input should have timezone info"),
    (("complaints", 0, "status"), "REOPENED",
     "complaints[0].status: must be one of OPEN, ACKNOWLEDGED, ESCALATED, RESOLVED, CLOSED; got 'REOPENED'"),
    (("customers", 0, "subscriptions", 0, "since"), 20240301,
     "customers[0].subscriptions[0].since: must be a date as YYYY-MM-DD; got 20240301"),
    (("currency",), "euro", "currency: must be an ISO 4217 currency code (three capital letters); got 'euro'"),
])
def test_field_rules_report_their_path(path: tuple[str | int, ...], value: Any, expected: str) -> None:
    data = _northwind()
    *parent, last = path
    target = data
    for part in parent:
        target = target[part]
    target[last] = value
    assert _problems(data) == [expected]


def test_missing_required_field_is_named() -> None:
    data = _northwind()
    del data["services"][2]["owner"]
    assert _problems(data) == ["services[2].owner: required field is missing"]


def test_several_schema_errors_are_all_reported() -> None:
    data = _northwind()
    data["services"][0]["colour"] = "red"
    data["services"][1]["kind"] = "NOPE"
    data["costs"][0]["period"] = "January"
    data["surveys"][0]["score"] = 0
    assert sorted(_paths(_problems(data))) == [
        "costs[0].period", "services[0].colour", "services[1].kind", "surveys[0].score",
    ]


# --- cross-references and portfolio rules ----------------------------------------------------------------


def test_dangling_reference_is_reported_with_its_path() -> None:
    data = _northwind()
    data["services"][0]["dependsOn"][0]["service"] = "payment"
    assert _problems(data) == [
        "services[0].dependsOn[0].service: unknown service 'payment': neither in the document nor in the graph"
    ]


def test_every_kind_of_reference_is_checked() -> None:
    data = _northwind()
    data["services"][0]["enables"].append("ghost-outcome")
    data["customers"][0]["pursues"].append("ghost-outcome")
    data["customers"][0]["subscriptions"][2]["service"] = "ghost"
    data["costs"][0]["allocations"][0]["service"] = "ghost"
    data["budgets"][0]["service"] = "ghost"
    data["businessCases"][0]["service"] = "ghost"
    data["surveys"][0]["customer"] = "ghost"
    data["complaints"][0]["customer"] = "ghost"
    data["complaints"][0]["service"] = "ghost"
    assert _paths(_problems(data)) == [
        "services[0].enables[2]", "customers[0].pursues[2]", "customers[0].subscriptions[2].service",
        "costs[0].allocations[0].service", "budgets[0].service", "businessCases[0].service",
        "surveys[0].customer", "complaints[0].customer", "complaints[0].service",
    ]


def test_references_satisfied_by_existing_ids_pass() -> None:
    data = {
        "currency": "EUR",
        "services": [{"id": "new-app", "name": "New app", "kind": "SUPPORTING", "stage": "PIPELINE", "owner": "x",
                      "criticality": 2, "enables": ["orders-24h"], "dependsOn": [{"service": "dc-east"}]}],
        "customers": [{"id": "new-bu", "name": "New BU", "type": "INTERNAL", "pursues": ["orders-24h"],
                       "subscriptions": [{"service": "web-shop"}]}],
        "surveys": [{"customer": "retail-bu", "period": "2026-02", "score": 4}],
    }
    existing = ExistingIds(services={"dc-east", "web-shop"}, outcomes={"orders-24h"}, customers={"retail-bu"})
    validate_document(document_from_data(data), existing=existing)
    assert len(_problems(data)) == 5


def test_self_dependency_is_refused() -> None:
    data = _northwind()
    data["services"][1]["dependsOn"].append({"service": "point-of-sale"})
    assert _problems(data) == ["services[1].dependsOn[3].service: a service cannot depend on itself"]


def test_duplicate_ids_are_refused() -> None:
    data = _northwind()
    data["outcomes"].append({"id": "staff-paid", "name": "Again"})
    data["costs"][1]["id"] = "dc-east-facility-2026-01"
    assert _problems(data) == [
        "outcomes[4].id: duplicate id (first at outcomes[2].id)",
        "costs[1].id: duplicate id (first at costs[0].id)",
    ]


def test_duplicate_natural_keys_are_refused() -> None:
    data = _northwind()
    data["services"][2]["dependsOn"].append({"service": "identity"})
    data["budgets"].append({"service": "web-shop", "period": "2026-01", "amount": 1.0})
    assert _paths(_problems(data)) == ["budgets[3]", "services[2].dependsOn[2].service"]


def test_cost_item_shares_above_one_are_refused() -> None:
    data = _northwind()
    data["costs"][2]["allocations"][1]["share"] = 0.7
    assert _problems(data) == ["costs[2].allocations: shares sum to 1.2, more than 1"]


def test_dependency_shares_of_one_provider_above_one_are_refused() -> None:
    data = _northwind()
    data["services"][1]["dependsOn"][0]["share"] = 0.3  # web-shop already bears 0.8 of payments
    assert _problems(data) == [
        "services[1].dependsOn[0].share: shares of the dependencies on 'payments' sum to 1.1, more than 1 "
        "(with services[0].dependsOn[0].share)"
    ]


def test_subscription_shares_of_one_service_above_one_are_refused() -> None:
    data = _northwind()
    data["customers"][3]["subscriptions"][0]["share"] = 0.4  # retail-bu already bears 0.7 of web-shop
    assert _paths(_problems(data)) == ["customers[3].subscriptions[0].share"]


def test_subscription_to_a_supporting_service_is_refused() -> None:
    data = _northwind()
    data["customers"][0]["subscriptions"][2]["service"] = "payments"
    assert _problems(data) == [
        "customers[0].subscriptions[2].service: 'payments' is a SUPPORTING service; "
        "customers subscribe only to CUSTOMER_FACING services"
    ]


def test_subscriptions_need_the_catalogue_or_a_special_business_case() -> None:
    data = _northwind()
    data["customers"][0]["subscriptions"].append({"service": "loyalty-app"})  # PIPELINE
    data["customers"][1]["subscriptions"].append({"service": "fax-gateway"})  # RETIRED
    assert _paths(_problems(data)) == ["customers[0].subscriptions[4].service", "customers[1].subscriptions[3].service"]
    data["customers"][0]["subscriptions"].pop()
    data["customers"][1]["subscriptions"][3]["specialBusinessCase"] = "legal archive until 2027"
    validate_document(document_from_data(data))


def test_one_relationship_manager_is_one_person() -> None:
    data = _northwind()
    data["customers"][1]["relationshipManager"]["email"] = "ana.costa@example.org"
    assert _paths(_problems(data)) == ["customers[1].relationshipManager"]


def test_several_rule_violations_are_all_reported() -> None:
    data = _northwind()
    data["services"][0]["dependsOn"][0]["service"] = "nowhere"
    data["services"][1]["dependsOn"].append({"service": "point-of-sale"})
    data["costs"][2]["allocations"][1]["share"] = 0.7
    data["customers"][0]["subscriptions"][2]["service"] = "payments"
    data["outcomes"].append({"id": "staff-paid", "name": "Again"})
    assert sorted(_paths(_problems(data))) == [
        "costs[2].allocations", "customers[0].subscriptions[2].service", "outcomes[4].id",
        "services[0].dependsOn[0].service", "services[1].dependsOn[3].service",
    ]


def test_catalogue_service_without_due_diligence_imports() -> None:
    """Due diligence guards the move to the catalogue, not an import: northwind's email has no cost item."""
    doc = load_document(NORTHWIND)
    email = next(s for s in doc.services if s.id == "email")
    assert email.stage == "CATALOGUE"
    assert not any(a.service == "email" for k in doc.costs for a in k.allocations)
    assert not any(bc.service == "email" for bc in doc.business_cases)
    validate_document(doc)
