"""graph-itsm: an IT service provider's portfolio as a graph, served over GraphQL."""

__version__ = "0.1.0"
