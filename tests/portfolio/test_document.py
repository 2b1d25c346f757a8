"""The portfolio document: parsing, schema errors with their paths, cross-reference rules, canonical form."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_itsm.errors import BadInput
from graph_itsm.portfolio import (
    ExistingIds,
    PortfolioDocument,
    Provider,
    ServiceKind,
    demo_document,
    document_from_data,
    equivalent,
    load_document,
    normalise,
    parse_document,
    validate_document,
)

NORTHWIND = Path(__file__).resolve().parents[2] / "tests" / "data" / "northwind-retail.json"


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


def _without_strategy_additions(data: dict[str, Any]) -> dict[str, Any]:
    """The demo less what it adds to northwind: the three-node database cluster that needs two (k of n),
    investment categories, strategic objectives and the services' ``serves``."""
    data = copy.deepcopy(data)
    data["services"] = [s for s in data["services"] if not s["id"].startswith("db-node-")]
    for s in data["services"]:
        s["dependsOn"] = [d for d in s["dependsOn"] if d.get("redundancyGroup") != "db-cluster"]
        for key in ("redundancy", "investmentCategory", "serves"):
            s.pop(key, None)
    for case in data["businessCases"]:
        case.pop("investmentCategory", None)
    data.pop("objectives", None)
    return data


def test_demo_portfolio_is_northwind_with_the_strategy_additions() -> None:
    demo = json.loads((files("graph_itsm") / "data" / "demo-portfolio.json").read_text(encoding="utf-8"))
    assert document_from_data(_without_strategy_additions(demo)) == load_document(NORTHWIND)
    assert demo_document() != load_document(NORTHWIND)


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


# --- canonical form -------------------------------------------------------------------------------------


def test_normalise_orders_keys_as_the_format_and_leaves_absent_fields_out() -> None:
    canonical = normalise(load_document(NORTHWIND))
    assert list(canonical) == [
        "currency", "outcomes", "services", "customers", "costs", "budgets", "businessCases", "surveys", "complaints",
        "objectives",
    ]
    web_shop = next(s for s in canonical["services"] if s["id"] == "web-shop")
    assert list(web_shop) == [
        "id", "name", "kind", "stage", "owner", "provider", "criticality", "riskAssessed", "capacity", "pricing",
        "enables", "dependsOn", "redundancy", "serves",
    ]
    assert web_shop["pricing"] == {"model": "COST_PLUS", "markup": 0.1}
    assert {"service": "identity"} in web_shop["dependsOn"]
    assert [s["id"] for s in canonical["services"]] == sorted(s["id"] for s in canonical["services"])
    assert canonical["complaints"][0]["opened"] == "2026-01-12T09:30:00Z"


def test_equivalent_ignores_order_and_spelled_out_defaults_but_not_content() -> None:
    original = _northwind()
    shuffled = copy.deepcopy(original)
    for name in ("services", "customers", "costs", "outcomes"):
        shuffled[name].reverse()
    web_shop = next(s for s in shuffled["services"] if s["id"] == "web-shop")
    web_shop["dependsOn"].reverse()
    web_shop["provider"] = "INTERNAL"
    shuffled["complaints"][0]["opened"] = "2026-01-12T10:30:00+01:00"
    assert equivalent(original, shuffled)
    shuffled["costs"][0]["amount"] += 1
    assert not equivalent(original, shuffled)


# --- round trip on generated documents ------------------------------------------------------------------

_slugs = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True)
_text = st.text(min_size=1, max_size=12)
_money = st.floats(0, 1e9)
_months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1990, 2100), st.integers(1, 12))
_instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-7))]),
)


