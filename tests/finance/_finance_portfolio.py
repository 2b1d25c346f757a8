"""Builds the finance engine's inputs from a portfolio document (the shared examples), for the tests here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_itsm.finance.model import (
    BusinessCase,
    CostCategory,
    CostItem,
    CostNature,
    Pricing,
    PricingModel,
    Subscription,
)
from graph_itsm.topology.projection import Topology

EXAMPLES = Path(__file__).resolve().parents[2] / "tests" / "data"


@dataclass
class Portfolio:
    doc: dict[str, Any]
    topology: Topology
    items: list[CostItem]
    subscriptions: list[Subscription]
    pricing: dict[str, Pricing]
    capacity: dict[str, float]
    budgets: dict[tuple[str, str], float]
    cases: list[BusinessCase]


def load(name: str = "northwind-retail") -> Portfolio:
    doc = json.loads((EXAMPLES / f"{name}.json").read_text())
    services = doc["services"]
    subscriptions = [
        Subscription(
            customer_id=c["id"],
            service_id=s["service"],
            share=s.get("share"),
            units=s.get("units"),
            since=s.get("since"),
            special_business_case=s.get("specialBusinessCase"),
        )
        for c in doc.get("customers", [])
        for s in c.get("subscriptions", [])
    ]
    topology = Topology.build(
        [(s["id"], s["kind"], s["stage"]) for s in services],
        [
            (s["id"], e["service"], e.get("share"), e.get("redundancyGroup"), e.get("demandFactor"))
            for s in services
            for e in s.get("dependsOn", [])
        ],
        enables=[(s["id"], o) for s in services for o in s.get("enables", [])],
        subscribes=[(sub.customer_id, sub.service_id) for sub in subscriptions],
        pursues=[(c["id"], o) for c in doc.get("customers", []) for o in c.get("pursues", [])],
    )
    items = [
        CostItem(
            id=c["id"],
            name=c["name"],
            category=CostCategory(c["category"]),
            nature=CostNature(c["nature"]),
            amount=c["amount"],
            period=c["period"],
            allocations=[(a["service"], a["share"]) for a in c.get("allocations", [])],
        )
        for c in doc.get("costs", [])
    ]
    pricing = {
        s["id"]: Pricing(PricingModel(s["pricing"]["model"]), s["pricing"].get("markup"), s["pricing"].get("price"))
        for s in services
        if s.get("pricing")
    }
    cases = [
        BusinessCase(
            id=b["id"],
            service_id=b["service"],
            investment=b["investment"],
            annual_benefit=b["annualBenefit"],
            annual_running_cost=b["annualRunningCost"],
            years=b["years"],
            discount_rate=b["discountRate"],
            objectives=b.get("objectives", ""),
            non_financial_impacts=list(b.get("nonFinancialImpacts", [])),
        )
        for b in doc.get("businessCases", [])
    ]
    return Portfolio(
        doc=doc,
        topology=topology,
        items=items,
        subscriptions=subscriptions,
        pricing=pricing,
        capacity={s["id"]: float(s["capacity"]) for s in services if s.get("capacity") is not None},
        budgets={(b["service"], b["period"]): float(b["amount"]) for b in doc.get("budgets", [])},
        cases=cases,
    )


def expected(name: str = "northwind-retail") -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.expected.json").read_text())
