"""Real SPARQL clients against the live server: SPARQLWrapper (GET and POST) and rdflib's SPARQLStore,
each with the four query forms."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, N3, POST, RDFXML, TURTLE, XML, SPARQLWrapper

UNIPROT = rdflib.URIRef("http://lifecat.test/id/catalog/uniprot")
NAME = rdflib.URIRef("http://schema.org/name")
SELECT = f"SELECT ?name WHERE {{ <{UNIPROT}> <{NAME}> ?name }}"
ASK = f"ASK {{ <{UNIPROT}> a <http://schema.org/DataCatalog> }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{NAME}> ?name }} WHERE {{ BIND(<{UNIPROT}> AS ?s) ?s <{NAME}> ?name }}"
DESCRIBE = f"DESCRIBE <{UNIPROT}>"


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_and_ask(live_server: str, method: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setMethod(method)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"][0]["name"]["value"] == "UniProt Protein"  # type: ignore[index]
    client.setReturnFormat(XML)
    xml = client.queryAndConvert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == "UniProt Protein"  # type: ignore[union-attr]
    client.setReturnFormat(CSV)
    assert client.queryAndConvert().decode().splitlines() == ["name", "UniProt Protein"]  # type: ignore[union-attr]
    client.setQuery(ASK)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, N3])
def test_sparqlwrapper_construct_and_describe(live_server: str, method: str, fmt: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setMethod(method)
    client.setReturnFormat(fmt)
    for query in (CONSTRUCT, DESCRIBE):
        client.setQuery(query)
        converted = client.queryAndConvert()
        graph = converted if isinstance(converted, rdflib.Graph) else rdflib.Graph().parse(
            data=converted, format="xml" if fmt == RDFXML else "turtle")  # type: ignore[arg-type]
        assert (UNIPROT, NAME, rdflib.Literal("UniProt Protein")) in graph, query


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore(live_server: str, method: str) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{live_server}/sparql", method=method, returnFormat="json"))
    assert [str(row[0]) for row in graph.query(SELECT)] == ["UniProt Protein"]  # type: ignore[index]
    assert graph.query(ASK).askAnswer is True
    for query in (CONSTRUCT, DESCRIBE):
        result = rdflib.Graph()
        for triple in graph.query(query):
            result.add(triple)  # type: ignore[arg-type]
        assert (UNIPROT, NAME, rdflib.Literal("UniProt Protein")) in result, query
    assert (UNIPROT, NAME, rdflib.Literal("UniProt Protein")) in graph  # triple pattern lookups
