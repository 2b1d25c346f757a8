"""Random sequences of valid and invalid mutations keep the portfolio's invariants (hypothesis).

After every mutation: no service depends on itself; the shares into each provider sum to at most 1; customers
subscribe only to CUSTOMER_FACING services out of the PIPELINE; a RETIRED service has no subscriber it did not
have when it retired, unless with a specialBusinessCase. A refused mutation leaves the graph version (so the
graph) as it was; an accepted one moves it by exactly one.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_itsm.api.app import create_app
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore, library
from tests.conftest import northwind_data
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import (
    ADD_DEPENDENCY,
    CREATE_SERVICE,
    DELETE_SERVICE,
    MOVE,
    REMOVE_DEPENDENCY,
    SUBSCRIBE,
    UNSUBSCRIBE,
    UPDATE_SERVICE,
    new_service,
    run,
)

NORTHWIND = northwind_data()
SERVICES = [s["id"] for s in NORTHWIND["services"]] + ["new-a", "new-b"]
CUSTOMERS = [c["id"] for c in NORTHWIND["customers"]]
EPS = 1e-9

services = st.sampled_from(SERVICES)
shares = st.sampled_from([None, 0.0, 0.1, 0.3, 0.5, 0.9, 1.0])
OPS = st.one_of(
    st.tuples(st.just("add"), services, services, shares),
    st.tuples(st.just("remove"), services, services),
    st.tuples(st.just("move"), services, st.sampled_from(["PIPELINE", "CATALOGUE", "RETIRED"]),
              st.one_of(st.none(), services)),
    st.tuples(st.just("subscribe"), st.sampled_from(CUSTOMERS), services, st.sampled_from([None, "audit duty"]),
              shares),
    st.tuples(st.just("unsubscribe"), st.sampled_from(CUSTOMERS), services),
    st.tuples(st.just("create"), st.sampled_from(["new-a", "new-b"]),
              st.sampled_from(["CUSTOMER_FACING", "SUPPORTING"])),
    st.tuples(st.just("delete"), services),
    st.tuples(st.just("update"), services, st.sampled_from([{"kind": "SUPPORTING"}, {"kind": "CUSTOMER_FACING"},
                                                            {"riskAssessed": True}, {"criticality": 7}])),
)


def _mutate(client: GraphQLClient, op: tuple[Any, ...]) -> dict[str, Any]:
    name, *args = op
    if name == "add":
        return client.execute(ADD_DEPENDENCY, consumer=args[0], provider=args[1], share=args[2])
    if name == "remove":
        return client.execute(REMOVE_DEPENDENCY, consumer=args[0], provider=args[1])
    if name == "move":
        return client.execute(MOVE, service=args[0], stage=args[1], replacement=args[2])
    if name == "subscribe":
        return client.execute(SUBSCRIBE, customer=args[0], service=args[1], special=args[2], share=args[3])
    if name == "unsubscribe":
        return client.execute(UNSUBSCRIBE, customer=args[0], service=args[1])
    if name == "create":
        return client.execute(CREATE_SERVICE, input=new_service(args[0], kind=args[1], riskAssessed=True))
    if name == "delete":
        return client.execute(DELETE_SERVICE, id=args[0])
    return client.execute(UPDATE_SERVICE, id=args[0], input=args[1])


def _version(store: GraphStore) -> int:
    return int(store.scalar(library()["store/get_version"]) or 0)


def _subscribers(store: GraphStore, service_id: str) -> set[str]:
    rows = run(store, "MATCH (c:Customer)-[:SUBSCRIBES]->(:Service {id: $id}) RETURN c.id AS c", id=service_id)
    return {r["c"] for r in rows}


def _check_invariants(store: GraphStore, subscribers_at_retirement: dict[str, set[str]]) -> None:
    assert run(store, "MATCH (s:Service)-[:DEPENDS_ON]->(s) RETURN s.id AS id") == []
    for r in run(store, "MATCH (:Service)-[d:DEPENDS_ON]->(p:Service) "
                        "RETURN p.id AS provider, sum(coalesce(d.share, 0.0)) AS total"):
        assert r["total"] <= 1 + EPS, r
    for r in run(store, "MATCH (c:Customer)-[x:SUBSCRIBES]->(s:Service) RETURN c.id AS customer, s.id AS service, "
                        "s.kind AS kind, s.stage AS stage, x.specialBusinessCase AS special"):
        assert r["kind"] == "CUSTOMER_FACING" and r["stage"] != "PIPELINE", r
        if r["stage"] == "RETIRED":
            assert r["special"] or r["customer"] in subscribers_at_retirement[r["service"]], r


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(OPS, min_size=1, max_size=15))
def test_random_mutations_keep_the_invariants(store: GraphStore, ops: list[tuple[Any, ...]]) -> None:
    store.clear()
    import_document(store, document_from_data(NORTHWIND))
    client = GraphQLClient(create_app(store))
    retired = {s["id"]: set() for s in NORTHWIND["services"] if s["stage"] == "RETIRED"}
    for op in ops:
        version = _version(store)
        body = _mutate(client, op)
        if body.get("errors"):
            codes = {e["extensions"]["code"] for e in body["errors"]}
            assert codes <= {"BAD_INPUT", "NOT_FOUND", "RULE_VIOLATION"}, body
            assert _version(store) == version, f"{op} was refused but wrote"
        else:
            assert _version(store) == version + 1, op
            if op[0] == "move" and op[2] == "RETIRED":
                retired[op[1]] = _subscribers(store, op[1])
        _check_invariants(store, retired)
