"""Reading a portfolio document: text (JSON or YAML) or plain data into a ``PortfolioDocument``.

Only the shape is checked here (types, enums, ranges, unknown fields); every schema problem is collected
and raised together as one ``BadInput``. Cross-references are ``validate_document``'s job.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from graph_itsm.errors import BadInput
from graph_itsm.portfolio.document import PortfolioDocument
from graph_itsm.portfolio.problems import invalid_document, problem
from graph_itsm.heap import gc_paused

__all__ = ["FORMATS", "parse_document", "load_document", "document_from_data", "demo_document", "error_message"]

FORMATS = ("json", "yaml")
_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_QUOTED = re.compile(r"'([^']*)'")


def parse_document(text: str, *, fmt: str | None = None) -> PortfolioDocument:
    """Parse a document from ``text``; ``fmt`` is ``"json"`` or ``"yaml"``, or ``None`` to detect it.

    Detection: text whose first non-blank character is ``{`` is JSON, anything else YAML.
    Raises ``BadInput`` for unparsable text and for every schema problem at once.
    """
    text = text.lstrip("\ufeff")
    if fmt is None:
        fmt = "json" if text.lstrip().startswith("{") else "yaml"
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            detail = f"line {e.lineno} column {e.colno}: {e.msg}"
            raise BadInput("portfolio document is not valid JSON", details=[detail]) from e
    elif fmt == "yaml":
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise BadInput("portfolio document is not valid YAML", details=[_yaml_problem(e)]) from e
    else:
        raise BadInput(f"unknown document format {fmt!r}: use one of {', '.join(FORMATS)}")
    return document_from_data(data)


def load_document(path: str | Path) -> PortfolioDocument:
    """Read and parse the document at ``path``; the format comes from the suffix (.json, .yaml, .yml) or the content."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"cannot read portfolio document {path}: {e}") from e
    return parse_document(text, fmt=_SUFFIXES.get(path.suffix.lower()))


def document_from_data(data: Any) -> PortfolioDocument:
    """Build the model from already-decoded data (dicts, lists, scalars) with camelCase keys.

    The cyclic garbage collector is paused meanwhile: the models made (millions for a million services) form no
    cycles, and the collector walking them over and over as they piled up took three quarters of the time at
    300,000 services (16 s, 4 s without it)."""
    try:
        with gc_paused():
            return PortfolioDocument.model_validate(data)
    except ValidationError as e:
        raise invalid_document([problem(err["loc"], error_message(err)) for err in e.errors()]) from None


def demo_document() -> PortfolioDocument:
    """The built-in demo portfolio (Northwind Retail), shipped as package data."""
    text = (files("graph_itsm") / "data" / "demo-portfolio.json").read_text(encoding="utf-8")
    return parse_document(text, fmt="json")


def error_message(err: ErrorDetails) -> str:
    """Pydantic's message, reworded where the document's user deserves better."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind == "enum":
        allowed = _QUOTED.findall(str(ctx.get("expected", "")))
        return f"must be one of {', '.join(allowed)}; got {err['input']!r}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "model_type":
        return "must be an object"
    return err["msg"]


def _yaml_problem(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    reason = getattr(e, "problem", None) or str(e)
    return f"line {mark.line + 1} column {mark.column + 1}: {reason}" if mark is not None else reason
