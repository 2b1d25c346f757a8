"""The impact service layer on a projection, without a database."""

from __future__ import annotations

import gc
import weakref

import pytest

from graph_itsm.errors import BadInput, NotFound
from graph_itsm.impact import service
from graph_itsm.topology import Topology


def _topology() -> Topology:
    return Topology.build(
        [("a", "SUPPORTING", "CATALOGUE", "Alpha"), ("b", "SUPPORTING", "CATALOGUE", None), ("c", "CUSTOMER_FACING", "CATALOGUE")],
        [("b", "a", None, None, None), ("c", "b", None, None, None)],
    )


def test_unknown_ids_are_named_in_one_error() -> None:
    with pytest.raises(NotFound) as caught:
        service.analyse_impact(_topology(), ["a", "zz", "yy"])
    assert caught.value.extensions == {"field": "failed", "ids": ["yy", "zz"]}
    assert caught.value.message == "failed: no services with id 'yy', 'zz'"


def test_names_default_to_the_id() -> None:
    assert _topology().names == ["Alpha", "b", "c"]


def test_the_same_question_on_the_same_snapshot_reuses_the_result() -> None:
    topo = _topology()
    first = service.analyse_impact(topo, ["a"]).result
    assert service.analyse_impact(topo, ["a", "a"]).result is first  # the same set of services
    assert service.analyse_impact(topo, ["a"], max_depth=1).result is not first
    assert service.analyse_impact(_topology(), ["a"]).result is not first  # a new snapshot asks again
    assert [r.id for r in service.analyse_impact(topo, ["a"]).services()] == ["a", "b", "c"]


def test_kept_results_do_not_keep_an_old_snapshot_alive() -> None:
    topo = _topology()
    service.analyse_impact(topo, ["a"])
    gone = weakref.ref(topo)
    del topo
    gc.collect()
    assert gone() is None


def test_bad_numbers_are_bad_input() -> None:
    report = service.analyse_impact(_topology(), ["a"])
    with pytest.raises(BadInput):
        report.services(first=-1)
    with pytest.raises(BadInput):
        service.dependencies_of(_topology(), "c", max_depth=-1)
