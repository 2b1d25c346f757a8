"""A month's cost items as read from the graph: read in parts side by side (a large month) or whole, with one row
per item (the usual month) or several, the same items, figures and explanations."""

from __future__ import annotations

import numpy as np
import pytest

from graph_itsm.api.app import create_app
from graph_itsm.finance import service as finance_service
from graph_itsm.finance.model import CostCategory, CostItem, CostNature
from graph_itsm.finance.service import items_from_columns
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore
from tests.finance.test_month_carry import _rounded
from tests.graphql_client import GraphQLClient

REPORT = """query ($p: String!) { costReport(period: $p) { totalDirect totalRetained totalUnallocated
  services(first: 60) { service { id } direct total retained byCategory { category direct total }
    byNature { nature direct } }
  costItems(first: 60) { id name category nature amount allocations { share service { id } } unallocated }
  unallocated(first: 60) { costItem { id } amount } counts { services costItems unallocated } } }"""

# a month whose items have one allocation each or none: the columns are the items as they are
ONE_EACH = [
    {"id": "m-power", "name": "Power", "category": "FACILITIES", "nature": "OPEX", "period": "2026-03",
     "amount": 1200.0, "allocations": [{"service": "dc-east", "share": 1.0}]},
    {"id": "m-licences", "name": "Licences, office", "category": "SOFTWARE", "nature": "OPEX", "period": "2026-03",
     "amount": 800.5, "allocations": [{"service": "email", "share": 0.5}]},
    {"id": "m-consulting", "name": "Consulting", "category": "EXTERNAL_SERVICE", "nature": "OPEX",
     "period": "2026-03", "amount": 300.0, "allocations": []},
    {"id": "m-servers", "name": "Servers", "category": "HARDWARE", "nature": "CAPEX", "period": "2026-03",
     "amount": 5000.0, "allocations": [{"service": "dc-west", "share": 0.25}]},
]


@pytest.mark.parametrize("period", ["2026-01", "2026-03"])
def test_a_month_read_in_parts_answers_as_one_read(northwind_store: GraphStore, period: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import_document(northwind_store, document_from_data({"currency": "EUR", "costs": ONE_EACH}))
    whole = GraphQLClient(create_app(northwind_store)).data(REPORT, p=period)["costReport"]

    parts_read: list[int] = []
    real = type(northwind_store).read_columns

    def counting(self, query, params=None):
        if params and "parts" in params:  # the month's read (the projection is read whole)
            parts_read.append(params["parts"])
        return real(self, query, params)

    monkeypatch.setattr(finance_service, "READ_IN_PARTS_FROM", 1)
    monkeypatch.setattr(type(northwind_store), "read_columns", counting)
    in_parts = GraphQLClient(create_app(northwind_store)).data(REPORT, p=period)["costReport"]
    assert len(parts_read) > 1 and set(parts_read) == {len(parts_read)}  # every part of one split read
    for report in (whole, in_parts):  # items come in another order from parts: the lists are ordered by id
        report["services"].sort(key=lambda s: s["service"]["id"])
    assert _rounded(in_parts) == _rounded(whole)
    if period == "2026-03":
        items = {i["id"]: i for i in whole["costItems"]}
        assert items["m-consulting"]["allocations"] == [] and items["m-consulting"]["unallocated"] == 300.0
        assert items["m-licences"]["unallocated"] == pytest.approx(400.25)
        assert whole["totalUnallocated"] == pytest.approx(300.0 + 400.25 + 3750.0)
        assert whole["counts"]["unallocated"] == 3


def _columns(rows: list[tuple]) -> list[list]:
    return [list(column) for column in zip(*rows)]


EXPECTED = [
    CostItem("a", "Item a", CostCategory.HARDWARE, CostNature.CAPEX, 10.0, "2026-01", [("s1", 1.0)]),
    CostItem("b", "b", CostCategory.SOFTWARE, CostNature.OPEX, 20.5, "2026-01", []),  # no name: its id
    CostItem("c", "Item c", CostCategory.PEOPLE, CostNature.OPEX, 30.0, "2026-01", [("s2", 0.5)]),
]


def test_one_row_per_item_gives_the_items_as_several_rows_do() -> None:
    # item, name, category, nature, amount, service, share, node, serviceNode (as FalkorDB's plain reply gives
    # them: doubles as text)
    one_each = [("a", "Item a", "HARDWARE", "CAPEX", "10", "s1", "1", 7, 100),
                ("b", None, "SOFTWARE", "OPEX", "20.5", None, None, 8, None),
                ("c", "Item c", "PEOPLE", "OPEX", 30.0, "s2", 0.5, 9, 101)]
    items = items_from_columns(_columns(one_each), "2026-01")
    assert list(items) == EXPECTED
    assert items.service_nodes.tolist() == [100, 101] and items.owner.tolist() == [0, 2]

    several = [*one_each[:2], ("a", "Item a", "HARDWARE", "CAPEX", "10", "s3", "0.25", 7, 102), one_each[2]]
    items = items_from_columns(_columns(several), "2026-01")
    assert list(items)[1:] == EXPECTED[1:]
    assert items[0].allocations == [("s1", 1.0), ("s3", 0.25)]
    assert items.service_nodes.tolist() == [100, 102, 101]


def test_an_unknown_category_in_the_graph_is_named_in_either_shape() -> None:
    bad = [("a", "A", "HARDWARE", "CAPEX", "1", "s1", "1", 1, 10), ("b", "B", "GOLD", "OPEX", "1", None, None, 2, None)]
    with pytest.raises(ValueError, match="GOLD"):
        items_from_columns(_columns(bad), "2026-01")
    with pytest.raises(ValueError, match="GOLD"):
        items_from_columns(_columns([*bad, ("a", "A", "HARDWARE", "CAPEX", "1", "s2", "0", 1, 11)]), "2026-01")
    assert np.isnan(items_from_columns(_columns(bad[:1] + [("b", "B", "PEOPLE", "OPEX", None, None, None, 2, None)]),
                                       "2026-01").amounts[1])
