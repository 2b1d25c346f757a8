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
    Provider,
    ServiceKind,
    demo_document,
    document_from_data,
    load_document,
    parse_document,
)

NORTHWIND = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "northwind-retail.json"


def _northwind() -> dict[str, Any]:
    return json.loads(NORTHWIND.read_text())


def _problems(data: dict[str, Any]) -> list[str]:
    """The details of the one BadInput that reading ``data`` raises."""
    with pytest.raises(BadInput) as caught:
        document_from_data(data)
    assert caught.value.message == f"portfolio document is invalid: {len(caught.value.details)} problem" + (
        "" if len(caught.value.details) == 1 else "s"
    )
    return caught.value.details


def _paths(details: list[str]) -> list[str]:
    return [d.split(": ", 1)[0] for d in details]


# --- reading ---------------------------------------------------------------------------------------------


def test_northwind_json_parses() -> None:
    doc = parse_document(NORTHWIND.read_text())
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
