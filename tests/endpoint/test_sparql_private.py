"""Private graphs stay private: the quarantine graph (and configured private graphs) are invisible to
anonymous readers by every route, against the live server, on every backend. A query that names a
private graph is refused; one that reaches for it any other way finds nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pyoxigraph import NamedNode, RdfFormat, parse

from lifecat.core.config import Settings, SourceConfig
from lifecat.endpoint.app import create_app
from lifecat.graph.build import build
from tests.utils.stores import copy_of, store_settings

QUARANTINE = "http://lifecat.test/graph/quarantine/bioregistry"
META = "http://lifecat.test/graph/meta"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "bioregistry"


@pytest.fixture(scope="module")
def with_quarantine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A store whose source ``bioregistry`` holds a record that cannot stand (it has no name), so it is
    quarantined: the default build quarantines none (a missing minimum property only warns)."""
    folder = tmp_path_factory.mktemp(f"private-{backend}")
    source = folder / "bioregistry"
    source.mkdir()
    resources = json.loads((FIXTURES / "bioregistry.json").read_text(encoding="utf-8"))
    resources["noname"] = {"description": "A resource without a name.", "homepage": "https://noname.example.org"}
    (source / "bioregistry.json").write_text(json.dumps(resources), encoding="utf-8")
    with ExitStack() as stack:
        settings = store_settings(backend, folder / "store", stack, base="http://lifecat.test/")
        build(settings, [SourceConfig(format="bioregistry", path=str(source), name="bioregistry")],
              progress=False, log=lambda _: None)
        yield settings


@pytest.fixture(scope="module")
def server(with_quarantine: Settings, serve: Callable[[FastAPI], AbstractContextManager[str]]
           ) -> Iterator[str]:
    """The app over the store with a quarantined record, served on a socket."""
    with serve(create_app(with_quarantine)) as url:
        yield url


@pytest.fixture(scope="module")
def quarantined(with_quarantine: Settings) -> str:
    """A record that only the quarantine graph holds (read straight from the store)."""
    store = copy_of(with_quarantine)
    public = {q.subject for q in store.quads_for_pattern(None, None, None, NamedNode(
        "http://lifecat.test/graph/bioregistry"))}
    for quad in store.quads_for_pattern(None, None, None, NamedNode(QUARANTINE)):
        if quad.subject not in public and "/id/" in str(quad.subject):
            return quad.subject.value
    pytest.fail("the build quarantined no record")


