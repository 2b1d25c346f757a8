"""``GET /impact.ndjson``: the whole impact report as a stream, outside the GraphQL executor.

    GET /impact.ndjson?failed=a,b[&maxDepth=N][&whatIfRetired=x,y]

Ids are comma-separated (the parameter may also repeat). One JSON object a line per impacted service, as
``graph_itsm.impact.ndjson`` describes. Bad input is a 400 and unknown ids a 404, both with a JSON body shaped
like a GraphQL error: ``{"errors": [{"message": ..., "extensions": {"code": "NOT_FOUND", "ids": [...]}}]}``.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from graph_itsm.errors import BadInput, GraphItsmError
from graph_itsm.impact.ndjson import MEDIA_TYPE, ndjson_chunks
from graph_itsm.impact.service import ImpactReport, analyse_impact

__all__ = ["routes", "impact_ndjson", "parse_ids"]

log = logging.getLogger("graph_itsm.api")

_HTTP_STATUS = {"BAD_INPUT": 400, "NOT_FOUND": 404, "TOO_COMPLEX": 422, "RULE_VIOLATION": 422}


def parse_ids(params: QueryParams, name: str) -> list[str]:
    """``name=a,b&name=c`` -> ``["a", "b", "c"]``; blanks are dropped."""
    return [part.strip() for value in params.getlist(name) for part in value.split(",") if part.strip()]


def _max_depth(params: QueryParams) -> int | None:
    raw = params.get("maxDepth")
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadInput(f"maxDepth: must be a whole number, got {raw!r}", field="maxDepth") from None


def _error(e: GraphItsmError) -> JSONResponse:
    extensions: dict[str, Any] = {"code": e.code, **e.extensions}
    if e.details:
        extensions["details"] = e.details
    return JSONResponse(
        {"errors": [{"message": e.message, "extensions": extensions}]}, status_code=_HTTP_STATUS.get(e.code, 500)
    )


async def impact_ndjson(request: Request) -> Response:
    state = request.app.state.graph_itsm
    params = request.query_params
    try:
        failed = parse_ids(params, "failed")
        retired = parse_ids(params, "whatIfRetired")
        max_depth = _max_depth(params)
        if not failed and not retired:
            raise BadInput("failed: give the ids of the failed services, e.g. ?failed=a,b", field="failed")

        def analyse() -> ImpactReport:
            topo = state.topology.current()
            return analyse_impact(topo, failed, max_depth=max_depth, what_if_retired=retired)

        report = await run_in_threadpool(analyse)
    except GraphItsmError as e:
        if e.code == "INTERNAL":
            log.error("impact.ndjson failed", exc_info=e)
            return _error(GraphItsmError("Internal error: the request could not be completed; it has been logged."))
        return _error(e)
    return StreamingResponse(
        ndjson_chunks(report),
        media_type=MEDIA_TYPE,
        headers={"X-Impact-Count": str(report.counts.services)},
    )


routes = [Route("/impact.ndjson", impact_ndjson, methods=["GET"])]
