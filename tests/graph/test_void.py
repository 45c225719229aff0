"""VoID: computed at build time, served at /void and /.well-known/void, equal to COUNT queries on /sparql."""

from __future__ import annotations

import doctest
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.core.vocab import DCT, RDF, VOID
from lifecat.endpoint.app import create_app
from lifecat.graph import void

TOTALS = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?distinctSubjects)
  (COUNT(DISTINCT ?o) AS ?distinctObjects) (COUNT(DISTINCT ?p) AS ?properties)
WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"""
CLASSES = "SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?key } GROUP BY ?key"
PROPERTIES = """SELECT ?key (COUNT(*) AS ?n)
WHERE { SELECT DISTINCT ?s ?key ?o WHERE { ?s ?key ?o } } GROUP BY ?key"""


def test_doctests() -> None:
    assert doctest.testmod(void).failed == 0


def sparql(client: TestClient, query: str, graphs: list[str]) -> list[dict[str, str]]:
    """Rows of a query run on /sparql over ``graphs`` as its default graph."""
    response = client.get("/sparql", params={"query": query, "default-graph-uri": graphs},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def described(client: TestClient, path: str = "/void") -> list[Triple]:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    return list(parse(response.content, format=RdfFormat.TURTLE))


def value(triples: list[Triple], subject: NamedNode, predicate: NamedNode) -> str:
    [found] = [t.object.value for t in triples if t.subject == subject and t.predicate == predicate]
    return found


def partitions(triples: list[Triple], dataset: NamedNode, link: NamedNode, key: NamedNode,
               count: NamedNode) -> dict[str, int]:
    parts = [t.object for t in triples if t.subject == dataset and t.predicate == link]
    return {value(triples, p, key): int(value(triples, p, count)) for p in parts}


def check_against_sparql(client: TestClient, triples: list[Triple], dataset: NamedNode,
                         graphs: list[str], base: str) -> None:
    [totals] = sparql(client, TOTALS, graphs)
    for name, expected in totals.items():
        assert int(value(triples, dataset, VOID[name])) == int(expected), name
    entities = f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), "{base}id/")}}'
    assert int(value(triples, dataset, VOID.entities)) == int(sparql(client, entities, graphs)[0]["n"])
    classes = {r["key"]: int(r["n"]) for r in sparql(client, CLASSES, graphs)}
    assert partitions(triples, dataset, VOID.classPartition, VOID["class"], VOID.entities) == classes
    assert int(value(triples, dataset, VOID.classes)) == len(classes)
    properties = {r["key"]: int(r["n"]) for r in sparql(client, PROPERTIES, graphs)}
    assert partitions(triples, dataset, VOID.propertyPartition, VOID.property, VOID.triples) == properties


def test_void_figures_equal_count_queries_on_sparql(settings: Settings, client: TestClient) -> None:
    triples = described(client)
    mint = Minter(settings.base)
    whole, source = void.dataset_iri(mint), void.dataset_iri(mint, "bioregistry")
    graph = mint.graph("bioregistry").value
    check_against_sparql(client, triples, source, [graph], settings.base)
    check_against_sparql(client, triples, whole, [graph], settings.base)
    assert int(value(triples, whole, VOID.triples)) > 100_000
    assert value(triples, whole, VOID.uriSpace) == f"{settings.base}id/"
    assert value(triples, whole, VOID.sparqlEndpoint) == f"{settings.base}sparql"
    assert value(triples, source, VOID.dataDump) == f"{settings.base}dumps/graph-bioregistry.nq.gz"
    assert (whole, VOID.subset, source) in {(t.subject, t.predicate, t.object) for t in triples}


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", RdfFormat.TURTLE), ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML), ("application/n-triples", RdfFormat.N_TRIPLES),
])
def test_void_is_served_in_every_rdf_format(client: TestClient, settings: Settings, path: str,
                                            accept: str, fmt: RdfFormat) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    triples = list(parse(response.content, format=fmt))
    whole = void.dataset_iri(Minter(settings.base))
    assert any(t.subject == whole and t.predicate == RDF.type and t.object == VOID.Dataset for t in triples)


def test_void_refuses_what_it_cannot_serve(client: TestClient) -> None:
    assert client.get("/void", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/void?format=csv").status_code == 406


def test_void_is_in_the_meta_graph_for_sparql(client: TestClient, settings: Settings) -> None:
    rows = sparql(client, "PREFIX void: <http://rdfs.org/ns/void#> "
                          "SELECT ?n WHERE { ?d a void:Dataset ; void:triples ?n ; void:subset ?s }",
                  [Minter(settings.base).meta_graph.value])
    [row] = rows
    assert int(row["n"]) > 100_000


def test_linksets_count_the_links_between_sources(build_tiny: Callable[..., Settings],
                                                  tiny_resource: Callable[..., dict]) -> None:
    settings = build_tiny({
        "alpha": {"go": tiny_resource("Gene Ontology")},
        "beta": {"goslim": tiny_resource("GO slim", part_of="go"),
                 "gorel": tiny_resource("GO relations", provides="go")},
    })
    mint = Minter(settings.base)
    with TestClient(create_app(settings)) as client:
        triples = described(client)
        graphs = [mint.graph("alpha").value, mint.graph("beta").value]
        check_against_sparql(client, triples, void.dataset_iri(mint), graphs, settings.base)
        check_against_sparql(client, triples, void.dataset_iri(mint, "beta"), graphs[1:], settings.base)
    linksets = [t.subject for t in triples if t.predicate == RDF.type and t.object == VOID.Linkset]
    found = {(value(triples, s, VOID.subjectsTarget), value(triples, s, VOID.objectsTarget),
              value(triples, s, VOID.linkPredicate)): int(value(triples, s, VOID.triples))
             for s in linksets}
    beta, alpha = void.dataset_iri(mint, "beta").value, void.dataset_iri(mint, "alpha").value
    assert found == {(beta, alpha, "http://schema.org/isPartOf"): 1,
                     (beta, alpha, DCT.relation.value): 1}
