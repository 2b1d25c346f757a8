"""The in-memory projection of the service dependency graph that impact and cost roll-ups run on."""

from graph_itsm.topology.projection import Topology

__all__ = ["Topology"]
