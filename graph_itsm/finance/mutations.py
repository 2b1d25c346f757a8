"""Finance mutations of the GraphQL API. Thin: each reads ``info.context``, calls the service layer (which checks
the input and writes atomically, audited, with the version bump) and returns the written object.

Errors (``extensions.code``): ``BAD_INPUT`` for malformed input (a negative amount, a period not YYYY-MM, a
category not known, ...; ``extensions.field`` names the field), ``NOT_FOUND`` for an unknown id,
``RULE_VIOLATION`` for a broken rule (``extensions.rule``: ``cost-item-shares``, ``currency``, ``unique-id``,
``statement-issued``). When a mutation fails, the graph is unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import strawberry

from graph_itsm.finance import settlement, statements, writes
from graph_itsm.finance.settlement_types import StatementSettlement
from graph_itsm.finance import closing, periods, statements, writes
from graph_itsm.finance.period_types import Period
from graph_itsm.finance.inputs import AllocationInput, BusinessCaseInput, RecordCostItemInput, UpdateCostItemInput
from graph_itsm.finance.report_types import Budget, BusinessCase, ChargeStatement
from graph_itsm.finance.reports import cases_of_services
from graph_itsm.finance.types import CostItem
from graph_itsm.portfolio.inputs import Deletion, PricingInput, as_data
from graph_itsm.portfolio.types import Service

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["FinanceMutation"]



def _item_data(input: Any) -> dict[str, Any]:
    data = as_data(input, skip=("allocations",))
    if input.allocations is not strawberry.UNSET:
        allocations: list[AllocationInput] = input.allocations or []
        data["allocations"] = [{"service": str(a.service), "share": a.share} for a in allocations]
    return data


@strawberry.type
class FinanceMutation:
    @strawberry.mutation(description="Record a cost item of one month with its allocations to services. Errors: "
                                     "BAD_INPUT (malformed field, named); NOT_FOUND (an allocation's service); "
                                     "RULE_VIOLATION `unique-id`, `cost-item-shares` (shares above 1), `currency`.")
    def record_cost_item(self, info: strawberry.Info["Context", None], input: RecordCostItemInput) -> CostItem:
        written = writes.record_cost_item(info.context.store, _item_data(input), actor=info.context.actor)
        info.context.changed()
        return CostItem.from_written(written)

    @strawberry.mutation(description="Change a cost item; given `allocations` replace its allocations. Errors as "
                                     "for `recordCostItem`, and NOT_FOUND for an unknown id.")
    def update_cost_item(self, info: strawberry.Info["Context", None], id: strawberry.ID, input: UpdateCostItemInput) -> CostItem:
        written = writes.update_cost_item(info.context.store, id, _item_data(input), actor=info.context.actor)
        info.context.changed()
        return CostItem.from_written(written)

    @strawberry.mutation(description="Delete a cost item with its allocations. NOT_FOUND for an unknown id.")
    def delete_cost_item(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Deletion:
        writes.delete_cost_item(info.context.store, id, actor=info.context.actor)
        info.context.changed()
        return Deletion(id=id)

    @strawberry.mutation(description="Set how the service's cost becomes a charge (null: COST_RECOVERY, the default). "
                                     "BAD_INPUT when `markup` (COST_PLUS) or `price` (FIXED, PER_UNIT) is missing, "
                                     "negative or given to another model.")
    def set_pricing(self, info: strawberry.Info["Context", None], service_id: strawberry.ID, pricing: Optional[PricingInput] = None) -> Service:
        data = None if pricing is None else {k: v for k, v in as_data(pricing).items() if v is not None}
        props = writes.set_pricing(info.context.store, service_id, data, actor=info.context.actor)
        info.context.changed()
        return Service.from_props(props)

    @strawberry.mutation(description="Set the service's budget for the month `period` (YYYY-MM), replacing one set "
                                     "before. BAD_INPUT for a negative amount or a bad period.")
    def set_budget(self, info: strawberry.Info["Context", None], service_id: strawberry.ID, period: str, amount: float) -> Budget:
        b = writes.set_budget(info.context.store, service_id, period, amount, actor=info.context.actor)
        info.context.changed()
        return Budget(service_id=b["service"], period=b["period"], amount=b["amount"])

    @strawberry.mutation(description="Remove the service's budget for the month. NOT_FOUND when there is none.")
    def delete_budget(self, info: strawberry.Info["Context", None], service_id: strawberry.ID, period: str) -> Deletion:
        deleted = writes.delete_budget(info.context.store, service_id, period, actor=info.context.actor)
        info.context.changed()
        return Deletion(id=strawberry.ID(deleted))

    @strawberry.mutation(description="Withdraw the service's business case (so the service can be deleted). NOT_FOUND "
                                     "when it has none. Returns the service's id.")
    def delete_business_case(self, info: strawberry.Info["Context", None], service_id: strawberry.ID) -> Deletion:
        deleted = writes.delete_business_case(info.context.store, service_id, actor=info.context.actor)
        info.context.changed()
        return Deletion(id=strawberry.ID(deleted))

    @strawberry.mutation(description="Set the service's business case (its existing case is updated). BAD_INPUT for "
                                     "negative figures, `years` below 1 or `discountRate` below 0.")
    def set_business_case(self, info: strawberry.Info["Context", None], service_id: strawberry.ID, input: BusinessCaseInput) -> BusinessCase:
        writes.set_business_case(info.context.store, service_id, as_data(input), actor=info.context.actor)
        info.context.changed()
        found = cases_of_services(info.context.store, [service_id])[0]
        assert found is not None  # just written
        return BusinessCase.of(found)

    @strawberry.mutation(description="Issue the customer's charge statement for the month: stored as it stands and "
                                     "never changed afterwards. RULE_VIOLATION `statement-issued` when it was issued "
                                     "already; NOT_FOUND for an unknown customer.")
    def issue_charge_statement(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID, period: str) -> ChargeStatement:
        f = info.context.finance
        issued = statements.issue_statement(f.store, f.cache, customer_id, period, actor=info.context.actor)
        info.context.changed()
        return ChargeStatement.of(issued)

    @strawberry.mutation(description="An issued statement is paid: ISSUED or DISPUTED -> PAID, audited; what is due "
                                     "is collected. Errors: NOT_FOUND (customer); RULE_VIOLATION "
                                     "`statement-not-issued`, `statement-life-cycle` (naming both states).")
    def mark_statement_paid(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID,
                            period: str) -> StatementSettlement:
        s = settlement.pay_statement(info.context.store, customer_id, period, actor=info.context.actor)
        info.context.changed()
        return StatementSettlement.of(customer_id, period, s)

    @strawberry.mutation(description="The customer (or its relationship manager) disputes an issued statement: "
                                     "ISSUED -> DISPUTED with a `reason`, audited; it stays outstanding. Errors: "
                                     "BAD_INPUT `reason` (blank or over 2000 characters); as `markStatementPaid`.")
    def dispute_statement(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID, period: str,
                          reason: str) -> StatementSettlement:
        s = settlement.dispute_statement(info.context.store, customer_id, period, reason, actor=info.context.actor)
        info.context.changed()
        return StatementSettlement.of(customer_id, period, s)

    @strawberry.mutation(description="Settle a dispute: DISPUTED -> ISSUED with a `reason` and, when given, a "
                                     "credit line of `credit` (positive, at most the amount due) that lowers the "
                                     "amount due without editing the lines; audited. Errors: BAD_INPUT `credit`, "
                                     "`reason`; as `markStatementPaid`.")
    def settle_dispute(self, info: strawberry.Info["Context", None], customer_id: strawberry.ID, period: str,
                       reason: str, credit: Optional[float] = None) -> StatementSettlement:
        s = settlement.settle_dispute(info.context.store, customer_id, period, reason=reason, credit=credit,
                                      actor=info.context.actor)
        info.context.changed()
        return StatementSettlement.of(customer_id, period, s)
    @strawberry.mutation(description="Close the month `period` (YYYY-MM): its allocation, unrecovered cost, "
                                     "reconciliation and charges are stored as they stand and every customer's "
                                     "statement not yet issued is issued, in one write; from then on every report of "
                                     "the month answers from what was stored, and cost items and budgets of the "
                                     "month are refused (RULE_VIOLATION `period-closed`). RULE_VIOLATION "
                                     "`period-closed` when it is closed already.")
    def close_period(self, info: strawberry.Info["Context", None], period: str) -> Period:
        f = info.context.finance
        closing.close_period(f.store, f.cache, period, actor=info.context.actor)
        info.context.changed()
        return _period(info, period)

    @strawberry.mutation(description="Open a closed month again, with the reason (kept in the audit trail): its "
                                     "reports are computed live again; statements issued stay issued and unchanged. "
                                     "BAD_INPUT when `reason` is blank; RULE_VIOLATION `period-open` when the month "
                                     "is not closed.")
    def reopen_period(self, info: strawberry.Info["Context", None], period: str, reason: str) -> Period:
        closing.reopen_period(info.context.store, period, reason, actor=info.context.actor)
        info.context.changed()
        return _period(info, period)


def _period(info: strawberry.Info["Context", None], period: str) -> Period:
    record = periods.closing_records(info.context.store).get(period)
    assert record is not None  # just written
    return Period.of(record)
