"""Budgets against actuals, business cases and demand, read from the database and computed by the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from graph_itsm.finance.budgets import BudgetReport, budget_report, months_to_date
from graph_itsm.finance.business_case import CaseFigures, evaluate
from graph_itsm.finance.demand import DemandReport, demand_report
from graph_itsm.finance.model import BusinessCase
from graph_itsm.finance.service import Charging, FinanceCache, check_period
from graph_itsm.topology.projection import Topology
from graph_itsm.store import GraphStore, library

__all__ = ["RankedCase", "budget_report_for", "case_from_props", "cases_of_services", "pipeline_by_npv", "demand_for"]


@dataclass(frozen=True)
class RankedCase:
    case: BusinessCase
    props: dict[str, Any]
    figures: CaseFigures


def budget_report_for(store: GraphStore, cache: FinanceCache, period: str) -> BudgetReport:
    """Variance and year-to-date for the month: the budgets of its year and the allocation of each month from
    January to it (each month cached like any other)."""
    check_period(period)
    months = months_to_date(period)

    def compute(*_: Any) -> BudgetReport:
        rows = store.read_tuples(library()["finance/budgets_for_year"], {"year": period[:4]})
        budgets = {(service, month): float(amount) for service, month, amount in rows}
        actuals = {m: cache.month(m).allocation.costs() for m in months}
        return budget_report(budgets, actuals, period)

    # kept until the graph version moves (every write moves it): a 20,000-service report takes about a second
    return cache.derived(f"budget-report:{period}", compute)


def case_from_props(service_id: str, p: dict[str, Any]) -> BusinessCase:
    return BusinessCase(
        id=p["id"], service_id=service_id, investment=float(p.get("investment") or 0.0),
        annual_benefit=float(p.get("annualBenefit") or 0.0), annual_running_cost=float(p.get("annualRunningCost") or 0.0),
        years=int(p.get("years") or 0), discount_rate=float(p.get("discountRate") or 0.0),
        objectives=p.get("objectives") or "", non_financial_impacts=list(p.get("nonFinancialImpacts") or []),
    )


def cases_of_services(store: GraphStore, ids: Sequence[str]) -> list[RankedCase | None]:
    """Each service's business case (the first by id when there are several) with its figures, in key order."""
    found: dict[str, RankedCase] = {}
    for r in store.read(library()["finance/business_cases"], {"ids": list(ids)}):
        if r["key"] not in found:
            case = case_from_props(r["key"], r["businessCase"])
            found[r["key"]] = RankedCase(case, r["businessCase"], evaluate(case))
    return [found.get(k) for k in ids]


def pipeline_by_npv(store: GraphStore) -> list[RankedCase]:
    """The business cases of PIPELINE services, highest NPV first (then by service id)."""
    ranked = []
    for r in store.read(library()["finance/pipeline_business_cases"]):
        case = case_from_props(r["service"], r["businessCase"])
        ranked.append(RankedCase(case, r["businessCase"], evaluate(case)))
    return sorted(ranked, key=lambda c: (-c.figures.npv, c.case.service_id, c.case.id))


def demand_for(store: GraphStore, cache: FinanceCache) -> DemandReport:
    """Demand, capacity and utilisation of every service at the current graph version (kept until it moves)."""

    def compute(topo: Topology, charging: Charging) -> DemandReport:
        rows = store.read_tuples(library()["finance/service_capacity"])
        return demand_report(topo, charging.subscriptions, {sid: float(c) for sid, c in rows})

    return cache.derived("demand", compute)
