"""Writes only with the token: SPARQL Update and Graph Store Protocol writes, against a live server
over a small store of its own (every write makes a new store generation)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from fastapi import FastAPI
from pyoxigraph import Literal, NamedNode, Quad

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.graph.derive import deriving
from lifecat.graph.store import Change, Store
from tests.utils.stores import raw_query

TOKEN = "s3cret-token"
BASE = "http://lifecat.test/"
SOURCE = f"{BASE}graph/src"
QUARANTINE = f"{BASE}graph/quarantine/src"
NAME = NamedNode("http://schema.org/name")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def written(new_store: Callable[..., Settings]) -> Settings:
    """A small store of the test's backend: one public record, one quarantined."""
    one, hidden = NamedNode(f"{BASE}id/catalog/one"), NamedNode(f"{BASE}id/catalog/hidden")
    settings = new_store(base=BASE, write_token=TOKEN)
    Store.open(settings).replace(Change([
        Quad(one, NAME, Literal("One"), NamedNode(SOURCE)),
        Quad(hidden, NAME, Literal("Hidden"), NamedNode(QUARANTINE)),
    ], replace=frozenset({NamedNode(SOURCE), NamedNode(QUARANTINE)})), deriving(settings))
    return settings


@pytest.fixture
def server(written: Settings, serve: Callable[[FastAPI], AbstractContextManager[str]]) -> Iterator[str]:
    with serve(create_app(written)) as url:
        yield url


def names(url: str) -> list[str]:
    query = "SELECT ?n { ?s <http://schema.org/name> ?n } ORDER BY ?n"
    response = httpx.get(f"{url}/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    return response.text.splitlines()[1:]


def update(url: str, text: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{url}/sparql", data={"update": text}, headers=headers or {}, timeout=30)


INSERT = f'INSERT DATA {{ GRAPH <{SOURCE}> {{ <{BASE}id/catalog/two> <http://schema.org/name> "Two" }} }}'


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    ({"Authorization": "Bearer wrong-token"}, 403),
    ({"Authorization": f"Basic {TOKEN}"}, 401),
    ({"Authorization": "Bearer"}, 401),
])
def test_updates_without_the_token_are_refused(server: str, headers: dict[str, str], status: int) -> None:
    response = update(server, INSERT, headers)
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert names(server) == ["One"]


def test_updates_with_the_token_work(server: str) -> None:
    assert update(server, INSERT, AUTH).status_code == 204
    assert names(server) == ["One", "Two"]
    direct = httpx.post(f"{server}/sparql", content=f"DELETE DATA {{ GRAPH <{SOURCE}> {{ "
                        f"<{BASE}id/catalog/one> <http://schema.org/name> \"One\" }} }}",
                        headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert direct.status_code == 204
    assert names(server) == ["Two"]
    bad = update(server, "INSERT DATA {", AUTH)
    assert bad.status_code == 400 and "invalid SPARQL update" in bad.text


@pytest.mark.parametrize("text", [
    f"CLEAR GRAPH <{QUARANTINE}>",
    f'INSERT DATA {{ GRAPH <{QUARANTINE}> {{ <{BASE}x> <{BASE}p> "x" }} }}',
    "PREFIX q: <http://lifecat.test/graph/quarantine/> DROP GRAPH q:src",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"WITH <{QUARANTINE}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "CLEAR SILENT DEFAULT",
    f"LOAD <http://example.org/data.ttl> INTO GRAPH <{SOURCE}>",
])
def test_updates_that_could_touch_private_graphs_are_refused(server: str, text: str) -> None:
    response = update(server, text, AUTH)
    assert response.status_code == 403, text
    assert "private graph" in response.text or "LOAD" in response.text
    assert names(server) == ["One"]  # nothing was written


def test_all_graphs_means_the_public_ones(server: str, written: Settings) -> None:
    assert update(server, "CLEAR ALL", AUTH).status_code == 204
    assert names(server) == []
    hidden = raw_query(written, f"SELECT ?n WHERE {{ GRAPH <{QUARANTINE}> {{ ?s ?p ?n }} }}").rows
    assert hidden == [["Hidden"]]


def test_graph_store_reads_are_public(server: str) -> None:
    response = httpx.get(f"{server}/graph-store", params={"graph": SOURCE},
                         headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert '"One"' in response.text
    assert response.headers["content-type"].startswith("application/n-triples")
    default = httpx.get(f"{server}/graph-store?default", headers={"Accept": "application/n-triples"})
    assert default.status_code == 200
    assert '"One"' in default.text and '"Hidden"' not in default.text
    assert httpx.get(f"{server}/graph-store", params={"graph": f"{BASE}graph/none"}).status_code == 404
    assert httpx.get(f"{server}/graph-store").status_code == 400


def test_graph_store_writes_need_the_token(server: str) -> None:
    turtle = {"Content-Type": "text/turtle"}
    body = f'<{BASE}id/catalog/three> <http://schema.org/name> "Three" .'
    new = f"{BASE}graph/new"
    for method in ("PUT", "POST", "DELETE"):
        refused = httpx.request(method, f"{server}/graph-store", params={"graph": SOURCE},
                                content=body, headers=turtle)
        assert refused.status_code == 401
    assert names(server) == ["One"]

    def write(method: str, graph: str, **kwargs: object) -> httpx.Response:
        return httpx.request(method, f"{server}/graph-store", params={"graph": graph},
                             headers={**AUTH, **turtle}, timeout=30, **kwargs)  # type: ignore[arg-type]

    assert write("PUT", new, content=body).status_code == 201
    assert names(server) == ["One", "Three"]
    assert write("POST", SOURCE, content=body.replace("three", "four").replace("Three", "Four")
                 ).status_code == 204
    assert names(server) == ["Four", "One", "Three"]
    assert write("PUT", SOURCE, content=body.replace("Three", "Replaced")).status_code == 204
    assert names(server) == ["Replaced", "Three"]
    assert write("DELETE", new).status_code == 204
    assert write("DELETE", new).status_code == 404
    assert names(server) == ["Replaced"]
    assert write("PUT", QUARANTINE, content=body).status_code == 403
    assert write("PUT", SOURCE, content="not turtle <").status_code == 400
    bad_type = httpx.put(f"{server}/graph-store", params={"graph": SOURCE}, content=body,
                         headers={**AUTH, "Content-Type": "application/zip"})
    assert bad_type.status_code == 415
    default = httpx.put(f"{server}/graph-store?default", content=body, headers={**AUTH, **turtle})
    assert default.status_code == 400 and "?graph=" in default.text
