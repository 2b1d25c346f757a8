"""Cypher analytics for architects: the named queries of ``cypher/analytics/`` (with parameters computed from
the topology projection where they need reachability) and ad-hoc read-only Cypher."""

from graph_itsm.analytics.model import Analysis, ParamSpec
from graph_itsm.analytics.runner import analyses, get_analysis, run_analysis, run_cypher

__all__ = ["Analysis", "ParamSpec", "analyses", "get_analysis", "run_analysis", "run_cypher"]