@st.composite
def _optional(draw: st.DrawFn, **fields: st.SearchStrategy[Any]) -> dict[str, Any]:
    """Each field present or absent, independently."""
    return {key: draw(strategy) for key, strategy in fields.items() if draw(st.booleans())}


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    """Valid documents: every reference resolves and every share sum stays within 1."""
    outcomes = draw(st.lists(_slugs, unique=True, max_size=4))
    services = draw(st.lists(_slugs, unique=True, min_size=1, max_size=6))
    customers = draw(st.lists(_slugs, unique=True, max_size=4))
    kinds = {s: draw(st.sampled_from(["CUSTOMER_FACING", "SUPPORTING"])) for s in services}
    stages = {s: draw(st.sampled_from(["PIPELINE", "CATALOGUE", "RETIRED"])) for s in services}
    open_to_customers = [s for s in services if kinds[s] == "CUSTOMER_FACING" and stages[s] != "PIPELINE"]
    pricing = st.sampled_from(["COST_RECOVERY", "NOT_CHARGED"]).map(lambda m: {"model": m}) | st.builds(
        lambda m, v: {"model": m, "markup" if m == "COST_PLUS" else "price": v},
        st.sampled_from(["COST_PLUS", "FIXED", "PER_UNIT"]), _money,
    )
    doc: dict[str, Any] = {"currency": draw(st.from_regex(r"[A-Z]{3}", fullmatch=True))}
    doc["outcomes"] = [{"id": o, "name": draw(_text), **draw(_optional(description=st.text()))} for o in outcomes]
    doc["services"] = []
    for s in services:
        provider = draw(st.sampled_from([{}, {"provider": "INTERNAL"}, {"provider": "THIRD_PARTY", "supplier": "A"}]))
        dependencies = draw(st.lists(st.sampled_from(services).filter(lambda p, s=s: p != s), unique=True, max_size=3))
        doc["services"].append({
            "id": s, "name": draw(_text), "kind": kinds[s], "stage": stages[s], "owner": draw(_text),
            "criticality": draw(st.integers(1, 5)), **provider,
            **draw(_optional(riskAssessed=st.booleans(), capacity=_money, pricing=pricing, description=st.text())),
            "enables": draw(st.lists(st.sampled_from(outcomes), unique=True)) if outcomes else [],
            "dependsOn": [
                {"service": p, **draw(_optional(share=st.floats(0, 1 / len(services)), redundancyGroup=_text,
                                                demandFactor=st.floats(0, 10)))}
                for p in dependencies
            ],
        })
    doc["customers"] = []
    for c in customers:
        subscribed = draw(st.lists(st.sampled_from(open_to_customers), unique=True)) if open_to_customers else []
        doc["customers"].append({
            "id": c, "name": draw(_text), "type": draw(st.sampled_from(["INTERNAL", "EXTERNAL"])),
            **draw(_optional(relationshipManager=st.just({"id": f"brm-{c}", "name": "B", "email": "b@example.org"}))),
            "pursues": draw(st.lists(st.sampled_from(outcomes), unique=True)) if outcomes else [],
            "subscriptions": [
                {"service": s, **draw(_optional(since=st.dates().map(str), share=st.floats(0, 1 / len(customers)),
                                                units=_money)),
                 **({"specialBusinessCase": draw(_text)} if stages[s] == "RETIRED" else {})}
                for s in subscribed
            ],
        })
    doc["costs"] = []
    for k in draw(st.lists(_slugs, unique=True, max_size=4)):
        targets = draw(st.lists(st.sampled_from(services), unique=True, max_size=3))
        doc["costs"].append({
            "id": k, "name": draw(_text), "category": "OTHER", "nature": draw(st.sampled_from(["CAPEX", "OPEX"])),
            "period": draw(_months), "amount": draw(_money),
            "allocations": [{"service": t, "share": draw(st.floats(0, 1 / len(targets)))} for t in targets],
        })
    budget_keys = draw(st.lists(st.tuples(st.sampled_from(services), _months), unique=True, max_size=3))
    doc["budgets"] = [{"service": s, "period": p, "amount": draw(_money)} for s, p in budget_keys]
    doc["businessCases"] = [
        {"id": b, "service": draw(st.sampled_from(services)), "investment": draw(_money), "annualBenefit": draw(_money),
         "annualRunningCost": draw(_money), "years": draw(st.integers(1, 30)), "discountRate": draw(st.floats(0, 1)),
         **draw(_optional(objectives=st.text(), nonFinancialImpacts=st.lists(_text, max_size=3)))}
        for b in draw(st.lists(_slugs, unique=True, max_size=2))
    ]
    if customers:
        survey_keys = draw(st.lists(st.tuples(st.sampled_from(customers), _months), unique=True, max_size=3))
        doc["surveys"] = [
            {"customer": c, "period": p, "score": draw(st.integers(1, 5)), **draw(_optional(comment=st.text()))}
            for c, p in survey_keys
        ]
        doc["complaints"] = [
            {"id": k, "customer": draw(st.sampled_from(customers)), "severity": draw(st.integers(1, 4)),
             "opened": draw(_instants).isoformat(), "status": draw(st.sampled_from(["OPEN", "ESCALATED", "CLOSED"])),
             **draw(_optional(service=st.sampled_from(services), escalationLevel=st.integers(0, 3), summary=st.text()))}
            for k in draw(st.lists(_slugs, unique=True, max_size=2))
        ]
    return doc


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_documents())
def test_normalised_document_survives_a_json_round_trip(data: dict[str, Any]) -> None:
    doc: PortfolioDocument = document_from_data(data)
    validate_document(doc)
    canonical = normalise(doc)
    again = parse_document(json.dumps(canonical))
    assert normalise(again) == canonical
    assert equivalent(data, canonical)
