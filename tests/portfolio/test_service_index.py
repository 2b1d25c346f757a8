"""Service lists answer from the in-memory index of the topology version: the same pages, counts and cursors as
filtering the graph itself, and a write (here or through another store on the same database) is seen by the
next list."""

from __future__ import annotations

from graph_itsm.portfolio import service as portfolio_service
from graph_itsm.portfolio.service_index import service_index
from graph_itsm.store import GraphStore, library


def _every_service(store: GraphStore) -> list[dict]:
    rows = store.read(library()["portfolio/get_services"], {"ids": [r[0] for r in store.read_tuples(
        library()["portfolio/list_service_facets"])]})
    return sorted((r["service"] for r in rows), key=lambda s: s["id"])


def _expected(services: list[dict], *, kind=None, stage=None, owner=None, provider=None, search=None) -> list[str]:
    def keep(s: dict) -> bool:
        text = search.strip().lower() if search else None
        return ((kind is None or s.get("kind") == kind) and (stage is None or s.get("stage") == stage)
                and (owner is None or s.get("owner") == owner)
                and (provider is None or s.get("provider", "INTERNAL") == provider)
                and (text is None or text in s.get("name", "").lower() or text in (s.get("description") or "").lower()))
    return [s["id"] for s in services if keep(s)]


def _all_pages(store: GraphStore, size: int, **filters) -> tuple[list[str], set[int]]:
    seen, totals, after = [], set(), None
    while True:
        page = portfolio_service.list_services(store, first=size, after_id=after, **filters)
        seen += [s["id"] for s in page.services]
        totals.add(page.total_count)
        if not page.has_next_page:
            return seen, totals
        after = page.services[-1]["id"]


def test_pages_and_counts_match_the_graph(northwind_store: GraphStore) -> None:
    services = _every_service(northwind_store)
    owners = sorted({s["owner"] for s in services if s.get("owner")})
    cases = [{}, {"kind": "CUSTOMER_FACING"}, {"kind": "SUPPORTING", "stage": "CATALOGUE"}, {"owner": owners[0]},
             {"provider": "INTERNAL"}, {"provider": "THIRD_PARTY"}, {"search": "PAY"}, {"search": "platform"},
             {"stage": "RETIRED"}, {"search": "no service is called this"}]
    for filters in cases:
        expected = _expected(services, **filters)
        for size in (1, 3, 50):
            seen, totals = _all_pages(northwind_store, size, **filters)
            assert seen == expected, filters
            assert totals == {len(expected)}, filters
    # a cursor that names no service still pages from where it would be
    page = portfolio_service.list_services(northwind_store, first=2, after_id="m")
    assert [s["id"] for s in page.services] == [i for i in _expected(services) if i > "m"][:2]


def test_a_write_is_seen_by_the_next_list(northwind_store: GraphStore) -> None:
    before = service_index(northwind_store)
    portfolio_service.create_service(northwind_store, {"id": "aardvark", "name": "Aardvark", "kind": "SUPPORTING",
                                                       "owner": "Zoo", "criticality": 2}, actor="test")
    page = portfolio_service.list_services(northwind_store, first=1, owner="Zoo")
    assert [s["id"] for s in page.services] == ["aardvark"] and page.total_count == 1
    assert service_index(northwind_store).version > before.version
    portfolio_service.update_service(northwind_store, "aardvark", {"name": "Anteater"}, actor="test")
    assert portfolio_service.list_services(northwind_store, search="anteat").total_count == 1
    assert portfolio_service.list_services(northwind_store, search="aardv").total_count == 0


def test_remembered_filters_are_answered_afresh_after_a_write(northwind_store: GraphStore) -> None:
    """Each filter's matches are kept with the index of one version, so the same filters asked before and
    after a write see the write."""
    asked = [{"search": "aardv"}, {"owner": "Zoo"}, {"kind": "SUPPORTING", "stage": "PIPELINE"}]
    before = {str(f): portfolio_service.list_services(northwind_store, **f).total_count for f in asked}
    assert before[str(asked[0])] == 0 and before[str(asked[1])] == 0
    portfolio_service.create_service(northwind_store, {"id": "aardvark", "name": "Aardvark", "kind": "SUPPORTING",
                                                       "owner": "Zoo", "criticality": 2}, actor="test")
    after = {str(f): portfolio_service.list_services(northwind_store, **f).total_count for f in asked}
    assert after == {k: v + 1 for k, v in before.items()}
    portfolio_service.update_service(northwind_store, "aardvark", {"name": "Anteater", "owner": "Ants"}, actor="test")
    assert [portfolio_service.list_services(northwind_store, **f).total_count for f in asked[:2]] == [0, 0]
