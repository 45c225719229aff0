"""The example queries: documented, run on the default data, and published in the graph."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, parse

from lifecat import queries

EXAMPLES = queries.examples()
SH = "http://www.w3.org/ns/shacl#"


def test_there_are_examples_of_each_form() -> None:
    assert len(EXAMPLES) >= 6
    assert {e.form for e in EXAMPLES} == {"select", "construct", "ask"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_is_documented(example: queries.Example) -> None:
    assert example.title and example.title != f"{example.name}.rq"
    assert len(example.description) > 20


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_answers_on_the_default_data(client: TestClient, example: queries.Example) -> None:
    if example.form in ("construct", "describe"):
        response = client.post("/sparql", data={"query": example.text},
                               headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, response.text
        assert list(parse(response.content, format=RdfFormat.N_TRIPLES)), "no triples"
        return
    response = client.post("/sparql", data={"query": example.text})
    assert response.status_code == 200, response.text
    answer = response.json()
    if example.form == "ask":
        assert answer["boolean"] is True
    else:
        assert len(answer["results"]["bindings"]) >= 1


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_is_published_as_a_shacl_executable(client: TestClient, example: queries.Example) -> None:
    query = f"""PREFIX sh: <{SH}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?type ?label ?comment ?text ?target WHERE {{
      ?q a sh:SPARQLExecutable, ?type ; rdfs:label ?label ; rdfs:comment ?comment ;
         sh:{example.form} ?text ; <http://schema.org/target> ?target .
      FILTER(STRSTARTS(STR(?type), STR(sh:)) && ?type != sh:SPARQLExecutable
             && STRENDS(STR(?q), "/id/query/{example.name}"))
    }}"""
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert len(rows) == 1
    row = {k: v["value"] for k, v in rows[0].items()}
    assert row["type"] == f"{SH}SPARQL{example.form.capitalize()}Executable"
    assert (row["label"], row["comment"], row["text"]) == (example.title, example.description, example.text)
    assert row["target"] == "http://lifecat.test/sparql"
