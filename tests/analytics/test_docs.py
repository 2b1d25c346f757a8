"""cypher/analytics/README.md is generated from the query headers and their output on the demo portfolio."""

from __future__ import annotations

from pathlib import Path

from graph_itsm.analytics import analyses
from graph_itsm.analytics.docs import render
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import demo_document
from graph_itsm.store import GraphStore

README = Path(__file__).resolve().parents[2] / "cypher" / "analytics" / "README.md"


def test_the_readme_lists_every_query_with_its_demo_output(falkordb: GraphStore) -> None:
    import_document(falkordb, demo_document())
    text = render(falkordb)
    assert README.read_text() == text, (
        "cypher/analytics/README.md is stale: run `python -m graph_itsm.analytics.docs > cypher/analytics/README.md`"
    )
    for a in analyses():
        assert f"### {a.name}\n" in text and f"graph-itsm analytics run {a.name}`" in text
