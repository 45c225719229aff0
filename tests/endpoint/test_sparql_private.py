"""Private graphs stay private: the quarantine graph (and configured private graphs) are invisible to
anonymous readers by every route, against the live server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from fastapi import FastAPI
from pyoxigraph import NamedNode, RdfFormat, parse

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.graph.store import GraphStore

QUARANTINE = "http://lifecat.test/graph/quarantine/bioregistry"
META = "http://lifecat.test/graph/meta"


@pytest.fixture(scope="module")
def quarantined(settings: Settings) -> str:
    """A record that only the quarantine graph holds (read straight from the store)."""
    store = GraphStore(settings.store).reader()
    public = {q.subject for q in store.quads_for_pattern(None, None, None, NamedNode(
        "http://lifecat.test/graph/bioregistry"))}
    for quad in store.quads_for_pattern(None, None, None, NamedNode(QUARANTINE)):
        if quad.subject not in public and "/id/" in str(quad.subject):
            return quad.subject.value
    pytest.fail("the default build quarantined no record")


def ask(url: str, query: str, **params: str | list[str]) -> bool:
    response = httpx.get(f"{url}/sparql", params={"query": query, **params},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_the_record_is_in_the_store(settings: Settings, quarantined: str) -> None:
    store = GraphStore(settings.store).reader()
    assert any(store.quads_for_pattern(NamedNode(quarantined), None, None, NamedNode(QUARANTINE)))


@pytest.mark.parametrize(("query", "params"), [
    ("ASK {{ <{r}> ?p ?o }}", {}),
    ("ASK {{ GRAPH ?g {{ <{r}> ?p ?o }} }}", {}),
    ("ASK {{ GRAPH <{q}> {{ ?s ?p ?o }} }}", {}),
    ("ASK FROM <{q}> {{ <{r}> ?p ?o }}", {}),
    ("ASK FROM NAMED <{q}> {{ GRAPH ?g {{ <{r}> ?p ?o }} }}", {}),
    ("ASK {{ <{r}> ?p ?o }}", {"default-graph-uri": "{q}"}),
    ("ASK {{ GRAPH ?g {{ <{r}> ?p ?o }} }}", {"named-graph-uri": "{q}"}),
    ("ASK {{ ?report <http://www.w3.org/ns/shacl#focusNode> <{r}> }}", {}),
    ("ASK {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), \"http://lifecat.test/graph/quarantine\")) }}", {}),
])
def test_no_query_sees_the_quarantine(live_server: str, quarantined: str, query: str,
                                      params: dict[str, str]) -> None:
    filled = {k: v.format(q=QUARANTINE) for k, v in params.items()}
    assert ask(live_server, query.format(r=quarantined, q=QUARANTINE), **filled) is False


def test_describe_and_construct_show_nothing(live_server: str, quarantined: str) -> None:
    graph = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{QUARANTINE}> {{ ?s ?p ?o }} }}"
    for query in (f"DESCRIBE <{quarantined}>", graph,
                  f"DESCRIBE <{quarantined}> FROM <{QUARANTINE}>"):
        response = httpx.get(f"{live_server}/sparql", params={"query": query},
                             headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        assert response.text.strip() == "", query


def test_protocol_dataset_cannot_reach_it(live_server: str, quarantined: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    response = httpx.post(f"{live_server}/sparql", data={"query": count, "default-graph-uri": QUARANTINE},
                          headers={"Accept": "text/csv"})
    assert response.text.splitlines()[1] == "0"


def test_service_description_does_not_name_it(live_server: str) -> None:
    body = httpx.get(f"{live_server}/sparql", headers={"Accept": "application/n-triples"}).text
    names = {t.object.value for t in parse(body.encode(), format=RdfFormat.N_TRIPLES)
             if t.predicate.value.endswith("#name")}
    assert META in names
    assert not any("quarantine" in n for n in names)


def test_graph_store_reads_refuse_it(live_server: str, quarantined: str) -> None:
    assert httpx.get(f"{live_server}/graph-store", params={"graph": QUARANTINE}).status_code == 404
    default = httpx.get(f"{live_server}/graph-store?default", headers={"Accept": "application/n-triples"})
    assert default.status_code == 200
    assert f"<{quarantined}>" not in default.text
    assert httpx.get(f"{live_server}/graph-store", params={"graph": META}).status_code == 200


def test_record_page_does_not_show_it(live_server: str, quarantined: str) -> None:
    path = quarantined.removeprefix("http://lifecat.test")
    assert httpx.get(f"{live_server}{path}", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.fixture(scope="module")
def meta_private(settings: Settings,
                 serve: Callable[[FastAPI], AbstractContextManager[str]]) -> Iterator[str]:
    """The same store served with the meta graph configured as private."""
    with serve(create_app(settings.model_copy(update={"private_graphs": [META]}))) as url:
        yield url


def test_configured_private_graphs_are_hidden_too(meta_private: str) -> None:
    query = "ASK { ?s a <http://www.w3.org/ns/shacl#NodeShape> }"
    assert ask(meta_private, query) is False
    assert ask(meta_private, f"ASK FROM <{META}> {{ ?s ?p ?o }}") is False  # FROM a hidden graph: empty
    assert httpx.get(f"{meta_private}/graph-store", params={"graph": META}).status_code == 404
    assert META not in httpx.get(f"{meta_private}/sparql", headers={"Accept": "text/turtle"}).text
