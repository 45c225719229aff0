"""A private Virtuoso Open Source 7 server for the remote-store tests: a real SPARQL 1.1 store that is
not Oxigraph, started in a temporary folder on free loopback ports and stopped again by its PID.

Virtuoso defines the endpoints lifecat needs itself when it creates a new database: ``/sparql``
(anonymous, read-only: the ``SPARQL`` user has no ``SPARQL_UPDATE``), ``/sparql-auth`` and
``/sparql-graph-crud-auth`` (digest auth against SQL accounts) and ``/sparql-graph-crud`` (anonymous
GSP: reads only, but of any graph). Neither accepts Basic auth; ``auth="basic"`` defines two more paths
whose security level lets ``DB.DBA.HTTP_AUTH_CHECK_USER`` take Basic credentials too (its 401 still
only offers Digest, so a client must send Basic credentials up front)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

SERVER = "virtuoso-t"
ISQL = "isql-vt"
USER = "lifecat"
PASSWORD = "lifecat-test-secret"
#: The DBA account a new database gets; harmless here, as the server listens on 127.0.0.1 only.
DBA = ("dba", "dba")
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0

#: The write endpoints for Basic auth: copies of the built-in ``-auth`` paths with a security level
#: other than ``digest`` (the only value for which ``HTTP_AUTH_CHECK_USER`` refuses Basic).
BASIC_PATHS = """
DB.DBA.VHOST_DEFINE (lpath=>'/sparql-basic', ppath=>'/!sparql/', is_dav=>1, vsp_user=>'dba',
  opts=>vector('noinherit', 1), auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'basic');
DB.DBA.VHOST_DEFINE (lpath=>'/sparql-graph-crud-basic', ppath=>'/!sparql-graph-crud/', is_dav=>1,
  vsp_user=>'dba', opts=>vector('noinherit', 1, 'exec_as_get', 1), auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER',
  realm=>'SPARQL', sec=>'basic');
"""


def virtuoso_available() -> str | None:
    """None when the tests can start Virtuoso, else why not (the tests fail with it: a missing store
    must not pass as a skip)."""
    for program in (SERVER, ISQL):
        if shutil.which(program) is None:
            return f"{program} is not on PATH: install Debian's virtuoso-opensource package"
    return None


@dataclass
class Virtuoso:
    """A running test server and what a client needs to talk to it."""

    query_url: str
    update_url: str
    gsp_url: str
    user: str
    password: str
    auth: Literal["digest", "basic"]
    pid: int
    folder: Path
    sql_port: int
    http_port: int

    @property
    def gsp_read_url(self) -> str:
        """The anonymous Graph Store endpoint: it cannot write, but it reads every graph, private ones too."""
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    def isql(self, sql: str, timeout: float = 120) -> str:
        """Run SQL as the DBA and return what isql printed; raise if any statement failed.

        Statements end with ``;`` at the end of a line. The SQL goes in on standard input, since isql's
        ``exec=`` argument cuts at ``%``; macro substitution is off so that ``$`` stays literal. isql
        exits 0 even after an error, so its error lines are what tells failure."""
        script = f"SET MACRO_SUBSTITUTION OFF;\n{sql.strip()}\n"
        if not script.rstrip().endswith(";"):
            script = script.rstrip() + ";\n"
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", *DBA, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF"],
            input=script, capture_output=True, text=True, timeout=timeout, check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stderr:
            said = done.stderr.strip() or done.stdout.strip()
            raise RuntimeError(f"isql failed ({done.returncode}): {said}")
        return done.stdout

    def cancel_queries(self) -> None:
        """Abort every running query and transaction. Virtuoso goes on computing a query whose HTTP
        client has gone away (an ORDER BY over a cross product runs for hours), so a test that
        abandons one must stop it itself."""
        self.isql("txn_killall(1);")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ini_sections(folder: Path, sql_port: int, http_port: int) -> dict[str, dict[str, str]]:
    """The settings: everything in ``folder``, loopback only, and none of the limits that would turn a
    large test answer into a silently truncated one (``ResultSetMaxRows``, ``MaxSortedTopRows``) or
    kill a slow one (the execution and cost-estimation time limits; ``0`` turns each off)."""
    return {
        "Database": {
            "DatabaseFile": f"{folder}/virtuoso.db", "ErrorLogFile": f"{folder}/virtuoso.log",
            "LockFile": f"{folder}/virtuoso.lck", "TransactionFile": f"{folder}/virtuoso.trx",
            "xa_persistent_file": f"{folder}/virtuoso.pxa", "ErrorLogLevel": "7", "FileExtend": "200",
            "MaxCheckpointRemap": "2000", "Striping": "0", "TempStorage": "TempDatabase",
        },
        "TempDatabase": {
            "DatabaseFile": f"{folder}/virtuoso-temp.db", "TransactionFile": f"{folder}/virtuoso-temp.trx",
            "MaxCheckpointRemap": "2000", "Striping": "0",
        },
        "Parameters": {
            "ServerPort": f"127.0.0.1:{sql_port}", "DisableUnixSocket": "1", "DisableTcpSocket": "0",
            "MaxClientConnections": "20", "CheckpointInterval": "60", "CaseMode": "2",
            "DirsAllowed": f"., {folder}", "NumberOfBuffers": "170000", "MaxDirtyBuffers": "130000",
            "MaxQueryMem": "2G", "ThreadsPerQuery": "2", "AsyncQueueMaxThreads": "10",
            "MaxSortedTopRows": "1000000", "AllowOSCalls": "0",
        },
        "HTTPServer": {
            "ServerPort": f"127.0.0.1:{http_port}", "ServerRoot": f"{folder}/vsp",
            "MaxClientConnections": "20", "ServerThreads": "20", "MaxKeepAlives": "10",
            "KeepAliveTimeout": "10", "Charset": "UTF-8", "EnabledGzipContent": "0", "EnabledDavVSP": "0",
        },
        "SPARQL": {
            "ResultSetMaxRows": "1000000", "MaxQueryCostEstimationTime": "0", "MaxQueryExecutionTime": "0",
        },
    }


def write_ini(folder: Path, sql_port: int, http_port: int,
              overrides: Mapping[str, Mapping[str, str]] | None = None) -> Path:
    """Write ``folder``/virtuoso.ini: :func:`ini_sections` with ``overrides`` (section -> key -> value)
    laid over it, for tests of a server configured otherwise (a ``MaxQueryExecutionTime``, say)."""
    sections = ini_sections(folder, sql_port, http_port)
    for section, values in (overrides or {}).items():
        sections.setdefault(section, {}).update(values)
    (folder / "vsp").mkdir(exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text("".join(f"[{section}]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())
                           + "\n" for section, values in sections.items()))
    return ini


def log_tail(folder: Path, lines: int = 25) -> str:
    """The end of the server's log, and the console lines that never reach the log (a port that is
    taken is reported only there)."""
    def read(name: str) -> list[str]:
        path = folder / name
        return path.read_text(errors="replace").splitlines() if path.exists() else []

    log = read("virtuoso.log")
    extra = [line for line in read("virtuoso.out") if line.strip() and line not in set(log)]
    console = ["--- console", *extra[-lines:]] if extra else []
    return "\n".join(["--- virtuoso.log", *log[-lines:], *console])


class PortTaken(RuntimeError):
    """Another process took a port between :func:`free_port` and the server's bind."""


