"""Customers: create, update and delete them, and their subscriptions to customer-facing services."""

from __future__ import annotations

from typing import Any

from graph_itsm.errors import NotFound
from graph_itsm.finance import guard
from graph_itsm.portfolio import edits, rules
from graph_itsm.portfolio.audit import compact
from graph_itsm.portfolio.facts import read_customers, read_services
from graph_itsm.portfolio.writes import Change, commit
from graph_itsm.store import GraphStore
from graph_itsm.topology.cache import TopologyCache
from graph_itsm.topology.patch import with_subscription, without_customer, without_subscription

__all__ = ["create_customer", "update_customer", "delete_customer", "subscribe", "unsubscribe"]


def create_customer(store: GraphStore, data: dict[str, Any], *, actor: str) -> dict[str, Any]:
    props = edits.new_customer(data)

    def plan() -> Change:
        facts = read_customers(store, [props["id"]])
        rules.check_new_id(facts.get(props["id"]), "customer", props["id"])
        return Change("createCustomer", f"customer:{props['id']}", None, compact(props), [],
                      [("portfolio/write/put_customer", {"id": props["id"], "props": props})], facts.version, props,
                      topology=False)  # a customer enters the projection only by a subscription or pursued outcome

    return commit(store, actor, plan)


def update_customer(store: GraphStore, customer_id: str, patch: dict[str, Any], *, actor: str) -> dict[str, Any]:
    edits.check_id(customer_id, "id")

    def plan() -> Change:
        facts = read_customers(store, [customer_id])
        customer = facts.require(customer_id, "customer", "id")
        props = edits.patched_customer(customer.props, patch)
        return Change("updateCustomer", f"customer:{customer_id}", compact(customer.props), compact(props),
                      sorted(customer.subscriptions),
                      [("portfolio/write/put_customer", {"id": customer_id, "props": props})], facts.version, props,
                      topology=False)  # its properties: the projection holds none of them

    return commit(store, actor, plan)


def delete_customer(store: GraphStore, customer_id: str, *, actor: str,
                    topology: TopologyCache | None = None) -> str:
    """Delete a customer without subscriptions, surveys or complaints; its pursued outcomes and its manager
    assignment go with it (the relationship manager stays). With the app's ``topology``, its projection loses
    the customer's pursued outcomes without a rebuild."""
    edits.check_id(customer_id, "id")

    def plan() -> Change:
        facts = read_customers(store, [customer_id])
        customer = facts.require(customer_id, "customer", "id")
        rules.check_customer_unreferenced(customer)
        checked["topo"] = topology.current() if topology is not None else None  # after the facts: see guard
        before = {**compact(customer.props), "pursues": customer.pursues}
        return Change("deleteCustomer", f"customer:{customer_id}", before, None, [],
                      [("portfolio/write/delete_customer", {"id": customer_id})], facts.version, customer_id)

    checked: dict[str, Any] = {}
    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:  # what a customer pursues moves no cost
        topology.adopt(guard.unchanged_flows(topo, without_customer(topo, customer_id, version=topo.version + 1)))
    return result


def _subscription(customer: str, service: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"customer": customer, "service": service, **compact(props)}


def subscribe(store: GraphStore, customer_id: str, service_id: str, data: dict[str, Any], *, actor: str,
              topology: TopologyCache | None = None) -> dict[str, Any]:
    """Subscribe the customer to the service with ``since``, ``share``, ``units``, ``specialBusinessCase``;
    an existing subscription gets these properties instead. Returns the subscription's properties. With the
    app's ``topology``, its projection gets the subscription without a rebuild."""
    edits.check_id(customer_id, "customer")
    edits.check_id(service_id, "service")
    props = edits.subscription_props(service_id, data)

    def plan() -> Change:
        services = read_services(store, [service_id])
        customer = read_customers(store, [customer_id]).require(customer_id, "customer", "customer")
        service = services.require(service_id, "service", "service")
        existing = rules.check_subscription(customer, service, props)
        checked["topo"] = topology.current() if topology is not None else None  # after the facts: see guard
        before = None if existing is None else _subscription(customer_id, service_id, existing)
        return Change("subscribe", f"subscription:{customer_id}->{service_id}", before,
                      _subscription(customer_id, service_id, props), [service_id],
                      [("portfolio/write/set_subscription",
                        {"customer": customer_id, "service": service_id, "props": props})],
                      services.version, props)

    checked: dict[str, Any] = {}
    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:  # who subscribes moves no cost
        topology.adopt(guard.unchanged_flows(topo, with_subscription(
            topo, customer_id, service_id, special=bool(props.get("specialBusinessCase")), version=topo.version + 1)))
    return result


def unsubscribe(store: GraphStore, customer_id: str, service_id: str, *, actor: str,
                topology: TopologyCache | None = None) -> str:
    """End the customer's subscription to the service (NotFound if there is none). Returns the customer's id.
    With the app's ``topology``, its projection loses the subscription without a rebuild."""
    edits.check_id(customer_id, "customer")
    edits.check_id(service_id, "service")

    def plan() -> Change:
        services = read_services(store, [service_id])
        service = services.require(service_id, "service", "service")
        read_customers(store, [customer_id]).require(customer_id, "customer", "customer")
        existing = service.subscriptions.get(customer_id)
        if existing is None:
            raise NotFound(f"service: customer {customer_id!r} does not subscribe to {service_id!r}", field="service")
        checked["topo"] = topology.current() if topology is not None else None  # after the facts: see guard
        return Change("unsubscribe", f"subscription:{customer_id}->{service_id}",
                      _subscription(customer_id, service_id, existing), None, [service_id],
                      [("portfolio/write/remove_subscription", {"customer": customer_id, "service": service_id})],
                      services.version, customer_id)

    checked: dict[str, Any] = {}
    result = commit(store, actor, plan)
    topo = checked.get("topo")
    if topology is not None and topo is not None:
        topology.adopt(guard.unchanged_flows(topo, without_subscription(topo, customer_id, service_id,
                                                                        version=topo.version + 1)))
    return result
