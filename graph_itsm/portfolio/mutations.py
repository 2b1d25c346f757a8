"""Portfolio mutations of the GraphQL API. Thin: each reads ``info.context``, calls the service layer (which checks
the rules and writes atomically with its audit entry) and returns the changed object.

Errors (``extensions.code``): ``BAD_INPUT`` for malformed input (``extensions.field`` names the field),
``NOT_FOUND`` for an unknown id, ``RULE_VIOLATION`` for a broken portfolio rule (``extensions.rule`` names it,
``extensions.services`` lists the services involved). When a mutation fails, the graph is unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from graph_itsm.portfolio import customers, dependencies, lifecycle, outcomes
from graph_itsm.portfolio import document as model
from graph_itsm.portfolio import service as services
from graph_itsm.portfolio.inputs import (
    CreateCustomerInput,
    CreateOutcomeInput,
    CreateServiceInput,
    Deletion,
    DependencyInput,
    MoveServiceStageInput,
    StageMove,
    SubscriptionInput,
    UpdateCustomerInput,
    UpdateOutcomeInput,
    UpdateServiceInput,
    as_data,
)
from graph_itsm.portfolio.types import BusinessOutcome, Customer, Service, Subscription

if TYPE_CHECKING:
    from graph_itsm.api.context import Context

__all__ = ["PortfolioMutation"]

_ID = "BAD_INPUT if an id is not a slug; NOT_FOUND if it names nothing."
_NEW = "BAD_INPUT for a malformed field (named in extensions.field); RULE_VIOLATION `unique-id` if the id is taken."
_PATCH = f"{_ID} BAD_INPUT for a malformed field, or null for a required one."


def _done(info: strawberry.Info["Context", None]) -> None:
    """Later fields of this request must not answer from loaders filled before the write."""
    info.context.changed()


async def _service(info: strawberry.Info["Context", None], service_id: str) -> Service:
    row = await info.context.portfolio.service.load(service_id)
    return Service.from_props(row["service"])


async def _customer(info: strawberry.Info["Context", None], customer_id: str) -> Customer:
    return Customer.from_row(await info.context.portfolio.customer.load(customer_id))


@strawberry.type
class PortfolioMutation:
    # -- services ----------------------------------------------------------------------------------------
    @strawberry.mutation(description=f"Create a service in the PIPELINE. Errors: {_NEW}")
    def create_service(self, info: strawberry.Info["Context", None], input: CreateServiceInput) -> Service:
        props = services.create_service(info.context.store, as_data(input), actor=info.context.actor,
                                        topology=info.context.state.topology)
        _done(info)
        return Service.from_props(props)

    @strawberry.mutation(description=f"Change fields of a service. Errors: {_PATCH} RULE_VIOLATION `kind` when a "
                                     "subscribed service would stop being CUSTOMER_FACING.")
    def update_service(self, info: strawberry.Info["Context", None], id: strawberry.ID, input: UpdateServiceInput) -> Service:
        props = services.update_service(info.context.store, id, as_data(input), actor=info.context.actor,
                                        topology=info.context.state.topology)
        _done(info)
        return Service.from_props(props)

    @strawberry.mutation(description=f"Delete a service with its own dependencies and outcome links. Errors: {_ID} "
                                     "RULE_VIOLATION `still-referenced` while consumers, subscribers, cost items, "
                                     "budgets, business cases or complaints refer to it (all named).")
    def delete_service(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Deletion:
        services.delete_service(info.context.store, id, actor=info.context.actor,
                                topology=info.context.state.topology)
        _done(info)
        return Deletion(id=id)

    @strawberry.mutation(description=(
        "Move a service through its life cycle: PIPELINE -> CATALOGUE -> RETIRED, or PIPELINE -> RETIRED. "
        f"Errors: {_ID} BAD_INPUT `replacement` with a stage other than RETIRED. RULE_VIOLATION: `due-diligence` "
        "(into the CATALOGUE only with riskAssessed true and a business case or an allocated cost item); "
        "`retirement` (refused while CATALOGUE services depend on it, unless a replacement is named: then the "
        "dependencies of its live consumers move to the replacement in the same write, keeping share, "
        "redundancyGroup and demandFactor; a consumer already depending on the replacement keeps that edge and "
        "the demand factors add up); `replacement` (must be another CATALOGUE service); `no-self-dependency` (the "
        "replacement depends on the service itself); `provider-shares` (the replacement's shares would exceed 1); "
        "`retired-is-final`; `lifecycle` (already in that stage, or CATALOGUE back to PIPELINE); "
        "`closed-cycle` (the change would leave a cycle of services passing all its cost around, so cost "
        "allocation would have no solution; `extensions.cycle` names it)."))
    async def move_service_stage(self, info: strawberry.Info["Context", None], input: MoveServiceStageInput) -> StageMove:
        move = lifecycle.move_service_stage(info.context.store, input.service, input.stage.value,
                                            replacement_id=input.replacement, actor=info.context.actor,
                                            topology=info.context.state.topology)
        _done(info)
        return StageMove(
            service=Service.from_props(move.service),
            previous_stage=model.ServiceStage(move.previous_stage),
            replacement=await _service(info, move.replacement) if move.replacement else None,
            moved_consumers=[strawberry.ID(c) for c in move.moved_consumers],
        )

    # -- dependencies and outcomes -----------------------------------------------------------------------
    @strawberry.mutation(description=(
        "Make `consumer` depend on `provider`; an existing edge gets the new share, redundancyGroup and "
        f"demandFactor. Returns the consumer. Errors: {_ID} BAD_INPUT share outside 0..1, demandFactor < 0. "
        "RULE_VIOLATION: `no-self-dependency`; `provider-shares` (the shares into one provider sum to at most 1); "
        "`retired-provider` (a RETIRED service takes no new consumers); "
        "`closed-cycle` (the change would leave a cycle of services passing all its cost around, so cost "
        "allocation would have no solution; `extensions.cycle` names it)."))
    async def add_dependency(self, info: strawberry.Info["Context", None], input: DependencyInput) -> Service:
        data = as_data(input, skip=("consumer", "provider"))
        consumer = dependencies.add_dependency(info.context.store, input.consumer, input.provider, data,
                                               actor=info.context.actor, topology=info.context.state.topology)
        _done(info)
        return await _service(info, consumer)

    @strawberry.mutation(description=f"Remove a DEPENDS_ON edge; returns the consumer. Errors: {_ID} RULE_VIOLATION "
                                     "`closed-cycle` (the change would leave a cycle of services passing all its "
                                     "cost around, so cost allocation would have no solution; `extensions.cycle` "
                                     "names it).")
    async def remove_dependency(self, info: strawberry.Info["Context", None], consumer: strawberry.ID, provider: strawberry.ID) -> Service:
        dependencies.remove_dependency(info.context.store, consumer, provider, actor=info.context.actor,
                                        topology=info.context.state.topology)
        _done(info)
        return await _service(info, consumer)

    @strawberry.mutation(description=f"Record that a service enables a business outcome; returns the service. Errors: {_ID}")
    async def link_outcome(self, info: strawberry.Info["Context", None], service: strawberry.ID, outcome: strawberry.ID) -> Service:
        outcomes.link_outcome(info.context.store, service, outcome, actor=info.context.actor,
                              topology=info.context.state.topology)
        _done(info)
        return await _service(info, service)

    @strawberry.mutation(description=f"Remove the link from a service to an outcome; returns the service. Errors: {_ID}")
    async def unlink_outcome(self, info: strawberry.Info["Context", None], service: strawberry.ID, outcome: strawberry.ID) -> Service:
        outcomes.unlink_outcome(info.context.store, service, outcome, actor=info.context.actor,
                                topology=info.context.state.topology)
        _done(info)
        return await _service(info, service)

    # -- outcomes ----------------------------------------------------------------------------------------
    @strawberry.mutation(description=f"Create a business outcome. Errors: {_NEW}")
    def create_outcome(self, info: strawberry.Info["Context", None], input: CreateOutcomeInput) -> BusinessOutcome:
        props = outcomes.create_outcome(info.context.store, as_data(input), actor=info.context.actor)
        _done(info)
        return BusinessOutcome.from_props(props)

    @strawberry.mutation(description=f"Change fields of a business outcome. Errors: {_PATCH}")
    def update_outcome(self, info: strawberry.Info["Context", None], id: strawberry.ID, input: UpdateOutcomeInput) -> BusinessOutcome:
        props = outcomes.update_outcome(info.context.store, id, as_data(input), actor=info.context.actor)
        _done(info)
        return BusinessOutcome.from_props(props)

    @strawberry.mutation(description=f"Delete a business outcome. Errors: {_ID} RULE_VIOLATION `still-referenced` "
                                     "while services enable it or customers pursue it (all named).")
    def delete_outcome(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Deletion:
        outcomes.delete_outcome(info.context.store, id, actor=info.context.actor)
        _done(info)
        return Deletion(id=id)

    # -- customers and subscriptions ---------------------------------------------------------------------
    @strawberry.mutation(description=f"Create a customer. Errors: {_NEW}")
    def create_customer(self, info: strawberry.Info["Context", None], input: CreateCustomerInput) -> Customer:
        props = customers.create_customer(info.context.store, as_data(input), actor=info.context.actor)
        _done(info)
        return Customer.from_row({"customer": props})

    @strawberry.mutation(description=f"Change fields of a customer. Errors: {_PATCH}")
    async def update_customer(self, info: strawberry.Info["Context", None], id: strawberry.ID, input: UpdateCustomerInput) -> Customer:
        customers.update_customer(info.context.store, id, as_data(input), actor=info.context.actor)
        _done(info)
        return await _customer(info, id)

    @strawberry.mutation(description=f"Delete a customer with its pursued outcomes and manager assignment. Errors: "
                                     f"{_ID} RULE_VIOLATION `still-referenced` while it has subscriptions, surveys or "
                                     "complaints (all named).")
    def delete_customer(self, info: strawberry.Info["Context", None], id: strawberry.ID) -> Deletion:
        customers.delete_customer(info.context.store, id, actor=info.context.actor,
                                  topology=info.context.state.topology)
        _done(info)
        return Deletion(id=id)

    @strawberry.mutation(description=(
        "Subscribe a customer to a service; an existing subscription gets the new since, share, units and "
        f"specialBusinessCase. Errors: {_ID} BAD_INPUT share outside 0..1, units < 0, since not YYYY-MM-DD. "
        "RULE_VIOLATION: `subscription` (only CUSTOMER_FACING services in the CATALOGUE; a new subscription to a "
        "RETIRED one needs specialBusinessCase); `subscription-shares` (the shares of one service's subscriptions "
        "sum to at most 1)."))
    async def subscribe(self, info: strawberry.Info["Context", None], input: SubscriptionInput) -> Subscription:
        data = as_data(input, skip=("customer", "service"))
        props = customers.subscribe(info.context.store, input.customer, input.service, data, actor=info.context.actor,
                                    topology=info.context.state.topology)
        _done(info)
        return Subscription.from_row({"customer": input.customer, "service": input.service, "subscription": props})

    @strawberry.mutation(description=f"End a customer's subscription; returns the customer. Errors: {_ID}")
    async def unsubscribe(self, info: strawberry.Info["Context", None], customer: strawberry.ID, service: strawberry.ID) -> Customer:
        customers.unsubscribe(info.context.store, customer, service, actor=info.context.actor,
                              topology=info.context.state.topology)
        _done(info)
        return await _customer(info, customer)

