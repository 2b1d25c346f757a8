"""write_all: several statements as one atomic unit on every backend."""

from __future__ import annotations

import pytest

from graph_itsm.errors import StoreError
from graph_itsm.store import GraphStore
from graph_itsm.store.falkordb_store import chain
from graph_itsm.store.queries import parse_query

_ADD = parse_query("// name: t/add\n// returns: write\n// param id: string\nCREATE (:Service {id: $id})", name="t/add")
_COUNT = parse_query("// name: t/count\n// returns: scalar\nMATCH (s:Service) RETURN count(s) AS n", name="t/count")
_TAG = parse_query(
    "// name: t/tag\n// returns: one\n// param id: string\n"
    "MATCH (s:Service {id: $id}) SET s.note = 'costs $5, RETURN later' RETURN s.note AS note",
    name="t/tag",
)


def test_a_failing_statement_undoes_the_earlier_ones(store: GraphStore) -> None:
    store.write(_ADD, {"id": "taken"})
    with pytest.raises(StoreError):
        # the third statement breaks the unique id constraint
        store.write_all([(_ADD, {"id": "new-1"}), (_ADD, {"id": "new-2"}), (_ADD, {"id": "taken"})])
    assert store.scalar(_COUNT) == 1


def test_statements_see_what_earlier_ones_wrote_and_the_last_rows_come_back(store: GraphStore) -> None:
    rows = store.write_all([(_ADD, {"id": "a"}), (_TAG, {"id": "a"}), (_TAG, {"id": "a"})])
    assert rows == [{"note": "costs $5, RETURN later"}]
    assert store.scalar(_COUNT) == 1


def test_chain_renames_params_but_not_text_inside_strings() -> None:
    text, params = chain([(_TAG, {"id": "x"}), (_ADD, {"id": "y"})])
    assert "$s0_id" in text and "$s1_id" in text and "'costs $5, RETURN later'" in text
    assert params == {"s0_id": "x", "s1_id": "y"}
    assert text.count("RETURN") == 1  # the first step's RETURN is cut; the one in the string stays
