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


def test_demo_portfolio_is_northwind() -> None:
    assert (REPO / "graph_itsm" / "data" / "demo-portfolio.json").read_bytes() == (
        REPO / "tests" / "data" / "northwind-retail.json"
    ).read_bytes()
