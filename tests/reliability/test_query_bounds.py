"""Hostile queries against a live server on the embedded store: nesting that would overflow the
evaluator's stack, long chains of operators, a query that eats memory, and one client's many queries,
each costing only its own answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from lifecat.core.sparql import MAX_NESTING
from tests.utils.processes import HUNGRY, OTHER_CLIENT, QUICK, RUNAWAY, serving_numbers

LIMIT = 3.0
MEMORY_MB = 400
#: 3,000 BINDs: no nesting, but a chain that overflows an 8 MB thread stack in pyoxigraph.
CHAIN = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(3000)) + " }"


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory,
            serve: Callable[[FastAPI], AbstractContextManager[str]]) -> Iterator[tuple[str, FastAPI]]:
    with serving_numbers("embedded", tmp_path_factory.mktemp("bounds"), serve, query_timeout=LIMIT,
                         max_rows=20, query_memory=MEMORY_MB) as served:
        yield served


def test_a_deeply_nested_query_is_refused_before_it_runs(bounded: tuple[str, FastAPI]) -> None:
    url, app = bounded
    before = app.state.pool.pids()
    for query in ("SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000,
                  "ASK { FILTER(" + "!" * 5000 + "true) }",
                  "ASK { FILTER(" + "(" * 600 + "1" + ")" * 600 + ") }"):
        response = httpx.post(f"{url}/sparql", data={"query": query}, timeout=30)
        assert response.status_code == 400, response.text
        assert f"at most {MAX_NESTING}" in response.text
    nested = "SELECT * WHERE " + "{ " * 100 + "?s ?p ?o " + "} " * 100 + "LIMIT 1"
    assert httpx.post(f"{url}/sparql", data={"query": nested}, timeout=30).status_code == 200
    assert app.state.pool.pids() == before  # no worker died


def test_a_long_chain_is_answered_without_crashing_its_worker(bounded: tuple[str, FastAPI]) -> None:
    url, app = bounded
    before = app.state.pool.pids()
    response = httpx.post(f"{url}/sparql", data={"query": CHAIN},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "1"
    assert app.state.pool.pids() == before


def test_a_query_past_its_memory_is_stopped(bounded: tuple[str, FastAPI]) -> None:
    url, app = bounded
    before = set(app.state.pool.pids())
    response = httpx.get(f"{url}/sparql", params={"query": HUNGRY}, timeout=30)
    assert response.status_code == 503
    assert f"more than {MEMORY_MB} MB" in response.text
    assert response.headers["Retry-After"]
    stopped = before - set(app.state.pool.pids())
    assert len(stopped) == 1 and not Path(f"/proc/{stopped.pop()}").exists()
    assert httpx.get(f"{url}/sparql", params={"query": QUICK}, timeout=30).status_code == 200


def test_one_clients_queries_wait_behind_each_other_not_others(bounded: tuple[str, FastAPI]) -> None:
    """The runaway's own client waits for its turn (answered only once the runaway is); another
    client is answered meanwhile."""
    url, app = bounded
    lanes, runaway_client = app.state.pool.lanes, "127.0.0.3"
    order: list[str] = []

    def send(name: str, query: str, address: str) -> threading.Thread:
        def run() -> None:
            with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30) as client:
                order.append(f"{name} {client.get(f'{url}/sparql', params={'query': query}).status_code}")

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    threads = [send("runaway", RUNAWAY, runaway_client)]
    until(lambda: lanes.heavy[runaway_client] == 1)
    threads.append(send("same client", QUICK, runaway_client))
    until(lambda: lanes.waiting(runaway_client) == 1)
    threads.append(send("other client", QUICK, OTHER_CLIENT))
    for thread in threads:
        thread.join()
    assert order == ["other client 200", "runaway 503", "same client 200"]


def until(condition: Callable[[], bool]) -> None:
    """Wait for ``condition``, 30 s at most."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        time.sleep(0.01)