def ask(url: str, query: str, **params: str | list[str]) -> bool:
    response = httpx.get(f"{url}/sparql", params={"query": query, **params},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_the_record_is_in_the_store(with_quarantine: Settings, quarantined: str) -> None:
    store = copy_of(with_quarantine)
    assert any(store.quads_for_pattern(NamedNode(quarantined), None, None, NamedNode(QUARANTINE)))


@pytest.mark.parametrize(("query", "params"), [
    ("ASK {{ <{r}> ?p ?o }}", {}),
    ("ASK {{ GRAPH ?g {{ <{r}> ?p ?o }} }}", {}),
    ("ASK {{ ?report <http://www.w3.org/ns/shacl#focusNode> <{r}> }}", {}),
    ("ASK {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), \"http://lifecat.test/graph/quarantine\")) }}", {}),
    ("ASK {{ BIND(IRI(CONCAT(\"http://lifecat.test/graph/\", \"quarantine/bioregistry\")) AS ?g) "
     "GRAPH ?g {{ ?s ?p ?o }} }}", {}),
    ("ASK {{ GRAPH ?g {{ <{r}> ?p ?o }} }}", {"named-graph-uri": "http://lifecat.test/graph/bioregistry"}),
])
def test_no_query_sees_the_quarantine(server: str, quarantined: str, query: str,
                                      params: dict[str, str]) -> None:
    assert ask(server, query.format(r=quarantined), **params) is False


@pytest.mark.parametrize(("query", "params"), [
    ("ASK {{ GRAPH <{q}> {{ ?s ?p ?o }} }}", {}),
    ("ASK FROM <{q}> {{ <{r}> ?p ?o }}", {}),
    ("ASK FROM NAMED <{q}> {{ GRAPH ?g {{ <{r}> ?p ?o }} }}", {}),
    ("PREFIX q: <http://lifecat.test/graph/quarantine/> ASK {{ GRAPH q:bioregistry {{ ?s ?p ?o }} }}", {}),
    ("PREFIX g: <http://lifecat.test/graph/> ASK {{ GRAPH g:quarantine\\/bioregistry {{ ?s ?p ?o }} }}", {}),
    ("BASE <http://lifecat.test/graph/> ASK {{ GRAPH <quarantine/bioregistry> {{ ?s ?p ?o }} }}", {}),
    ("ASK {{ GRAPH <http://lifecat.test/graph/\\u0071uarantine/bioregistry> {{ ?s ?p ?o }} }}", {}),
    ("ASK {{ GRAPH <graph/quarantine/bioregistry> {{ ?s ?p ?o }} }}", {}),
    ("ASK {{ VALUES ?g {{ <{q}> }} GRAPH ?g {{ ?s ?p ?o }} }}", {}),
    ("DESCRIBE <{r}> FROM <{q}>", {}),
    ("ASK {{ <{r}> ?p ?o }}", {"default-graph-uri": "{q}"}),
    ("ASK {{ GRAPH ?g {{ <{r}> ?p ?o }} }}", {"named-graph-uri": "{q}"}),
])
def test_a_query_naming_the_quarantine_is_refused(server: str, quarantined: str, query: str,
                                                  params: dict[str, str]) -> None:
    filled = {k: v.format(q=QUARANTINE) for k, v in params.items()}
    response = httpx.post(f"{server}/sparql", data={"query": query.format(r=quarantined, q=QUARANTINE),
                                                         **filled})
    assert response.status_code == 403, response.text
    assert "private graph" in response.text


def test_describe_and_construct_show_nothing(server: str, quarantined: str) -> None:
    graph = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'quarantine')) }"
    for query in (f"DESCRIBE <{quarantined}>", graph):
        response = httpx.get(f"{server}/sparql", params={"query": query},
                             headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        assert response.text.strip() == "", query


def test_service_description_does_not_name_it(live_server: str) -> None:
    body = httpx.get(f"{live_server}/sparql", headers={"Accept": "application/n-triples"}).text
    names = {t.object.value for t in parse(body.encode(), format=RdfFormat.N_TRIPLES)
             if t.predicate.value.endswith("#name")}
    assert META in names
    assert not any("quarantine" in n for n in names)


def test_graph_store_reads_refuse_it(server: str, quarantined: str) -> None:
    assert httpx.get(f"{server}/graph-store", params={"graph": QUARANTINE}).status_code == 404
    meta = httpx.get(f"{server}/graph-store", params={"graph": META}, headers={"Accept": "text/turtle"})
    assert meta.status_code == 200, meta.text
    assert f"<{quarantined}>" not in meta.text


def test_graph_store_reads_keep_the_row_cap(live_server: str) -> None:
    """The default graph here holds more triples than one answer may: the read says where to get it."""
    # the store counts the default graph before refusing: allow it a busy machine's time
    default = httpx.get(f"{live_server}/graph-store?default", headers={"Accept": "application/n-triples"},
                        timeout=120)
    assert default.status_code == 400
    assert "/dumps/" in default.text


def test_record_page_does_not_show_it(server: str, quarantined: str) -> None:
    path = quarantined.removeprefix("http://lifecat.test")
    assert httpx.get(f"{server}{path}", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.fixture(scope="module")
def meta_private(settings: Settings,
                 serve: Callable[[FastAPI], AbstractContextManager[str]]) -> Iterator[str]:
    """The same store served with the meta graph configured as private."""
    with serve(create_app(settings.model_copy(update={"private_graphs": [META]}))) as url:
        yield url


def test_configured_private_graphs_are_hidden_too(meta_private: str) -> None:
    query = "ASK { ?s a <http://www.w3.org/ns/shacl#NodeShape> }"
    assert ask(meta_private, query) is False
    refused = httpx.get(f"{meta_private}/sparql", params={"query": f"ASK FROM <{META}> {{ ?s ?p ?o }}"})
    assert refused.status_code == 403
    assert httpx.get(f"{meta_private}/graph-store", params={"graph": META}).status_code == 404
    assert META not in httpx.get(f"{meta_private}/sparql", headers={"Accept": "text/turtle"}).text