def wait_until_up(process: subprocess.Popen[bytes], folder: Path, sql_port: int, http_port: int) -> None:
    """Poll until ``/sparql`` answers a query and the SQL port accepts connections (the HTTP server comes
    up a moment before the SQL listener); fail with the log if the server dies or the deadline passes."""
    deadline = time.monotonic() + START_TIMEOUT
    url = f"http://127.0.0.1:{http_port}/sparql"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_tail(folder)
            error = PortTaken if "Failed to start listening" in tail else RuntimeError
            raise error(f"virtuoso-t exited with {process.returncode} at start\n{tail}")
        try:
            answer = httpx.get(url, params={"query": "ASK {}"},
                               headers={"Accept": "application/sparql-results+json"}, timeout=5)
            with socket.create_connection(("127.0.0.1", sql_port), timeout=5):
                pass
            if answer.status_code == 200 and "boolean" in answer.text:
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Virtuoso did not answer at {url} within {START_TIMEOUT:.0f} s\n{log_tail(folder)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (Virtuoso's quick shutdown), then SIGKILL after a bound; only the group this module
    started, which is the server alone."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=STOP_TIMEOUT)
            return
        except subprocess.TimeoutExpired:
            continue
    process.wait(timeout=STOP_TIMEOUT)


def start(folder: Path, ini_overrides: Mapping[str, Mapping[str, str]] | None,
          attempts: int = 3) -> tuple[subprocess.Popen[bytes], int, int]:
    """Start ``virtuoso-t`` in the foreground in its own process group and wait until it answers; try
    fresh ports if one was taken in the meantime (the database made by a failed try is reused)."""
    for attempt in range(attempts):
        sql_port, http_port = free_port(), free_port()
        while http_port == sql_port:
            http_port = free_port()
        ini = write_ini(folder, sql_port, http_port, ini_overrides)
        with open(folder / "virtuoso.out", "wb") as console:
            process = subprocess.Popen(
                [SERVER, "-f", "+configfile", str(ini)], cwd=folder, stdin=subprocess.DEVNULL,
                stdout=console, stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            wait_until_up(process, folder, sql_port, http_port)
            return process, sql_port, http_port
        except PortTaken:
            stop(process)
            if attempt == attempts - 1:
                raise
        except BaseException:
            stop(process)
            raise
    raise AssertionError("unreachable")


@contextmanager
def running_virtuoso(folder: Path, auth: Literal["digest", "basic"] = "digest",
                     ini_overrides: Mapping[str, Mapping[str, str]] | None = None) -> Iterator[Virtuoso]:
    """Start a Virtuoso with a new database in ``folder``, with an account ``lifecat`` that may update
    (the anonymous ``/sparql`` stays read-only), and stop it on exit. ``auth="basic"`` points
    ``update_url`` and ``gsp_url`` at paths that take Basic credentials (see the module's docstring);
    ``ini_overrides`` (section -> key -> value) change the server's settings."""
    if reason := virtuoso_available():
        raise RuntimeError(reason)
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    process, sql_port, http_port = start(folder, ini_overrides)
    try:
        base = f"http://127.0.0.1:{http_port}"
        suffix = "auth" if auth == "digest" else "basic"
        server = Virtuoso(
            query_url=f"{base}/sparql", update_url=f"{base}/sparql-{suffix}",
            gsp_url=f"{base}/sparql-graph-crud-{suffix}", user=USER, password=PASSWORD, auth=auth,
            pid=process.pid, folder=folder, sql_port=sql_port, http_port=http_port,
        )
        # SPARQL_UPDATE (which includes SPARQL_SELECT) is all that SPARQL Update and GSP writes need.
        server.isql(f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}');\nGRANT SPARQL_UPDATE TO \"{USER}\";\n"
                    + (BASIC_PATHS if auth == "basic" else ""))
        yield server
    finally:
        stop(process)
