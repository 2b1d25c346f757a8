"""Write the GraphQL schema in SDL: ``python -m graph_itsm.api.export_schema > schema.graphql``."""

from __future__ import annotations

import sys

from graph_itsm.api.schema import schema

__all__ = ["sdl"]


def sdl() -> str:
    return schema.as_str() + "\n"


if __name__ == "__main__":
    sys.stdout.write(sdl())
