"""Real SPARQL clients against the live server: SPARQLWrapper (GET and POST) and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import GET, JSON, POST, TURTLE, SPARQLWrapper

UNIPROT = "http://lifecat.test/id/catalog/uniprot"
SELECT = f"SELECT ?name WHERE {{ <{UNIPROT}> <http://schema.org/name> ?name }}"
ASK = f"ASK {{ <{UNIPROT}> a <http://schema.org/DataCatalog> }}"
CONSTRUCT = f"CONSTRUCT WHERE {{ <{UNIPROT}> <http://schema.org/name> ?name }}"
DESCRIBE = f"DESCRIBE <{UNIPROT}>"


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_all_query_forms(live_server: str, method: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setMethod(method)
    client.setReturnFormat(JSON)
    client.setQuery(SELECT)
    bindings = client.query().convert()["results"]["bindings"]  # type: ignore[index]
    assert bindings[0]["name"]["value"] == "UniProt Protein"
    client.setQuery(ASK)
    assert client.query().convert()["boolean"] is True  # type: ignore[index]
    client.setReturnFormat(TURTLE)
    for query in (CONSTRUCT, DESCRIBE):
        client.setQuery(query)
        graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")  # type: ignore[arg-type]
        assert (rdflib.URIRef(UNIPROT), rdflib.URIRef("http://schema.org/name"), None) in graph


def test_rdflib_sparqlstore_all_query_forms(live_server: str) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{live_server}/sparql", returnFormat="json"))
    assert [str(row[0]) for row in graph.query(SELECT)] == ["UniProt Protein"]
    assert graph.query(ASK).askAnswer is True
    for query in (CONSTRUCT, DESCRIBE):
        result = rdflib.Graph()
        for triple in graph.query(query):
            result.add(triple)  # type: ignore[arg-type]
        assert (rdflib.URIRef(UNIPROT), rdflib.URIRef("http://schema.org/name"), None) in result
