"""How problems in a portfolio document are named and reported: ``"<path>: <message>"`` inside one ``BadInput``."""

from __future__ import annotations

from typing import Sequence

from graph_itsm.errors import BadInput

__all__ = ["Loc", "format_path", "problem", "invalid_document"]

# A place in the document as pydantic names it: ("services", 3, "dependsOn", 0, "service").
Loc = Sequence["str | int"]


def format_path(loc: Loc) -> str:
    """``("services", 3, "dependsOn", 0, "service")`` -> ``"services[3].dependsOn[0].service"``.

    The empty location (the document itself) is named ``document``.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "document"


def problem(loc: Loc, message: str) -> str:
    """One detail line of a ``BadInput``: the path, a colon, what is wrong there."""
    return f"{format_path(loc)}: {message}"


def invalid_document(details: list[str]) -> BadInput:
    """The single error raised for a document with problems; every problem is one entry of ``details``."""
    n = len(details)
    return BadInput(f"portfolio document is invalid: {n} problem{'' if n == 1 else 's'}", details=details)
