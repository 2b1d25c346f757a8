"""The app of one ``serve --workers N`` process: uvicorn starts N of these (``factory=True``), each opening the
same database from the environment. They share one graph and so one topology version: each worker's projection
cache asks the graph's version counters before it answers, so a write through one worker is seen by the others."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

from starlette.applications import Starlette

__all__ = ["worker_app", "run_workers", "BIND_HOST_ENV"]

BIND_HOST_ENV = "GRAPH_ITSM_BIND_HOST"  # set by ``serve`` for its workers: the address it listens on


def _leave_with_parent() -> None:
    """A worker whose supervisor died (killed with SIGKILL, say) stops too, instead of serving on alone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="graph-itsm-parent-watch", daemon=True).start()


def worker_app() -> Starlette:
    from graph_itsm.access.settings import AccessSettings
    from graph_itsm.api.app import create_app
    from graph_itsm.heap import freeze_startup
    from graph_itsm.store import open_store

    _leave_with_parent()
    store = open_store()
    try:
        access = AccessSettings.from_env(bind_host=os.environ.get(BIND_HOST_ENV, "127.0.0.1"))
        app = create_app(store, close_store_on_shutdown=True, access=access)
    except BaseException:
        store.close()
        raise
    freeze_startup()  # what the worker built to start lives as long as it: full collections skip it
    return app


def run_workers(workers: int, *, host: str, port: int, log_level: str) -> None:
    """What ``uvicorn.run(..., workers=N)`` does, with TCP_NODELAY on the shared listening socket: uvicorn binds
    it with protocol 0, so asyncio does not switch Nagle off on the accepted connections, and every small
    response then waited for the client's delayed ACK (about 40 ms a request, measured). Accepted connections
    inherit the option from the listening socket."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("graph_itsm.api.workers:worker_app", factory=True, host=host, port=port,
                            workers=workers, log_level=log_level)
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
