"""Time limits that stop the work, and caps on result rows and query size, against a live server."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pyoxigraph import Literal, NamedNode, Quad, Store

from lifecat.endpoint.negotiation import RESULTS_MEDIA_TYPES
from lifecat.graph.store.results import TooManyRows, _RowCounter
from tests.utils.processes import QUICK, RUNAWAY, run_beside_quick_queries, running_threads, serving_numbers
from tests.utils.stores import SERVERS

LIMIT = 2.0


@pytest.fixture(scope="module")
def limited(backend: str, tmp_path_factory: pytest.TempPathFactory,
            serve: Callable[[FastAPI], AbstractContextManager[str]]) -> Iterator[tuple[str, FastAPI]]:
    """A small store of its own (a remote one told to give up a query soon after lifecat does, as a
    deployment would), served with a short time limit and small caps."""
    with serving_numbers(backend, tmp_path_factory.mktemp(f"limits-{backend}"), serve,
                         store_timeout=int(LIMIT) + 1, query_timeout=LIMIT, max_rows=20,
                         max_query_length=2000) as served:
        yield served


def test_a_runaway_query_is_stopped(limited: tuple[str, FastAPI]) -> None:
    url, app = limited
    store = SERVERS.get(app.state.settings.store)
    before = set(app.state.pool.pids())
    race = run_beside_quick_queries(url)
    assert race.response.status_code == 503
    assert f"{LIMIT:g} s" in race.response.text and "time limit" in race.response.text
    assert race.answered < LIMIT + 1
    assert race.served_meanwhile, race.quick  # other requests were answered while it ran

    killed = before - set(app.state.pool.pids())
    assert len(killed) == 1  # the worker that ran the query was replaced...
    assert not Path(f"/proc/{killed.pop()}").exists()  # ...and is gone, so its CPU has stopped
    if store is not None:  # a remote store gives the query up too, soon after lifecat did
        deadline = time.monotonic() + 3 * LIMIT + 5
        while running_threads(store):  # a thread still evaluating the query is always running
            assert time.monotonic() < deadline, "the remote store went on with the abandoned query"
            time.sleep(0.05)


def test_a_client_may_ask_for_less_time(limited: tuple[str, FastAPI]) -> None:
    url, _ = limited
    start = time.monotonic()
    response = httpx.get(f"{url}/sparql", params={"query": RUNAWAY, "timeout": "0.5"}, timeout=30)
    assert response.status_code == 503
    assert "0.5 s" in response.text
    assert time.monotonic() - start < 1.5
    more = httpx.get(f"{url}/sparql", params={"query": QUICK, "timeout": "600"}, timeout=30)
    assert more.status_code == 200  # asking for more than the limit gets the limit


def test_result_rows_are_capped(limited: tuple[str, FastAPI]) -> None:
    url, _ = limited
    for query, accept in [("SELECT * { ?s ?p ?o }", "application/sparql-results+json"),
                          ("SELECT * { ?s ?p ?o } LIMIT 21", "text/csv"),
                          ("SELECT * { ?s ?p ?o } LIMIT 21", "application/sparql-results+xml"),
                          ("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")]:
        response = httpx.get(f"{url}/sparql", params={"query": query}, headers={"Accept": accept},
                             timeout=30)
        assert response.status_code == 400
        assert "more than 20 results" in response.text and "LIMIT" in response.text
    for accept in ("application/sparql-results+json", "application/sparql-results+xml",
                   "text/tab-separated-values", "text/csv"):
        ok = httpx.get(f"{url}/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 20"},
                       headers={"Accept": accept}, timeout=30)
        assert ok.status_code == 200
        if accept.startswith("text/"):
            assert len(ok.text.strip().splitlines()) == 21
        elif accept.endswith("xml"):
            assert ok.text.count("<result>") == 20
        else:
            assert len(ok.json()["results"]["bindings"]) == 20


def test_query_size_is_capped(limited: tuple[str, FastAPI]) -> None:
    url, _ = limited
    long = "ASK {}" + " " * 2000
    by_get = httpx.get(f"{url}/sparql", params={"query": long})
    by_post = httpx.post(f"{url}/sparql", content=long,
                         headers={"Content-Type": "application/sparql-query"})
    by_form = httpx.post(f"{url}/sparql", data={"query": "ASK {} #" + "é" * 5000})
    for response in (by_get, by_post, by_form):
        assert response.status_code == 413
        assert "2000 bytes" in response.text
    assert httpx.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_federation_is_off_by_default(limited: tuple[str, FastAPI]) -> None:
    url, _ = limited
    query = "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = httpx.get(f"{url}/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.text


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
@pytest.mark.parametrize(("rows", "refused"), [(20, False), (21, True)])
def test_rows_are_counted_exactly_whatever_the_chunks(media: str, rows: int, refused: bool) -> None:
    """The count is exact even when row markers are split between the chunks pyoxigraph writes,
    and when values hold what looks like markers, or solutions bind nothing."""
    store = Store()
    for n in range(rows):
        value = 'tricky }},{"\n<result>\t,"' if n % 2 else str(n)
        store.add(Quad(NamedNode(f"http://ex/{n}"), NamedNode("http://ex/p"), Literal(value)))
    query = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o OPTIONAL { ?s <http://ex/none> ?unbound } }"
    for select in (query, query.replace("?s ?o ?unbound WHERE", "?unbound WHERE")):
        sink = _RowCounter(media, 20)
        body = store.query(select).serialize(format=RESULTS_MEDIA_TYPES[media])
        try:
            for i in range(len(body)):
                sink.write(body[i:i + 1])
            assert sink.body() == body
            assert not refused
        except TooManyRows:
            assert refused
