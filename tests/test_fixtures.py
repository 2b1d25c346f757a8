"""The suite's copies of the shared examples are the shared examples (when ../shared is beside the clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_EXAMPLES = REPO.parent / "shared" / "examples"


@pytest.mark.parametrize("name", ["northwind-retail.json", "northwind-retail.expected.json"])
def test_copied_example_matches_the_shared_one(name: str) -> None:
    shared = SHARED_EXAMPLES / name
    if not shared.exists():
        pytest.skip(f"{shared} is not there to compare with (the suite runs on its own copy in tests/data)")
    assert (REPO / "tests" / "data" / name).read_bytes() == shared.read_bytes(), f"tests/data/{name} is stale"


def test_demo_portfolio_is_northwind_with_the_strategy_additions() -> None:
    """The demo is northwind plus a three-node database cluster (k of n), investment categories and strategic
    objectives; without them it is the example, value for value."""
    import json

    from tests.portfolio.test_document import _without_strategy_additions

    demo = json.loads((REPO / "graph_itsm" / "data" / "demo-portfolio.json").read_text(encoding="utf-8"))
    northwind = json.loads((REPO / "tests" / "data" / "northwind-retail.json").read_text(encoding="utf-8"))
    assert _without_strategy_additions(demo) == northwind
