"""The stores the tests run lifecat on: the embedded store, and real remote stores started here.

``LIFECAT_TEST_STORES`` (comma-separated; default ``embedded,oxigraph``) says which backends the
store-parametrised tests run on: ``embedded`` (an Oxigraph folder), ``oxigraph`` (an ``oxigraph serve``
started on a free loopback port) and ``virtuoso`` (a Virtuoso server, see :mod:`tests.utils.virtuoso`).
Every remote store is started by the test that needs it and stopped by its PID afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pyoxigraph import Quad
from pyoxigraph import Store as Oxigraph

from lifecat.core.config import Settings
from lifecat.graph.derive import deriving
from lifecat.graph.store import Change, QueryResult, Store
from lifecat.graph.store.embedded import EmbeddedStore
from lifecat.graph.store.remote import RemoteStore
from tests.utils.virtuoso import running_virtuoso, virtuoso_available

BACKENDS = ("embedded", "oxigraph", "virtuoso")
START_TIMEOUT = 30.0
#: Seconds a test store spends on one query at most, as a deployment sets it (lifecat's own limit is
#: 30 s at most in tests): the store's own limit stops a query lifecat has given up on.
STORE_TIMEOUT = 40


def chosen_backends() -> list[str]:
    """The backends ``LIFECAT_TEST_STORES`` names."""
    names = [n.strip() for n in os.environ.get("LIFECAT_TEST_STORES", "embedded,oxigraph").split(",")]
    unknown = sorted(set(names) - set(BACKENDS) - {""})
    if unknown:
        raise ValueError(f"LIFECAT_TEST_STORES names unknown stores {unknown}; known: {', '.join(BACKENDS)}")
    return [n for n in names if n]


def unavailable(backend: str) -> str | None:
    """Why ``backend`` cannot run here (the tests fail with this reason), or ``None``."""
    if backend == "oxigraph" and shutil.which("oxigraph") is None:
        return "the `oxigraph` command is not installed: pip install -e '.[test]' brings it"
    if backend == "virtuoso":
        return virtuoso_available()
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve`` and its SPARQL Protocol, Update and Graph Store URLs."""

    url: str
    pid: int

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def graph_store_url(self) -> str:
        return f"{self.url}/store"


@contextmanager
def running_oxigraph(folder: Path | None = None, *extra: str) -> Iterator[OxigraphServer]:
    """``oxigraph serve`` on a free loopback port (in memory, or persisted in ``folder``)."""
    port = free_port()
    command = ["oxigraph", "serve", "--bind", f"127.0.0.1:{port}", *extra]
    if folder is not None:
        command += ["--location", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = OxigraphServer(f"http://127.0.0.1:{port}", process.pid)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                httpx.post(server.query_url, data={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {process.stderr.read()!r}") from None
                time.sleep(0.02)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: The process id of the server behind each remote test store, by query URL.
SERVERS: dict[str, int] = {}


def store_settings(backend: str, folder: Path, stack: ExitStack, *, store_timeout: int = STORE_TIMEOUT,
                   **values: Any) -> Settings:
    """Settings for a new, empty store of ``backend`` in ``folder``; a remote store runs until
    ``stack`` closes, and spends at most ``store_timeout`` seconds on a query where it can be told so
    (``oxigraph serve --timeout-s``; lifecat tells Virtuoso itself)."""
    folder.mkdir(parents=True, exist_ok=True)
    if backend == "embedded":
        return Settings(store=str(folder / "store"), **values)
    artifacts = str(folder / "artifacts")
    if backend == "oxigraph":
        server = stack.enter_context(running_oxigraph(None, "--timeout-s", str(store_timeout)))
        SERVERS[server.query_url] = server.pid
        return Settings(store=server.query_url, store_update=server.update_url,
                        store_graph_store=server.graph_store_url, artifacts=artifacts, **values)
    virtuoso = stack.enter_context(running_virtuoso(folder / "virtuoso"))
    SERVERS[virtuoso.query_url] = virtuoso.pid
    return Settings(store=virtuoso.query_url, store_update=virtuoso.update_url,
                    store_graph_store=virtuoso.gsp_url, store_auth=virtuoso.auth, store_user=virtuoso.user,
                    store_password=virtuoso.password, artifacts=artifacts, **values)


def raw_query(settings: Settings, text: str) -> QueryResult:
    """``text`` run on the store as it is, private graphs included, for tests that look at what was
    really stored (name graphs with ``GRAPH``: the default graph differs between stores)."""
    store = Store.open(settings)
    if isinstance(store, EmbeddedStore):
        return QueryResult(store.reader().query(text))
    assert isinstance(store, RemoteStore)
    return store.request_query(text, None, None)


def copy_of(settings: Settings) -> Oxigraph:
    """Every named graph of the store (private ones included), copied into an in-memory Oxigraph store,
    for tests that look at exactly what was stored whatever the backend."""
    copy = Oxigraph()
    rows = raw_query(settings, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").solutions()
    copy.bulk_extend(Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows)
    return copy


def environment(settings: Settings) -> dict[str, str]:
    """The ``LIFECAT_*`` variables that give a ``lifecat`` command these settings' store and base."""
    values = {"base": settings.base, "store": settings.store, "store_update": settings.store_update,
              "store_graph_store": settings.store_graph_store, "store_auth": settings.store_auth,
              "store_user": settings.store_user, "artifacts": settings.artifacts,
              "store_password": (settings.store_password.get_secret_value()
                                 if settings.store_password else None)}
    return {f"LIFECAT_{name.upper()}": value for name, value in values.items() if value is not None}


def write_graphs(settings: Settings, quads: list[Quad]) -> None:
    """Make ``quads`` the whole content of their graphs in the store, its derived artifacts written
    as a build writes them."""
    Store.open(settings).replace(Change(quads, replace=frozenset(q.graph_name for q in quads)),
                                 deriving(settings))
