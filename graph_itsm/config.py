"""Settings read from the environment (names in spec/api-contract.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """Where the database is and how to reach it.

    ``db_url`` empty means the embedded FalkorDB under ``data_dir``; ``redis://`` an external FalkorDB;
    ``bolt://`` or ``neo4j://`` a Neo4j server.
    """

    db_url: str = ""
    data_dir: Path = Path(".graph-itsm")
    graph_name: str = "itsm"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        return cls(
            db_url=env.get("GRAPH_ITSM_DB", "").strip(),
            data_dir=Path(env.get("GRAPH_ITSM_DATA_DIR", ".graph-itsm")),
            graph_name=env.get("GRAPH_ITSM_GRAPH", "itsm"),
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD", ""),
            neo4j_database=env.get("NEO4J_DATABASE") or None,
        )

    @property
    def backend(self) -> str:
        if not self.db_url:
            return "embedded"
        scheme = self.db_url.split("://", 1)[0].lower()
        if scheme in ("redis", "rediss", "unix"):
            return "falkordb"
        if scheme.startswith("bolt") or scheme.startswith("neo4j"):
            return "neo4j"
        raise ValueError(
            f"GRAPH_ITSM_DB: unsupported scheme {scheme!r}; use bolt://, neo4j://, redis:// or leave it unset"
        )
